"""A stand-in for an upload tool (PicGo, uPic, …) for the custom-command image host.

Usage: fake_uploader.py FOLDER BASE_URL [--fail|--garbage|--sleep S|--log FILE] PATH...
Copies each PATH into FOLDER as <sha256[:16]><ext> and prints a log line, then one URL per
file as the last lines. A name that cannot be written (a folder is in the way) fails the run
with exit code 3 and a message on stderr, as a real tool would.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    folder, base = Path(argv[0]), argv[1].rstrip("/")
    rest = argv[2:]
    mode, log = "", None
    while rest and rest[0].startswith("--"):
        option = rest.pop(0)
        if option == "--sleep":
            time.sleep(float(rest.pop(0)))
        elif option == "--log":
            log = Path(rest.pop(0))
        else:
            mode = option
    if log is not None:
        with log.open("a", encoding="utf-8") as fh:
            fh.write(" ".join(rest) + "\n")
    if mode == "--fail":
        print("upload failed: the remote said 403 Forbidden", file=sys.stderr)
        return 2
    print(f"[fake-uploader] uploading {len(rest)} file(s)")
    urls = []
    for name in rest:
        path = Path(name)
        data = path.read_bytes()
        target = folder / (hashlib.sha256(data).hexdigest()[:16] + path.suffix.lower())
        try:
            shutil.copyfile(path, target)
        except OSError as exc:
            print(f"cannot store {path.name}: {exc.strerror}", file=sys.stderr)
            return 3
        urls.append(f"{base}/{target.name}")
    if mode == "--garbage":
        urls[-1] = "ftp://not-a-web-address/x.png"
    print("\n".join(urls))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
