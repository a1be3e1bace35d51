"""Remove newline characters from rendered HTML without changing what a reader sees.

Blogger's legacy "Convert line breaks" setting turns every "\\n" in a post into `<br />`, code
blocks included, so a published body must not contain "\\n" at all:

- between tags, a newline next to a block-level tag is dropped; between inline tags it becomes
  a space (it separated two words);
- inside text, a newline (a Markdown soft line break) becomes a space;
- inside `<pre>`/`<textarea>`, a newline becomes `<br>`: a browser draws `<br>` in a `<pre>`
  exactly like a line break, and Blogger leaves `<br>` alone, whereas a raw "\\n" would be doubled
  into "\\n<br />" (an empty line between every two lines of code);
- inside tags and comments, a newline is whitespace and becomes a space.

The one exception is the content of `<script>`: joining its lines can change what the program
means (`//` comments, automatic semicolons), so the author's script is kept as written.
"""

from __future__ import annotations

import re

# Tags after/before which whitespace carries no meaning (block-level, plus table/list parts).
BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "audio", "blockquote", "body", "canvas", "caption"),
        *("center", "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "head", "header", "hgroup", "hr", "html", "iframe", "legend", "li", "main"),
        *("map", "math", "menu", "nav", "noscript", "object", "ol", "p", "pre", "section"),
        *("source", "summary", "svg", "table", "tbody", "td", "tfoot", "th", "thead", "title"),
        *("tr", "track", "ul", "video"),
    }
)
_PRE_TAGS = frozenset({"pre", "textarea"})

_TOKEN = re.compile(
    r"""(?P<script><script\b(?:[^>"']|"[^"]*"|'[^']*')*>.*?</script\s*>)"""
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<decl><![^>]*>|<\?.*?\?>)"
    r"""|(?P<tag></?(?P<name>[A-Za-z][A-Za-z0-9:-]*)(?:[^>"']|"[^"]*"|'[^']*')*>)"""
    r"|(?P<text>[^<]+|<)",
    re.DOTALL | re.IGNORECASE,
)
_SCRIPT_OPEN = re.compile(r"""<script\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t\n]*")


def _tag_info(token: str, name: str) -> tuple[str, bool]:
    return name.lower(), token.startswith("</")


def remove_newlines(html: str) -> str:
    """Return `html` with every newline character removed or replaced (see module doc)."""
    if "\n" not in html:
        return html
    tokens = [(m.lastgroup, m.group(0), m.group("name")) for m in _TOKEN.finditer(html)]
    out: list[str] = []
    pre_depth = 0
    for index, (kind, token, name) in enumerate(tokens):
        if kind == "text":
            if "\n" not in token:
                out.append(token)
            elif pre_depth:
                out.append(_pre_text(token, tokens, index))
            else:
                out.append(_flow_text(token, tokens, index))
            continue
        if kind == "script":
            opening = _SCRIPT_OPEN.match(token)
            assert opening is not None  # the token pattern starts with the same expression
            out.append(opening.group(0).replace("\n", " ") + token[opening.end() :])
            continue
        if kind == "tag":
            tag, closing = _tag_info(token, name)
            if tag in _PRE_TAGS:
                pre_depth = max(0, pre_depth + (-1 if closing else 1))
        out.append(token.replace("\n", " "))
    return "".join(out)


def _neighbour_tag(tokens: list[tuple[str | None, str, str | None]], index: int) -> str:
    """Lower-case name of the tag at `index` ("" when it is not a tag)."""
    if 0 <= index < len(tokens) and tokens[index][0] == "tag" and tokens[index][2]:
        return str(tokens[index][2]).lower()
    return ""


def _flow_text(text: str, tokens: list[tuple[str | None, str, str | None]], index: int) -> str:
    before = _neighbour_tag(tokens, index - 1)
    after = _neighbour_tag(tokens, index + 1)
    if before == "br":
        text = text.lstrip(" \t\n")  # the line break is already there
    if not text.strip():
        if before in BLOCK_TAGS or after in BLOCK_TAGS or before == "br" or not after:
            return ""
        return " "
    if before in BLOCK_TAGS:
        text = text.lstrip(" \t\n")
    if after in BLOCK_TAGS:
        text = text.rstrip(" \t\n")
    return _SOFT_BREAK.sub(" ", text)


def _pre_text(text: str, tokens: list[tuple[str | None, str, str | None]], index: int) -> str:
    before = _neighbour_tag(tokens, index - 1)
    if before in _PRE_TAGS and tokens[index - 1][1][1] != "/" and text.startswith("\n"):
        text = text[1:]  # HTML ignores a newline right after <pre>
    closes_pre = False
    for kind, token, name in tokens[index + 1 :]:
        if kind != "tag" or not name:
            break
        tag, closing = _tag_info(token, name)
        if not closing:
            break
        if tag in _PRE_TAGS:
            closes_pre = True
            break
    if closes_pre:
        text = text.rstrip("\n")  # the final newline of a code block draws no line
    return text.replace("\n", "<br>")


def seams(html: str) -> tuple[bool, bool]:
    """Whether `html` can be cut off from what precedes it, and from what follows it.

    `remove_newlines(a + html + b)` equals `remove_newlines(a) + remove_newlines(html) + ...`
    when every seam in between is clean: no token (a comment, a script, a tag with a quote)
    may reach across it, no `<pre>` may be open at it, and the text next to it must not
    depend on the other side (incremental rendering joins separately rendered blocks).
    """
    if not html:
        return True, True
    tokens = [(m.lastgroup, m.group(0), m.group("name")) for m in _TOKEN.finditer(html)]
    left = tokens[0][0] != "text"
    depth = 0
    for kind, token, name in tokens:
        if kind == "text":
            if token == "<":  # an unfinished construct: more text could complete it
                return left, False
        elif kind == "decl":
            if token.startswith("<!--"):  # a comment without its end
                return left, False
        elif kind == "tag":
            tag, closing = _tag_info(token, name)
            if tag == "script" and not closing:  # a script without its end
                return left, False
            if tag in _PRE_TAGS:
                depth = max(0, depth + (-1 if closing else 1))
    if depth:
        return left, False
    kind, token, _name = tokens[-1]
    if kind != "text":
        return left, True
    if token.strip():
        return left, False
    before = _neighbour_tag(tokens, len(tokens) - 2)
    return left, before in BLOCK_TAGS or before == "br"
