"""What the editor's own passes cost on one pasted line: highlighting and spell-check masking.

    python -m benchmarks.editor_lines [--size 200000]

Both run on the window's thread for the lines on screen, so a pasted line of one markup
character repeated (backticks, "<!--", "[", "**a ") must cost about as much as prose of the
same length. Prints milliseconds per input (no Qt window: the highlighter's patterns and the
speller's masking are run as the highlighter runs them).
"""

from __future__ import annotations

import argparse
import time

from editor.core.spelling import prose_words
from editor.ui.highlighter import _INLINE

UNITS = ["word ", "`", "<!--", "<", "[", "![", "](", "**a ", "~~a ", "&", "_"]


def highlight_spans(line: str) -> int:
    found = 0
    for _name, pattern in _INLINE:
        spans = (
            [m.span() for m in pattern.finditer(line)]
            if hasattr(pattern, "finditer")
            else pattern(line)
        )
        found += len(spans)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000, help="characters in the line")
    args = parser.parse_args()
    for unit in UNITS:
        line = "Pasted: " + unit * (args.size // len(unit))
        started = time.perf_counter()
        highlight_spans(line)
        highlighted = time.perf_counter() - started
        started = time.perf_counter()
        prose_words(line)
        spelled = time.perf_counter() - started
        print(
            f"{unit!r:>8} x {args.size:,}: highlight {highlighted * 1000:7.1f} ms,"
            f" spell masking {spelled * 1000:7.1f} ms"
        )


if __name__ == "__main__":
    main()
