"""The drafts folder: list, create, rename and trash drafts (plain `.md` files)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from editor.core.assets_dir import assets_dir_for
from editor.core.atomic import (
    WriteError,
    atomic_write_bytes,
    describe_os_error,
    fsync_dir,
    rename_no_replace,
)
from editor.core.blog_state import BlogStates, Mark, draft_state
from editor.core.documents import DocumentError, read_document, write_document
from editor.core.post import parse_post, retitled
from editor.core.post_records import load_records

DRAFT_SUFFIX = ".md"


@dataclass(frozen=True)
class DraftInfo:
    """What the drafts sidebar shows for one draft."""

    path: Path
    title: str
    date: str  # front matter date, else the file's last change, as YYYY-MM-DD
    words: int
    modified: float  # mtime, for sorting by last change
    problem: str | None = None  # set when the file could not be read
    state: str = ""  # where its post stands on the blog (editor.core.blog_state.draft_state)


def file_stem_for(title: str) -> str:
    """A readable file name stem for a title (keeps non-ASCII letters, drops path characters)."""
    stem = re.sub(r"[^\w\s-]", "", title, flags=re.UNICODE).strip().lower()
    stem = re.sub(r"[\s_-]+", "-", stem).strip("-")
    return stem[:60].rstrip("-") or "untitled"


def rewrite_asset_links(text: str, old_stem: str, new_stem: str) -> str:
    """The text with links into `old_stem.assets/` pointing at `new_stem.assets/` instead."""
    if old_stem == new_stem:
        return text
    for old, new in ((old_stem, new_stem), (_url_safe(old_stem), _url_safe(new_stem))):
        pattern = re.compile(r"(?<![\w.%-])" + re.escape(old + ".assets/"))

        def moved(_m: re.Match[str], new: str = new) -> str:
            return new + ".assets/"  # a function, so backslashes in `new` are not escapes

        text = pattern.sub(moved, text)
    return text


def _url_safe(stem: str) -> str:
    return stem.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


class DraftStore:
    """Owns the drafts folder; every write goes through the atomic writer."""

    def __init__(self, drafts_dir: Path, trash_dir: Path) -> None:
        self.drafts_dir = drafts_dir
        self.trash_dir = trash_dir

    def ensure(self) -> None:
        """Create the drafts folder if needed."""
        try:
            self.drafts_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(self.drafts_dir, describe_os_error(exc), exc.errno) from exc

    def draft_paths(self) -> list[Path]:
        """Every draft file in the folder (no recursion; hidden files skipped)."""
        if not self.drafts_dir.is_dir():
            return []
        return [
            p
            for p in self.drafts_dir.iterdir()
            if p.suffix.lower() == DRAFT_SUFFIX and not p.name.startswith(".") and p.is_file()
        ]

    def newest_draft(self) -> Path | None:
        """The most recently changed draft (by its file's time: nothing is read)."""
        stamped = []
        for path in self.draft_paths():
            with contextlib.suppress(OSError):
                stamped.append((path.stat().st_mtime, path))
        return max(stamped, key=lambda item: item[0])[1] if stamped else None

    def list_drafts(self) -> list[DraftInfo]:
        """All drafts, most recently changed first."""
        # Marks kept by import and sync beside the drafts folder (data/blogs).
        marks = BlogStates.at(self.drafts_dir.parent / "blogs").all_marks()
        return newest_first([self.describe(p, marks) for p in self.draft_paths()])

    def describe(self, path: Path, marks: dict[tuple[str, str], Mark] | None = None) -> DraftInfo:
        """Title, date and word count of one draft (a broken file is listed with its problem)."""
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0
        fallback_date = dt.date.fromtimestamp(mtime).isoformat() if mtime else ""
        try:
            text, _fmt = read_document(path)
        except DocumentError as exc:
            return DraftInfo(path, path.stem, fallback_date, 0, mtime, problem=str(exc))
        post = parse_post(text, path.name)
        post.records = load_records(path)
        date = post.meta.get("date")
        shown_date = date_text(date) or fallback_date
        state = draft_state(post, marks or {})
        return DraftInfo(path, post.title, shown_date, post.words, mtime, state=state)

    def unique_path(self, stem: str, folder: Path | None = None) -> Path:
        """A path for `stem` in the folder that no file (or assets folder) uses yet."""
        folder = folder or self.drafts_dir
        candidate = folder / f"{stem}{DRAFT_SUFFIX}"
        n = 2
        while candidate.exists() or assets_dir_for(candidate).exists():
            candidate = folder / f"{stem}-{n}{DRAFT_SUFFIX}"
            n += 1
        return candidate

    def new_draft(self, title: str = "Untitled", body: str = "") -> Path:
        """Create a new draft file with front matter and return its path."""
        self.ensure()
        path = self.unique_path(file_stem_for(title))
        today = dt.date.today().isoformat()
        text = f"---\ntitle: {_yaml_str(title)}\ndate: {today}\nlabels: []\nstatus: draft\n---\n\n"
        text += body
        atomic_write_bytes(path, text.encode("utf-8"))
        return path

    def rename_file(self, path: Path, new_title: str) -> Path:
        """Move a draft to a file name matching `new_title` (the text is left alone)."""
        wanted = file_stem_for(new_title)
        if path.stem == wanted:
            return path
        target = self.unique_path(wanted, path.parent)
        self._move(path, target)
        return target

    def move_to_stem(self, path: Path, stem: str) -> Path:
        """Move a draft (and its assets folder) to the first free name for `stem` beside it."""
        for _attempt in range(5):  # another program may take the free name in the meantime
            target = self.unique_path(stem, path.parent)
            try:
                self._move(path, target)
            except WriteError:
                if target.exists() and path.exists():
                    continue
                raise
            return target
        raise WriteError(path, "no free file name was found for its title")

    def rename(self, path: Path, new_title: str) -> Path:
        """Give a draft a new title and a matching file name; its assets folder moves with it
        and the text's links into that folder follow."""
        text, fmt = read_document(path)
        new_text = retitled(text, new_title, path.name)
        if new_text != text:
            write_document(path, new_text, fmt)
        new_path = self.rename_file(path, new_title)
        relinked = rewrite_asset_links(new_text, path.stem, new_path.stem)
        if relinked != new_text:
            write_document(new_path, relinked, fmt)
        return new_path

    def trash(self, path: Path) -> Path:
        """Move a draft (and its assets) to the trash folder; nothing is deleted."""
        stamp = self._trash_stamp()
        target = self.trash_dir / f"{path.stem}.{stamp}{path.suffix}"
        n = 2
        while target.exists():
            target = self.trash_dir / f"{path.stem}.{stamp}-{n}{path.suffix}"
            n += 1
        self._move(path, target)
        return target

    def keep_in_trash(self, draft: Path, text: str) -> Path:
        """Put `text` in the trash folder under the draft's name (a deleted draft's last words)."""
        target = self.unique_path(f"{draft.stem}.{self._trash_stamp()}", self.trash_dir)
        atomic_write_bytes(target, text.encode("utf-8"))
        return target

    def _trash_stamp(self) -> str:
        """Make sure the trash folder exists; the time stamp that names what goes in now."""
        try:
            self.trash_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(self.trash_dir, describe_os_error(exc), exc.errno) from exc
        return dt.datetime.now().strftime("%Y%m%d-%H%M%S")

    def _move(self, source: Path, target: Path) -> None:
        """Move a draft and its assets folder; refuses to replace an existing file."""
        if target.exists():
            raise WriteError(target, "a file with that name already exists")
        try:
            # never over a file that appeared since the check above (where the OS can tell)
            if not rename_no_replace(source, target):
                os.rename(source, target)
            assets = assets_dir_for(source)
            if assets.is_dir():
                shutil.move(str(assets), str(assets_dir_for(target)))
        except OSError as exc:
            raise WriteError(source, describe_os_error(exc), exc.errno) from exc
        fsync_dir(source.parent)
        if target.parent != source.parent:
            fsync_dir(target.parent)


def newest_first(infos: list[DraftInfo]) -> list[DraftInfo]:
    """Drafts in the list's order: most recently changed first, then by title."""
    return sorted(infos, key=lambda i: (-i.modified, i.title.lower()))


def date_text(value: object) -> str:
    """A front matter date as YYYY-MM-DD ("" when it is not a date)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    return ""


def _yaml_str(value: str) -> str:
    """Quote a title for YAML front matter (titles often contain ':' or quotes)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
