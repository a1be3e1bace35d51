"""Images of a draft in a WordPress media library: upload each once, point the HTML at them.

Each upload's file name carries a hash of its bytes ("photo-3f2a…9c.png"). The draft's publish
record remembers hash -> media id and URL, and when that record is missing (another computer, a
failed publish) a search for the hash finds the earlier upload, so an image is never uploaded
twice, not even after an answer got lost.

`WordPressMedia.upload(data, filename, content_type) -> url` is the small image-host interface,
so the library can serve as an image host for other blogs too; uploading a draft's images is
editor.publish.media_library's, for every platform with a media library.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from editor.publish.errors import NotFoundError, OfflineError, PublishError
from editor.publish.media_library import HASH_CHARS, MediaItem, lost_upload, upload_name

if TYPE_CHECKING:
    from editor.publish.wordpress_api import WordPressApi


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
