"""The library index: the files stay the truth; the index follows them and survives its loss."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from editor.core.blog_state import CONFLICT, BlogStates, Mark
from editor.core.library_db import HIT_END, HIT_START, LibraryIndex, fts_query
from editor.core.paths import app_paths
from editor.core.post import draft_fingerprint, parse_post
from editor.core.post_records import store_records

WORDS = [
    "harbour",
    "boat",
    "tide",
    "quay",
    "gull",
    "net",
    "rope",
    "mast",
    "sail",
    "anchor",
    "storm",
    "lantern",
    "ferry",
    "pier",
    "dock",
    "council",
    "budget",
    "strike",
    "picket",
    "nurse",
    "depot",
    "banner",
    "hearing",
    "stadium",
    "ledger",
    "tram",
    "bridge",
]
LABELS = ["sea", "walks", "politics", "city", "Work Notes"]


def write(folder: Path, name: str, title: str, body: str, **meta: object) -> Path:
    lines = [f"title: {title}"] + [f"{k}: {v}" for k, v in meta.items()]
    path = folder / name
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    return path


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "drafts"
    folder.mkdir(parents=True)
    return folder


def index_of(drafts: Path) -> LibraryIndex:
    return LibraryIndex(drafts.parent / "library.sqlite3", drafts)


def generate(drafts: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for n in range(count):
        title = " ".join(rng.sample(WORDS, 2)).capitalize()
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60))) + ".\n"
        labels = rng.sample(LABELS, rng.randint(0, 2))
        year = rng.choice([2019, 2021, 2024])
        write(
            drafts,
            f"d{n:03}.md",
            title,
            body,
            labels=f"[{', '.join(labels)}]",
            date=f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        )


def scan(drafts: Path, query: str, label: str | None = None) -> set[str]:
    """What a plain read of every file finds: every query word starts a word of the title,
    labels or body (case aside); the label among the draft's labels."""
    wanted = re.findall(r"\w+", query.lower())
    found = set()
    for path in drafts.glob("*.md"):
        post = parse_post(path.read_text(encoding="utf-8"), path.name)
        words = re.findall(r"\w+", f"{post.title} {' '.join(post.labels)} {post.body}".lower())
        if all(any(w.startswith(q) for w in words) for q in wanted) and (
            label is None or label.casefold() in {x.casefold() for x in post.labels}
        ):
            found.add(path.name)
    return found


def names(hits: list) -> set[str]:
    return {hit.path.name for hit in hits}


def test_search_finds_what_a_plain_scan_of_the_files_finds(drafts: Path) -> None:
    generate(drafts, 120)
    index = index_of(drafts)
    assert index.refresh().read == 120
    for query in ["harb", "boat tide", "STORM", "quay gull net", "zzz", "council budget"]:
        assert names(index.search(query)) == scan(drafts, query), query
    for label in ["sea", "work notes", "POLITICS"]:
        assert names(index.search("", label=label)) == scan(drafts, "", label), label
        assert names(index.search("boat", label=label)) == scan(drafts, "boat", label)
    assert len(index.search("")) == 120


def test_hits_show_a_snippet_and_sort_as_asked(drafts: Path) -> None:
    write(drafts, "a.md", "Alpha", "one two three harbour four.\n", date="2024-01-02")
    write(drafts, "b.md", "beta", "harbour " * 40 + "\n", date="2025-05-06")
    index = index_of(drafts)
    index.refresh()
    [hit, _] = index.search("harbour", sort="title")
    assert hit.title == "Alpha" and f"{HIT_START}harbour{HIT_END}" in hit.snippet
    assert index.search("harbour", snippets=0)[0].snippet == ""
    later = index.snippets_for("harb", [drafts / "a.md"])
    assert later == {drafts / "a.md": f"one two three {HIT_START}harbour{HIT_END} four."}
    assert [h.title for h in index.search("", sort="date")] == ["beta", "Alpha"]
    assert [h.title for h in index.search("", sort="length")] == ["beta", "Alpha"]
    assert [h.title for h in index.search("", year=2024)] == ["Alpha"]
    assert index.years() == [2025, 2024]


def test_writers_typing_is_never_search_syntax() -> None:
    assert fts_query('harb "quay" OR NEAR(x) -gull*') == (
        '"harb"* AND "quay"* AND "OR"* AND "NEAR"* AND "x"* AND "gull"*'
    )
    assert fts_query("  ") == ""


