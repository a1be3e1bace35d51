"""Find images in published posts that no longer load (dead Google Drive/Picasa links, deleted
files, hosts that now answer with a login page).

`scan_blog` lists the blog's posts with their bodies (paging), collects every `<img src>` and
checks each distinct URL once: HEAD first, then a small ranged GET when HEAD is refused or says
too little. A URL counts as dead on an HTTP error, on a web page where an image should be (a
login or "file not found" page, often after a redirect), on content that is no image, and when
it is a path on the writer's disk. No answer (timeout, no connection) is reported as
`unreachable`: perhaps dead, perhaps a passing network problem.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from editor.publish.base import RemotePost
from editor.publish.blogger import BloggerClient, remote_post
from editor.publish.hosts.base import sniff_image_type

CHECK_TIMEOUT = (5.0, 15.0)
MAX_WORKERS = 8
PAGE_SIZE = 20
SNIFF_BYTES = 1024
_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I | re.S)
ScanProgress = Callable[[str], None]


@dataclass(frozen=True)
class ImageCheck:
    """The verdict on one image URL. `reason` is a short phrase ("HTTP 404", …), "" when ok."""

    url: str
    ok: bool
    reason: str = ""
    status: int | None = None
    unreachable: bool = False  # no answer: may be a passing network problem


@dataclass(frozen=True)
class PostImages:
    """One published post and its images; `dead` lists those that do not load."""

    post_id: str
    title: str
    url: str
    updated: str
    images: list[str]
    dead: list[ImageCheck] = field(default_factory=list)


def image_urls(content: str) -> list[str]:
    """Every image address in a post's HTML, in order, once each (data: URLs left out)."""
    found: dict[str, None] = {}
    for match in _IMG_SRC.finditer(content):
        raw = next(g for g in match.groups() if g is not None)
        url = htmllib.unescape(raw).strip()
        if url and not url.lower().startswith("data:"):
            found.setdefault(url, None)
    return list(found)


def check_image(
    session: requests.Session, url: str, *, timeout: float | tuple[float, float] = CHECK_TIMEOUT
) -> ImageCheck:
    """Does `url` load as an image? (HEAD, then a ranged GET when needed; follows redirects.)"""
    scheme = urlsplit(url).scheme.lower()
    if url.startswith("//"):
        url, scheme = "https:" + url, "https"
    if scheme not in ("http", "https"):
        return ImageCheck(url, False, "a path on your computer, not a web address")
    try:
        response = session.head(url, timeout=timeout, allow_redirects=True)
        kind = _content_type(response)
        if response.status_code in (403, 405, 501) or (
            response.status_code < 400 and not kind.startswith("image/")
        ):
            # Some servers refuse HEAD or send no type for it: ask for the first bytes instead.
            response = _ranged_get(session, url, timeout)
            kind = _content_type(response)
    except requests.Timeout:
        return ImageCheck(url, False, "no answer in time", unreachable=True)
    except requests.TooManyRedirects:
        return ImageCheck(url, False, "too many redirects")
    except requests.RequestException:
        return ImageCheck(url, False, "could not connect", unreachable=True)
    status = response.status_code
    if status >= 400:
        return ImageCheck(url, False, f"HTTP {status}", status)
    if kind.startswith("image/"):
        return ImageCheck(url, True, status=status)
    if kind in ("text/html", "application/xhtml+xml"):
        moved = urlsplit(response.url).netloc
        if response.history and moved != urlsplit(url).netloc:
            return ImageCheck(url, False, f"redirects to a web page on {moved} (login?)", status)
        return ImageCheck(url, False, "a web page, not an image", status)
    head = getattr(response, "_broadsheet_head", b"")
    if sniff_image_type(head):
        return ImageCheck(url, True, status=status)  # an image sent as octet-stream or untyped
    return ImageCheck(url, False, f"not an image ({kind or 'no type'})", status)


def _content_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _ranged_get(
    session: requests.Session, url: str, timeout: float | tuple[float, float]
) -> requests.Response:
    headers = {"Range": f"bytes=0-{SNIFF_BYTES - 1}"}
    with session.get(
        url, headers=headers, timeout=timeout, allow_redirects=True, stream=True
    ) as response:
        head = b""
        if response.status_code < 400:
            for chunk in response.iter_content(SNIFF_BYTES):
                head += chunk
                if len(head) >= SNIFF_BYTES:
                    break
        response._broadsheet_head = head  # type: ignore[attr-defined]
    return response


def check_images(
    session: requests.Session,
    urls: list[str],
    *,
    max_workers: int = MAX_WORKERS,
    timeout: float | tuple[float, float] = CHECK_TIMEOUT,
) -> dict[str, ImageCheck]:
    """Check distinct URLs, at most `max_workers` at a time."""
    distinct = list(dict.fromkeys(urls))
    if not distinct:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(distinct)))) as pool:
        results = pool.map(lambda u: check_image(session, u, timeout=timeout), distinct)
        return dict(zip(distinct, results, strict=True))


def list_posts(
    client: BloggerClient, blog_id: str, *, statuses: tuple[str, ...] = ("LIVE",)
) -> Iterator[RemotePost]:
    """Every post of the blog with its body, page by page (posts.list, fetchBodies=true)."""
    params: list[tuple[str, str]] = [("fetchBodies", "true"), ("maxResults", str(PAGE_SIZE))]
    params += [("status", s) for s in statuses]
    if set(statuses) - {"LIVE"}:
        params.append(("view", "ADMIN"))
    token = ""
    while True:
        page = params + ([("pageToken", token)] if token else [])
        data = client.api.call("GET", f"blogs/{blog_id}/posts", params=page)
        for item in data.get("items") or []:
            yield remote_post(item)
        token = str(data.get("nextPageToken") or "")
        if not token:
            return


def scan_blog(
    client: BloggerClient,
    blog_id: str,
    session: requests.Session,
    *,
    progress: ScanProgress | None = None,
    max_workers: int = MAX_WORKERS,
    timeout: float | tuple[float, float] = CHECK_TIMEOUT,
) -> list[PostImages]:
    """Every published post that shows images, each with the images that do not load.

    Raises the blog client's PublishError subclasses when the posts cannot be listed.
    """
    report = progress or (lambda _message: None)
    report("Reading the published posts…")
    posts = [(p, image_urls(p.content)) for p in list_posts(client, blog_id)]
    posts = [(p, urls) for p, urls in posts if urls]
    every = [u for _p, urls in posts for u in urls]
    report(f"Checking {len(set(every))} images in {len(posts)} posts…")
    checks = check_images(session, every, max_workers=max_workers, timeout=timeout)
    return [
        PostImages(
            post.id, post.title, post.url, post.updated, urls,
            [checks[u] for u in urls if not checks[u].ok],
        )
        for post, urls in posts
    ]  # fmt: skip
