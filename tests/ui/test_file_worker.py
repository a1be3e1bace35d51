"""The file thread's saves: a save queued behind a slow one is written, not mistaken for
another program's change (the window asks for saves faster than a loaded disk may fsync)."""

from __future__ import annotations

from pathlib import Path

from editor.core.documents import content_hash
from editor.core.drafts import DraftStore
from editor.core.history import HistoryStore
from editor.core.open_draft import ExternalChange, SaveRequest
from editor.core.textfile import TextFormat
from editor.ui.file_worker import FileWorker


def worker_for(tmp_path: Path) -> tuple[FileWorker, list[object], list[ExternalChange]]:
    files = FileWorker(
        DraftStore(tmp_path / "drafts", tmp_path / "trash"),
        HistoryStore(tmp_path / "history"),
        tmp_path / "locks",
    )
    saved: list[object] = []
    changes: list[ExternalChange] = []
    files.saved.connect(lambda path, digest, generation: saved.append(generation))
    files.external_change.connect(changes.append)
    return files, saved, changes


def test_a_save_queued_behind_another_is_written(tmp_path: Path) -> None:
    draft = tmp_path / "essay.md"
    draft.write_text("First words.\n")
    known = content_hash(draft.read_bytes())
    files, saved, changes = worker_for(tmp_path)
    # Both requests left the window before the first one's "saved" came back: both carry the
    # hash the window knew then.
    for generation, text in ((1, "First words. More"), (2, "First words. More words.")):
        files.save(SaveRequest(draft, text, TextFormat(), generation, known))
    assert changes == [] and saved == [1, 2]
    assert draft.read_text() == "First words. More words."


def test_another_programs_change_is_still_caught(tmp_path: Path) -> None:
    draft = tmp_path / "essay.md"
    draft.write_text("First words.\n")
    known = content_hash(draft.read_bytes())
    files, saved, changes = worker_for(tmp_path)
    files.save(SaveRequest(draft, "Mine, saved.", TextFormat(), 1, known))
    draft.write_text("Theirs, written after our save.\n")
    files.save(SaveRequest(draft, "Mine, saved. And more.", TextFormat(), 2, known))
    assert saved == [1] and [c.generation for c in changes] == [2]
    assert draft.read_text() == "Theirs, written after our save.\n", "theirs is not overwritten"
