"""Import a whole Blogger blog and sync web edits, against the loopback contract server."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from editor.core.blog_state import CONFLICT, DELETED, BlogStates
from editor.core.history import HistoryStore
from editor.core.paths import app_paths
from editor.core.post import parse_post
from editor.core.post_records import load_records, read_post, store_records
from editor.publish.blog_import import ImportProgress, mirror_for
from editor.publish.errors import ConflictError
from editor.publish.service import PublishService
from editor.publish.sync_conflicts import conflict_for, keep_mine, take_theirs

from .blogger_server import BloggerServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "blogger-html"
BLOG = "blogger:7001"


def examples() -> list[dict]:
    return json.loads((FIXTURES / "posts.json").read_text(encoding="utf-8"))


def seed_examples(server: BloggerServer) -> dict[str, str]:
    """The twelve real-shaped posts on blog 7001; returns title -> post id."""
    with server.lock:
        return {p["title"]: server.blogger.seed("7001", p) for p in examples()}


def drafts() -> list[Path]:
    return sorted(app_paths().drafts_dir.glob("*.md"))


def meta_of(path: Path) -> dict:
    return parse_post(path.read_text(encoding="utf-8"), path.name).meta


def record_of(path: Path) -> dict:
    return read_post(path).records[BLOG]


def draft_of(post_id: str) -> Path:
    [path] = [p for p in drafts() if record_of(p)["id"] == post_id]
    return path


def test_import_makes_one_draft_per_post_and_page_with_its_record(
    signed_in: PublishService, server: BloggerServer
) -> None:
    ids = seed_examples(server)
    with server.lock:
        page_id = server.blogger.seed(
            "7001", {"title": "About", "content": "<p>Who we are.</p>"}, page=True
        )
    seen: list[ImportProgress] = []
    report = mirror_for(signed_in, BLOG, progress=seen.append).import_all()
    assert report.error == "" and not report.failed
    assert (report.posts, report.pages) == (12, 1)
    assert (report.live, report.drafts, report.scheduled) == (12, 1, 0)
    assert len(drafts()) == 13 and len(report.created) == 13
    assert [p.done for p in seen] == list(range(1, 14))
    council = draft_of(ids["What happened at the council on Tuesday"])
    assert council.name == "what-happened-at-the-council-on-tuesday.md"
    meta = meta_of(council)
    assert meta["title"] == "What happened at the council on Tuesday"
    assert meta["labels"] == ["local politics", "housing"]
    assert str(meta["date"]) == "2009-03-18" and meta["status"] == "live"
    assert record_of(council)["updated"] == "2009-03-18T07:42:00-07:00"
    draft_post = draft_of(ids["Notes for next week (draft)"])
    assert meta_of(draft_post)["status"] == "draft" and "date" not in meta_of(draft_post)
    page = draft_of(page_id)
    assert record_of(page)["kind"] == "page" and meta_of(page)["title"] == "About"
    # The blog's labels, collected from its posts (Blogger cannot list them), for completion.
    from editor.core.blog_labels import BlogLabels

    known = BlogLabels(app_paths()).load(BLOG)
    assert {"local politics", "housing", "budget", "transit", "statements"} <= set(known)
    # One list request per page of results, never one request per post.
    assert server.count("blogger.posts.list") == 1 and server.count("blogger.pages.list") == 1
    assert server.count("blogger.posts.get") == 0


def test_import_again_skips_what_is_unchanged_and_duplicates_nothing(
    signed_in: PublishService, server: BloggerServer
) -> None:
    seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    before = {p: p.stat().st_mtime_ns for p in drafts()}
    report = mirror_for(signed_in, BLOG).import_all()
    assert report.created == [] and report.updated == [] and report.unchanged == 12
    assert {p: p.stat().st_mtime_ns for p in drafts()} == before


def test_publishing_an_imported_draft_updates_its_post(
    signed_in: PublishService, server: BloggerServer
) -> None:
    ids = seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    path = draft_of(ids["The budget line nobody read"])
    result = signed_in.publish(path)
    assert not result.created and result.post_id == ids["The budget line nobody read"]
    assert server.count("blogger.posts.insert") == 0
    with server.lock:
        post = server.blogger.posts["7001"][result.post_id]
    assert post["labels"] == ["budget", "transit"] and "<!--more-->" in post["content"]


def test_web_edit_comes_back_into_an_unedited_draft_and_the_old_text_is_kept(
    signed_in: PublishService, server: BloggerServer
) -> None:
    ids = seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    post_id = ids["Three demands, and what we do next"]
    path = draft_of(post_id)
    old = path.read_text(encoding="utf-8")
    with server.lock:
        server.blogger.edit_on_web(
            "7001", post_id, content="<p>Fixed on the web: four demands now.</p>"
        )
    report = mirror_for(signed_in, BLOG).sync()
    assert report.updated == [path] and report.conflicts == []
    assert "four demands now" in path.read_text(encoding="utf-8")
    history = HistoryStore(app_paths().data_dir / "history").snapshots(path)
    assert history and history[0].read() == old
    # Only the changed post was fetched; the list came without bodies.
    assert server.count("blogger.posts.get") == 1


def test_a_draft_changed_here_and_on_the_blog_is_never_overwritten(
    signed_in: PublishService, server: BloggerServer
) -> None:
    ids = seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    post_id = ids["Three demands, and what we do next"]
    path = draft_of(post_id)
    mine = path.read_text(encoding="utf-8") + "\nA paragraph written here.\n"
    path.write_text(mine, encoding="utf-8")
    with server.lock:
        server.blogger.edit_on_web("7001", post_id, content="<p>Written on the web.</p>")
    report = mirror_for(signed_in, BLOG).sync()
    assert report.conflicts == [path] and report.updated == []
    assert path.read_text(encoding="utf-8") == mine
    state = BlogStates(app_paths()).load(BLOG)
    assert state.marks[post_id].state == CONFLICT
    conflict = conflict_for(app_paths(), path)
    assert conflict is not None and "Written on the web." in conflict.theirs()
    take_theirs(app_paths(), conflict)
    assert "Written on the web." in path.read_text(encoding="utf-8")
    history = HistoryStore(app_paths().data_dir / "history").snapshots(path)
    assert history[0].read() == mine
    assert conflict_for(app_paths(), path) is None
    # Publishing the version taken from the blog updates the post without a conflict.
    assert signed_in.publish(path).post_id == post_id


def test_keeping_mine_puts_the_blog_version_in_history_and_publish_replaces_it(
    signed_in: PublishService, server: BloggerServer
) -> None:
    ids = seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    post_id = ids["Four lines of the budget, side by side"]
    path = draft_of(post_id)
    mine = path.read_text(encoding="utf-8").replace("Read the last row again.", "Read it twice.")
    path.write_text(mine, encoding="utf-8")
    with server.lock:
        server.blogger.edit_on_web("7001", post_id, content="<p>Web version.</p>")
    mirror_for(signed_in, BLOG).sync()
    conflict = conflict_for(app_paths(), path)
    assert conflict is not None
    keep_mine(app_paths(), conflict)
    text = path.read_text(encoding="utf-8")
    assert parse_post(text).body == parse_post(mine).body
    history = HistoryStore(app_paths().data_dir / "history").snapshots(path)
    assert "Web version." in history[0].read()
    result = signed_in.publish(path)  # no ConflictError: the writer chose his version
    with server.lock:
        assert "Read it twice." in server.blogger.posts["7001"][result.post_id]["content"]


def test_posts_new_or_deleted_on_the_blog(signed_in: PublishService, server: BloggerServer) -> None:
    ids = seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    gone = ids["Who pays for the stadium?"]
    path = draft_of(gone)
    with server.lock:
        server.blogger.delete_on_web("7001", gone)
        new_id = server.blogger.seed(
            "7001", {"title": "Written on the web", "content": "<p>Hi.</p>"}
        )
    report = mirror_for(signed_in, BLOG).sync()
    assert path.exists() and report.deleted == [path]
    assert BlogStates(app_paths()).load(BLOG).marks[gone].state == DELETED
    assert [p.name for p in report.created] == ["written-on-the-web.md"]
    assert record_of(report.created[0])["id"] == new_id


def test_an_import_stopped_by_the_network_resumes_where_it_stopped(
    signed_in: PublishService, server: BloggerServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("editor.publish.blogger.LIST_PAGE", 5)
    seed_examples(server)
    server.fault("blogger.posts.list", "reset", times=0)
    first = mirror_for(signed_in, BLOG)
    calls = {"n": 0}
    original = first.client.list_page

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            server.fault("blogger.posts.list", "reset", times=10)
        return original(*args, **kwargs)

    first.client.list_page = failing  # type: ignore[method-assign]
    report = first.import_all()
    assert report.error and len(report.created) == 5
    assert "goes on from there" in "\n".join(report.lines())
    server.faults.clear()
    lists_before = server.count("blogger.posts.list")
    second = mirror_for(signed_in, BLOG).import_all()
    assert second.resumed and second.error == ""
    assert len(drafts()) == 12 + 1 - 1  # 12 posts, no page, no duplicate
    assert len({record_of(p)["id"] for p in drafts()}) == 12
    # Resumed at page 2 (2 more pages with bodies), then one quick list without bodies.
    assert server.count("blogger.posts.list") - lists_before == 2 + 1


def test_cancel_stops_between_posts_and_import_goes_on_later(
    signed_in: PublishService, server: BloggerServer
) -> None:
    seed_examples(server)
    cancel = threading.Event()

    def stop_after_three(progress: ImportProgress) -> None:
        if progress.done == 3:
            cancel.set()

    report = mirror_for(signed_in, BLOG, progress=stop_after_three, cancel=cancel).import_all()
    assert report.cancelled and len(drafts()) == 3
    again = mirror_for(signed_in, BLOG).import_all()
    assert len(drafts()) == 12 and not again.cancelled


def test_odd_titles_and_contents(signed_in: PublishService, server: BloggerServer) -> None:
    odd = [
        {
            "title": "",
            "content": "<p>No title at all.</p>",
            "url": "http://notes.example.blogspot.com/2020/01/no-title.html",
        },
        {"title": "A/B: what? *really* <b>", "content": "<p>Slashes.</p>"},
        {"title": "Same title", "content": "<p>First of two.</p>"},
        {"title": "Same title", "content": "<p>Second of two.</p>"},
        {"title": "Broken", "content": "<div><p>Unclosed <b>bold <i>and</div></span> 3 < 4 text"},
        {"title": "Huge", "content": "<p>" + "Words go on and on. " * 250_000 + "</p>"},
    ]
    with server.lock:
        for item in odd:
            server.blogger.seed("7001", item)
    report = mirror_for(signed_in, BLOG).import_all()
    assert report.error == "" and not report.failed and len(report.created) == 6
    names = sorted(p.name for p in drafts())
    assert "no-title.md" in names and "ab-what-really-b.md" in names
    assert "same-title.md" in names and "same-title-2.md" in names
    assert any(p.name == "no-title.md" for p in report.untitled)
    texts = {p.name: p.read_text(encoding="utf-8") for p in drafts()}
    assert "First of two." in texts["same-title.md"] or "First of two." in texts["same-title-2.md"]
    assert "3" in texts["broken.md"] and "text" in texts["broken.md"]
    assert len(texts["huge.md"]) > 5_000_000


def test_publishing_keeps_labels_added_on_the_blog_but_not_ones_removed_here(
    signed_in: PublishService, server: BloggerServer
) -> None:
    ids = seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    post_id = ids["Who pays for the stadium?"]  # labels: budget, sports, class
    path = draft_of(post_id)
    text = path.read_text(encoding="utf-8").replace("\n- sports\n", "\n", 1)  # removed here
    path.write_text(text.replace("the real scandal", "the real, real scandal"), encoding="utf-8")
    with server.lock:
        post = server.blogger.posts["7001"][post_id]
        server.blogger.edit_on_web("7001", post_id, labels=[*post["labels"], "stadium"])
    signed_in.publish(path)  # a label added on the blog is no conflict
    with server.lock:
        labels = server.blogger.posts["7001"][post_id]["labels"]
    assert labels == ["budget", "class", "stadium"]


def test_a_draft_without_labels_never_wipes_the_labels_on_the_blog(
    signed_in: PublishService, server: BloggerServer, draft: Path
) -> None:
    result = signed_in.publish(draft)  # labels: [news, tests]
    text = draft.read_text(encoding="utf-8").replace("labels: [news, tests]\n", "")
    draft.write_text(text, encoding="utf-8")
    records = load_records(draft)
    del records[BLOG]["labels"]  # a record written before labels were kept
    store_records(draft, records)
    signed_in.publish(draft)
    with server.lock:
        assert server.blogger.posts["7001"][result.post_id]["labels"] == ["news", "tests"]


def test_the_quiet_sync_skips_blogs_checked_within_the_hour(
    signed_in: PublishService, server: BloggerServer
) -> None:
    from editor.publish.blog_import import blogs_due

    seed_examples(server)
    assert blogs_due(signed_in) == []  # never imported: nothing is synced unasked
    mirror_for(signed_in, BLOG).import_all()
    assert blogs_due(signed_in) == []
    states = BlogStates(app_paths())
    state = states.load(BLOG)
    state.last_sync = "2020-01-01T00:00:00+00:00"
    states.save(BLOG, state)
    assert [b.key for b in blogs_due(signed_in)] == [BLOG]


def test_command_line_import_and_sync_end_to_end(
    signed_in: PublishService, server: BloggerServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from editor.cli import main

    ids = seed_examples(server)
    assert main(["import", "--blog", "7001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Imported from Field Notes: 12 posts, 0 pages.")
    assert "New drafts: 12; brought up to date: 0; unchanged: 0." in out
    assert "Kept partly as HTML: watch-the-hearing-for-yourself.md" in out
    assert len(drafts()) == 12
    post_id = ids["Three demands, and what we do next"]
    path = draft_of(post_id)
    path.write_text(path.read_text(encoding="utf-8") + "\nMine.\n", encoding="utf-8")
    with server.lock:
        server.blogger.edit_on_web("7001", post_id, content="<p>Theirs.</p>")
        server.blogger.seed("7001", {"title": "Brand new", "content": "<p>New.</p>"})
    assert main(["sync"]) == 0
    out = capsys.readouterr().out
    assert "New drafts: 1;" in out and f"Changed on the blog and here: {path.name}." in out
    assert "--take-theirs FILE" in out
    assert main(["sync", "--take-theirs", str(path)]) == 0
    assert "Theirs." in path.read_text(encoding="utf-8")
    assert main(["sync", "--keep-mine", str(path)]) == 1
    assert "has no change from the blog waiting" in capsys.readouterr().err
    assert main(["import", "--blog", "nope"]) == 1


@pytest.mark.parametrize("example", [e["file"] for e in examples()])
def test_every_example_imports_whole_and_publishing_it_unchanged_shows_the_same_post(
    signed_in: PublishService, server: BloggerServer, example: str
) -> None:
    from editor.core.html_import import lost_words

    from ..core.html_facts import facts

    [shape] = [e for e in examples() if e["file"] == example]
    with server.lock:
        post_id = server.blogger.seed("7001", shape)
    report = mirror_for(signed_in, BLOG).import_all()
    assert report.whole_html == [] and report.failed == []
    path = draft_of(post_id)
    original = shape["content"]
    assert lost_words(original, parse_post(path.read_text(encoding="utf-8")).body) == []
    assert signed_in.publish(path).post_id == post_id  # the same post, updated
    with server.lock:
        published = server.blogger.posts["7001"][post_id]
    assert server.count("blogger.posts.insert") == 0
    before, after = facts(original), facts(published["content"])
    assert after.words == before.words
    assert after.images == before.images
    assert after.links == before.links
    assert after.captions == before.captions
    assert after.words_before_breaks == before.words_before_breaks
    assert published["labels"] == shape["labels"] and published["title"] == shape["title"]


def test_a_post_markdown_cannot_hold_is_imported_whole_as_html_and_reported(
    signed_in: PublishService, server: BloggerServer
) -> None:
    deep = "<blockquote>" * 2000 + "Deep words survive." + "</blockquote>" * 2000
    with server.lock:
        post_id = server.blogger.seed("7001", {"title": "Deep", "content": f"<p>Top.</p>{deep}"})
    report = mirror_for(signed_in, BLOG).import_all()
    path = draft_of(post_id)
    [(kept, why)] = report.whole_html
    assert kept == path and "nested 2,000 levels deep" in why
    assert f"Kept whole as HTML: {path.name} (" in "\n".join(report.lines())
    body = parse_post(path.read_text(encoding="utf-8")).body
    assert "Deep words survive." in body and "Top." in body
    assert signed_in.publish(path).post_id == post_id  # still publishable


def test_a_saved_place_the_blog_no_longer_accepts_starts_the_list_again(
    signed_in: PublishService, server: BloggerServer
) -> None:
    seed_examples(server)
    states = BlogStates(app_paths())
    state = states.load(BLOG)
    state.importing, state.resume_kind, state.resume_token = True, "post", "expired-token"
    states.save(BLOG, state)
    report = mirror_for(signed_in, BLOG).import_all()
    assert report.error == "" and report.resumed and len(drafts()) == 12


def test_a_status_change_on_the_blog_keeps_other_blogs_records_and_the_fingerprint(
    signed_in: PublishService, server: BloggerServer
) -> None:
    ids = seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    post_id = ids["The budget line nobody read"]
    path = draft_of(post_id)
    parsed = parse_post(path.read_text(encoding="utf-8"))
    other = {"id": "77", "url": "https://other.example/budget/", "status": "LIVE"}
    parsed.meta["publish"] = {"wordpress:other.example": other}  # as a draft from before has
    from editor.core.post import serialize_post

    path.write_text(serialize_post(parsed), encoding="utf-8")
    with server.lock:
        server.blogger.edit_on_web("7001", post_id, status="DRAFT")  # the words stay
    report = mirror_for(signed_in, BLOG).sync()
    assert report.conflicts == [] and report.failed == []
    meta = meta_of(path)
    assert meta["status"] == "draft"
    on_disk = read_post(path)
    assert on_disk.known_records()["wordpress:other.example"] == other  # never dropped
    assert on_disk.records[BLOG].get("draft")  # still knows the draft is unedited here
    with server.lock:
        server.blogger.edit_on_web("7001", post_id, content="<p>Fixed on the web.</p>")
    report = mirror_for(signed_in, BLOG).sync()
    assert report.updated == [path] and report.conflicts == []


def test_keeping_mine_takes_all_the_blog_knows_so_a_later_conflict_names_only_its_change(
    signed_in: PublishService, server: BloggerServer
) -> None:
    ids = seed_examples(server)
    mirror_for(signed_in, BLOG).import_all()
    post_id = ids["Four lines of the budget, side by side"]
    path = draft_of(post_id)
    path.write_text(path.read_text(encoding="utf-8") + "\nMine.\n", encoding="utf-8")
    with server.lock:
        server.blogger.edit_on_web("7001", post_id, content="<p>Web version.</p>")
    mirror_for(signed_in, BLOG).sync()
    keep_mine(app_paths(), conflict_for(app_paths(), path))
    with server.lock:
        server.blogger.edit_on_web("7001", post_id, title="Retitled on the web")
    with pytest.raises(ConflictError) as caught:
        signed_in.publish(path)
    assert caught.value.changed_fields() == ["title"]  # the content was settled by the choice
