"""Where inserted Markdown goes: blocks on their own lines with blank lines around them.

Each function returns (start, end, replacement, cursor): replace text[start:end] with
`replacement` and put the cursor at `cursor` — one edit, so one undo step in the editor.
"""

from __future__ import annotations

# Blogger's and WordPress's "read more" cut; the Markdown extensions find it by this name.
JUMP_BREAK = "<!--more-->"
Insertion = tuple[int, int, str, int]


def block_insertion(text: str, position: int, block: str) -> Insertion:
    """Insert `block` at `position` as its own paragraph (a line is split there if needed)."""
    start = position
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    end = position
    while end < len(text) and text[end] in " \t":
        end += 1
    before, after = text[:start], text[end:]
    if not before or before.endswith("\n\n"):
        prefix = ""
    elif before.endswith("\n"):
        prefix = "\n"
    else:
        prefix = "\n\n"
    if after.startswith("\n\n"):
        suffix = ""  # the blank line is already there
    elif not after or after.startswith("\n"):
        suffix = "\n"  # with the existing line break, that makes the blank line
    else:
        suffix = "\n\n"
    replacement = prefix + block + suffix
    return start, end, replacement, start + len(replacement)


def inline_insertion(text: str, position: int, snippet: str) -> Insertion:
    """Insert `snippet` inside a line, with a space on each side where words would touch."""
    before = text[position - 1] if position > 0 else "\n"
    after = text[position] if position < len(text) else "\n"
    prefix = "" if before.isspace() else " "
    suffix = "" if after.isspace() else " "
    replacement = prefix + snippet + suffix
    return position, position, replacement, position + len(prefix) + len(snippet)


def jump_break_insertion(text: str, position: int) -> Insertion:
    """Blogger's jump break ("Read more") at `position`, on its own line."""
    return block_insertion(text, position, JUMP_BREAK)


def images_insertion(text: str, position: int, images: list[str]) -> Insertion:
    """Markdown images at `position`: their own paragraphs on an empty line, else inline."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    if not line.strip():
        return block_insertion(text, position, "\n\n".join(images))
    return inline_insertion(text, position, " ".join(images))


HORIZONTAL_RULE = "---"


def rule_insertion(text: str, position: int) -> Insertion:
    """A horizontal rule after the line holding `position` (blank lines keep it from being
    read as a heading underline)."""
    line_end = text.find("\n", position)
    line_end = len(text) if line_end < 0 else line_end
    return block_insertion(text, line_end, HORIZONTAL_RULE)
