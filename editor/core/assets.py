"""A draft's own images: the `<stem>.assets/` folder next to the draft, and links into it.

Pasted and dropped images are copied here (never overwriting: -2, -3 …), written through the
atomic writer; the Markdown refers to them relative to the draft (`stem.assets/name.png`), so
the preview (whose base URL is the draft's folder) shows them and they move with the draft.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from editor.core.atomic import WriteError, atomic_write_bytes, describe_os_error
from editor.core.drafts import assets_dir_for, file_stem_for, rewrite_asset_links

__all__ = ["rewrite_asset_links"]  # re-exported: it lives in drafts.py, which renames drafts

IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif", ".apng", ".ico"}
)


def is_image_file(path: Path) -> bool:
    """True for a file whose name says it is an image a browser shows."""
    return path.suffix.lower() in IMAGE_SUFFIXES


def asset_file_name(original: str) -> str:
    """A readable, URL-friendly file name ("My Photo (1).JPG" -> "my-photo-1.jpg")."""
    path = Path(original)
    suffix = path.suffix.lower() if path.suffix else ".png"
    if suffix == ".jpeg":
        suffix = ".jpg"
    stem = file_stem_for(path.stem)
    return f"{'image' if stem == 'untitled' else stem}{suffix}"


def pasted_image_name(now: dt.datetime | None = None) -> str:
    """The name of an image pasted from the clipboard ("pasted-image-20250101-120000.png")."""
    return (now or dt.datetime.now()).strftime("pasted-image-%Y%m%d-%H%M%S.png")


def unique_asset_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name-2`, `name-3` … when that file exists already."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def alt_text_for(name: str) -> str:
    """Alt text from a file name ("harbour-at_dusk-2.jpg" -> "Harbour at dusk 2")."""
    stem = Path(name).stem
    if stem.startswith("pasted-image-"):
        return "Pasted image"
    words = re.sub(r"[-_.\s]+", " ", stem).strip()
    words = re.sub(r"[\[\]]", "", words)
    return words[:1].upper() + words[1:] if words else "Image"


def add_asset(draft: Path, name: str, data: bytes) -> Path:
    """Write `data` as a new file in the draft's assets folder; returns its path."""
    folder = assets_dir_for(draft)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(folder, describe_os_error(exc), exc.errno) from exc
    target = unique_asset_path(folder, asset_file_name(name))
    atomic_write_bytes(target, data)
    return target


def copy_asset(draft: Path, source: Path) -> Path:
    """Copy an image file into the draft's assets folder (a file already there is reused)."""
    source = source.absolute()
    if source.parent == assets_dir_for(draft).absolute():
        return source
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise WriteError(source, f"could not read it: {describe_os_error(exc)}", exc.errno) from exc
    return add_asset(draft, source.name, data)


def relative_link(draft: Path, asset: Path) -> str:
    """The asset's address relative to the draft's folder, safe inside Markdown `( )`."""
    try:
        relative = asset.absolute().relative_to(draft.absolute().parent).as_posix()
    except ValueError:
        relative = asset.absolute().as_uri()
    return relative.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def markdown_image(draft: Path, asset: Path, alt: str | None = None) -> str:
    """`![alt](stem.assets/name.png)` for an asset of `draft`."""
    return (
        f"![{alt if alt is not None else alt_text_for(asset.name)}]({relative_link(draft, asset)})"
    )
