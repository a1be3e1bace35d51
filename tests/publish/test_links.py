"""The link check of published posts, against loopback sites and the Blogger contract server:
verdicts, politeness (rate limit, robots.txt, HEAD then GET), kept results, resuming, and the
archived copy put into the writer's draft."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from editor.core.paths import app_paths
from editor.publish.blog_import import mirror_for
from editor.publish.link_archive import (
    archive_timestamp,
    archived_copy,
    drafts_linking,
    replace_in_draft,
    replace_link,
)
from editor.publish.link_check import (
    DEAD,
    NOT_CHECKED,
    OK,
    PARKED,
    UNCERTAIN,
    HostGate,
    LinkChecker,
    site_of,
)
from editor.publish.links import LinkStore, check_blog, check_links, results_path
from editor.publish.service import PublishService

from .blogger_server import BloggerServer
from .links_web import SLOW_SECONDS, Site, Wayback, closed_port, parked_site, web_site

BLOG = "blogger:7001"
QUICK = (1.0, 1.0)  # connect, read: the slow page answers after SLOW_SECONDS


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
def session() -> Iterator[requests.Session]:
    s = requests.Session()
    s.trust_env = False  # no proxy from the environment: loopback only
    yield s
    s.close()


def checker(session: requests.Session, gap: float = 0.0) -> LinkChecker:
    return LinkChecker(session, gap=gap, timeout=QUICK)


def test_each_kind_of_answer_gets_its_verdict(web: Site, session: requests.Session) -> None:
    check = checker(session).check
    assert QUICK[1] < SLOW_SECONDS
    found = {
        path: check(web.url(path))
        for path in [
            "/ok",
            "/missing",
            "/gone",
            "/nohead",
            "/slow",
            "/busy",
            "/broken",
            "/hop1",
            "/moved",
            "/private/diary",
            "/loop",
            "/expired",
            "/home",
            "/head-wrong",
        ]
    }
    verdicts = {path: v.verdict for path, v in found.items()}
    assert verdicts == {
        "/ok": OK,
        "/missing": DEAD,
        "/gone": DEAD,
        "/nohead": OK,
        "/slow": UNCERTAIN,
        "/busy": UNCERTAIN,
        "/broken": UNCERTAIN,
        "/hop1": OK,
        "/moved": PARKED,
        "/private/diary": NOT_CHECKED,
        "/loop": UNCERTAIN,
        "/expired": PARKED,
        "/home": OK,
        "/head-wrong": OK,
    }
    assert found["/missing"].reason == "HTTP 404 (not found)"
    assert found["/gone"].reason == "HTTP 410 (gone)"
    assert "wait 120 s" in found["/busy"].reason
    assert found["/hop1"].final_url == web.url("/ok")
    assert "parking" in found["/moved"].reason and "localhost" in found["/moved"].reason
    assert "robots.txt" in found["/private/diary"].reason
    # HEAD first, GET only where HEAD was refused; nothing sent where robots.txt says no.
    assert web.requests_to("/ok") == ["HEAD", "HEAD"]  # itself, and the end of /hop1's chain
    assert web.requests_to("/nohead") == ["HEAD", "GET"]
    assert web.requests_to("/private/diary") == []
    assert web.requests_to("/robots.txt") == ["GET"]  # once per site
    assert web.requests_to("/busy") == ["HEAD"]  # a 429 is not hammered
    assert web.requests_to("/missing") == ["HEAD", "GET"]  # "dead" only after a GET too
    assert web.requests_to("/head-wrong") == ["HEAD", "GET"]


def test_no_such_name_and_refused_connections_are_dead(session: requests.Session) -> None:
    check = checker(session).check
    gone = check("http://no-longer-here.invalid/essay")
    refused = check(f"http://127.0.0.1:{closed_port()}/page")
    assert (gone.verdict, gone.reason) == (DEAD, "the site's name no longer exists (DNS)")
    assert (refused.verdict, refused.reason) == (DEAD, "the site refuses connections")
    assert check("http://[::1/broken").verdict == NOT_CHECKED  # no address at all


def test_a_redirect_within_a_site_is_not_taken_for_parking(
    web: Site, session: requests.Session
) -> None:
    assert checker(session).check(web.url("/hop1")).verdict == OK
    assert web.requests_to("/ok") == ["HEAD"]  # no page read: it stayed on the site
    assert site_of("https://www.bbc.co.uk/news") == "bbc.co.uk"
    assert site_of("http://blog.example.com/x") == "example.com"


def test_one_request_at_a_time_per_host_with_a_gap(web: Site, session: requests.Session) -> None:
    gap = 0.3
    links = [web.url(p) for p in ["/ok", "/ok2", "/ok3", "/ok4", "/missing"]]
    one = checker(session, gap)
    threads = [threading.Thread(target=one.check, args=(u,)) for u in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    # The site writes its log after the answer has gone out: the last line may come a moment
    # after the checker has its answer.
    deadline = time.monotonic() + 5
    while len(web.log) < 7 and time.monotonic() < deadline:
        time.sleep(0.01)
    log = sorted(web.log)
    assert len(log) == 7  # robots.txt, five HEADs, and the GET that confirms the 404
    starts = [start for start, _end, _m, _p in log]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= gap - 0.02, gaps
    # Never two at once: each request started after the one before had been answered.
    assert all(log[i + 1][0] >= log[i][1] for i in range(len(log) - 1))


def test_the_gate_waits_only_for_its_own_host() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    gate = HostGate(1.0, clock=lambda: now[0], sleep=sleep)
    fake = requests.Response()
    for url in ["http://a.test/1", "http://b.test/1", "http://a.test/2"]:
        gate.run(url, lambda: fake)
    assert slept == [1.0]  # a.test waited; b.test did not


# --- a blog whose posts link to those sites ---------------------------------------------------


def seed(server: BloggerServer, web: Site) -> dict[str, str]:
    posts = {
        "Sources for the council story": [
            web.url("/ok"),
            web.url("/missing"),
            "http://old-newspaper.invalid/1998/budget",
        ],
        "The shop that closed": [web.url("/moved"), web.url("/ok2")],
        "Links that still work": [web.url("/ok3"), web.url("/nohead"), web.url("/gone")],
        "Internal only": ["http://notes.example.blogspot.com/2020/01/older.html"],
    }
    ids = {}
    with server.lock:
        for title, links in posts.items():
            body = "".join(f'<p><a href="{u}">a source</a></p>' for u in links)
            ids[title] = server.blogger.seed(
                "7001", {"title": title, "content": body, "published": "2015-06-01T10:00:00Z"}
            )
        server.blogger.seed(
            "7001",
            {"title": "Unpublished", "content": f'<a href="{web.url("/ok4")}">x</a>'},
        )
        server.blogger.seed(
            "7001",
            {
                "title": "A draft",
                "status": "DRAFT",
                "content": f'<a href="{web.url("/gone")}">x</a>',
            },
        )
    return ids


def test_check_blog_lists_dead_and_parked_links_per_post(
    signed_in: PublishService, server: BloggerServer, web: Site, session: requests.Session
) -> None:
    seed(server, web)
    report = check_blog(signed_in, BLOG, checker=checker(session))
    problems = {p.title: [(v.url, v.verdict) for v in p.problems] for p in report.broken}
    assert problems == {
        "Sources for the council story": [
            (web.url("/missing"), DEAD),
            ("http://old-newspaper.invalid/1998/budget", DEAD),
        ],
        "The shop that closed": [(web.url("/moved"), PARKED)],
        "Links that still work": [(web.url("/gone"), DEAD)],
    }
    # Live posts only; links to the blog itself are not outbound.
    assert {p.title for p in report.posts} == {
        "Sources for the council story",
        "The shop that closed",
        "Links that still work",
        "Unpublished",
    }
    assert web.requests_to("/gone") == ["HEAD", "GET"]  # two posts, one check
    assert report.count(DEAD) == 3 and report.count(PARKED) == 1 and report.count(OK) == 5
    assert report.checked_now == 9 and report.kept == 0 and report.stopped == ""
    assert report.summary().startswith("9 links in 4 posts: 3 dead, 1 parked, 0 uncertain")
    kept = json.loads(results_path().read_text(encoding="utf-8"))
    assert kept["results"][web.url("/missing")]["verdict"] == DEAD
    assert set(kept["posts"][BLOG]) == {p.post_id for p in report.posts}


def test_a_second_check_retests_only_old_results(
    signed_in: PublishService, server: BloggerServer, web: Site, session: requests.Session
) -> None:
    seed(server, web)
    check_blog(signed_in, BLOG, checker=checker(session))
    before = len(web.log)
    again = check_blog(signed_in, BLOG, checker=checker(session))
    assert len(web.log) == before and again.checked_now == 0 and again.kept == 9
    assert again.count(DEAD) == 3  # the kept verdicts are reported
    # One result grows old: only that link is checked again.
    path = results_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    old = (datetime.now(UTC) - timedelta(days=8)).isoformat(timespec="seconds")
    data["results"][web.url("/gone")]["checked"] = old
    path.write_text(json.dumps(data), encoding="utf-8")
    third = check_blog(signed_in, BLOG, checker=checker(session))
    assert third.checked_now == 1 and web.paths()[before:] == ["/robots.txt", "/gone", "/gone"]
    # --recheck: everything again.
    fourth = check_blog(signed_in, BLOG, checker=checker(session), recheck=True)
    assert fourth.checked_now == 9


def test_an_interrupted_check_goes_on_with_the_rest(
    signed_in: PublishService, server: BloggerServer, web: Site, session: requests.Session
) -> None:
    seed(server, web)
    cancel = threading.Event()
    seen: list[str] = []

    def stop_after_three(done: int, _total: int, verdict: object) -> None:
        seen.append(verdict.url)
        if done == 3:
            cancel.set()

    first = check_blog(
        signed_in, BLOG, checker=checker(session), cancel=cancel, on_result=stop_after_three
    )
    assert "was cancelled" in first.stopped
    kept = LinkStore(results_path()).results
    assert set(kept) == set(seen) and len(kept) >= 3
    assert first.count(NOT_CHECKED) == 9 - len(kept)
    heads_before = [p for p in web.paths() if p != "/robots.txt"]
    second = check_blog(signed_in, BLOG, checker=checker(session))
    assert second.checked_now == 9 - len(kept) and second.kept == len(kept)
    heads_after = [p for p in web.paths() if p != "/robots.txt"][len(heads_before) :]
    prefix = web.url("")
    done_before = {u.removeprefix(prefix) for u in seen if u.startswith(prefix)}
    assert heads_after and not set(heads_after) & done_before
    assert second.count(DEAD) == 3 and second.stopped == ""


def test_the_time_cap_stops_the_check_and_says_so(
    signed_in: PublishService, server: BloggerServer, web: Site, session: requests.Session
) -> None:
    seed(server, web)
    report = check_blog(signed_in, BLOG, checker=checker(session, gap=0.5), max_minutes=0.01)
    assert "ran out of time" in report.stopped
    assert report.checked_now < 9 and report.count(NOT_CHECKED) == 9 - report.checked_now


# --- the archived copy -------------------------------------------------------------------------


@pytest.fixture
def wayback(monkeypatch: pytest.MonkeyPatch) -> Iterator[Wayback]:
    stand_in = Wayback(
        {
            "http://old-newspaper.invalid/1998/budget": (
                "20150530101010",
                "http://old-newspaper.invalid/1998/budget",
            )
        }
    )
    stand_in.site.start()
    monkeypatch.setenv("BROADSHEET_WAYBACK_URL", stand_in.url)
    yield stand_in
    stand_in.site.stop()
    assert stand_in.violations == []


def test_the_archive_is_asked_for_the_copy_closest_to_the_post(
    wayback: Wayback, session: requests.Session
) -> None:
    copy = archived_copy(session, "http://old-newspaper.invalid/1998/budget", near="20150601")
    assert copy is not None
    assert (
        copy.url
        == "https://web.archive.org/web/20150530101010/http://old-newspaper.invalid/1998/budget"
    )
    assert copy.timestamp == "20150530101010"
    assert wayback.asked[-1] == {
        "url": ["http://old-newspaper.invalid/1998/budget"],
        "timestamp": ["20150601"],
    }
    assert archived_copy(session, "http://never-archived.invalid/") is None
    assert archive_timestamp("2015-06-01T10:00:00Z") == "20150601"


def test_replace_link_changes_whole_addresses_only() -> None:
    text = "[a](https://a.test/x) and [b](https://a.test/x/y) <https://a.test/x>.\n"
    new, count = replace_link(
        text, "https://a.test/x", "https://web.archive.org/web/1/https://a.test/x"
    )
    assert count == 2
    assert "(https://a.test/x/y)" in new
    assert "<https://web.archive.org/web/1/https://a.test/x>." in new


def test_the_dead_link_is_replaced_in_the_draft_of_its_post(
    signed_in: PublishService,
    server: BloggerServer,
    web: Site,
    wayback: Wayback,
    session: requests.Session,
) -> None:
    ids = seed(server, web)
    mirror_for(signed_in, BLOG).import_all()
    check_blog(signed_in, BLOG, checker=checker(session))
    dead = "http://old-newspaper.invalid/1998/budget"
    posts = LinkStore(results_path()).posts[BLOG]
    found = drafts_linking(app_paths().drafts_dir, BLOG, posts, dead)
    assert [post_id for post_id, _d in found] == [ids["Sources for the council story"]]
    draft: Path = found[0][1]
    before = draft.read_text(encoding="utf-8")
    assert dead in before
    copy = archived_copy(session, dead, near="20150601")
    assert copy is not None
    assert replace_in_draft(draft, dead, copy.url) == 1
    after = draft.read_text(encoding="utf-8")
    assert dead not in after.replace(copy.url, "") and copy.url in after
    assert after.split("---", 2)[1] == before.split("---", 2)[1]  # front matter untouched
    assert server.count("blogger.posts.update") == 0  # nothing republished


def test_results_are_written_as_they_come(tmp_path: Path) -> None:
    from editor.publish.link_check import LinkVerdict

    store = LinkStore(tmp_path / "links.json", every=0.0)
    store.put(LinkVerdict("https://a.test/x", DEAD, "HTTP 404 (not found)", 404), datetime.now(UTC))
    kept = LinkStore(tmp_path / "links.json")  # as a run after a crash reads it
    verdict = kept.verdict("https://a.test/x")
    assert verdict is not None and (verdict.verdict, verdict.status) == (DEAD, 404)
    assert kept.fresh("https://a.test/x", datetime.now(UTC), timedelta(days=7))
    assert not kept.fresh(
        "https://a.test/x", datetime.now(UTC) + timedelta(days=8), timedelta(days=7)
    )


def test_a_site_that_asks_to_slow_down_is_left_for_the_next_check(
    web: Site, session: requests.Session, tmp_path: Path
) -> None:
    store = LinkStore(tmp_path / "links.json")
    urls = [web.url("/busy"), web.url("/ok"), web.url("/ok2")]
    deadline = time.monotonic() + 60
    done = check_links(urls, checker(session), store, deadline=deadline)
    assert done == {web.url("/busy")}
    assert web.requests_to("/ok") == [] and web.requests_to("/ok2") == []
    kept = store.verdict(web.url("/busy"))
    assert kept is not None and kept.verdict == UNCERTAIN
    assert not store.fresh(web.url("/busy"), datetime.now(UTC), timedelta(days=7))
