"""Find images a post refers to on the local disk: Blogger's API cannot upload them.

Looks at Markdown inline images `![alt](src "title")`, reference definitions `[id]: src`
used by `![alt][id]`, and raw HTML `<img src=…>`. Code spans and fenced code are skipped,
since an image inside a code example is not shown as an image.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)
_INLINE = re.compile(
    r"!\[(?:[^\]\\]|\\.)*\]"  # ![alt]
    r"\(\s*(?:<([^>\n]+)>|([^)\s]+))(?:\s+[\"'(][^)]*)?\s*\)"  # (<src> "title") or (src)
)
_REF_USE = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$", re.M)
_IMG_TAG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_REMOTE = re.compile(r"^(?:https?:|data:|//)", re.I)


def _without_code(body: str) -> str:
    return _CODE_SPAN.sub("", _FENCE.sub("", body))


def is_local(src: str) -> bool:
    """True for a path on disk (relative, absolute or file:), False for web and data URLs."""
    return bool(src) and not _REMOTE.match(src.strip())


def image_sources(body: str) -> list[str]:
    """Every image source the body refers to, in order, without duplicates."""
    text = _without_code(body)
    found: list[str] = [m.group(1) or m.group(2) for m in _INLINE.finditer(text)]
    definitions = {m.group(1).strip().casefold(): m.group(2) for m in _REF_DEF.finditer(text)}
    for use in _REF_USE.finditer(text):
        if text[use.end() : use.end() + 1] == "(":
            continue  # an inline image, already counted
        ref = (use.group(2) or use.group(1)).strip().casefold()
        if ref in definitions:
            found.append(definitions[ref])
    found += [next(g for g in m.groups() if g is not None) for m in _IMG_TAG.finditer(text)]
    seen: dict[str, None] = {}
    for src in found:
        seen.setdefault(unquote(src.strip()), None)
    return list(seen)


def local_images(body: str) -> list[str]:
    """Image sources that are files on disk, which Blogger cannot show once published."""
    return [src for src in image_sources(body) if is_local(src)]


def local_images_warning(images: list[str]) -> str:
    """One sentence listing the local images (empty when there are none)."""
    if not images:
        return ""
    listed = ", ".join(images[:10]) + (f" and {len(images) - 10} more" if len(images) > 10 else "")
    return (
        f"Blogger cannot receive images from your disk, so these will be missing on the blog:"
        f" {listed}. Set up an image host (Publish ▸ Image Hosts… in the window, or"
        " `broadsheet images add-host`) and publish again: they are uploaded there."
    )
