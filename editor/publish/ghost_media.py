"""Images of a draft in a Ghost site's storage: upload each once, point the HTML at them.

Ghost's Admin API uploads an image (POST images/upload/, multipart, field `file`) and answers
its public address; it has no way to list or search what was uploaded. So, as for WordPress,
each upload's file name carries a hash of its bytes ("photo-3f2a…9c.png") and the draft's
publish record remembers hash -> address. An image whose upload answer got lost is looked for
where Ghost's own storage puts it (content/images/<year>/<month>/<name>) before it is sent
again; an image in the record is checked with a HEAD request and sent again only when the site
no longer has it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import requests

from editor.core.post_images import local_image_sources, resolve_image, rewrite_sources
from editor.publish.errors import DraftError, OfflineError, PublishError
from editor.publish.hosts.base import image_content_type
from editor.publish.http import JsonApi, retry_delay
from editor.publish.media_library import lost_upload, upload_name


class GhostClient(Protocol):
    """What the uploads need of the Ghost client (editor.publish.ghost.GhostClient)."""

    session: requests.Session
    site_url: str
    api: JsonApi


def _exists(client: GhostClient, url: str) -> bool | None:
    """Whether the site serves `url` (True/False), or None when it cannot tell."""
    try:
        response = client.session.head(url, timeout=client.api.sender.timeout, allow_redirects=True)
    except requests.RequestException:
        return None
    if response.status_code == 200:
        return True
    return False if response.status_code in (404, 410) else None


def _landed(client: GhostClient, name: str) -> str | None:
    """The address of an upload called `name` whose answer was lost, if Ghost stored it."""
    now = datetime.now(UTC)
    months = {now.strftime("%Y/%m"), (now - timedelta(days=1)).strftime("%Y/%m")}
    for month in sorted(months, reverse=True):  # an upload sent just before midnight
        url = f"{client.site_url}/content/images/{month}/{name}"
        if _exists(client, url):
            return url
    return None


def upload_image(client: GhostClient, data: bytes, filename: str) -> str:
    """Upload one image (once) and return its public address."""
    digest = hashlib.sha256(data).hexdigest()
    name = upload_name(filename, digest)
    files = {
        "file": (name, data, image_content_type(name, data)),
        "purpose": (None, "image"),
        "ref": (None, name),
    }

    def send() -> str:
        answer = client.api.call("POST", "images/upload/", files=files, retry=False)
        images = answer.get("images")
        url = images[0].get("url") if isinstance(images, list) and images else None
        if not isinstance(url, str) or not url:
            raise PublishError("The Ghost site sent an unexpected answer to an upload.")
        return url

    try:
        return send()
    except PublishError as exc:
        if not exc.transient:
            raise
        # The upload may have landed although the answer did not: look before sending again.
        found = _landed(client, name)
        if found is not None:
            return found
        if isinstance(exc, OfflineError) and exc.uncertain:
            raise OfflineError(
                lost_upload(exc), uncertain=True, timed_out=exc.timed_out, reason=exc.reason
            ) from exc
        client.api.wait(retry_delay(1, exc.retry_after))
        return send()


def upload_images(
    client: GhostClient,
    html: str,
    folder: Path,
    known: dict[str, Any] | None,
    progress: Callable[[str], None] = lambda _m: None,
) -> tuple[str, dict[str, dict[str, Any]]]:
    """Upload the local images of `html` (once) and return (rewritten HTML, media record).

    `known` is the media record of the last publish ({sha256: {"url", "file"}}).
    """
    known = known if isinstance(known, dict) else {}
    urls: dict[str, str] = {}
    record: dict[str, dict[str, Any]] = {}
    for src in local_image_sources(html):
        path = resolve_image(src, folder) or folder / src  # None: no such file
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DraftError(
                f"The image “{src}” of this draft cannot be read ({exc.strerror or exc} at"
                f" {path}); fix its path or remove it, then publish again."
            ) from exc
        digest = hashlib.sha256(data).hexdigest()
        entry = known.get(digest)
        url = entry.get("url") if isinstance(entry, dict) else None
        if not (isinstance(url, str) and url and _exists(client, url) is not False):
            progress(f"Uploading {path.name}…")
            url = upload_image(client, data, path.name)
        urls[src] = url
        record[digest] = {"url": url, "file": src}
    return (rewrite_sources(html, urls) if urls else html), record
