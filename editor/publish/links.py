"""Links that stay alive: check the outbound links of a blog's published posts.

The posts are listed the way import and sync list them (`BlogClient.list_page`, bodies
included), their links read from the HTML with the one link reader (`post_images.links_of`).
Each distinct link is checked once (link_check.py: polite, robots-aware). Links are checked
host by host on a few threads, so one host never gets two requests at once, under a total
time cap. Results are kept in the state folder keyed by address with the time of the check,
saved as they come (at least every few seconds): a check stopped by the time cap, Cancel or a
crash goes on where it stopped, and a later check re-tests only results older than a week.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from editor.core.atomic import atomic_write_text
from editor.core.kept_json import read_kept_table
from editor.core.paths import AppPaths, app_paths
from editor.core.post_images import links_of
from editor.publish.accounts import Blog
from editor.publish.base import LIVE, POST, BlogClient, RemotePost
from editor.publish.errors import ConfigError
from editor.publish.link_check import (
    DEAD,
    NOT_CHECKED,
    PARKED,
    UNCERTAIN,
    VERDICTS,
    LinkChecker,
    LinkVerdict,
)

if TYPE_CHECKING:
    from editor.publish.service import PublishService

MAX_AGE_DAYS = 7  # a result younger than this is not tested again
MAX_MINUTES = 10.0  # the whole check stops after this long (what is left: next time)
SAVE_EVERY = 2.0  # seconds: results are written at least this often while checking
HOSTS_AT_ONCE = 4  # hosts checked side by side (each host one request at a time)
LEFT_OVER = "not checked yet; run the check again to go on"
LinkProgress = Callable[[int, int, LinkVerdict], None]


def results_path(paths: AppPaths | None = None) -> Path:
    """The JSON file of kept link results."""
    return (paths or app_paths()).state_dir / "links.json"


class LinkStore:
    """Kept link results (address → verdict and time of the check) and, per blog, which posts
    link where; written atomically, at most every `every` seconds while results come in."""

    def __init__(self, path: Path, *, every: float = SAVE_EVERY) -> None:
        self.path = path
        self.every = every
        self.results: dict[str, dict[str, Any]] = read_kept_table(path, "results")
        self.posts: dict[str, Any] = read_kept_table(path, "posts")
        self._lock = threading.Lock()
        self._saved = time.monotonic()

    def fresh(self, url: str, now: datetime, max_age: timedelta) -> bool:
        """True when `url` has a result younger than `max_age` (an uncertain one never is)."""
        kept = self.results.get(url)
        if not isinstance(kept, dict) or kept.get("verdict") not in VERDICTS:
            return False
        if kept["verdict"] == UNCERTAIN:
            return False
        try:
            checked = datetime.fromisoformat(str(kept.get("checked")))
        except ValueError:
            return False
        return now - checked < max_age

    def verdict(self, url: str) -> LinkVerdict | None:
        """The kept verdict on `url`, if any."""
        kept = self.results.get(url)
        if not isinstance(kept, dict) or kept.get("verdict") not in VERDICTS:
            return None
        status = kept.get("status")
        return LinkVerdict(
            url,
            str(kept["verdict"]),
            str(kept.get("reason") or ""),
            status if isinstance(status, int) else None,
            str(kept.get("final_url") or ""),
        )

    def put(self, verdict: LinkVerdict, when: datetime) -> None:
        """Keep one result; saved when the last save is `every` seconds old."""
        entry = asdict(verdict)
        del entry["url"]
        entry["checked"] = when.isoformat(timespec="seconds")
        with self._lock:
            self.results[verdict.url] = entry
            due = time.monotonic() - self._saved >= self.every
        if due:
            self.save()

    def save(self) -> None:
        """Write the file now (atomically). Raises WriteError."""
        with self._lock:
            data = json.dumps(
                {"version": 1, "results": self.results, "posts": self.posts},
                ensure_ascii=False,
                indent=1,
                sort_keys=True,
            )
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, data + "\n")
            self._saved = time.monotonic()


@dataclass(frozen=True)
class PostLinks:
    """A published post, its outbound links, and those that are dead or parked."""

    post_id: str
    title: str
    url: str
    published: str
    links: list[str]
    problems: list[LinkVerdict] = field(default_factory=list)


@dataclass
class LinkReport:
    """One check of a blog's links."""

    blog: Blog
    posts: list[PostLinks]
    verdicts: dict[str, LinkVerdict]
    checked_now: int = 0
    kept: int = 0  # results taken from an earlier check
    stopped: str = ""  # why the check stopped early ("" when it finished)

    @property
    def broken(self) -> list[PostLinks]:
        """The posts with at least one dead or parked link."""
        return [p for p in self.posts if p.problems]

    def count(self, verdict: str) -> int:
        """How many distinct links have `verdict`."""
        return sum(1 for v in self.verdicts.values() if v.verdict == verdict)

    def summary(self) -> str:
        """One line for the writer."""
        text = (
            f"{len(self.verdicts)} links in {len(self.posts)} posts: {self.count(DEAD)} dead,"
            f" {self.count(PARKED)} parked, {self.count(UNCERTAIN)} uncertain (try again"
            f" later), {self.count(NOT_CHECKED)} not checked; {self.checked_now} checked now,"
            f" {self.kept} from earlier checks."
        )
        return f"{text} {self.stopped}" if self.stopped else text


