"""Import a blog of thousands of posts from the loopback Blogger contract server.

    python -m benchmarks.blog_import --posts 2500

The posts cycle through the real Blogger shapes of tests/fixtures/blogger-html (each with its
own title and a numbered sentence). Prints, for a first import, an import run again, a sync
with nothing changed and a sync after some web edits: the time taken, the requests by API
method, and what the import report says. Everything runs in a temporary BROADSHEET_HOME.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

import keyring

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "blogger-html"


def _requests(server, since: Counter) -> Counter:  # type: ignore[no-untyped-def]
    with server.lock:
        now = Counter(op for op, _path in server.requests)
    return now - since


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2500)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--edits", type=int, default=25, help="web edits before the last sync")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="broadsheet-import-bench-"))
    os.environ["BROADSHEET_HOME"] = str(home)
    from tests.publish.blogger_server import BloggerServer
    from tests.publish.conftest import CLIENT_ID, CLIENT_SECRET, BrowserStub, MemoryKeyring

    keyring.set_keyring(MemoryKeyring())

    server = BloggerServer().start()
    server.add_client(CLIENT_ID, CLIENT_SECRET)
    os.environ.update(
        BROADSHEET_GOOGLE_AUTH_URL=server.auth_url,
        BROADSHEET_GOOGLE_TOKEN_URL=server.token_url,
        BROADSHEET_BLOGGER_API_URL=server.api_url,
        OAUTHLIB_INSECURE_TRANSPORT="1",  # loopback only: the fake Google
    )
    from editor.publish.blog_import import mirror_for
    from editor.publish.service import PublishService

    service = PublishService()
    service.set_google_client(CLIENT_ID, CLIENT_SECRET)
    browser = BrowserStub()
    service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=20)
    browser.join()
    shapes = json.loads((FIXTURES / "posts.json").read_text(encoding="utf-8"))
    ids = []
    with server.lock:
        for n in range(args.posts):
            shape = dict(shapes[n % len(shapes)])
            shape["title"] = f"{shape['title']} ({n + 1})"
            shape["content"] = f"<p>Post number {n + 1}.</p>" + shape["content"]
            shape.pop("url", None)
            ids.append(server.blogger.seed("7001", shape))
        for n in range(args.pages):
            page = {"title": f"Page {n + 1}", "content": f"<p>About us, part {n + 1}.</p>"}
            server.blogger.seed("7001", page, page=True)
    size = sum(len(p["content"]) for p in server.blogger.posts["7001"].values())
    print(f"Blog: {args.posts} posts ({size / 1e6:.1f} MB of HTML), {args.pages} pages")

    def run(label: str, action) -> None:  # type: ignore[no-untyped-def]
        before = _requests(server, Counter())
        start = time.perf_counter()
        report = action()
        took = time.perf_counter() - start
        counts = _requests(server, before)
        total = sum(counts.values())
        print(f"\n{label}: {took:.1f} s, {total} requests ({dict(sorted(counts.items()))})")
        for line in report.lines()[:4]:
            print(f"  {line}")
        print(
            f"  clean {report.clean}, partly HTML {len(report.partly_html)},"
            f" whole HTML {len(report.whole_html)}, failed {len(report.failed)}"
        )

    run("First import", lambda: mirror_for(service, None).import_all())
    drafts = len(list((home / "data" / "drafts").glob("*.md")))
    print(f"  drafts on disk: {drafts}")
    run("Import again (nothing changed)", lambda: mirror_for(service, None).import_all())
    run("Sync (nothing changed)", lambda: mirror_for(service, None).sync())
    with server.lock:
        for post_id in ids[: args.edits]:
            server.blogger.edit_on_web("7001", post_id, content="<p>Edited on the web.</p>")
    run(f"Sync after {args.edits} web edits", lambda: mirror_for(service, None).sync())
    server.stop()


if __name__ == "__main__":
    main()
