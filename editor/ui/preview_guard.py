"""What the preview may fetch, and which clicked links it may hand to the system.

The preview shows what readers will see, but it runs on the writer's machine with the
writer's files: a draft must not make it fetch stylesheets, fonts, frames, media or prefetches
(they reveal the writer's address and what they are writing to any server named in the
draft), nor redirect the draft's own images with `<base href>`, nor hand a `file:` or custom
link to the system opener. Two independent checks, so that one slip does not open the network:

- `PREVIEW_POLICY`, the page's Content-Security-Policy: images (remote, local, data:) and
  inline styles only; `base-uri 'none'` keeps relative images next to the draft. It is the
  strongest policy that keeps the preview faithful: the look is an inline `<style>` (the
  blog's captured style is stored locally and already inert), posts carry style attributes,
  and readers see remote images. Scripts, fonts, frames, media, objects, fetches and forms
  are all `'none'` through `default-src`.
- `PreviewRequestFilter`, the URL request interceptor of the pages' profile: refuses before
  the network every request that is not an image, local or remote, whatever the document
  says. It also catches what a policy cannot express: Chromium applies no CSP directive to
  `<link rel=prefetch>`. It sits on the profile, not on each page, because a prefetch is a
  detached request that outlives its page (the PDF page is deleted as soon as it printed)
  and only the profile's interceptor still sees it. Every page of Broadsheet shows a draft
  (the preview, the PDF export), so the whole profile follows the preview's rule.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWebEngineCore import (
    QWebEngineProfile,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

ResourceType = QWebEngineUrlRequestInfo.ResourceType

PREVIEW_POLICY = (
    "default-src 'none'; img-src http: https: file: data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})  # what the system opener may be given
SHOWN_LINK_CHARS = 60
FILTER_NAME = "broadsheetPreviewFilter"


def policy_meta() -> str:
    """The `<meta>` that puts `PREVIEW_POLICY` on a page (first thing in its `<head>`)."""
    return f"<meta http-equiv='Content-Security-Policy' content=\"{PREVIEW_POLICY}\">"


def may_load(resource_type: ResourceType, scheme: str) -> bool:
    """Whether a preview page may fetch this: images from anywhere, and its own page."""
    if resource_type == ResourceType.ResourceTypeImage:
        return True
    # The page itself arrives by setHtml as a data: URL; any other main-frame navigation is
    # refused before this by the page's acceptNavigationRequest.
    return resource_type == ResourceType.ResourceTypeMainFrame and scheme == "data"


class PreviewRequestFilter(QWebEngineUrlRequestInterceptor):
    """Refuses, before the network, every request of a preview page that is not an image."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.refused: list[str] = []  # the addresses refused, newest last (for tests)

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 (Qt API)
        """Block stylesheets, fonts, frames, media, prefetches … local or remote."""
        url = info.requestUrl()
        if not may_load(info.resourceType(), url.scheme().lower()):
            info.block(True)
            del self.refused[:-99]  # a page full of media stays a short list
            self.refused.append(url.toString())


def guard_profile(profile: QWebEngineProfile) -> PreviewRequestFilter:
    """The preview's request filter on `profile`, installed the first time (owned by it)."""
    found = profile.findChild(QWebEngineUrlRequestInterceptor, FILTER_NAME)
    if isinstance(found, PreviewRequestFilter):
        return found
    request_filter = PreviewRequestFilter(profile)
    request_filter.setObjectName(FILTER_NAME)
    profile.setUrlRequestInterceptor(request_filter)
    return request_filter


def may_open(url: QUrl) -> bool:
    """Whether a clicked link may be handed to the system: web and email links only."""
    return url.scheme().lower() in LINK_SCHEMES


def refusal(url: QUrl) -> str:
    """One sentence telling the writer that this link does not open from the preview."""
    shown = url.toDisplayString()
    if len(shown) > SHOWN_LINK_CHARS:
        shown = shown[: SHOWN_LINK_CHARS - 1] + "…"
    return f"Only web and email links open from the preview; “{shown}” does not."