def outbound_links(post: RemotePost, blog_url: str) -> list[str]:
    """The post's http(s) links to other sites, in order, once each."""
    own = (urlsplit(blog_url).hostname or "").lower()
    found: dict[str, None] = {}
    for link in links_of(post.content):
        try:
            parts = urlsplit(link.strip())
            host = parts.hostname
        except ValueError:  # not an address at all ("http://[oops")
            continue
        if parts.scheme not in ("http", "https") or not host:
            continue
        if own and host.lower() == own:
            continue
        found.setdefault(parts._replace(fragment="").geturl(), None)
    return list(found)


def published_posts(client: BlogClient, blog: Blog) -> list[RemotePost]:
    """The blog's live posts with their HTML, one list request per page of posts."""
    posts: list[RemotePost] = []
    token = ""
    while True:
        try:
            page = client.list_page(blog.remote_id, kind=POST, bodies=True, token=token)
        except NotImplementedError as exc:
            raise ConfigError(f"Broadsheet cannot list the posts of {blog.name}.") from exc
        posts.extend(p for p in page.items if p.status == LIVE)
        token = page.next_token
        if not token:
            return posts


def check_links(
    urls: list[str],
    checker: LinkChecker,
    store: LinkStore,
    *,
    deadline: float,
    cancel: threading.Event | None = None,
    on_result: LinkProgress | None = None,
    hosts_at_once: int = HOSTS_AT_ONCE,
) -> set[str]:
    """Check `urls` host by host until done, `deadline` (time.monotonic) or `cancel`; each
    result is kept in `store` as it comes. Returns the links checked."""
    stop = cancel or threading.Event()
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault((urlsplit(url).netloc or "").lower(), []).append(url)
    done: set[str] = set()
    lock = threading.Lock()

    def work(host_urls: list[str]) -> None:
        for url in host_urls:
            if stop.is_set() or time.monotonic() >= deadline:
                return
            verdict = checker.check(url)
            if stop.is_set():
                return  # cancelled while waiting for the answer: not kept, checked next time
            store.put(verdict, datetime.now(UTC))
            with lock:
                done.add(url)
                number = len(done)
            if on_result is not None:
                on_result(number, len(urls), verdict)
            if verdict.status == 429:
                return  # the site asked us to slow down: its other links wait for next time

    with ThreadPoolExecutor(max_workers=max(1, hosts_at_once)) as pool:
        for future in [pool.submit(work, group) for group in by_host.values()]:
            future.result()
    store.save()
    return done


def check_blog(
    service: PublishService,
    wanted: str | None,
    *,
    max_minutes: float = MAX_MINUTES,
    recheck: bool = False,
    max_age_days: float = MAX_AGE_DAYS,
    progress: Callable[[str], None] | None = None,
    on_result: LinkProgress | None = None,
    cancel: threading.Event | None = None,
    checker: LinkChecker | None = None,
) -> LinkReport:
    """Check the outbound links of the published posts of the blog `wanted` (None: the
    default blog). Raises PublishError subclasses when the posts cannot be listed, WriteError
    when the results cannot be kept."""
    say = progress or (lambda _text: None)
    started = time.monotonic()
    blog = service.accounts().find_blog(wanted)
    client = service.client_for(blog)
    say(f"Reading the published posts of {blog.name}…")
    posts = [
        PostLinks(p.id, p.title, p.url, p.published, outbound_links(p, blog.url))
        for p in published_posts(client, blog)
    ]
    posts = [p for p in posts if p.links]
    store = LinkStore(results_path(service.paths))
    store.posts[blog.key] = {
        p.post_id: {"title": p.title, "url": p.url, "published": p.published, "links": p.links}
        for p in posts
    }
    every = list(dict.fromkeys(link for p in posts for link in p.links))
    now = datetime.now(UTC)
    max_age = timedelta(days=max_age_days)
    todo = [u for u in every if recheck or not store.fresh(u, now, max_age)]
    say(f"Checking {len(todo)} of {len(every)} links in {len(posts)} posts…")
    checked = check_links(
        todo,
        checker or LinkChecker(service.session),
        store,
        deadline=started + max_minutes * 60,
        cancel=cancel,
        on_result=on_result,
    )
    left_over = set(todo) - checked
    verdicts: dict[str, LinkVerdict] = {}
    for url in every:
        kept = None if url in left_over else store.verdict(url)
        verdicts[url] = kept or LinkVerdict(url, NOT_CHECKED, LEFT_OVER)
    stopped = ""
    if left_over:
        left = len(left_over)
        if cancel is not None and cancel.is_set():
            why = "The check was cancelled"
        elif time.monotonic() >= started + max_minutes * 60:
            why = "The check ran out of time"
        else:
            why = "Some sites asked Broadsheet to slow down"
        stopped = f"{why} with {left} links left; run it again later to go on."
    report = LinkReport(
        blog,
        [
            PostLinks(
                p.post_id,
                p.title,
                p.url,
                p.published,
                p.links,
                [verdicts[u] for u in p.links if verdicts[u].verdict in (DEAD, PARKED)],
            )
            for p in posts
        ],
        verdicts,
        checked_now=len(checked),
        kept=len(every) - len(todo),
        stopped=stopped,
    )
    return report
