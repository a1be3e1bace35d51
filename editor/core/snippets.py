"""Snippets: reusable Markdown blocks kept in a folder, included in a draft by a line of its own.

    {% include footer %}

(as Jekyll and Liquid have it; `{%- include footer.md -%}` and quoted names are read too)
stands for `<snippets folder>/footer.md`. A line inside a fenced code block is text, not an
include. This module finds include lines and reads snippet files; turning them into HTML is
`snippet_render`'s job.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUFFIX = ".md"
MAX_DEPTH = 8  # snippets including snippets: deeper than this is a mistake, not a design
# A name is one file name in the folder: letters, digits, "-", "_" and inner dots.
_NAME = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
INCLUDE = re.compile(
    r"^ {0,3}\{%-?[ \t]*include[ \t]+([\"']?)(?P<name>" + _NAME + r")\1[ \t]*-?%\}[ \t]*$"
)
# The start of an include: a search for it (literal first characters: fast) tells most drafts
# they have none (the preview asks on every keystroke); the line walk runs for the others.
_CANDIDATE = re.compile(r"\{%-?[ \t]*include[ \t]")
_MARKS = ("{%", "```", "~~~")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_VALID = re.compile(_NAME + r"\Z")


def snippet_name(raw: str) -> str:
    """The name of a snippet as included ("footer.md" and "footer" are the same one)."""
    return raw[: -len(SUFFIX)] if raw.endswith(SUFFIX) else raw


def valid_name(name: str) -> bool:
    """Whether `name` can be a snippet's name (one file in the folder, no path)."""
    return bool(_VALID.match(name)) and ".." not in name


@dataclass(frozen=True)
class IncludeLine:
    """One include line of a text: its 0-based line number and the snippet's name."""

    line: int
    name: str


def include_lines(text: str) -> list[IncludeLine]:
    """The include lines of `text`, in order; lines inside fenced code blocks are skipped."""
    found: list[IncludeLine] = []
    if "{%" not in text or _CANDIDATE.search(text) is None:
        return found  # most drafts: no walk through their lines
    fence = ""
    for number, line in _marked_lines(text):
        opening = _FENCE.match(line)
        if fence:
            mark = opening["fence"] if opening and not opening["info"].strip() else ""
            if mark[:1] == fence[0] and len(mark) >= len(fence):
                fence = ""
            continue
        if opening and not (opening["fence"][0] == "`" and "`" in opening["info"]):
            fence = opening["fence"]
            continue
        match = INCLUDE.match(line)
        if match:
            found.append(IncludeLine(number, snippet_name(match["name"])))
    return found


def _marked_lines(text: str) -> Iterator[tuple[int, str]]:
    """(number, text) of each line holding "{%", "```" or "~~~", in order: the only lines that
    can be an include or open or close a fence (found by a C-speed search, not a line walk)."""
    number, counted_to, last_start = 0, 0, -1
    for at in _marks(text):
        start = text.rfind("\n", 0, at) + 1
        if start == last_start:
            continue  # a second mark on the same line
        number += text.count("\n", counted_to, start)
        counted_to, last_start = start, start
        end = text.find("\n", start)
        yield number, text[start : len(text) if end < 0 else end]


def _marks(text: str) -> list[int]:
    """Where each of `_MARKS` occurs, in order (str.find runs at memory speed; a regex with
    alternatives would try every character)."""
    found: list[int] = []
    for mark in _MARKS:
        at = text.find(mark)
        while at >= 0:
            found.append(at)
            at = text.find(mark, at + len(mark))
    return sorted(found)


def included_names(text: str) -> list[str]:
    """The names of the snippets `text` includes directly, each once, in order."""
    return list(dict.fromkeys(include.name for include in include_lines(text)))


class SnippetFolder:
    """The snippets folder: reads snippet files, re-reading one only when it changed on disk.

    Thread-safe (the preview's render thread and publishing may share one).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[int, int], str]] = {}

    def path(self, name: str) -> Path:
        """Where the snippet `name` is kept (whether or not it exists)."""
        return self.folder / f"{snippet_name(name)}{SUFFIX}"

    def names(self) -> list[str]:
        """The snippets in the folder, sorted."""
        if not self.folder.is_dir():
            return []
        return sorted(
            p.name[: -len(SUFFIX)]
            for p in self.folder.iterdir()
            if p.name.endswith(SUFFIX) and p.is_file() and valid_name(p.name[: -len(SUFFIX)])
        )

    def read(self, name: str) -> str | None:
        """The Markdown of the snippet `name`, or None when there is no such file."""
        name = snippet_name(name)
        if not valid_name(name):
            return None
        path = self.path(name)
        try:
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_size)
            with self._lock:
                cached = self._cache.get(name)
            if cached is not None and cached[0] == key:
                return cached[1]
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError):
            return None
        with self._lock:
            self._cache[name] = (key, text)
        return text

    def digest(self, name: str) -> str:
        """A short digest of the snippet's text (empty when it is missing)."""
        text = self.read(name)
        return "" if text is None else hashlib.sha256(text.encode()).hexdigest()[:16]

    def uses(self, text: str, name: str) -> bool:
        """Whether `text` includes the snippet `name`, directly or through other snippets."""
        wanted = snippet_name(name)
        seen: set[str] = set()
        todo = included_names(text)
        while todo:
            current = todo.pop()
            if current == wanted:
                return True
            if current in seen or len(seen) > 200:
                continue
            seen.add(current)
            todo += included_names(self.read(current) or "")
        return False


def missing_message(name: str) -> str:
    """What the writer reads about an include whose snippet file does not exist."""
    return f"The snippet “{name}” is missing: create snippets/{name}{SUFFIX} or remove the include."
