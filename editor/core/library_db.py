"""The drafts library's index: titles, labels, states and full text of every draft, searchable.

The `.md` files stay the only truth. The index (SQLite with FTS5, `library.sqlite3` in the data
folder) only remembers what they held: it is brought up to date by comparing each file's size
and modification time (and its publish record's, kept beside it) with what was indexed, reading
only what changed; a missing, damaged or older index is rebuilt from the files. Deleting it
loses nothing.

No Qt. One connection per LibraryIndex; SQLite's own locking lets the window and the command
line use the index at once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editor.core.blog_state import (
    BLOG_DRAFT_STATE,
    CONFLICT_STATE,
    DELETED_STATE,
    EDITED_STATE,
    LIVE_STATE,
    SCHEDULED_STATE,
    BlogStates,
    Mark,
    records_state,
)
from editor.core.documents import DocumentError, read_document
from editor.core.drafts import DRAFT_SUFFIX, DraftInfo, date_text, newest_first
from editor.core.post import draft_fingerprint, parse_post
from editor.core.post_records import load_records, records_path

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "library.sqlite3"

# The status filter's words, and the drafts-list state each one stands for.
STATUSES = {
    "local": "",  # only on this computer
    "published": LIVE_STATE,
    "scheduled": SCHEDULED_STATE,
    "draft": BLOG_DRAFT_STATE,  # a draft on the blog
    "changed": EDITED_STATE,  # changed here since publishing
    "conflict": CONFLICT_STATE,
    "deleted": DELETED_STATE,
}
SORTS = {
    "date": "d.date DESC, d.edited DESC",
    "title": "d.title COLLATE NOCASE ASC",
    "length": "d.words DESC",
    "edited": "d.edited DESC",
}
# Around a match in a snippet (the window makes them bold; the command line drops them).
HIT_START, HIT_END = "\x02", "\x03"
SNIPPETS = 50  # hits that come with their snippet (about a window's worth of rows)
_SEP = "\x1f"  # between labels in the labels column, and around them
_WORD = re.compile(r"\w+", re.UNICODE)

_SCHEMA = f"""
CREATE TABLE drafts(
    id INTEGER PRIMARY KEY,
    name TEXT UNIQUE NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    record_ns INTEGER NOT NULL,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    year INTEGER,
    words INTEGER NOT NULL,
    edited REAL NOT NULL,
    labels TEXT NOT NULL,
    label_names TEXT NOT NULL,
    blogs TEXT NOT NULL,
    records TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    problem TEXT
);
CREATE VIRTUAL TABLE fts USING fts5(title, labels, body, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE marks(digest TEXT);
PRAGMA user_version = {SCHEMA_VERSION};
"""


@dataclass(frozen=True)
class Hit:
    """One draft found: what a list row or a line of `broadsheet search` shows."""

    path: Path
    title: str
    date: str
    words: int
    state: str
    labels: tuple[str, ...]
    snippet: str = ""  # the text around the match, matches between HIT_START and HIT_END
    problem: str | None = None
    edited: float = 0.0


@dataclass(frozen=True)
class Refresh:
    """What bringing the index up to date did."""

    read: int
    removed: int
    unchanged: int
    seconds: float
    rebuilt: bool = False


class LibraryIndex:
    """The index of one drafts folder, kept in `db_path`."""

    def __init__(self, db_path: Path, drafts_dir: Path, blogs_dir: Path | None = None) -> None:
        self.db_path = db_path
        self.drafts_dir = drafts_dir
        # Sync marks (a post changed on the blog and here) live beside the drafts folder.
        self.blogs_dir = blogs_dir or drafts_dir.parent / "blogs"
        self._db: sqlite3.Connection | None = None
        self.rebuilt = False

    # --- the database -----------------------------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = self._connect()
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                db.execute("SELECT count(*) FROM drafts").fetchone()
                return db
            db.close()
        except sqlite3.DatabaseError as exc:
            log.warning("Rebuilding the library index %s: %s", self.db_path, exc)
        self._delete_files()
        db = self._connect()
        db.executescript(_SCHEMA)
        self.rebuilt = True
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.db_path, timeout=10, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        db.execute("PRAGMA synchronous=NORMAL")  # only a cache of the files: speed first
        return db

    def _delete_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.db_path}{suffix}")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _guarded(self, work: Any) -> Any:
        """Run `work(db)`; a damaged database is deleted, rebuilt from the files, and asked
        again (once)."""
        try:
            return work(self.db)
        except sqlite3.DatabaseError as exc:
            log.warning("The library index is damaged (%s); rebuilding it", exc)
            self.close()
            self._delete_files()
            self.refresh()
            return work(self.db)

    # --- keeping it up to date --------------------------------------------------------------

    def refresh(self) -> Refresh:
        """Bring the index up to date with the drafts folder: read what changed, drop what
        went, and follow the sync marks. A damaged index is rebuilt from the files."""
        try:
            return self._refresh()
        except sqlite3.DatabaseError as exc:
            log.warning("The library index is damaged (%s); rebuilding it", exc)
            self.close()
            self._delete_files()
            return self._refresh()

    def _refresh(self) -> Refresh:
        started = time.perf_counter()
        db = self.db
        known = {
            name: (size, mtime, record)
            for name, size, mtime, record in db.execute(
                "SELECT name, size, mtime_ns, record_ns FROM drafts"
            )
        }
        seen = set()
        read = unchanged = 0
        with db:
            for name, stamp in _draft_stamps(self.drafts_dir):
                seen.add(name)
                if known.get(name) == stamp:
                    unchanged += 1
                    continue
                self._index_file(db, self.drafts_dir / name, stamp)
                read += 1
            gone = [name for name in known if name not in seen]
            for name in gone:
                self._delete(db, name)
            self._follow_marks(db, changed=bool(read or gone))
        rebuilt, self.rebuilt = self.rebuilt, False
        return Refresh(read, len(gone), unchanged, time.perf_counter() - started, rebuilt)

    def update(self, path: Path) -> None:
        """Index one draft again (after Broadsheet saved, renamed or published it)."""
        path = Path(path)
        if path.parent.absolute() != self.drafts_dir.absolute():
            return  # a file opened from elsewhere is not part of the library

        def work(db: sqlite3.Connection) -> None:
            stamp = _stamp(path)
            with db:
                if stamp is None:
                    self._delete(db, path.name)
                else:
                    self._index_file(db, path, stamp)

        self._guarded(work)

    def forget(self, path: Path) -> None:
        """Drop a draft that was moved away or trashed."""

        def work(db: sqlite3.Connection) -> None:
            with db:
                self._delete(db, Path(path).name)

        self._guarded(work)

    def _delete(self, db: sqlite3.Connection, name: str) -> None:
        row = db.execute("SELECT id FROM drafts WHERE name = ?", (name,)).fetchone()
        if row:
            db.execute("DELETE FROM fts WHERE rowid = ?", row)
            db.execute("DELETE FROM drafts WHERE id = ?", row)

    def _index_file(self, db: sqlite3.Connection, path: Path, stamp: tuple[int, int, int]) -> None:
        size, mtime_ns, record_ns = stamp
        fields: dict[str, Any] = {
            "name": path.name,
            "size": size,
            "mtime_ns": mtime_ns,
            "record_ns": record_ns,
            "edited": mtime_ns / 1e9,
            "labels": _SEP,
            "label_names": "[]",
            "blogs": "[]",
            "records": "{}",
            "fingerprint": "",
            "state": "",
            "problem": None,
            "words": 0,
        }
        fallback_date = time.strftime("%Y-%m-%d", time.localtime(mtime_ns / 1e9))
        body = labels_text = ""
        try:
            text, _fmt = read_document(path)
        except DocumentError as exc:
            fields.update(title=path.stem, date=fallback_date, problem=str(exc))
        else:
            post = parse_post(text, path.name)
            post.records = load_records(path)
            records = {
                key: {k: r.get(k) for k in ("id", "status", "draft")}
                for key, r in post.known_records().items()
            }
            fields.update(
                title=post.title,
                date=date_text(post.meta.get("date")) or fallback_date,
                words=post.words,
                labels=_SEP + _SEP.join(label.casefold() for label in post.labels) + _SEP,
                label_names=json.dumps(post.labels, ensure_ascii=False),
                blogs=json.dumps(sorted(records)),
                records=json.dumps(records, ensure_ascii=False, default=str),
                fingerprint="" if post.front_matter_error else draft_fingerprint(post),
            )
            fields["state"] = (
                "" if post.front_matter_error else records_state(records, fields["fingerprint"], {})
            )
            body, labels_text = post.body, " ".join(post.labels)
        fields["year"] = int(fields["date"][:4]) if fields["date"][:4].isdigit() else None
        self._delete(db, path.name)
        columns = ", ".join(fields)
        cursor = db.execute(
            f"INSERT INTO drafts({columns}) VALUES({', '.join('?' * len(fields))})",  # noqa: S608
            tuple(fields.values()),
        )
        db.execute(
            "INSERT INTO fts(rowid, title, labels, body) VALUES(?, ?, ?, ?)",
            (cursor.lastrowid, fields["title"], labels_text, body),
        )

    def _follow_marks(self, db: sqlite3.Connection, *, changed: bool) -> None:
        """Sync marks (changed on the blog and here, deleted there) change a draft's state
        without changing its file: states are worked out again when the marks change."""
        marks = BlogStates.at(self.blogs_dir).all_marks()
        digest = json.dumps(sorted((list(k), m.state) for k, m in marks.items()))
        row = db.execute("SELECT digest FROM marks").fetchone()
        if row and row[0] == digest and not changed:
            return
        db.execute("DELETE FROM marks")
        db.execute("INSERT INTO marks(digest) VALUES(?)", (digest,))
        self._states_again(db, marks)

    def _states_again(self, db: sqlite3.Connection, marks: dict[tuple[str, str], Mark]) -> None:
        rows = db.execute("SELECT id, records, fingerprint, state FROM drafts WHERE blogs != '[]'")
        for row_id, records, fingerprint, state in rows.fetchall():
            now = records_state(json.loads(records), fingerprint, marks) if fingerprint else ""
            if now != state:
                db.execute("UPDATE drafts SET state = ? WHERE id = ?", (now, row_id))

    # --- asking it --------------------------------------------------------------------------

    def search(
        self,
        query: str = "",
        *,
        label: str | None = None,
        status: str | None = None,
        blog: str | None = None,
        year: int | None = None,
        sort: str = "date",
        limit: int | None = None,
        snippets: int = SNIPPETS,
    ) -> list[Hit]:
        """Drafts whose title, labels or text hold every word of `query` (as prefixes), and
        that match the filters; all drafts when everything is empty. The first `snippets`
        hits carry the text around the match (making one costs as much as the whole search:
        the rest get theirs from `snippets_for` when they are shown). Raises ValueError for a
        status or sort it does not know."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}: one of {', '.join(SORTS)}")
        match = fts_query(query)
        where: list[str] = []
        args: list[str | int] = []
        if match:
            where.append("fts MATCH ?")
            args.append(match)
        if label:
            where.append("instr(d.labels, ?) > 0")
            args.append(_SEP + label.strip().casefold() + _SEP)
        if status is not None:
            where.append("d.state = ?")
            args.append(STATUSES[status])
        if blog:
            where.append("EXISTS (SELECT 1 FROM json_each(d.blogs) WHERE value = ?)")
            args.append(blog)
        if year is not None:
            where.append("d.year = ?")
            args.append(year)
        sql = (
            "SELECT d.name, d.title, d.date, d.words, d.state, d.label_names, d.id,"
            " d.problem, d.edited FROM drafts d JOIN fts ON fts.rowid = d.id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {SORTS[sort]}"
            + (f" LIMIT {int(limit)}" if limit else "")
        )

        def work(db: sqlite3.Connection) -> list[Hit]:
            rows = db.execute(sql, args).fetchall()
            found = _snippets(db, match, [row[6] for row in rows[:snippets]]) if match else {}
            return [_hit(self.drafts_dir, row, found.get(row[6], "")) for row in rows]

        return self._guarded(work)

    def snippets_for(self, query: str, paths: list[Path]) -> dict[Path, str]:
        """The text around the match of `query` in each of these drafts (those shown)."""
        match = fts_query(query)
        if not match or not paths:
            return {}
        by_name = {p.name: p for p in paths}

        def work(db: sqlite3.Connection) -> dict[Path, str]:
            marks = ",".join("?" * len(by_name))
            rows = db.execute(
                f"SELECT id, name FROM drafts WHERE name IN ({marks})",  # noqa: S608
                list(by_name),
            ).fetchall()
            found = _snippets(db, match, [row_id for row_id, _name in rows])
            return {by_name[name]: found.get(row_id, "") for row_id, name in rows}

        return self._guarded(work)

    def listing(self, refresh: bool = True) -> list[DraftInfo]:
        """Every draft, as the drafts list shows it (most recently changed first), brought up
        to date first (only the drafts changed since the last look are read); with
        `refresh=False`, as the index last saw them."""
        if refresh:
            self.refresh()
        return newest_first(
            [
                DraftInfo(
                    h.path, h.title, h.date, h.words, h.edited, problem=h.problem, state=h.state
                )
                for h in self.search("", sort="edited")
            ]
        )

    def labels(self) -> list[str]:
        """Every label the drafts use (folded to lower case), for the label filter."""
        rows = self._guarded(lambda db: db.execute("SELECT labels FROM drafts").fetchall())
        return sorted({x for (joined,) in rows for x in joined.split(_SEP) if x})

    def blogs(self) -> list[str]:
        """Every blog a draft of the library was published to (its key)."""
        rows = self._guarded(
            lambda db: db.execute(
                "SELECT DISTINCT value FROM drafts, json_each(drafts.blogs) ORDER BY value"
            ).fetchall()
        )
        return [str(value) for (value,) in rows]

    def years(self) -> list[int]:
        rows = self._guarded(
            lambda db: db.execute("SELECT DISTINCT year FROM drafts WHERE year IS NOT NULL")
        )
        return sorted((y for (y,) in rows), reverse=True)

    def count(self) -> int:
        return int(
            self._guarded(lambda db: db.execute("SELECT count(*) FROM drafts").fetchone())[0]
        )


