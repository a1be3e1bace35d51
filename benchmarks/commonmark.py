"""How much of CommonMark 0.31.2 and of GFM's extensions the publish render follows.

    python -m benchmarks.commonmark [--json] [--failures SECTION]

The examples are fetched at run time with pip (nothing vendored) into a cache folder under the
system temp dir: CommonMark's 652 examples from the spec JSON that ships in the markdown-it-py
sdist (tests/test_cmark_spec/commonmark.json), and the 24 examples of the GFM spec 0.29's five
"(extension)" sections (tables, task list items, strikethrough, autolinks, disallowed raw
HTML) from the spec text that ships in the marko sdist (tests/spec/gfm.txt). Each example's
Markdown goes through `render_body`, the HTML that is published; GFM's tagfilter example goes
through the preview's `tagfilter` on top, since only the preview filters (publishing keeps the
writer's raw HTML).

A fair comparison does not count what Broadsheet adds on purpose for blogs. Both our HTML and
the spec's expected HTML are normalised the same way before comparing:

- HTML is re-serialised canonically (CommonMark's own `normalize.py` approach): attributes
  sorted, boolean attributes valued "", entities decoded and re-escaped minimally, `<br />` and
  `<br>` alike, whitespace collapsed outside `<pre>` and dropped next to block-level tags and
  `<br>` (a browser shows none there);
- inline styles (`style`) are dropped (tables, code, task lists, images carry them for themes
  that lack CSS); a table cell's `text-align` style counts as its `align` attribute;
- editor and bookkeeping attributes are dropped: `data-line`, `data-lang`, and the classes
  `task-list`, `task-list-item`;
- code: the Pygments block (`<div class="highlight">…<pre><code>` with coloured spans) counts as
  `<pre><code class="language-X">` with its plain text; `<br>` inside `<pre>` counts as a
  newline (Broadsheet writes code lines with `<br>` because Blogger doubles raw newlines); one
  trailing newline of a code block is not counted;
- a lone image's Blogger block (`<div class="separator">` with the link to the full-size image)
  counts as the `<p><img></p>` it came from;
- link and image addresses are compared percent-encoded (`/föö` and `/f%C3%B6%C3%B6` are
  the same request for a browser);
- smart punctuation (smarty): curly quotes count as straight ones, en/em dashes as `--`/`---`,
  the ellipsis as `...`;
- ids prefixed with the post's slug: the render uses no slug here, so there are none.

Everything else counts: tight versus loose lists, escaping, link destinations, and so on.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

from editor.core.md_writer import tagfilter
from editor.core.render import render_body

CMARK_PACKAGE = "markdown-it-py==4.3.0"  # its sdist carries the CommonMark 0.31.2 spec JSON
CMARK_MEMBER = "tests/test_cmark_spec/commonmark.json"
GFM_PACKAGE = "marko==2.2.4"  # its sdist carries the GFM 0.29 spec text
GFM_MEMBER = "tests/spec/gfm.txt"
CACHE = Path(tempfile.gettempdir()) / "broadsheet-commonmark"
_FENCE = "`" * 32

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "col",
        "colgroup",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "iframe",
        "legend",
        "li",
        "link",
        "main",
        "menu",
        "meta",
        "nav",
        "noframes",
        "ol",
        "optgroup",
        "option",
        "p",
        "param",
        "pre",
        "section",
        "source",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "track",
        "ul",
    ]
)
_BOOLEAN = frozenset({"checked", "disabled"})
_URL_SAFE = ";/?:@&=+$,-_.!~*'()#%"  # what CommonMark's reference renderer leaves as it is
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
_OUR_CLASSES = frozenset({"task-list", "task-list-item"})
_SMART = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_SMART_RUNS = (("\u2014", "---"), ("\u2013", "--"), ("\u2026", "..."))


def _fetch(package: str, member: str) -> Path:
    """The cached file `member` of `package`'s sdist, downloading the sdist with pip once."""
    name = package.split("==")[0]
    target = CACHE / name / Path(member).name
    if target.exists():
        return target
    folder = CACHE / name
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
        + ["--quiet", "--dest", str(folder), package],
        check=True,
    )
    sdist = next(folder.glob("*.tar.gz"))
    with tarfile.open(sdist) as archive:
        found = next(m for m in archive.getmembers() if m.name.endswith("/" + member))
        data = archive.extractfile(found)
        assert data is not None
        target.write_bytes(data.read())
    return target


def commonmark_examples() -> list[dict[str, str]]:
    """The CommonMark 0.31.2 examples: markdown, html, section."""
    return json.loads(_fetch(CMARK_PACKAGE, CMARK_MEMBER).read_text(encoding="utf-8"))


def gfm_extension_examples() -> list[dict[str, str]]:
    """The examples of the GFM spec's "(extension)" sections: markdown, html, section."""
    text = _fetch(GFM_PACKAGE, GFM_MEMBER).read_text(encoding="utf-8")
    examples: list[dict[str, str]] = []
    section = ""
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith(_FENCE + " example") and section.endswith("(extension)"):
            body: list[str] = []
            for inner in lines:
                if inner == _FENCE:
                    break
                body.append(inner)
            joined = "\n".join(body) + "\n"
            markdown, _dot, expected = joined.partition("\n.\n")
            examples.append(
                {
                    "markdown": (markdown + "\n").replace("\u2192", "\t"),
                    "html": expected.replace("\u2192", "\t"),
                    "section": "GFM " + section.removesuffix(" (extension)"),
                }
            )
    return examples


