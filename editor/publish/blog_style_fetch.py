"""Capturing a blog's look: fetch its page and the stylesheets it links (nothing else).

The network half of the blog-style preview; what is done with the CSS (finding the
stylesheets in the page, making them inert, caching them) is in editor/core/blog_style.py.
requests is imported when a style is fetched, not at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from editor.core.blog_style import BlogStyleError, CapturedStyle, find_styles, sanitize_css

if TYPE_CHECKING:
    import requests

TIMEOUT = (5.0, 15.0)  # connect, read (seconds)
MAX_BYTES = 4 * 1024 * 1024  # a page or a stylesheet larger than this is not a blog theme
MAX_STYLESHEETS = 12


def _get(session: requests.Session, url: str, what: str) -> str:
    import requests

    host = urlsplit(url).netloc or url
    try:
        with session.get(url, timeout=TIMEOUT, stream=True) as response:
            if response.status_code >= 400:
                raise BlogStyleError(f"{host} answered {response.status_code} for the {what}.")
            data = bytearray()
            for chunk in response.iter_content(65536):
                data += chunk
                if len(data) > MAX_BYTES:
                    raise BlogStyleError(f"The {what} at {host} is too large to be a theme.")
            encoding = response.encoding or "utf-8"
    except requests.Timeout as exc:
        raise BlogStyleError(f"{host} did not answer in time.") from exc
    except requests.ConnectionError as exc:
        raise BlogStyleError(f"Could not reach {host} (are you online?).") from exc
    except requests.RequestException as exc:
        raise BlogStyleError(f"Could not fetch the {what} from {host}.") from exc
    try:
        return bytes(data).decode(encoding, errors="replace")
    except LookupError:
        return bytes(data).decode("utf-8", errors="replace")


def capture_blog_style(
    url: str, session: requests.Session, keep_going: Callable[[], bool] = lambda: True
) -> CapturedStyle:
    """Fetch the blog's page and its linked stylesheets (nothing else); the CSS made inert.

    `keep_going` is asked before each stylesheet: False stops early (the app is closing).
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise BlogStyleError(f"“{url}” is not a web address (http:// or https://).")
    page = _get(session, url, "blog's page")
    parts = find_styles(page, url)
    if not parts:
        raise BlogStyleError("The blog's page has no stylesheets to capture.")
    chunks: list[str] = []
    linked: list[str] = []
    for kind, value in parts:
        if kind == "inline":
            chunks.append(sanitize_css(value))
            continue
        if len(linked) >= MAX_STYLESHEETS or not keep_going():
            continue
        linked.append(value)
        try:
            chunks.append(f"/* {value} */\n" + sanitize_css(_get(session, value, "stylesheet")))
        except BlogStyleError:
            continue  # one missing widget stylesheet still leaves the theme's look
    return CapturedStyle(url, "\n".join(chunks), tuple(linked))
