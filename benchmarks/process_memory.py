"""Where a process's memory goes, read from /proc (Linux): RSS, PSS and USS, and by mapping.

    python -m benchmarks.process_memory PID [--top 15] [--json]

- RSS: pages of the process in RAM, shared ones counted whole (libraries used by every
  program count in full in each);
- PSS: each shared page divided by the number of processes mapping it (the fair share; the
  PSS of several processes adds up to what they really take);
- USS: pages only this process maps (Private_Clean + Private_Dirty): what ending it frees;
- anonymous: the part of RSS that is data (heaps, stacks), not a file's pages (library code,
  fonts), which the kernel can drop and read again.

Figures come from /proc/<pid>/smaps_rollup; the mappings from /proc/<pid>/smaps, grouped by
file (anonymous memory under its bracketed name, e.g. [heap], or [anon]).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Swap", "Anonymous")
# Software OpenGL (Mesa's llvmpipe) and its compiler: what a GPU-less desktop pays for GL.
SOFTWARE_GL = ("libLLVM", "libgallium", "swrast_dri", "llvmpipe", "kms_swrast")


@dataclass(frozen=True)
class Usage:
    """Memory of one process (or a sum of several), in kB."""

    rss: int = 0
    pss: int = 0
    uss: int = 0
    swap: int = 0
    anonymous: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.rss + other.rss,
            self.pss + other.pss,
            self.uss + other.uss,
            self.swap + other.swap,
            self.anonymous + other.anonymous,
        )

    def mb(self) -> dict[str, float]:
        """The figures in MB (1024 kB), rounded to 0.1."""
        return {
            "rss_mb": round(self.rss / 1024, 1),
            "pss_mb": round(self.pss / 1024, 1),
            "uss_mb": round(self.uss / 1024, 1),
            "anonymous_mb": round(self.anonymous / 1024, 1),
        }


def _fields(text: str) -> dict[str, int]:
    values: dict[str, int] = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name in FIELDS:
            parts = rest.split()
            if parts and parts[0].isdigit():
                values[name] = values.get(name, 0) + int(parts[0])
    return values


def _usage_of(values: dict[str, int]) -> Usage:
    return Usage(
        rss=values.get("Rss", 0),
        pss=values.get("Pss", 0),
        uss=values.get("Private_Clean", 0) + values.get("Private_Dirty", 0),
        swap=values.get("Swap", 0),
        anonymous=values.get("Anonymous", 0),
    )


def usage(pid: int) -> Usage:
    """RSS, PSS and USS of one process (zeros when it is gone or not ours to read)."""
    try:
        values = _fields(Path(f"/proc/{pid}/smaps_rollup").read_text())
    except OSError:
        return Usage()
    return _usage_of(values)


def descendants(pid: int) -> list[int]:
    """Every process started by `pid`, and by those, and so on."""
    found: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                children = [int(c) for c in task.read_text().split()]
            except (OSError, ValueError):
                continue
            found.extend(children)
            stack.extend(children)
    return found


def _kind(pid: int) -> tuple[str, str]:
    """A process's program name and Chromium --type ("" when it has none)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?", ""
    name = Path(args[0].decode(errors="replace")).name if args and args[0] else "?"
    for arg in args[1:]:
        if arg.startswith(b"--type="):
            return name, arg[7:].decode(errors="replace")
    return name, ""


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def command_name(pid: int) -> str:
    """A short name for a process: its program and, for Chromium's, its --type. A zygote's
    children keep its command line: they are the renderers (one per page's site)."""
    name, kind = _kind(pid)
    if kind == "zygote" and _kind(_parent(pid))[1] == "zygote":
        return f"{name} renderer"
    return f"{name} {kind}".strip()


def mappings(pid: int) -> dict[str, Usage]:
    """Memory by mapped file (or anonymous region name), summed over its mappings."""
    groups: dict[str, Usage] = {}
    try:
        text = Path(f"/proc/{pid}/smaps").read_text()
    except OSError:
        return groups
    name = ""
    block: list[str] = []

    def close() -> None:
        if not block:
            return
        here = _usage_of(_fields("\n".join(block)))
        groups[name] = groups.get(name, Usage()) + here

    for line in text.splitlines():
        head = line.split(maxsplit=5)
        # A mapping's header: "start-end perms offset dev inode [path]".
        if len(head) >= 5 and "-" in head[0] and ":" not in head[0]:
            close()
            block = []
            name = head[5].strip() if len(head) == 6 else "[anon]"
        else:
            block.append(line)
    close()
    return groups


def report(pid: int, top: int = 15) -> dict[str, object]:
    """The app process, each child, the total, and the app's largest mappings."""
    own = usage(pid)
    children = [(child, command_name(child), usage(child)) for child in descendants(pid)]
    total = own
    for _child, _name, figures in children:
        total = total + figures
    groups = mappings(pid)
    return {
        "app": own.mb(),
        "software_gl": sorted(
            Path(name).name for name in groups if any(key in name for key in SOFTWARE_GL)
        ),
        "children": [{"pid": c, "name": n, **u.mb()} for c, n, u in children],
        "total": total.mb(),
        "processes": 1 + len(children),
        "top_mappings": [
            {"mapping": name, **figures.mb()}
            for name, figures in sorted(groups.items(), key=lambda i: i[1].rss, reverse=True)[:top]
        ],
    }


def format_report(result: dict[str, object]) -> str:
    """The report as lines for a person."""
    app: dict[str, float] = result["app"]  # type: ignore[assignment]
    total: dict[str, float] = result["total"]  # type: ignore[assignment]
    lines = [
        f"memory, app process:  RSS {app['rss_mb']} MB, PSS {app['pss_mb']} MB, "
        f"USS {app['uss_mb']} MB (anonymous, i.e. data not file pages: {app['anonymous_mb']} MB)",
        f"memory, with WebEngine ({result['processes']} processes): RSS {total['rss_mb']} MB "
        f"(shared pages counted in each), PSS {total['pss_mb']} MB, USS {total['uss_mb']} MB",
    ]
    for child in result["children"]:  # type: ignore[attr-defined]
        lines.append(
            f"  {child['name']:<34} RSS {child['rss_mb']:>6} PSS {child['pss_mb']:>6} "
            f"USS {child['uss_mb']:>6}"
        )
    gl = ", ".join(result["software_gl"]) or "none"  # type: ignore[arg-type]
    lines.append(f"software OpenGL mapped in the app process: {gl}")
    lines.append("app process, largest mappings (MB):")
    for row in result["top_mappings"]:  # type: ignore[attr-defined]
        lines.append(
            f"  RSS {row['rss_mb']:>6} PSS {row['pss_mb']:>6} USS {row['uss_mb']:>6}  "
            f"{row['mapping']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("pid", type=int)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = report(args.pid, args.top)
    print(json.dumps(result) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
