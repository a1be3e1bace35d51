"""Atomic writes, document encodings, and the drafts store."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from editor.core import atomic
from editor.core.atomic import WriteError, atomic_write_bytes
from editor.core.documents import DocumentError, read_document, write_document
from editor.core.drafts import DraftStore, assets_dir_for, file_stem_for
from editor.core.paths import app_paths
from editor.core.post import parse_post
from editor.core.textfile import TextFormat


def test_paths_follow_broadsheet_home(broadsheet_home: Path) -> None:
    paths = app_paths()
    assert paths.drafts_dir.is_relative_to(broadsheet_home)
    assert paths.settings_file.is_relative_to(broadsheet_home)
    assert not broadsheet_home.exists(), "nothing is created just by asking for paths"


def test_atomic_write_goes_through_temp_file_in_same_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "post.md"
    target.write_bytes(b"old")
    replaced: list[tuple[str, str]] = []
    synced: list[int] = []
    real_replace, real_fsync = os.replace, os.fsync
    monkeypatch.setattr(
        atomic.os, "replace", lambda a, b: (replaced.append((a, b)), real_replace(a, b))
    )
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    atomic_write_bytes(target, b"new text")
    assert target.read_bytes() == b"new text"
    [(source, dest)] = replaced
    assert Path(source).parent == tmp_path and Path(dest) == target
    assert len(synced) >= 2, "the file and its folder are both fsynced"
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"], "no temp file left behind"


def test_failed_write_leaves_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "post.md"
    target.write_bytes(b"precious words")

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    with pytest.raises(WriteError) as caught:
        atomic_write_bytes(target, b"x" * 1000)
    assert "disk is full" in str(caught.value)
    assert target.read_bytes() == b"precious words"
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


@pytest.mark.parametrize(
    ("err", "reason"),
    [(errno.EACCES, "permission denied"), (errno.EROFS, "read-only"), (errno.ENOENT, "no longer")],
)
def test_unwritable_folder_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, reason: str
) -> None:
    # Injected, because CI runs as root, which ignores folder permissions.
    target = tmp_path / "a.md"
    target.write_text("old")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    with pytest.raises(WriteError, match=reason):
        atomic_write_bytes(target, b"new")
    assert target.read_text() == "old"


def test_crlf_and_bom_are_preserved(tmp_path: Path) -> None:
    path = tmp_path / "win.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: Win\r\n---\r\nLine one\r\nLine two\r\n")
    text, fmt = read_document(path)
    assert "\r" not in text and fmt == TextFormat(bom=True, newline="\r\n")
    assert parse_post(text).title == "Win"
    write_document(path, text + "Line three\n", fmt)
    assert path.read_bytes() == (
        b"\xef\xbb\xbf---\r\ntitle: Win\r\n---\r\nLine one\r\nLine two\r\nLine three\r\n"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"caf\xe9 au lait\n", "not valid UTF-8"), (b"\x89PNG\r\n\x1a\n\x00\x00", "binary")],
)
def test_bad_bytes_are_refused_clearly(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=message):
        read_document(path)
    assert path.read_bytes() == data


def test_missing_file_message(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="does not exist"):
        read_document(tmp_path / "nope.md")


def make_store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts", tmp_path / "trash")


def test_store_creates_lists_newest_first(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    first = store.new_draft("First: a draft")
    second = store.new_draft("Second")
    os.utime(first, (1_000_000_000, 1_000_000_000))
    infos = store.list_drafts()
    assert [i.path for i in infos] == [second, first]
    assert infos[1].title == "First: a draft"
    assert infos[1].date and infos[1].words == 0
    assert store.new_draft("Second").name == "second-2.md"


def test_store_lists_broken_files_with_their_problem(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.ensure()
    # (b"\xff\xfe bad" was the example here: that is a UTF-16 BOM and two characters.)
    (store.drafts_dir / "broken.md").write_bytes(b"Caf\xe9 au lait\n")
    [info] = store.list_drafts()
    assert info.problem and "UTF-8" in info.problem and "line 1, column 4" in info.problem


def test_rename_changes_title_and_file_and_moves_assets(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    path = store.new_draft("Old name", body="Text\n")
    assets_dir_for(path).mkdir()
    (assets_dir_for(path) / "pic.png").write_bytes(b"png")
    new = store.rename(path, "Brand New Title")
    assert new.name == "brand-new-title.md" and not path.exists()
    assert parse_post(new.read_text()).title == "Brand New Title"
    assert (assets_dir_for(new) / "pic.png").read_bytes() == b"png"


def test_trash_moves_not_deletes(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    path = store.new_draft("Going away", body="keep me\n")
    trashed = store.trash(path)
    assert not path.exists() and trashed.parent == store.trash_dir
    assert "keep me" in trashed.read_text()
    assert store.list_drafts() == []


def test_file_stem_is_readable() -> None:
    assert file_stem_for("Über Café: a/b\\c?") == "über-café-abc"
    assert file_stem_for("   ") == "untitled"