def library_index(data_dir: Path) -> LibraryIndex:
    """The index of the drafts library kept in `data_dir`."""
    return LibraryIndex(data_dir / FILE_NAME, data_dir / "drafts", data_dir / "blogs")


def fts_query(text: str) -> str:
    """The FTS5 query for words typed in a search box: every word, as a prefix (so results
    follow the typing), quoted so that no character of the writer's means FTS syntax."""
    words = _WORD.findall(text)
    return " AND ".join(f'"{word}"*' for word in words)


def plain_snippet(snippet: str) -> str:
    """A snippet without its match markers (for the command line)."""
    return snippet.replace(HIT_START, "").replace(HIT_END, "")


def _snippets(db: sqlite3.Connection, match: str, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.execute(
        f"SELECT rowid, snippet(fts, -1, '{HIT_START}', '{HIT_END}', '…', 12) FROM fts"  # noqa: S608
        f" WHERE fts MATCH ? AND rowid IN ({','.join('?' * len(ids))})",
        [match, *ids],
    )
    return {row_id: " ".join(str(text or "").split()) for row_id, text in rows}


def _hit(folder: Path, row: tuple[Any, ...], snippet: str = "") -> Hit:
    name, title, date, words, state, labels, _row_id, problem, edited = row
    return Hit(
        path=folder / name,
        title=title,
        date=date,
        words=words,
        state=state,
        labels=tuple(json.loads(labels)),
        snippet=snippet,
        problem=problem,
        edited=edited,
    )


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """(size, mtime_ns, the publish record's mtime_ns or 0) of a draft; None if it is gone."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, _record_ns(path)


def _record_ns(draft: Path) -> int:
    """When the publish record beside `draft` last changed (0: it has none)."""
    try:
        return records_path(draft).stat().st_mtime_ns
    except OSError:
        return 0


def _draft_stamps(folder: Path) -> Iterator[tuple[str, tuple[int, int, int]]]:
    try:
        entries: Iterable[os.DirEntry[str]] = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.lower().endswith(DRAFT_SUFFIX) or entry.name.startswith("."):
            continue
        try:
            if not entry.is_file():
                continue
            info = entry.stat()
        except OSError:
            continue
        yield entry.name, (info.st_size, info.st_mtime_ns, _record_ns(Path(entry.path)))
