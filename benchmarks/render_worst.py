"""How long the renderer takes on the worst inputs a writer can paste (each up to 1 MB).

    python -m benchmarks.render_worst [--only NAME] [--json]

For each input, in one process: the full render (`render_checked`, what publishing and
`broadsheet render` do), the preview's first render (`IncrementalRenderer`, all blocks) and
the preview after one typed character at the end (the usual keystroke). Also whether the
input was refused with a sentence, and whether preview and publish agree. Target: each
figure at most 1 s. (The preview renders on its own thread: a slow render delays it, never
the window.)
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

from editor.core.incremental import IncrementalRenderer
from editor.core.render import RenderOptions, render_body, render_checked

MB = 1_000_000
SENTENCE = "This part could not be shown"


def _paragraph(size: int) -> str:
    words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod "
    return (words * (size // len(words) + 1))[:size] + "\n"


def _repeat(unit: str, size: int, end: str = "\n") -> str:
    return unit * (size // len(unit)) + end


CASES: dict[str, Callable[[], str]] = {
    # The inputs named in issue 16.
    "glossary of 330 entries, no blank lines": lambda: "".join(
        f"Term {n}\n: Definition {n}\n" for n in range(330)
    ),
    "'- ' x 330 on one line": lambda: "- " * 330 + "x\n",
    "'>' x 330": lambda: ">" * 330 + " x\n",
    "list nested 330 deep": lambda: "".join("    " * n + "- item\n" for n in range(330)),
    "'[' x 4,000": lambda: "[" * 4000 + "\n",
    "'[a](' x 4,000": lambda: "[a](" * 4000 + "\n",
    "'![' x 4,000": lambda: "![" * 4000 + "\n",
    "a 424 KB paragraph": lambda: _paragraph(424_000),
    "2,000 abbreviation definitions": lambda: (
        "".join(f"*[AB{n}]: Abbreviation {n}\n" for n in range(2000))
        + "\nAB7 and AB1999 in a sentence.\n"
    ),
    # The same shapes at 1 MB, and other runs of Markdown's significant characters.
    "a 1 MB paragraph": lambda: _paragraph(MB),
    "'[' x 1 MB": lambda: _repeat("[", MB),
    "'[a](' x 1 MB": lambda: _repeat("[a](", MB),
    "'![' x 1 MB": lambda: _repeat("![", MB),
    # Python-Markdown's own inline pass rebuilds a paragraph's text after each link, emphasis,
    # entity or smart quote it makes (length x matches: 16,000 links in 112 KB took 3 s, a
    # megabyte of "<!--" 45 s); editor/core/md_inline.py joins each pattern's pass once.
    "'[a](u) ' x 56 KB (8,000 links)": lambda: _repeat("[a](u) ", 56_000),
    "'[a](u) ' x 112 KB (16,000 links)": lambda: _repeat("[a](u) ", 112_000),
    '"it\'s " x 80 KB (16,000 smart quotes)': lambda: _repeat("it's ", 80_000),
    "'[a](u) ' x 1 MB (143,000 links)": lambda: _repeat("[a](u) ", MB),
    "'*' x 1 MB": lambda: _repeat("*", MB),
    "'*a ' x 1 MB": lambda: _repeat("*a ", MB),
    "'_' x 1 MB": lambda: _repeat("_", MB),
    "'`' x 1 MB": lambda: _repeat("`", MB),
    "'<' x 1 MB": lambda: _repeat("<", MB),
    "'&' x 1 MB": lambda: _repeat("&", MB),
    "'<!--' x 1 MB": lambda: _repeat("<!--", MB),
    "'~~' x 1 MB": lambda: _repeat("~~", MB),
    "1 MB of list items": lambda: _repeat("- item\n", MB, ""),
    "1 MB of quote lines": lambda: _repeat("> quote\n", MB, ""),
    "1 MB of short paragraphs": lambda: _repeat("Words here.\n\n", MB, ""),
    "1 MB table": lambda: "| a | b |\n|---|---|\n" + _repeat("| x | y |\n", MB, ""),
    "1 MB glossary with blank lines": lambda: _repeat("Term\n: Definition\n\n", MB, ""),
    "20,000 abbreviation definitions": lambda: (
        "".join(f"*[AB{n}]: Abbreviation {n}\n" for n in range(20000))
        + "\nAB7 and AB1999 in a sentence.\n"
    ),
}


def _seconds(job: Callable[[], object]) -> float:
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def measure(name: str) -> dict[str, object]:
    """Figures for one input."""
    body = CASES[name]()
    options = RenderOptions(markers=True)
    full = _seconds(lambda: render_checked(body))
    renderer = IncrementalRenderer()
    first = _seconds(lambda: renderer.render(body, options))
    typed = body.rstrip("\n") + "x\n"
    keystroke = _seconds(lambda: renderer.render(typed, options))
    preview = renderer.render(typed, options).html()
    return {
        "input": name,
        "size": len(body),
        "full_s": round(full, 3),
        "preview_first_s": round(first, 3),
        "preview_keystroke_s": round(keystroke, 3),
        "refused": SENTENCE in preview,
        "preview_equals_publish": preview == render_body(typed, options),
    }


def main() -> None:
    """Print one line per input (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="measure only inputs whose name contains this")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    render_body("warm up")
    names = [name for name in CASES if not args.only or args.only in name]
    results = []
    for name in names:
        result = measure(name)
        results.append(result)
        if not args.json:
            print(
                f"{name:42} {result['size']:>9,} chars  full {result['full_s']:6.3f} s"
                f"  preview {result['preview_first_s']:6.3f} s"
                f"  keystroke {result['preview_keystroke_s']:6.3f} s"
                f"  {'refused' if result['refused'] else 'rendered':8}"
                f"  {'equal' if result['preview_equals_publish'] else 'DIFFERENT'}",
                flush=True,
            )
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
