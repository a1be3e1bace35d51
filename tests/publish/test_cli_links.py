"""`broadsheet links check` and `broadsheet links fix`, end to end: the Blogger contract server,
loopback sites the posts link to, and a loopback stand-in for the Wayback Machine."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from editor.cli import main
from editor.core.paths import app_paths
from editor.publish.blog_import import mirror_for
from editor.publish.service import PublishService

from .blogger_server import BloggerServer
from .links_web import Site, Wayback, parked_site, web_site

BLOG = "blogger:7001"
DEAD_NAME = "http://old-newspaper.invalid/1998/budget"


@pytest.fixture
def parked() -> Iterator[Site]:
    site = parked_site().start()
    yield site
    site.stop()


@pytest.fixture
def web(parked: Site) -> Iterator[Site]:
    site = web_site(parked).start()
    yield site
    site.stop()


@pytest.fixture
def wayback(monkeypatch: pytest.MonkeyPatch) -> Iterator[Wayback]:
    stand_in = Wayback({DEAD_NAME: ("20150530101010", DEAD_NAME)})
    stand_in.site.start()
    monkeypatch.setenv("BROADSHEET_WAYBACK_URL", stand_in.url)
    yield stand_in
    stand_in.site.stop()
    assert stand_in.violations == []


def seed(server: BloggerServer, web: Site) -> dict[str, str]:
    posts = {
        "Sources for the council story": [web.url("/ok"), web.url("/missing"), DEAD_NAME],
        "The shop that closed": [web.url("/moved")],
        "All fine": [web.url("/ok2")],
    }
    with server.lock:
        return {
            title: server.blogger.seed(
                "7001",
                {
                    "title": title,
                    "content": "".join(f'<p><a href="{u}">source</a></p>' for u in links),
                    "published": "2015-06-01T10:00:00Z",
                },
            )
            for title, links in posts.items()
        }


def test_links_check_prints_dead_and_parked_links_per_post(
    signed_in: PublishService,
    server: BloggerServer,
    web: Site,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ids = seed(server, web)
    with server.lock:
        urls = {t: server.blogger.posts["7001"][i]["url"] for t, i in ids.items()}
    assert main(["links", "check", "--blog", "7001"]) == 0
    out, _err = capsys.readouterr()
    lines = out.splitlines()
    council = lines.index(f"Sources for the council story\t{urls['Sources for the council story']}")
    assert lines[council + 1] == f"  dead\t{web.url('/missing')}\tHTTP 404 (not found)"
    assert lines[council + 2] == f"  dead\t{DEAD_NAME}\tthe site's name no longer exists (DNS)"
    shop = lines.index(f"The shop that closed\t{urls['The shop that closed']}")
    assert lines[shop + 1].startswith(f"  parked\t{web.url('/moved')}\tleads to a domain-parking")
    assert not any(line.startswith("All fine") for line in lines)
    assert lines[-1] == (
        "5 links in 3 posts: 2 dead, 1 parked, 0 uncertain (try again later), 0 not checked;"
        " 5 checked now, 0 from earlier checks."
    )
    # Run again: nothing is sent, the kept results are reported; --json for scripts.
    sent = len(web.log)
    assert main(["links", "check", "--blog", "7001", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(web.log) == sent
    assert data["counts"] == {"ok": 2, "dead": 2, "parked": 1, "uncertain": 0, "not checked": 0}
    assert {p["title"] for p in data["posts"]} == {
        "Sources for the council story",
        "The shop that closed",
    }
    assert "0 checked now, 5 from earlier checks" in data["summary"]


def test_links_check_rejects_a_time_cap_of_nothing(
    signed_in: PublishService, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["links", "check", "--max-minutes", "0"]) == 1
    assert "--max-minutes" in capsys.readouterr().err


def test_links_fix_puts_the_archived_copy_in_the_draft_when_confirmed(
    signed_in: PublishService,
    server: BloggerServer,
    web: Site,
    wayback: Wayback,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(server, web)
    mirror_for(signed_in, BLOG).import_all()
    assert main(["links", "check", "--blog", "7001"]) == 0
    capsys.readouterr()
    [draft] = [
        p for p in app_paths().drafts_dir.glob("*.md") if DEAD_NAME in p.read_text(encoding="utf-8")
    ]
    before = draft.read_text(encoding="utf-8")
    archived = f"https://web.archive.org/web/20150530101010/{DEAD_NAME}"

    # The writer says no: nothing changes.
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert main(["links", "fix", DEAD_NAME, "--archive", "--blog", "7001"]) == 0
    out = capsys.readouterr().out
    assert f"Archived copy: {archived}" in out and "Nothing was changed." in out
    assert draft.read_text(encoding="utf-8") == before
    assert wayback.asked[-1] == {"url": [DEAD_NAME], "timestamp": ["20150601"]}

    # The writer says yes: the draft points at the copy; the blog is not touched.
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert main(["links", "fix", DEAD_NAME, "--archive", "--blog", "7001"]) == 0
    out = capsys.readouterr().out
    assert f"Replaced in {draft}" in out and "publish them to update the posts" in out
    after = draft.read_text(encoding="utf-8")
    assert archived in after and after.replace(archived, "").count(DEAD_NAME) == 0
    assert after == before.replace(DEAD_NAME, archived)
    assert server.count("blogger.posts.update") == 0


def test_links_fix_says_when_there_is_nothing_to_fix_with(
    signed_in: PublishService,
    server: BloggerServer,
    web: Site,
    wayback: Wayback,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed(server, web)
    mirror_for(signed_in, BLOG).import_all()
    assert main(["links", "check", "--blog", "7001"]) == 0
    capsys.readouterr()
    # Not archived.
    missing = web.url("/missing")
    assert main(["links", "fix", missing, "--archive", "--yes", "--blog", "7001"]) == 2
    assert "has no copy" in capsys.readouterr().err
    # No post links there.
    assert main(["links", "fix", "http://elsewhere.invalid/", "--archive", "--yes"]) == 2
    assert "No draft of a post" in capsys.readouterr().err