def test_only_changed_files_are_read_and_outside_edits_are_followed(drafts: Path) -> None:
    generate(drafts, 30)
    index = index_of(drafts)
    index.refresh()
    assert index.refresh().read == 0, "nothing changed: nothing read"
    index.close()
    # While Broadsheet was closed: one file edited, one added, one removed.
    changed = drafts / "d003.md"
    changed.write_text(changed.read_text() + "\nA kittiwake arrived.\n")
    write(drafts, "new.md", "Newcomer", "A cormorant.\n")
    (drafts / "d004.md").unlink()
    again = index_of(drafts)
    outcome = again.refresh()
    assert (outcome.read, outcome.removed, outcome.unchanged) == (2, 1, 28)
    assert names(again.search("kittiwake")) == {"d003.md"}
    assert names(again.search("cormorant")) == {"new.md"}
    assert "d004.md" not in names(again.search(""))
    # While it runs: Broadsheet saves a draft and tells the index.
    write(drafts, "d005.md", "Renamed title", "Puffins.\n")
    again.update(drafts / "d005.md")
    assert names(again.search("puffin")) == {"d005.md"}
    again.forget(drafts / "d005.md")
    assert names(again.search("puffin")) == set()


def test_the_index_survives_deletion_and_a_truncated_file(drafts: Path) -> None:
    generate(drafts, 40)
    index = index_of(drafts)
    index.refresh()
    before = names(index.search("boat"))
    index.close()
    os.unlink(index.db_path)
    rebuilt = index_of(drafts)
    assert rebuilt.refresh().rebuilt and names(rebuilt.search("boat")) == before
    rebuilt.close()
    data = index.db_path.read_bytes()
    index.db_path.write_bytes(data[: len(data) // 3])  # a crash mid-write, a bad disk block
    for suffix in ("-wal", "-shm"):
        Path(f"{index.db_path}{suffix}").unlink(missing_ok=True)
    damaged = index_of(drafts)
    damaged.refresh()
    assert names(damaged.search("boat")) == before
    index.db_path.write_bytes(b"not a database at all" * 100)
    fresh = index_of(drafts)
    assert names(fresh.search("boat")) == before, "a search on a damaged index rebuilds it"


def test_status_follows_records_beside_the_draft_and_sync_marks(drafts: Path) -> None:
    local = write(drafts, "local.md", "Only here", "Words.\n")
    live = write(drafts, "live.md", "On the blog", "Words.\n")
    fingerprint = draft_fingerprint(parse_post(live.read_text(), live.name))
    store_records(live, {"blogger:1": {"id": "5", "status": "LIVE", "draft": fingerprint}})
    index = index_of(drafts)
    index.refresh()
    assert names(index.search("", status="local")) == {local.name}
    assert names(index.search("", status="published")) == {live.name}
    assert names(index.search("", blog="blogger:1")) == {live.name}
    live.write_text(live.read_text().replace("Words.", "Other words."))
    index.refresh()
    assert names(index.search("", status="changed")) == {live.name}
    states = BlogStates.at(drafts.parent / "blogs")
    state = states.load("blogger:1")
    state.marks["5"] = Mark(state=CONFLICT, path=str(live), title="On the blog", updated="")
    states.save("blogger:1", state)
    index.refresh()  # the file did not change; the mark did
    assert names(index.search("", status="conflict")) == {live.name}
    with pytest.raises(ValueError, match="unknown status"):
        index.search("", status="lost")


def test_a_file_that_cannot_be_read_is_listed_with_its_problem(drafts: Path) -> None:
    (drafts / "bad.md").write_bytes(b"\xff\xfe\x00\x00broken")
    index = index_of(drafts)
    index.refresh()
    [hit] = index.search("")
    assert hit.problem and hit.title == "bad"


def test_the_library_index_lives_in_the_data_folder() -> None:
    from editor.core.library_db import library_index

    paths = app_paths()
    index = library_index(paths.data_dir)
    assert index.db_path.parent == paths.data_dir and index.drafts_dir == paths.drafts_dir


def test_the_newest_draft_is_found_without_reading_any(drafts: Path) -> None:
    from editor.core.drafts import DraftStore

    store = DraftStore(drafts, drafts.parent / "trash")
    assert store.newest_draft() is None
    old = write(drafts, "old.md", "Old", "x\n")
    new = write(drafts, "new.md", "New", "y\n")
    os.utime(old, (1_000_000, 1_000_000))
    assert store.newest_draft() == new == store.list_drafts()[0].path
