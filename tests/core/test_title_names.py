"""A draft's file name follows its title until first published (no Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.atomic import WriteError
from editor.core.drafts import DraftStore
from editor.core.post import parse_post
from editor.core.title_names import display_name, ever_published, stem_fits, stem_for_title

DRAFTS = Path("/drafts")


def text(title: str, extra: str = "", body: str = "Words.\n") -> str:
    return f"---\ntitle: {title}\nstatus: draft\n{extra}---\n\n{body}"


def test_an_untitled_draft_takes_its_titles_name() -> None:
    assert stem_for_title(DRAFTS / "untitled.md", text("Harbour days")) == "harbour-days"
    assert stem_for_title(DRAFTS / "untitled-3.md", text("Harbour days")) == "harbour-days"
    assert stem_for_title(DRAFTS / "untitled.md", text("Untitled")) is None


def test_without_a_title_the_first_heading_names_it() -> None:
    no_title = "---\nstatus: draft\n---\n\n# Harbour days\n\nWords.\n"
    assert stem_for_title(DRAFTS / "untitled.md", no_title) == "harbour-days"


def test_a_name_given_from_the_old_title_follows_the_new_one() -> None:
    path = DRAFTS / "harbour-days.md"
    assert stem_for_title(path, text("Harbour nights"), "harbour-days") == "harbour-nights"
    assert stem_for_title(path, text("Harbour days"), "harbour-days") is None  # fits already
    twin = DRAFTS / "harbour-days-2.md"  # the numbered twin of another draft's name fits too
    assert stem_for_title(twin, text("Harbour days"), "harbour-days") is None


def test_a_name_the_writer_chose_stays() -> None:
    path = DRAFTS / "notes.md"
    assert stem_for_title(path, text("Harbour days"), "harbour-days") is None
    assert stem_for_title(path, text("Harbour days")) is None


def test_a_published_draft_keeps_its_name() -> None:
    published = text("Harbour days", "publish:\n  blogger-1:\n    id: '42'\n    url: https://x\n")
    assert ever_published(parse_post(published, "untitled.md"))
    assert stem_for_title(DRAFTS / "untitled.md", published) is None
    never = text("Harbour days", "publish: {}\n")
    assert not ever_published(parse_post(never, "untitled.md"))
    assert stem_for_title(DRAFTS / "untitled.md", never) == "harbour-days"


def test_broken_front_matter_keeps_the_name() -> None:
    assert stem_for_title(DRAFTS / "untitled.md", "---\ntitle: [oops\n---\n\nx\n") is None


def test_stem_fits_only_the_title_or_its_numbered_twin() -> None:
    assert stem_fits("harbour", "harbour") and stem_fits("harbour-12", "harbour")
    assert not stem_fits("harbour-days", "harbour") and not stem_fits("harbour-x", "harbour")


def test_display_name_is_the_title() -> None:
    assert display_name(text("Harbour days"), Path("untitled.md")) == "Harbour days"
    assert display_name("", Path("harbour-days.md")) == "harbour days"


def test_move_to_stem_takes_a_free_name_and_moves_the_assets(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts", tmp_path / "trash")
    first = store.new_draft("Harbour days")
    draft = store.new_draft("Untitled", body="![q](untitled.assets/q.jpg)\n")
    (tmp_path / "drafts" / "untitled.assets").mkdir()
    (tmp_path / "drafts" / "untitled.assets" / "q.jpg").write_bytes(b"jpg")
    moved = store.move_to_stem(draft, "harbour-days")
    assert moved.name == "harbour-days-2.md" and not draft.exists()
    assert (tmp_path / "drafts" / "harbour-days-2.assets" / "q.jpg").read_bytes() == b"jpg"
    assert first.read_text().startswith('---\ntitle: "Harbour days"')  # untouched


def test_move_to_stem_never_replaces_a_file_that_appears_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DraftStore(tmp_path / "drafts", tmp_path / "trash")
    draft = store.new_draft("Untitled", body="mine\n")
    real_unique = DraftStore.unique_path
    raced: list[Path] = []

    def unique_then_taken(self: DraftStore, stem: str, folder: Path | None = None) -> Path:
        path = real_unique(self, stem, folder)
        if not raced:  # another program takes the name between the check and the move
            path.write_text("theirs\n")
            raced.append(path)
            monkeypatch.setattr(Path, "exists", lambda p: False if p == path else _exists(p))
        return path

    _exists = Path.exists
    monkeypatch.setattr(DraftStore, "unique_path", unique_then_taken)
    try:
        moved = store.move_to_stem(draft, "harbour")
    except WriteError:
        moved = None
    monkeypatch.undo()
    assert raced[0].read_text() == "theirs\n"  # never replaced
    if moved is not None:
        assert moved != raced[0] and "mine" in moved.read_text()
    else:
        assert "mine" in draft.read_text()


def test_move_refuses_when_no_free_name_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DraftStore(tmp_path / "drafts", tmp_path / "trash")
    draft = store.new_draft("Untitled")
    taken = store.new_draft("Harbour")
    monkeypatch.setattr(DraftStore, "unique_path", lambda self, stem, folder=None: taken)
    with pytest.raises(WriteError, match="already exists|no free file name"):
        store.move_to_stem(draft, "harbour")
    assert draft.exists() and taken.exists()
