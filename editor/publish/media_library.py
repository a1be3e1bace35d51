"""A blog's media library, whatever the platform: upload each image of a draft once and point
the HTML at it (WordPress's REST media and MetaWeblog's newMediaObject are two such libraries).

Each upload's file name carries a hash of its bytes ("photo-3f2a…9c.png"). The draft's publish
record remembers hash -> media id and URL, so an image is uploaded again only when the library
lost it.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from editor.core.post_images import local_image_sources, resolve_image, rewrite_sources
from editor.publish.errors import DraftError, OfflineError

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


class MediaLibrary(Protocol):
    """What uploading a draft's images asks of a blog's media library."""

    def get(self, media_id: int) -> MediaItem | None:
        """The item with this id, or None when it was deleted."""
        ...

    def upload_item(self, data: bytes, filename: str, content_type: str) -> MediaItem:
        """The library item holding exactly these bytes, uploading them only if needed."""
        ...


def upload_images(
    media: MediaLibrary,
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
