"""Where a label is being typed in the front matter, what completes it, and the labels the
drafts library already uses."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from editor.core.blog_labels import BlogLabels
from editor.core.draft_labels import LibraryLabels, known_labels, library_labels
from editor.core.label_typing import (
    BLOCK,
    FLOW,
    LIST,
    completion_edit,
    front_matter_lines,
    label_spot,
    matching_labels,
)
from editor.core.paths import app_paths
from editor.core.post import Post


def spot_at(front_matter: str):  # type: ignore[no-untyped-def]
    """The label spot at the `|` in `front_matter` (lines between the fences)."""
    lines = front_matter.split("\n")
    row = next(i for i, line in enumerate(lines) if "|" in line)
    column = lines[row].index("|")
    lines[row] = lines[row].replace("|", "")
    return lines, row, label_spot(lines, row, column)


@pytest.mark.parametrize(
    ("front_matter", "style", "partial", "others"),
    [
        ("title: T\nlabels: [news, Tra|", FLOW, "Tra", ("news",)),
        ("labels: [news, Tra|]", FLOW, "Tra", ("news",)),
        ("labels: [Tra|, news]", FLOW, "Tra", ("news",)),
        ("labels: [T|", FLOW, "T", ()),
        ("tags: [news,Tra|", FLOW, "Tra", ("news",)),
        ('labels: ["Local, politics", "Tra|', FLOW, "Tra", ("Local, politics",)),
        ("labels: ['it''s', Tra|", FLOW, "Tra", ("it's",)),
        ("labels: news, Tra|", LIST, "Tra", ("news",)),
        ("labels: Tra|", LIST, "Tra", ()),
        ("labels:\n  - news\n  - Tra|", BLOCK, "Tra", ("news",)),
        ("labels:\n- Tra|\n- news\ndate: x", BLOCK, "Tra", ("news",)),
        ("tags:  # what the post is about\n\n  - Tra|", BLOCK, "Tra", ()),
        ("labels:\n  - '#1 Tra|", BLOCK, "#1 Tra", ()),
    ],
)
def test_a_label_being_typed_is_found(front_matter, style, partial, others) -> None:
    _lines, _row, spot = spot_at(front_matter)
    assert spot is not None
    assert (spot.style, spot.partial, spot.others) == (style, partial, others)


@pytest.mark.parametrize(
    "front_matter",
    [
        "title: Tra|",  # another key
        "labels: [news, |",  # nothing typed yet
        "labels: [news, Tra]|",  # after the list
        "labels: [news] Tra|",
        "lab|els: [news]",  # in the key
        "  labels: [Tra|",  # not a top-level key
        "labels: {a: Tra|",  # a mapping is not a list of labels
        "labels: 'news, Tra|",  # one quoted string: not a list we can complete in
        "title: T\n  - Tra|",  # a list under another key
        "labels:\n  - news\ntitle: x\n  - Tra|",
        "labels: [news] # Tra|",
    ],
)
def test_no_label_is_being_typed(front_matter: str) -> None:
    _lines, _row, spot = spot_at(front_matter)
    assert spot is None


@pytest.mark.parametrize(
    ("front_matter", "label", "expected"),
    [
        ("labels: [news, Tra|", "transit", "labels: [news, transit"),
        ("labels: [news, Tra|]", "transit", "labels: [news, transit]"),
        ("labels: [news, Tr|an]", "transit", "labels: [news, transit]"),  # the whole label
        ("labels: [Tra|, news]", "transit", "labels: [transit, news]"),
        ('labels: ["Tra|', "transit", 'labels: ["transit"'),
        ('labels: ["Tra|", news]', 'a "b"', 'labels: ["a \\"b\\"", news]'),
        ("labels: ['Tra|', news]", "it's", "labels: ['it''s', news]"),
        ("labels: news, Tra|", "transit", "labels: news, transit"),
        ("labels:\n  - Tra|", "transit", "  - transit"),
        # labels YAML would read as something else are quoted
        ("labels: [Ye|", "Yes", 'labels: ["Yes"'),
        ("labels: [news, Loc|]", "Local: politics", 'labels: [news, "Local: politics"]'),
        ("labels:\n  - Q|", "[Q&A]", '  - "[Q&A]"'),
        ("labels: [Caf|", "Café ☕", "labels: [Café ☕"),
    ],
)
def test_accepting_replaces_only_the_label_being_typed(front_matter, label, expected) -> None:
    lines, row, spot = spot_at(front_matter)
    edit = completion_edit(lines[row], spot, label)
    assert edit is not None
    start, end, text = edit
    line = lines[row][:start] + text + lines[row][end:]
    assert line == expected
    lines[row] = line
    text = "\n".join(lines) + ("]" if spot.style == FLOW and "]" not in line else "")
    assert label in Post(meta=yaml.safe_load(text)).labels, "YAML reads back the label itself"


def test_a_label_that_would_split_a_comma_list_is_not_offered_there() -> None:
    lines, row, spot = spot_at("labels: news, Tra|")
    assert completion_edit(lines[row], spot, "Trains, planes") is None


def test_front_matter_lines() -> None:
    assert front_matter_lines(["---", "title: T", "labels: []", "---", "body"]) == [
        "title: T",
        "labels: []",
    ]
    assert front_matter_lines(["---  ", "a: 1", "...", "body"]) == ["a: 1"]
    assert front_matter_lines(["title: T", "---"]) is None
    assert front_matter_lines(["---", "a thematic break, not front matter"]) is None
    assert front_matter_lines(iter(["---"] + ["x: 1"] * 50 + ["---"]), limit=20) is None


def test_matching_is_prefix_first_then_anywhere_without_case() -> None:
    known = ["Central line", "news", "Rail", "trams", "transit", "Travel", "TRAINS"]
    assert matching_labels("tra", known) == ["trams", "transit", "Travel", "TRAINS", "Central line"]
    assert matching_labels("RAI", known) == ["Rail", "TRAINS"]
    assert matching_labels("TRA", known, taken=["Transit", "central  LINE"]) == [
        "trams",
        "Travel",
        "TRAINS",
    ]
    assert matching_labels("ral  l", known) == ["Central line"]  # spacing does not matter
    assert matching_labels(" ", known) == []
    assert matching_labels("a", known, limit=2) == ["Central line", "Rail"]


# --- labels the drafts library uses -------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_library_labels_reads_labels_and_tags_of_every_draft(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    write(drafts, "a.md", "---\ntitle: A\nlabels: [Transit, news]\n---\nBody labels: [no]\n")
    write(drafts, "b.md", "---\ntitle: B\ntags:\n  - housing\n  - transit\n---\n")
    write(drafts, "c.md", "---\r\nlabels: art, Local  politics\r\n---\r\nWindows endings\r\n")
    write(drafts, "d.md", "\ufeff---\nlabels: [bom]\n---\n")
    write(drafts, "e.md", "---\nlabels: [one]\ntags: [ignored when labels are there]\n---\n")
    write(drafts, "f.md", "---\ntitle: [broken\nlabels: [still, read]\n---\n")
    write(drafts, "g.md", "No front matter at all.\nlabels: [nope]\n")
    write(drafts, "h.md", "---\nlabels: [unclosed]\n")
    write(drafts, ".hidden.md", "---\nlabels: [hidden]\n---\n")
    write(drafts, "notes.txt", "---\nlabels: [text file]\n---\n")
    write(drafts / "sub", "x.md", "---\nlabels: [sub folder]\n---\n")
    (drafts / "latin.md").write_bytes(b"---\nlabels: [caf\xe9]\n---\n")
    write(drafts, "long.md", "---\ntitle: L\n" + "note: x\n" * 2000 + "labels: [late]\n---\n")
    assert library_labels(drafts) == [
        "art",
        "bom",
        "housing",
        "late",
        "Local  politics",
        "news",
        "one",
        "read",
        "still",
        "Transit",
    ]
    assert library_labels(tmp_path / "missing") == []


def test_library_labels_rereads_only_changed_drafts(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    path = write(drafts, "a.md", "---\nlabels: [first]\n---\n")
    write(drafts, "b.md", "---\nlabels: [other]\n---\n")
    library = LibraryLabels()
    assert library.labels(drafts) == ["first", "other"]
    assert library.reads == 2
    assert library.labels(drafts) == ["first", "other"] and library.reads == 2
    path.write_text("---\nlabels: [second, longer]\n---\n")
    assert library.labels(drafts) == ["longer", "other", "second"] and library.reads == 3
    path.unlink()
    assert library.labels(drafts) == ["other"]


def test_known_labels_are_the_blogs_then_the_librarys(tmp_path: Path) -> None:
    paths = app_paths()
    BlogLabels(paths).save("blogger:1", ["Transit", "news"])
    write(paths.drafts_dir, "a.md", "---\nlabels: [transit, drafts only]\n---\n")
    assert known_labels(paths) == ["drafts only", "news", "Transit"], "the blog's spelling wins"


def test_library_labels_of_5000_drafts_is_fast(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for n in range(5000):
        (drafts / f"post-{n}.md").write_text(
            f'---\ntitle: "Post {n}"\ndate: 2024-01-01\nlabels: [news, "topic {n % 300}"]\n'
            f"status: draft\n---\n\n" + "A paragraph of the post. " * 200
        )
    started = time.perf_counter()
    labels = library_labels(drafts)
    elapsed = time.perf_counter() - started
    assert len(labels) == 301
    # A guard against a slow path (a YAML parse or whole-file read per draft), with room for a
    # busy machine; benchmarks/library.py reports the real figure.
    assert elapsed < 6.0, f"{elapsed:.2f} s for 5,000 drafts"
