"""The labels each blog uses (kept on disk), label spelling keys and near-duplicate labels."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from editor.core import atomic
from editor.core.atomic import WriteError
from editor.core.blog_labels import BlogLabels, label_key, near_duplicates
from editor.core.checklist import WARNING, check_post, has_errors
from editor.core.paths import AppPaths, app_paths
from editor.core.post import parse_post


@pytest.fixture
def paths() -> AppPaths:
    return app_paths()


def test_label_key_ignores_case_spacing_and_width() -> None:
    assert label_key("Local  Politics ") == "local politics"
    assert label_key("\tLOCAL\u00a0politics") == "local politics"
    assert label_key("Ｈｏｕｓｉｎｇ") == "housing"  # full-width letters (NFKC)
    assert label_key("Straße") == label_key("STRASSE")
    assert label_key("news") != label_key("new s")


def test_save_keeps_the_first_spelling_sorted_without_regard_to_case(paths: AppPaths) -> None:
    store = BlogLabels(paths)
    store.save("blogger:1", ["transit", "Housing", " housing", "", "  ", "art", "Zoning", "art"])
    assert store.load("blogger:1") == ["art", "Housing", "transit", "Zoning"]
    assert store.load("blogger:2") == []


def test_save_replaces_and_add_unites(paths: AppPaths) -> None:
    store = BlogLabels(paths)
    store.save("blogger:1", ["old", "kept"])
    store.save("blogger:1", ["kept", "new"])
    assert store.load("blogger:1") == ["kept", "new"]
    store.add("blogger:1", ["Kept", "fresh"])  # "Kept" is "kept": the blog's spelling stays
    assert store.load("blogger:1") == ["fresh", "kept", "new"]
    store.add("wordpress:site", ["Travel"])
    assert store.load("wordpress:site") == ["Travel"]
    assert store.load("blogger:1") == ["fresh", "kept", "new"], "other blogs are left alone"


def test_all_is_every_blogs_labels_once(paths: AppPaths) -> None:
    store = BlogLabels(paths)
    assert store.all() == []
    store.save("blogger:1", ["news", "Transit"])
    store.save("wordpress:site", ["transit", "Art", "news"])
    assert store.all() == ["Art", "news", "Transit"]


def test_the_store_lives_under_the_data_folder_as_json(paths: AppPaths) -> None:
    BlogLabels(paths).save("blogger:1", ["news"])
    assert paths.blog_labels_file == paths.data_dir / "blogs" / "labels.json"
    data = json.loads(paths.blog_labels_file.read_text(encoding="utf-8"))
    assert data["blogs"] == {"blogger:1": ["news"]}


@pytest.mark.parametrize(
    "damage",
    [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2]", b'{"blogs": {"blogger:1": "news"}}', b""],
)
def test_a_damaged_file_loads_as_empty_and_is_left_alone(paths: AppPaths, damage: bytes) -> None:
    paths.blog_labels_file.parent.mkdir(parents=True)
    paths.blog_labels_file.write_bytes(damage)
    store = BlogLabels(paths)
    assert store.load("blogger:1") == []
    assert store.all() == []
    assert paths.blog_labels_file.read_bytes() == damage, "loading never rewrites the file"


def test_entries_that_are_not_labels_are_skipped(paths: AppPaths) -> None:
    paths.blog_labels_file.parent.mkdir(parents=True)
    paths.blog_labels_file.write_text(
        json.dumps({"version": 1, "blogs": {"blogger:1": ["news", 3, None, "art"], "x": 5}})
    )
    assert BlogLabels(paths).load("blogger:1") == ["art", "news"]
    assert BlogLabels(paths).all() == ["art", "news"]


def test_saving_over_a_damaged_file_keeps_a_copy_of_it(paths: AppPaths) -> None:
    paths.blog_labels_file.parent.mkdir(parents=True)
    paths.blog_labels_file.write_bytes(b"{half written")
    BlogLabels(paths).save("blogger:1", ["news"])
    assert BlogLabels(paths).load("blogger:1") == ["news"]
    kept = list(paths.blog_labels_file.parent.glob("labels.damaged*.json"))
    assert [p.read_bytes() for p in kept] == [b"{half written"]


def test_an_unreadable_file_loads_as_empty_and_saving_says_why(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    BlogLabels(paths).save("blogger:1", ["news"])
    real_read = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == paths.blog_labels_file:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert BlogLabels(paths).load("blogger:1") == []
    with pytest.raises(WriteError) as caught:
        BlogLabels(paths).add("blogger:2", ["art"])
    assert str(caught.value) == "Could not save labels.json: permission denied"
    monkeypatch.undo()
    assert BlogLabels(paths).load("blogger:1") == ["news"], "nothing was overwritten"


def test_saving_is_atomic(paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    BlogLabels(paths).save("blogger:1", ["news"])
    before = paths.blog_labels_file.read_bytes()

    def crash(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(WriteError) as caught:
        BlogLabels(paths).save("blogger:1", ["news", "art"])
    assert "the disk is full" in str(caught.value)
    monkeypatch.undo()
    assert paths.blog_labels_file.read_bytes() == before
    leftovers = [p for p in os.listdir(paths.blog_labels_file.parent) if p.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize(
    ("labels", "known", "expected"),
    [
        (["Housing"], ["housing"], [("Housing", "housing")]),
        (["local  politics"], ["local politics"], [("local  politics", "local politics")]),
        (["Local politics"], ["local politics"], [("Local politics", "local politics")]),
        (["housing"], ["housing"], []),  # identical: the blog already has it
        (["houses"], ["housing"], []),  # different words
        (["transit"], [], []),
        # the blog has both spellings already: the one the post uses is not a new label
        (["housing"], ["Housing", "housing"], []),
        (["HOUSING", "Housing "], ["Housing"], [("HOUSING", "Housing"), ("Housing ", "Housing")]),
        (["a", "a"], ["A"], [("a", "A")]),  # one finding per spelling
    ],
)
def test_near_duplicates(labels, known, expected) -> None:
    assert near_duplicates(labels, known) == expected


# --- the pre-publish checklist ------------------------------------------------------------------


def _check(tmp_path: Path, labels: str, known: list[str]) -> list:
    text = f"---\ntitle: Buses\nlabels: {labels}\n---\nThe buses run late.\n"
    return check_post(
        parse_post(text, "buses.md"),
        tmp_path / "buses.md",
        can_host_local_images=True,
        known_labels=known,
    )


def test_the_checklist_warns_about_a_label_spelt_differently_on_the_blog(tmp_path: Path) -> None:
    items = _check(tmp_path, "[Local politics, transit]", ["local politics", "Transit", "art"])
    assert [item.code for item in items] == ["label-spelling", "label-spelling"]
    assert all(item.level == WARNING and not has_errors(items) for item in items)
    assert items[0].text == (
        "Label “Local politics” differs from the blog's “local politics” only in capitals or"
        " spaces; the blog would list them as two labels."
    )
    assert "“transit”" in items[1].text and "“Transit”" in items[1].text


def test_the_checklist_is_quiet_about_labels_the_blog_has_or_does_not_know(
    tmp_path: Path,
) -> None:
    assert _check(tmp_path, "[transit, housing]", ["transit", "art"]) == []
    assert _check(tmp_path, "[transit]", []) == []
    plain = parse_post("---\ntitle: T\nlabels: [Art]\n---\nBody\n", "t.md")
    assert check_post(plain, tmp_path / "t.md", can_host_local_images=True) == [], (
        "without known labels nothing is compared"
    )
