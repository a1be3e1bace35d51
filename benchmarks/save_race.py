"""Save back to back while another program writes the same file; count what was lost.

    python -m benchmarks.save_race [--seconds 5] [--json]

Two threads share one draft. "Another program" writes numbered versions of its own with
atomic replaces, each through an atomic exchange so that it knows exactly which version it
superseded itself. Broadsheet's side saves back to back with the window's rule: write only if
the file holds a version it knows; a refused save "notices" the other version and carries on
from it. At the end every version the other program wrote has a fate: superseded by its own
next write, noticed by a check, kept in the history by the exchange-rename, still on disk — or
overwritten without notice. The run is made twice in one process: with today's checked save
and with the earlier check-then-write (`naive`), for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

from editor.core.atomic import rename_exchange, write_temp
from editor.core.checked_save import save_checked
from editor.core.documents import content_hash, write_document

THEIRS = re.compile(r"their version (\d+)\n")


def _ids(data: bytes | None) -> set[int]:
    return {int(m) for m in THEIRS.findall(data.decode())} if data else set()


def _theirs(path: Path, stop: threading.Event, superseded: set[int], written: list[int]) -> None:
    """The other program: numbered versions, each replacing the file atomically."""
    number = 0
    while not stop.is_set():
        number += 1
        data = f"their version {number}\n".encode() + b"x" * 2000
        tmp = write_temp(path.parent, "theirs", data, 0o644)
        try:
            if not rename_exchange(tmp, path):
                raise RuntimeError("this filesystem cannot exchange two names atomically")
            superseded |= _ids(tmp.read_bytes())  # what it replaced itself
        finally:
            tmp.unlink()
        written.append(number)
        time.sleep(0.0005)


def run(seconds: float, naive: bool) -> dict[str, object]:
    """One race; the fates of the other program's versions."""
    folder = Path(tempfile.mkdtemp(prefix="broadsheet-race-"))
    path = folder / "essay.md"
    path.write_bytes(b"ours 0\n")
    known = content_hash(path.read_bytes())
    stop = threading.Event()
    superseded: set[int] = set()
    written: list[int] = []
    noticed: set[int] = set()
    kept: set[int] = set()
    other = threading.Thread(target=_theirs, args=(path, stop, superseded, written))
    other.start()
    saves = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        saves += 1
        ours = f"ours {saves}\n".encode() + b"y" * 4000
        if naive:
            current = path.read_bytes()
            if content_hash(current) != known:
                noticed |= _ids(current)
                known = content_hash(current)
                continue
            known = write_document(path, ours.decode())
            continue
        outcome = save_checked(path, ours, {known})
        if outcome.found is not None:
            noticed |= _ids(outcome.found.data)
            if outcome.found.data is not None:
                known = content_hash(outcome.found.data)  # the writer chose; carry on
            continue
        assert outcome.digest is not None
        known = outcome.digest
        kept |= _ids(outcome.replaced)
    stop.set()
    other.join()
    on_disk = _ids(path.read_bytes())
    accounted = superseded | noticed | kept | on_disk
    lost = sorted(set(written) - accounted)
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()
    return {
        "mode": "naive" if naive else "checked",
        "our_saves": saves,
        "their_writes": len(written),
        "superseded_by_themselves": len(superseded & set(written)),
        "noticed_before_writing": len(noticed),
        "kept_in_history": len(kept),
        "overwritten_without_notice": len(lost),
    }


def main(argv: list[str] | None = None) -> int:
    """Run both modes and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if os.name != "posix":
        print("needs Linux (atomic exchange of two names)", file=sys.stderr)
        return 2
    results = [run(args.seconds, naive=True), run(args.seconds, naive=False)]
    if args.json:
        print(json.dumps(results))
    else:
        for result in results:
            print(", ".join(f"{k}: {v}" for k, v in result.items()))
    return 0 if results[1]["overwritten_without_notice"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