class _Normaliser(HTMLParser):
    """Re-serialise HTML canonically, leaving out what Broadsheet adds (see module doc)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pre = 0
        self.skip: list[str] = []  # end tags to drop (unwrapped elements)
        self.highlight = 0  # inside a Pygments block: keep only text
        self.caption = 0  # inside a caption table: keep only the image

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.highlight:
            self.highlight += tag == "div"
            if tag == "br":
                self.out.append("\n")
            return
        if self.caption:
            self.caption += tag == "table"
            if tag != "img":
                return
        elif tag == "table" and values.get("class") == "tr-caption-container":
            self.caption = 1
            self.out.append("<p>")
            return
        if tag == "div" and "highlight" in (values.get("class") or "").split():
            self.highlight = 1
            lang = html.escape(values.get("data-lang") or "")
            self.out.append(f'<pre><code class="language-{lang}">')
            self.pre += 1
            return
        if tag == "div" and values.get("class") == "separator":
            self.out.append("<p>")
            self.skip.append("p")
            return
        if tag == "a" and "margin-left: 1em" in (values.get("style") or ""):
            self.skip.append("")  # the link around a lone image, to the image itself
            return
        if tag not in _VOID and not self.caption:
            self.skip.append(tag)
        if tag == "br" and self.pre:
            self.out.append("\n")
            return
        style = values.pop("style", None) or ""
        align = re.search(r"text-align:\s*(\w+)", style)
        if tag in ("th", "td") and align:
            values["align"] = align.group(1)
        for name in ("data-line", "data-lang"):
            values.pop(name, None)
        classes = [c for c in (values.get("class") or "").split() if c not in _OUR_CLASSES]
        if classes:
            values["class"] = " ".join(classes)
        else:
            values.pop("class", None)
        parts = [tag]
        for name in sorted(values):
            value = "" if name in _BOOLEAN else values[name] or ""
            if name in ("href", "src"):
                value = quote(value, safe=_URL_SAFE)
            parts.append(f'{name}="{html.escape(value)}"')
        self.out.append("<" + " ".join(parts) + ">")
        self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.highlight:
            self.highlight -= tag == "div"
            if not self.highlight:
                self.out.append("</code></pre>")
                self.pre -= 1
            return
        if self.caption:
            self.caption -= tag == "table"
            if not self.caption:
                self.out.append("</p>")
            return
        if tag in _VOID:
            return
        if self.skip:
            opened = self.skip.pop()
            if opened != tag and opened in ("", "p"):
                if opened:
                    self.out.append("</p>")
                return
        self.pre -= tag == "pre"
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.caption:
            return
        data = data.translate(_SMART)
        for smart, plain in _SMART_RUNS:
            data = data.replace(smart, plain)
        self.out.append(html.escape(data, quote=False).replace("\x00", "\ufffd"))

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


_BLOCK_SPACE = re.compile(r"\s*(</?(?:" + "|".join(sorted(BLOCK_TAGS)) + r")\b[^>]*>)\s*")


def normalise(markup: str) -> str:
    """`markup` in the canonical form both sides are compared in (see module doc)."""
    parser = _Normaliser()
    parser.feed(markup)
    parser.close()
    # Collapse whitespace outside <pre> and drop it next to block-level tags.
    pieces = re.split(r"(<pre\b.*?</pre>)", "".join(parser.out), flags=re.DOTALL)
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(re.sub(r"\n(</code></pre>)$", r"\1", piece))
        else:
            piece = _BLOCK_SPACE.sub(r"\1", re.sub(r"\s+", " ", piece))
            out.append(re.sub(r" ?(<br>) ?", r"\1", piece).strip())
    return "".join(out).strip()


def passes(example: dict[str, str]) -> bool:
    """Whether the publish render of the example's Markdown matches the spec, normalised."""
    return normalise(rendered(example)) == normalise(example["html"])


def rendered(example: dict[str, str]) -> str:
    """The publish render; for GFM's "Disallowed Raw HTML", the preview's (see module doc)."""
    html = render_body(example["markdown"])
    return tagfilter(html) if example["section"] == "GFM Disallowed Raw HTML" else html


def tally(examples: list[dict[str, str]]) -> tuple[Counter[str], Counter[str]]:
    """Passes and totals per section."""
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for example in examples:
        total[example["section"]] += 1
        passed[example["section"]] += passes(example)
    return passed, total


def main(argv: list[str] | None = None) -> int:
    """Print passes per section and in total (or JSON); exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--failures", metavar="SECTION", help="show the failing examples")
    args = parser.parse_args(argv)
    suites = {
        "CommonMark 0.31.2": commonmark_examples(),
        "GFM extensions": gfm_extension_examples(),
    }
    report: dict[str, dict[str, object]] = {}
    for name, examples in suites.items():
        passed, total = tally(examples)
        report[name] = {
            "passed": sum(passed.values()),
            "total": sum(total.values()),
            "sections": {s: [passed[s], total[s]] for s in total},
        }
        if args.failures is not None:
            for example in examples:
                if args.failures in example["section"] and not passes(example):
                    print(f"--- {example['section']} {example.get('example', '')}")
                    print(repr(example["markdown"]))
                    print("want", normalise(example["html"]))
                    print("got ", normalise(rendered(example)))
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for name, figures in report.items():
        print(name)
        for section, (good, count) in figures["sections"].items():  # type: ignore[attr-defined]
            print(f"  {section:<45} {good:>4}/{count:<4}")
        good, count = figures["passed"], figures["total"]
        print(f"  {'total':<45} {good:>4}/{count:<4} ({100 * good / count:.1f}%)")  # type: ignore[operator]
    return 0


if __name__ == "__main__":
    sys.exit(main())
