"""Issue 13, defects 4 and 5: saves write through symlinks, respect read-only files, and never
replace another program's version unseen, however close to our save it is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from editor.core import atomic, checked_save
from editor.core.documents import content_hash
from editor.core.drafts import DraftStore
from editor.core.history import HistoryStore
from editor.core.open_draft import ExternalChange, SaveRequest
from editor.core.textfile import TextFormat
from editor.ui.file_worker import FileWorker

THEIRS = "Theirs, written while Broadsheet was saving.\n"


class Worker:
    """A file worker called directly, with what it reported."""

    def __init__(self, tmp_path: Path) -> None:
        self.history = HistoryStore(tmp_path / "history")
        self.files = FileWorker(
            DraftStore(tmp_path / "drafts", tmp_path / "trash"), self.history, tmp_path / "locks"
        )
        self.saved: list[int] = []
        self.failed: list[str] = []
        self.changes: list[ExternalChange] = []
        self.files.saved.connect(lambda _p, _d, generation: self.saved.append(generation))
        self.files.save_failed.connect(lambda _p, message, *_rest: self.failed.append(message))
        self.files.external_change.connect(self.changes.append)

    def save(self, draft: Path, text: str, known: str, generation: int = 1) -> None:
        self.files.save(SaveRequest(draft, text, TextFormat(), generation, known))

    def kept(self, draft: Path) -> list[str]:
        return [s.read() for s in self.history.snapshots(draft)]


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "essay.md"
    path.write_text("First words.\n")
    return path


def test_a_write_while_the_temp_file_is_synced_is_not_overwritten(
    tmp_path: Path, draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = content_hash(draft.read_bytes())
    worker = Worker(tmp_path)
    real_fsync = os.fsync
    wrote = []

    def fsync_then_they_write(fd: int) -> None:
        real_fsync(fd)
        if not wrote:  # the temp file is synced: the slow moment another program can hit
            wrote.append(True)
            draft.write_text(THEIRS)

    monkeypatch.setattr(os, "fsync", fsync_then_they_write)
    worker.save(draft, "Mine.", known)
    assert wrote
    on_disk = draft.read_text()
    assert on_disk == THEIRS or THEIRS in worker.kept(draft), "their version vanished"
    assert worker.changes and worker.changes[0].their_text == THEIRS
    assert worker.saved == []


def test_a_write_right_before_the_rename_is_kept_in_history(
    tmp_path: Path, draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = content_hash(draft.read_bytes())
    worker = Worker(tmp_path)
    overwrote: list[Path] = []
    worker.files.overwrote.connect(overwrote.append)
    real_exchange = checked_save.rename_exchange

    def they_write_then_we_swap(source: Path, target: Path) -> bool:
        target.write_text(THEIRS)  # after our last check: only the swap itself can see it
        return real_exchange(source, target)

    monkeypatch.setattr(checked_save, "rename_exchange", they_write_then_we_swap)
    worker.save(draft, "Mine.", known)
    assert draft.read_text() == "Mine."
    assert THEIRS in worker.kept(draft)
    assert overwrote == [draft]
    assert not list(tmp_path.glob(".essay.md.*.tmp")), "no temp file is left behind"


def test_a_symlinked_draft_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "sync" / "essay.md"
    real.parent.mkdir()
    real.write_text("First words.\n")
    link = tmp_path / "essay-link.md"
    link.symlink_to(real)
    worker = Worker(tmp_path)
    worker.save(link, "Through the link.", content_hash(real.read_bytes()))
    assert worker.saved == [1]
    assert link.is_symlink(), "the link stays a link"
    assert real.read_text() == "Through the link."
    assert not list(real.parent.glob(".*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_a_read_only_draft_is_not_overwritten(tmp_path: Path, draft: Path) -> None:
    known = content_hash(draft.read_bytes())
    draft.chmod(0o444)
    worker = Worker(tmp_path)
    worker.save(draft, "Mine.", known)
    assert draft.read_text() == "First words.\n"
    assert worker.saved == [] and worker.failed and "read-only" in worker.failed[0]
    assert oct(draft.stat().st_mode & 0o777) == "0o444"


def test_atomic_writes_follow_symlinks_and_refuse_read_only_files(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic.atomic_write_bytes(link, b'{"a": 1}')
    assert link.is_symlink() and real.read_bytes() == b'{"a": 1}'
    real.chmod(0o444)
    with pytest.raises(atomic.ReadOnlyError):
        atomic.atomic_write_bytes(link, b"{}")
    assert real.read_bytes() == b'{"a": 1}'
