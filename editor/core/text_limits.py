"""Sizes beyond which text is not prose a writer types, and the cheap questions about them.

A line of a blog post is a paragraph: a long one has a few thousand characters. A line of
ten thousand or more is pasted data (a base64 image, minified HTML, a log): colouring its
Markdown and spell checking it help nobody, and regexes or word wrapping that are fine on a
paragraph cost seconds on it.
"""

from __future__ import annotations

LONG_LINE = 10_000  # characters: a longer line is data, not a paragraph
LONGEST_WORD = 45  # letters ("pneumonoultramicroscopicsilicovolcanoconiosis")


def has_long_line(text: str, limit: int = LONG_LINE) -> bool:
    """True when some line of `text` is longer than `limit` characters.

    Hops from line start to line start, up to `limit` characters at a time: a few thousand
    string searches (in C) for 50 MB, not a Python loop over lines.
    """
    start = 0
    while len(text) - start > limit:
        last = text.rfind("\n", start, start + limit + 1)
        if last == -1:
            return True  # the line starting at `start` runs past `limit`
        start = last + 1
    return False


PREVIEW_CHARS = 1_000_000  # about 160,000 words: the live preview of a longer draft stops there


def preview_part(body: str, limit: int = PREVIEW_CHARS) -> str:
    """What the live preview renders of `body`: all of it, or its first `limit` characters.

    Rendering is Python-Markdown on the render thread (about a second per megabyte here), and
    the page holds every element: a 50 MB draft would keep both busy for minutes. The cut
    falls on a blank line when there is one in the second half, and a note says where the
    preview stops. Publishing and exporting always render the whole body.
    """
    if len(body) <= limit:
        return body
    cut = body.rfind("\n\n", limit // 2, limit)
    if cut == -1:
        cut = limit
    return (
        body[:cut] + f"\n\n*The preview stops here: it shows the first {cut:,} of the draft's"
        f" {len(body):,} characters.*\n"
    )
