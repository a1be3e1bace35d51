"""The open draft's life without a window (editor.core.draft_life): which edit is on disk,
where a save may go, what another program's change means, what a quit writes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from editor.core.documents import content_hash
from editor.core.draft_life import DraftLife, RecoveryRequest, Verdict
from editor.core.locks import DraftLock
from editor.core.open_draft import ExternalChange, LoadedDocument, SaveRequest
from editor.core.recovery import CONFLICT, DELETED, READ_ONLY, RecoveryCopy
from editor.core.textfile import TextFormat, encode_document

FMT = TextFormat()


def loaded(path: Path, text: str = "Mine.\n", **fields: object) -> LoadedDocument:
    lock = fields.pop("lock") if "lock" in fields else DraftLock(path.parent / "locks", path)
    digest = content_hash(encode_document(text, FMT))
    return LoadedDocument(path, text, FMT, digest, lock, **fields)  # type: ignore[arg-type]


def opened(tmp_path: Path, text: str = "Mine.\n") -> tuple[DraftLife, Path]:
    life = DraftLife()
    path = tmp_path / "post.md"
    life.opened(loaded(path, text))
    return life, path


def test_an_edit_makes_a_save_of_exactly_that_edit(tmp_path: Path) -> None:
    life, path = opened(tmp_path)
    assert not life.dirty and life.save_request("Mine.\n") is None  # nothing to write
    assert life.edited() and life.dirty
    request = life.save_request("Mine, edited.\n")
    assert isinstance(request, SaveRequest)
    assert request.generation == life.generation and request.expected_hash == life.doc.disk_hash  # type: ignore[union-attr]
    life.edited()  # typed on while the save was on its way
    assert life.saved(path, "new-hash", request.generation)
    assert life.dirty, "the later edit is not on disk yet"
    assert life.doc is not None and life.doc.disk_hash == "new-hash"
    assert not life.saved(tmp_path / "other.md", "x", 99)  # another draft's save


def test_no_draft_no_edits() -> None:
    life = DraftLife()
    assert not life.edited() and not life.dirty and life.save_request("text") is None


def test_another_program_changing_the_draft_is_a_conflict_and_stops_saves(tmp_path: Path) -> None:
    life, path = opened(tmp_path)
    life.edited()
    theirs = ExternalChange(path, False, "Theirs.\n", content_hash(b"Theirs.\n"))
    assert life.external_change(theirs, "Mine, edited.\n") is Verdict.CONFLICT
    assert life.external_change(theirs, "Mine, edited.\n") is Verdict.IGNORE  # same news
    request = life.save_request("Mine, edited.\n")
    assert request == RecoveryRequest(path, "Mine, edited.\n", CONFLICT, life.doc.disk_hash)  # type: ignore[union-attr]
    assert life.save_request("Mine, edited.\n") is None  # the copy holds this edit already
    forced = life.save_request("Mine, edited.\n", None, force=True)
    assert isinstance(forced, SaveRequest) and forced.expected_hash == theirs.their_hash


def test_their_version_equal_to_ours_asks_nothing(tmp_path: Path) -> None:
    life, path = opened(tmp_path)
    life.edited()
    ours = "Mine, edited.\n"
    same = ExternalChange(path, False, ours, content_hash(encode_document(ours, FMT)))
    assert life.external_change(same, ours) is Verdict.SAME_AS_OURS and not life.dirty


def test_stale_news_about_our_own_version_sends_a_stopped_save_again(tmp_path: Path) -> None:
    life, path = opened(tmp_path)
    known = life.doc.disk_hash  # type: ignore[union-attr]
    assert life.external_change(ExternalChange(path, False, "Mine.\n", known), "") is Verdict.IGNORE
    life.edited()
    refused = ExternalChange(path, False, "Mine.\n", known, generation=2)
    assert life.external_change(refused, "Mine, edited.\n") is Verdict.SAVE_AGAIN


def test_a_deleted_draft_keeps_the_text_in_a_recovery_copy_marked_deleted(tmp_path: Path) -> None:
    life, path = opened(tmp_path)
    life.edited()
    assert life.external_change(ExternalChange(path, True, None, None), "x") is Verdict.CONFLICT
    request = life.save_request("x")
    assert isinstance(request, RecoveryRequest) and request.reason == DELETED


def test_reload_theirs_makes_their_text_the_saved_one(tmp_path: Path) -> None:
    life, path = opened(tmp_path)
    life.edited()
    theirs = ExternalChange(path, False, "Theirs.\n", "their-hash")
    life.external_change(theirs, "Mine, edited.\n")
    assert life.take_theirs() == "Theirs.\n"
    assert not life.dirty and life.doc.conflict is None and life.doc.disk_hash == "their-hash"  # type: ignore[union-attr]
    assert life.take_theirs() is None  # nothing left to take


def test_a_read_only_file_sends_typing_to_the_recovery_copy_until_saved_by_hand(
    tmp_path: Path,
) -> None:
    life, path = opened(tmp_path)
    life.edited()
    assert life.save_refused_read_only(path, life.generation)
    life.edited()
    request = life.save_request("more")
    assert isinstance(request, RecoveryRequest) and request.reason == READ_ONLY
    assert isinstance(life.save_request("more", "save"), SaveRequest)  # Ctrl+S tries the file


def test_quit_writes_the_file_or_the_recovery_copy_never_over_theirs(tmp_path: Path) -> None:
    life, path = opened(tmp_path)
    plan = life.quit_plan("Mine.\n")
    assert isinstance(plan, SaveRequest) and plan.expected_hash == life.doc.disk_hash  # type: ignore[union-attr]
    life.external_change(ExternalChange(path, False, "Theirs.\n", "h"), "Mine.\n")
    plan = life.quit_plan("Mine.\n")
    assert isinstance(plan, RecoveryRequest) and plan.reason == CONFLICT
    other = DraftLife()
    other.opened(loaded(path, lock=None))  # another window holds the draft
    assert other.quit_plan("Mine.\n") is None


def test_a_recovery_copy_over_a_changed_file_is_a_conflict(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    copy = RecoveryCopy(path, "Unsaved words.\n", CONFLICT, datetime.now(), "old-hash")
    life = DraftLife()
    first = loaded(path, "On disk now.\n", recovered=copy)
    life.opened(first)
    life.edited()  # the copy's text put in the editor
    change = life.recovered_copy_shown(first)
    assert change is not None and change.their_text == "On disk now.\n"
    assert life.recovered_generation == life.generation
    assert life.save_request("Unsaved words.\n") is None  # the copy holds this edit


def test_closing_in_a_conflict_with_edits_settles_the_text(tmp_path: Path) -> None:
    life, path = opened(tmp_path)
    assert not life.must_settle
    life.edited()
    life.external_change(ExternalChange(path, False, "Theirs.\n", "h"), "Mine, edited.\n")
    assert life.must_settle
    lock = life.doc.lock  # type: ignore[union-attr]
    life.release()
    assert lock is not None and life.doc.lock is None  # type: ignore[union-attr]
    life.closed()
    assert life.doc is None and not life.dirty


def test_rename_and_save_as_follow_the_draft(tmp_path: Path) -> None:
    life, path = opened(tmp_path)
    new = tmp_path / "renamed.md"
    assert life.moved(path, new) and life.doc.path == new  # type: ignore[union-attr]
    assert not life.moved(path, tmp_path / "x.md")
    other = tmp_path / "copy.md"
    old = life.saved_as(other, DraftLock(tmp_path / "locks", other))
    assert old == new and life.dirty  # the whole text goes to the new file
