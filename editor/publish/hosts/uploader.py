"""The publish step for images: upload a draft's local images and point the HTML at them.

`prepare_images` is the one function PublishService.publish calls, after rendering and before
anything is sent to the blog. It returns the HTML with every local image address (`<img src>`,
and the link around an image to its full-size file, as in Blogger's caption tables) replaced by
its public URL; alt text, titles, captions and sizes are untouched. It returns only when every
image is on the host; otherwise it raises and the caller sends nothing to the blog. The draft
file is never changed: it keeps its local paths.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from editor.core.atomic import WriteError
from editor.core.post_images import local_image_sources, resolve_image, rewrite_files
from editor.publish.errors import PublishError
from editor.publish.hosts.base import (
    ImageHost,
    UploadItem,
    content_key,
    image_content_type,
    key_prefix,
)
from editor.publish.hosts.errors import ImageUploadError, MissingImageError
from editor.publish.hosts.uploads_index import Entries, load_index, remember

log = logging.getLogger(__name__)
ImageProgress = Callable[[int, int], None]  # (uploaded so far, to upload)
MAX_WORKERS = 4


@dataclass(frozen=True)
class LocalImage:
    """A local image of the draft: how the draft names it, where it is, what it holds."""

    src: str
    path: Path
    sha256: str
    size: int
    content_type: str


@dataclass(frozen=True)
class PreparedImages:
    """What prepare_images did: the HTML to publish and what was uploaded."""

    html: str
    urls: dict[str, str] = field(default_factory=dict)  # the draft's src -> public URL
    uploaded: list[str] = field(default_factory=list)  # srcs uploaded now (not remembered)
    changes: Entries = field(default_factory=dict)  # new memory entries (already saved)
    warnings: list[str] = field(default_factory=list)


def read_images(sources: list[str], draft_dir: Path) -> list[LocalImage]:
    """Hash every local image; MissingImageError naming all that are not there."""
    images: list[LocalImage] = []
    missing: list[str] = []
    for src in sources:
        path = resolve_image(src, draft_dir)
        try:
            if path is None:
                raise FileNotFoundError(src)
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            missing.append(src)
            continue
        except OSError as exc:
            raise MissingImageError(
                f"The image {src} could not be read ({exc.strerror or exc}); nothing was sent"
                " to the blog."
            ) from exc
        digest = hashlib.sha256(data).hexdigest()
        ctype = image_content_type(path.name, data)
        images.append(LocalImage(src, path.resolve(), digest, len(data), ctype))
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        listed = ", ".join(missing[:5]) + more
        raise MissingImageError(
            f"The draft shows images that are not on the disk: {listed}; fix their paths"
            " (relative to the draft's folder). Nothing was sent to the blog."
        )
    return images


def upload_images(
    images: list[LocalImage],
    host: ImageHost,
    known: Entries,
    *,
    today: date,
    progress: ImageProgress | None = None,
    max_workers: int = MAX_WORKERS,
) -> tuple[Entries, ImageUploadError | None]:
    """Upload the images `known` does not hold yet, at most `max_workers` at a time.

    Returns (new entries, the first failure or None): what succeeded is returned even when
    another upload failed, so it can be remembered. Progress is reported from this thread.
    """
    todo: dict[str, tuple[LocalImage, UploadItem]] = {}
    prefix = key_prefix(host.prefix, today)
    for image in images:
        entry = known.get(image.sha256)
        if entry and host.owns_url(str(entry.get("url", ""))):
            continue
        if image.sha256 not in todo:  # one image used twice is uploaded once
            key = content_key(image.sha256, image.path.name, image.content_type, prefix)
            item = UploadItem(image.path, key, image.content_type, image.sha256, image.size)
            todo[image.sha256] = (image, item)
    total = len(todo)
    report = progress or (lambda _done, _total: None)
    report(0, total)
    done: Entries = {}
    if not todo:
        return done, None

    def entry_for(image: LocalImage, item: UploadItem, url: str) -> dict[str, object]:
        return {"url": url, "key": item.key, "file": image.src, "uploaded": today.isoformat()}

    pairs = list(todo.values())
    if host.upload_batch is not None:
        try:
            urls = host.upload_batch([item for _image, item in pairs])
        except PublishError as exc:
            names = ", ".join(image.src for image, _item in pairs)
            return done, ImageUploadError(names, host.label, exc)
        for (image, item), url in zip(pairs, urls, strict=True):
            done[image.sha256] = entry_for(image, item, url)
        report(total, total)
        return done, None

    failure: ImageUploadError | None = None
    workers = max(1, min(max_workers, host.max_parallel, total))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="image-upload") as pool:
        futures: dict[Future[str], tuple[LocalImage, UploadItem]] = {
            pool.submit(host.upload_item, item): (image, item) for image, item in pairs
        }
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                if future.cancelled():
                    continue  # queued behind a failure and never started: nothing to report
                image, item = futures[future]
                error = future.exception()
                if error is None:
                    done[image.sha256] = entry_for(image, item, future.result())
                    report(len(done), total)
                elif isinstance(error, PublishError):
                    failure = failure or ImageUploadError(image.src, host.label, error)
                else:
                    for other in pending:
                        other.cancel()
                    raise error  # a bug, not a refusal: let it surface as such
            if failure is not None:
                for other in pending:
                    other.cancel()  # not started yet: nothing to undo
    return done, failure


def prepare_images(
    draft_path: Path | str,
    html: str,
    host: ImageHost,
    progress: ImageProgress | None = None,
    *,
    today: date | None = None,
    max_workers: int = MAX_WORKERS,
) -> PreparedImages:
    """Upload the draft's local images to `host` and return the HTML that uses their URLs.

    - finds the local images of the rendered `html` (paths relative to the draft's folder),
      hashes them and skips those the draft's memory (`<stem>.assets/uploads.json`) says are
      on this host already;
    - uploads the others in parallel (bounded), calling `progress(n, m)` from this thread;
    - saves what was uploaded in that memory, even when another upload failed;
    - returns PreparedImages(html=…) only when every image has a public URL.

    Raises MissingImageError (a file is gone), ImageUploadError (which image, which host,
    why; `.transient` says whether trying again may help) or ImageHostConfigError — all
    PublishError subclasses. A draft without local images costs nothing (no file is read).
    """
    draft = Path(draft_path)
    sources = local_image_sources(html)
    if not sources:
        return PreparedImages(html)
    images = read_images(sources, draft.parent)
    known = load_index(draft).get(host.host_id, {})
    new, failure = upload_images(
        images,
        host,
        known,
        today=today or date.today(),
        progress=progress,
        max_workers=max_workers,
    )
    warnings: list[str] = []
    try:
        remember(draft, host.host_id, new)
    except WriteError as exc:
        # The images are on the host; forgetting them costs a re-check next time, no more.
        log.warning("Could not remember uploads of %s: %s", draft.name, exc)
        warnings.append(f"The list of uploaded images could not be saved ({exc.reason}).")
    if failure is not None:
        raise failure
    entries = {**known, **new}
    by_src = {image.src: str(entries[image.sha256]["url"]) for image in images}
    by_path = {image.path: by_src[image.src] for image in images}
    uploaded = [image.src for image in images if image.sha256 in new]
    return PreparedImages(
        rewrite_files(html, draft.parent, by_path), by_src, uploaded, new, warnings
    )
