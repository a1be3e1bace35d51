"""Images of a draft in a WordPress media library: upload each once, point the HTML at them.

Each upload's file name carries a hash of its bytes ("photo-3f2a…9c.png"). The draft's publish
record remembers hash -> media id and URL, and when that record is missing (another computer, a
failed publish) a search for the hash finds the earlier upload, so an image is never uploaded
twice, not even after an answer got lost.

`WordPressMedia.upload(data, filename, content_type) -> url` is the small image-host interface,
so the library can serve as an image host for other blogs too.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor.core.post_images import local_image_sources, resolve_image, rewrite_sources
from editor.publish.errors import DraftError, NotFoundError, OfflineError, PublishError

if TYPE_CHECKING:
    from editor.publish.wordpress_api import WordPressApi

HASH_CHARS = 16  # of the sha256, in the uploaded file name: unique enough, short enough


def lost_upload(failure: OfflineError) -> str:
    """What to say when an upload timed out or lost its answer (it may still land)."""
    return (
        f"{failure.reason} while uploading an image, so it may still appear in the media"
        " library; publish again in a minute: Broadsheet looks for it first."
    )


@dataclass(frozen=True)
class MediaItem:
    """An item of the media library."""

    id: int
    url: str


def upload_name(filename: str, digest: str) -> str:
    """An ASCII file name with the content hash: "Café photo.PNG" -> "cafe-photo-<hash>.png"."""
    path = Path(filename)
    stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower()[:60] or "image"
    suffix = re.sub(r"[^A-Za-z0-9.]", "", path.suffix).lower()
    return f"{stem}-{digest[:HASH_CHARS]}{suffix}"


class WordPressMedia:
    """A site's media library: find, fetch and upload items over a WordPressApi."""

    def __init__(self, api: WordPressApi) -> None:
        self.api = api

    def upload(self, data: bytes, filename: str, content_type: str) -> str:
        """Upload an image (once) and return its public URL."""
        return self.upload_item(data, filename, content_type).url

    def upload_item(self, data: bytes, filename: str, content_type: str) -> MediaItem:
        """The library item holding exactly these bytes, uploading them only if needed."""
        digest = hashlib.sha256(data).hexdigest()
        found = self.find(digest)
        if found is not None:
            return found
        name = upload_name(filename, digest)
        headers = {
            "Content-Type": content_type,
            "Content-Disposition": f'attachment; filename="{name}"',
        }
        try:
            answer = self.api.call("POST", "wp/v2/media", data=data, headers=headers, retry=False)
        except PublishError as exc:
            if not exc.transient:
                raise
            # The upload may have landed although the answer did not: look before retrying.
            found = self.find(digest)
            if found is not None:
                return found
            if isinstance(exc, OfflineError) and exc.uncertain:
                raise OfflineError(
                    lost_upload(exc), uncertain=True, timed_out=exc.timed_out, reason=exc.reason
                ) from exc
            answer = self.api.call("POST", "wp/v2/media", data=data, headers=headers, retry=False)
        return _item(answer)

    def get(self, media_id: int) -> MediaItem | None:
        """The item with this id, or None when it was deleted."""
        try:
            return _item(self.api.call("GET", f"wp/v2/media/{media_id}"))
        except NotFoundError:
            return None

    def find(self, digest: str) -> MediaItem | None:
        """The item uploaded by Broadsheet with this content hash, if the library has it."""
        token = digest[:HASH_CHARS]
        params = {"search": token, "per_page": "20"}
        for item in self.api.call("GET", "wp/v2/media", params=params) or []:
            if token in str(item.get("source_url") or ""):
                return _item(item)
        return None


def _item(data: Any) -> MediaItem:
    if not isinstance(data, dict) or not data.get("id") or not data.get("source_url"):
        raise PublishError("The WordPress site sent an unexpected answer to an upload.")
    return MediaItem(id=int(data["id"]), url=str(data["source_url"]))


# --- the draft's images ----------------------------------------------------------------------


def upload_images(
    media: WordPressMedia,
    html: str,
    folder: Path,
    known: dict[str, Any] | None,
    progress: Callable[[str], None] = lambda _m: None,
) -> tuple[str, dict[str, dict[str, Any]]]:
    """Upload the local images of `html` (once) and return (rewritten HTML, media record).

    `known` is the media record of the last publish ({sha256: {"id", "url"}}); an item that
    was deleted from the library meanwhile is uploaded again.
    """
    known = known if isinstance(known, dict) else {}
    urls: dict[str, str] = {}
    record: dict[str, dict[str, Any]] = {}
    for src in local_image_sources(html):
        path = resolve_image(src, folder) or Path(src)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DraftError(
                f"The image “{src}” of this draft cannot be read ({exc.strerror or exc} at"
                f" {path}); fix its path or remove it, then publish again."
            ) from exc
        digest = hashlib.sha256(data).hexdigest()
        item = None
        entry = known.get(digest)
        if isinstance(entry, dict) and str(entry.get("id", "")).isdigit():
            item = media.get(int(entry["id"]))
        if item is None:
            progress(f"Uploading {path.name}…")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            item = media.upload_item(data, path.name, content_type)
        urls[src] = item.url
        record[digest] = {"id": item.id, "url": item.url, "file": src}
    return (rewrite_sources(html, urls) if urls else html), record
