"""The labels the drafts library already uses, and every label worth offering while typing.

Reading 5,000 drafts whole to find their labels would take seconds, so only the front matter
is read (the first few kilobytes of a file), and only its `labels:`/`tags:` lines are parsed
(with libyaml when it is there). `LibraryLabels` remembers each draft's labels by size and time,
so looking again reads only the drafts that changed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from editor.core.blog_labels import BlogLabels, tidy_labels
from editor.core.paths import AppPaths
from editor.core.post import Post

HEAD_BYTES = 4096  # most front matter fits; a longer one is read on
FRONT_MATTER_BYTES = 256 * 1024  # beyond this the file has no front matter worth the name
_BOM = b"\xef\xbb\xbf"
_OPEN = re.compile(rb"---[ \t]*\r?\n")
_CLOSE = re.compile(rb"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_LABEL_KEY = re.compile(r"(?:labels|tags)[ \t]*:(?:[ \t]|$)")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_front_matter(path: Path) -> str | None:
    """The text between a draft's front matter fences (`\\n` line endings), read from the top
    of the file only; None when it has none, is unreadable or is not UTF-8."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(HEAD_BYTES)
            if data.startswith(_BOM):
                data = data[len(_BOM) :]
            opening = _OPEN.match(data)
            if not opening:
                return None
            closing = _CLOSE.search(data, opening.end())
            if closing is None or (closing.end() == len(data) and len(data) >= HEAD_BYTES - 3):
                data += fh.read(FRONT_MATTER_BYTES)
                closing = _CLOSE.search(data, opening.end())
    except OSError:
        return None
    if closing is None:
        return None
    try:
        text = data[opening.end() : closing.start()].decode("utf-8")
    except UnicodeDecodeError:
        return None  # a legacy encoding: its labels are found once it is opened and saved
    return text.replace("\r\n", "\n")


def labels_in_front_matter(raw: str) -> list[str]:
    """The labels of a front matter, as `Post.labels` reads them (`labels`, else `tags`).

    Only the top-level `labels:`/`tags:` entries are parsed, so a mistake elsewhere in the
    front matter does not hide them.
    """
    kept: list[str] = []
    inside = False
    for line in raw.split("\n"):
        if _LABEL_KEY.match(line):
            inside = True
        elif line[:1] not in ("", " ", "\t", "-", "#"):
            inside = False
        if inside:
            kept.append(line)
    if not kept:
        return []
    try:
        meta = yaml.load("\n".join(kept), Loader=_LOADER)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, RecursionError):
        return []
    return Post(meta=meta).labels if isinstance(meta, dict) else []


@dataclass
class LibraryLabels:
    """The drafts library's labels, remembering each draft's so that only changes are read."""

    reads: int = 0  # drafts read so far (for tests and measurements)
    _seen: dict[str, tuple[int, int, list[str]]] = field(default_factory=dict)

    def labels(self, drafts_dir: Path) -> list[str]:
        """Every label used by a draft in `drafts_dir` (not its sub-folders), once each."""
        seen: dict[str, tuple[int, int, list[str]]] = {}
        try:
            entries = list(os.scandir(drafts_dir))
        except OSError:
            entries = []
        for entry in entries:
            name = entry.name
            if name.startswith(".") or not name.lower().endswith(".md"):
                continue
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError:
                continue
            known = self._seen.get(entry.path)
            if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
                seen[entry.path] = known
                continue
            raw = read_front_matter(Path(entry.path))
            self.reads += 1
            found = labels_in_front_matter(raw) if raw else []
            seen[entry.path] = (stat.st_mtime_ns, stat.st_size, found)
        self._seen = seen
        # by file name, so that of two spellings the same one is kept every time
        return tidy_labels(label for path in sorted(seen) for label in seen[path][2])


def library_labels(drafts_dir: Path) -> list[str]:
    """Every label used by a draft in `drafts_dir`, once each, sorted without regard to case."""
    return LibraryLabels().labels(drafts_dir)


def known_labels(paths: AppPaths, library: LibraryLabels | None = None) -> list[str]:
    """The labels to offer while typing: every blog's, then the drafts library's (a label
    both use keeps the blog's spelling)."""
    drafts = (library or LibraryLabels()).labels(paths.drafts_dir)
    return tidy_labels([*BlogLabels(paths).all(), *drafts])
