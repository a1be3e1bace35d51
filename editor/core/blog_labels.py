"""The labels each blog uses, kept on disk, and labels that differ only in capitals or spaces.

Blogger has no endpoint that lists a blog's labels, so import and sync collect them from the
posts and `save` them here; a publish `add`s the post's labels. One small JSON file
(`AppPaths.blog_labels_file`) holds every blog's list, written atomically under a lock so an
import in the command line and a publish in the window cannot drop each other's labels.

Two spellings with the same `label_key` ("Local politics", "local  politics") are one label to
a writer but two to the blog; a list keeps the first spelling it saw.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import unicodedata
from collections.abc import Iterable, Iterator

from editor.core.atomic import WriteError, atomic_write_bytes, describe_os_error
from editor.core.paths import AppPaths

VERSION = 1


def label_key(label: str) -> str:
    """What makes two labels the same to a writer: no case, single spaces, compatible forms."""
    folded = unicodedata.normalize("NFKC", label).casefold()
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def tidy_labels(labels: Iterable[str]) -> list[str]:
    """`labels` trimmed, once each (the first spelling wins), sorted without regard to case."""
    first: dict[str, str] = {}
    for label in labels:
        text = label.strip() if isinstance(label, str) else ""
        if text:
            first.setdefault(label_key(text), text)
    return [first[key] for key in sorted(first, key=lambda key: (key, first[key]))]


def near_duplicates(labels: Iterable[str], known: Iterable[str]) -> list[tuple[str, str]]:
    """(label in the post, existing label) for each label that differs from an existing one
    only in capitals or spaces; a label the blog already has, exactly, is not one."""
    exact: set[str] = set()
    by_key: dict[str, str] = {}
    for label in known:
        exact.add(label)
        by_key.setdefault(label_key(label), label)
    pairs: list[tuple[str, str]] = []
    for label in labels:
        existing = by_key.get(label_key(label))
        if label in exact or existing is None or (label, existing) in pairs:
            continue
        pairs.append((label, existing))
    return pairs


class BlogLabels:
    """Every blog's labels, by blog key ("blogger:<id>", "wordpress:<site>")."""

    def __init__(self, paths: AppPaths) -> None:
        self.path = paths.blog_labels_file

    # ------------------------------------------------------------------ reading
    def load(self, blog_key: str) -> list[str]:
        """The labels of one blog (none when the file is missing, unreadable or damaged)."""
        return list(self._read_quietly().get(blog_key, []))

    def all(self) -> list[str]:
        """Every blog's labels, once each."""
        return tidy_labels(label for labels in self._read_quietly().values() for label in labels)

    def _read_quietly(self) -> dict[str, list[str]]:
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        return _parse(data) or {}

    # ------------------------------------------------------------------ writing
    def save(self, blog_key: str, labels: Iterable[str]) -> None:
        """Replace the blog's labels (import and sync collected them from all its posts).

        Raises WriteError (one sentence for the writer) when the file cannot be written.
        """
        wanted = tidy_labels(labels)
        with self._locked() as blogs:
            blogs[blog_key] = wanted

    def add(self, blog_key: str, labels: Iterable[str]) -> None:
        """Add labels to the blog's list (after a publish); its own spellings stay."""
        labels = list(labels)
        with self._locked() as blogs:
            blogs[blog_key] = tidy_labels([*blogs.get(blog_key, []), *labels])

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, list[str]]]:
        """The stored lists to change, written back when the block ends, all under a lock."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = os.open(folder / ".labels.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise WriteError(self.path, describe_os_error(exc), exc.errno) from exc
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)  # held for milliseconds: a plain wait is fine
            blogs = self._read_for_update()
            yield blogs
            text = json.dumps({"version": VERSION, "blogs": blogs}, ensure_ascii=False, indent=1)
            atomic_write_bytes(self.path, (text + "\n").encode("utf-8"))
        finally:
            os.close(lock)  # releases the lock

    def _read_for_update(self) -> dict[str, list[str]]:
        """The stored lists; a damaged file is kept aside (never silently lost), an unreadable
        one stops the write, which would otherwise drop the other blogs' labels."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise WriteError(self.path, describe_os_error(exc), exc.errno) from exc
        blogs = _parse(data)
        if blogs is not None:
            return blogs
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"labels.damaged-{stamp}.json")
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            raise WriteError(self.path, describe_os_error(exc), exc.errno) from exc
        return {}


def _parse(data: bytes) -> dict[str, list[str]] | None:
    """The lists in the file's bytes, or None when they are not a labels file at all."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    blogs = document.get("blogs") if isinstance(document, dict) else None
    if not isinstance(blogs, dict):
        return None
    parsed: dict[str, list[str]] = {}
    for key, labels in blogs.items():
        if isinstance(key, str) and isinstance(labels, list):
            parsed[key] = tidy_labels(label for label in labels if isinstance(label, str))
    if blogs and not parsed:
        return None  # nothing in it has the shape of a list of labels
    return parsed
