"""The text as the writer wrote it <-> the text Qt's editor can hold.

Qt's text document turns U+2029 (paragraph separator) and its frame markers U+FDD0/U+FDD1 into
block breaks when text is set, and its plain-text export rewrites no-break spaces and line
separators. The editor therefore holds each of those three characters as a private-use
stand-in that the draft does not otherwise contain, reads the document's raw text, and maps
the stand-ins back: every character the writer did not touch is saved as it was. Each
stand-in is one UTF-16 unit, so positions in the editor and in the text stay the same.
"""

from __future__ import annotations

BLOCK_BREAKERS = ("\u2029", "\ufdd0", "\ufdd1")  # what Qt would turn into a new block
QT_BLOCK_SEPARATOR = "\u2029"  # how the raw document text ends each block
_PRIVATE_USE = range(0xF8FF, 0xE000 - 1, -1)  # from the top of the BMP private-use area


def protect_text(text: str) -> tuple[str, dict[str, str]]:
    """The text with Qt's block breakers swapped for stand-ins, and {stand-in: original}."""
    stand_ins: dict[str, str] = {}
    return protect_more(text, stand_ins, ""), stand_ins


def protect_more(text: str, stand_ins: dict[str, str], present: str) -> str:
    """`text` (to be inserted into an editor already holding `present`) with the block
    breakers swapped for stand-ins; new stand-ins are added to `stand_ins`."""
    for original in BLOCK_BREAKERS:
        if original not in text:
            continue
        stand_in = next((s for s, o in stand_ins.items() if o == original), None)
        if stand_in is None:
            stand_in = next(
                chr(c)
                for c in _PRIVATE_USE
                if chr(c) not in stand_ins and chr(c) not in text and chr(c) not in present
            )
            stand_ins[stand_in] = original
        text = text.replace(original, stand_in)
    return text


def restore_text(raw: str, stand_ins: dict[str, str]) -> str:
    """The writer's text from Qt's raw document text (blocks end in U+2029)."""
    text = raw.replace(QT_BLOCK_SEPARATOR, "\n")
    for stand_in, original in stand_ins.items():
        text = text.replace(stand_in, original)
    return text


def changed_span(old: str, new: str) -> tuple[int, int, int]:
    """(start, end in `old`, end in `new`) of the one span that differs between two texts."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return start, end_old, end_new
