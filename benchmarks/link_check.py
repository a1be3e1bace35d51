"""How long the polite link check takes: N links spread over H loopback sites, with the
default gap between two requests to one site. Prints one JSON line of figures.

    python -m benchmarks.link_check --links 40 --hosts 4 [--gap 1.0]

The time is dominated by the gap (one request at a time per site), not by the network: about
(links per site + 1 for robots.txt) x gap, the sites checked side by side.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

from editor.publish.link_check import MIN_GAP, LinkChecker
from editor.publish.links import LinkStore, check_links


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: Any) -> None:
        pass

    def do_HEAD(self) -> None:  # noqa: N802 - the http.server spelling
        status = 404 if self.path == "/robots.txt" else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=40)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--gap", type=float, default=MIN_GAP)
    args = parser.parse_args()
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _Ok) for _ in range(args.hosts)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = [
        f"http://127.0.0.1:{servers[i % args.hosts].server_address[1]}/page/{i}"
        for i in range(args.links)
    ]
    session = requests.Session()
    session.trust_env = False
    with tempfile.TemporaryDirectory() as folder:
        store = LinkStore(Path(folder) / "links.json")
        started = time.monotonic()
        done = check_links(
            urls,
            LinkChecker(session, gap=args.gap),
            store,
            deadline=started + 600,
        )
        seconds = time.monotonic() - started
        again = time.monotonic()
        fresh = [u for u in urls if not store.fresh(u, datetime.now(UTC), timedelta(days=7))]
        kept_seconds = time.monotonic() - again
    for server in servers:
        server.shutdown()
        server.server_close()
    print(
        json.dumps(
            {
                "links": args.links,
                "hosts": args.hosts,
                "gap_s": args.gap,
                "checked": len(done),
                "check_s": round(seconds, 2),
                "to_recheck_after": len(fresh),
                "kept_lookup_ms": round(kept_seconds * 1000, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
