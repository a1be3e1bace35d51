"""The image-host interface and the content-addressed keys every host stores images under.

A key is `<prefix><hash><ext>`: the prefix comes from the host's settings and may hold the
date of the first upload (`broadsheet/{year}/{month}/` -> `broadsheet/2026/11/`), the hash is
the start of the image's SHA-256. The same bytes therefore always get the same name, which
makes an upload idempotent (a repeated PUT writes the same object) and lets a host skip what it
already has.
"""

from __future__ import annotations

import base64
import contextlib
import mimetypes
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import requests

from editor.publish.hosts.errors import ImageHostConfigError, ImageHostError
from editor.publish.hosts.transport import fetch_public

HASH_CHARS = 20  # 80 bits of SHA-256: no collision among any blog's images
DEFAULT_PREFIX = "broadsheet/{year}/{month}/"

# A 1x1 transparent PNG: what test_connection uploads.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
]
_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/avif": ".avif",
    "image/svg+xml": ".svg",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "image/x-icon": ".ico",
}


def sniff_image_type(data: bytes) -> str | None:
    """The image MIME type the first bytes show, or None when they are no known image."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif"
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "image/svg+xml"
    return None


def image_content_type(name: str, data: bytes) -> str:
    """The Content-Type to store an image with: what its bytes show, else its extension's."""
    return sniff_image_type(data) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def key_prefix(template: str, when: date) -> str:
    """The folder part of a key: the template with {year}/{month}/{day} filled in."""
    try:
        prefix = template.format(year=f"{when:%Y}", month=f"{when:%m}", day=f"{when:%d}").lstrip(
            "/"
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise ImageHostConfigError(
            f"The folder {template!r} may only use {{year}}, {{month}} and {{day}}."
        ) from exc
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    if any(part in (".", "..") for part in prefix.split("/")):
        raise ImageHostConfigError(f"The folder {template!r} may not contain '.' or '..'.")
    return prefix


def content_key(sha256: str, name: str, content_type: str, prefix: str) -> str:
    """`<prefix><first HASH_CHARS of sha256><ext>`, the extension from the name or the type."""
    ext = Path(name).suffix.lower()
    if not ext or len(ext) > 6 or not ext[1:].isalnum():
        ext = _EXTENSIONS.get(content_type, "")
    return f"{prefix}{sha256[:HASH_CHARS]}{ext}"


@dataclass(frozen=True)
class UploadItem:
    """One image to upload: its file, its key on the host and what it is."""

    path: Path
    key: str
    content_type: str
    sha256: str
    size: int

    def read(self) -> bytes:
        """The file's bytes (read when uploading, so memory holds only what is in flight)."""
        return self.path.read_bytes()


class ImageHost(ABC):
    """Somewhere images are stored and served to readers at a public URL.

    Implementations take an injected `requests.Session` (where they speak HTTP), put a timeout
    on every request, retry only what is idempotent (a PUT to a content-addressed key is) and
    raise `ImageHostError` subclasses with one clear sentence.
    """

    #: shown in messages ("Could not upload a.png to <label>: …")
    label: str = "the image host"
    #: the configured host's key (HostConfig.key): names its uploads in a draft's memory
    host_id: str = ""
    #: how many uploads may run at once against this host
    max_parallel: int = 4
    #: the key prefix template (see key_prefix)
    prefix: str = DEFAULT_PREFIX
    #: the session used to fetch public URLs in test_connection
    session: requests.Session | None = None

    @abstractmethod
    def upload(self, key: str, data: bytes, content_type: str) -> str:
        """Store `data` under `key` (skipping it when already there) and return its public URL."""

    def upload_item(self, item: UploadItem) -> str:
        """Upload one prepared item; hosts that need the file itself override this."""
        return self.upload(item.key, item.read(), item.content_type)

    #: a host that uploads several files in one go (a command) sets this to its method
    upload_batch: Callable[[list[UploadItem]], list[str]] | None = None

    def delete(self, key: str) -> None:
        """Remove `key`; hosts that cannot delete raise ImageHostError."""
        raise ImageHostError(f"{self.label} cannot delete files.")

    def close(self) -> None:
        """Release connections (SFTP keeps one open between uploads); safe to call always."""
        return None  # HTTP hosts share the injected session, which its owner closes

    @property
    def can_delete(self) -> bool:
        """Whether `delete` is supported."""
        return type(self).delete is not ImageHost.delete

    def owns_url(self, url: str) -> bool:
        """Whether a remembered URL still belongs to this host as configured now."""
        return url.startswith(("http://", "https://"))

    def test_connection(self) -> str:
        """Upload a tiny image, fetch it from its public URL, delete it; returns the URL.

        Raises ImageHostError saying which step failed.
        """
        key = f"{key_prefix(self.prefix, date.today())}broadsheet-test-{secrets.token_hex(6)}.png"
        url = self.upload(key, TINY_PNG, "image/png")
        try:
            fetched = fetch_public(self.session or requests.Session(), url, self.label)
            if fetched != TINY_PNG:
                raise ImageHostError(
                    f"The test image was uploaded, but {url} returned something else; check the"
                    f" public address (base URL) in the settings of {self.label}."
                )
        except ImageHostError:
            if self.can_delete:
                with contextlib.suppress(ImageHostError):  # the first problem is the one to tell
                    self.delete(key)
            raise
        if self.can_delete:
            self.delete(key)
        return url
