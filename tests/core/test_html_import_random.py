"""Random posts made of the shapes blogs store, full of Markdown's special characters: each
imports without losing a word and, when converted, publishes the same words in the same order."""

from __future__ import annotations

import random

from editor.core.html_import import html_to_markdown, lost_words
from editor.core.html_words import word_list
from editor.core.post import Post
from editor.core.render import render_for_publishing

_WORDS = [*"#-*_`()!:={}|\\^", "1.", "[x]", "&lt;", "&gt;", "&amp;", "~~", "alpha", "beta", "é"]
_WORDS += ["mañana", "2024", "gamma"]
_INLINE = [
    *("b", "i", "u", "strike", "em", "strong", "s", "sup", "code", "font color='blue'"),
    *("span style='color:red'", "span style='font-family:x'", "a href='http://x/y'"),
    "a href='http://z/(w)' title='T \"q\"'",
]


class _Post:
    """A random post: paragraphs, divs, headings, lists, quotes, code, tables, images …"""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def text(self) -> str:
        words = " ".join(self.r.choice(_WORDS) for _ in range(self.r.randint(1, 4)))
        return (
            (" " if self.r.random() < 0.3 else "") + words + (" " if self.r.random() < 0.3 else "")
        )

    def inline(self, depth: int = 0, in_link: bool = False) -> str:
        k = self.r.random()
        if depth > 3 or k < 0.45:
            return self.text()
        if k < 0.52:
            return "<br />"
        if k < 0.56:
            return "<img src='http://i/a.png'>"
        if k < 0.58:
            return "<!--more-->"
        tag = self.r.choice([t for t in _INLINE if not (in_link and t.startswith("a "))])
        name = tag.split()[0]
        if name == "code":
            return f"<code>{self.text()}</code>"
        inner = "".join(
            self.inline(depth + 1, in_link or name == "a") for _ in range(self.r.randint(1, 3))
        )
        return f"<{tag}>{inner}</{name}>"

    def runs(self) -> str:
        return "".join(self.inline() for _ in range(self.r.randint(1, 4)))

    def block(self, depth: int = 0) -> str:
        k = self.r.random()
        if depth > 2 or k < 0.35:
            return f"<p>{self.runs()}</p>"
        if k < 0.45:
            return f"<div>{self.runs()}</div>"
        if k < 0.5:
            return f"<h3>{self.runs()}</h3>"
        if k < 0.6:
            kind = self.r.choice(["ul", "ol"])
            items = "".join(
                f"<li>{self.runs()}{self.block(depth + 1) if self.r.random() < 0.3 else ''}</li>"
                for _ in range(self.r.randint(1, 3))
            )
            return f"<{kind}>{items}</{kind}>"
        if k < 0.68:
            quoted = "".join(self.block(depth + 1) for _ in range(self.r.randint(1, 2)))
            return f"<blockquote>{quoted}</blockquote>"
        if k < 0.72:
            return f"<pre>{self.text()}\n{self.text()}</pre>"
        if k < 0.76:
            rows = "".join(
                "<tr>" + "".join(f"<td>{self.inline(2)}</td>" for _ in range(2)) + "</tr>"
                for _ in range(2)
            )
            return f"<table><tr><th>h</th><th>k</th></tr>{rows}</table>"
        if k < 0.8:
            return "<!--more-->"
        if k < 0.84:
            return (
                "<div class='separator' style='text-align:center'><a href='http://f/s1600/x.jpg'>"
                "<img src='http://f/s320/x.jpg'></a></div>"
            )
        if k < 0.88:
            return f"<div style='text-align:center'>{self.runs()}</div>"
        if k < 0.92:
            return f"<p dir='rtl'>{self.runs()}</p>"
        return self.runs() + "<br /><br />"

    def html(self) -> str:
        return "".join(self.block() for _ in range(self.r.randint(1, 6)))


def test_random_posts_import_faithfully() -> None:
    fallbacks = []
    for seed in range(300):
        html = _Post(seed).html()
        conversion = html_to_markdown(html)
        assert lost_words(html, conversion.markdown) == [], seed
        page = render_for_publishing(Post(meta={"title": "Random"}, body=conversion.markdown))
        assert word_list(page) == word_list(html), seed
        assert page.count("<!--more-->") == html.count("<!--more-->"), seed
        if conversion.fallback:
            fallbacks.append(seed)
    # Whole-post fallbacks are the safety net, not the rule: about one post in 500 here.
    assert len(fallbacks) <= 3, fallbacks
