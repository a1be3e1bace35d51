"""Abbreviation definitions read in one pass, where Python-Markdown reads them one by one.

Python-Markdown's abbreviation processor takes the first definition of a block and puts the
rest back; every block processor then tests the rest again, and several of those tests read
the whole rest (tables split it into rows, definition lists and quotes search it). A glossary
of 2,000 "*[ABBR]: title" lines in one block costs 2,000 passes over it: 5 seconds.

When every line of a block is a complete definition ("*[ABBR]: title" with both parts
non-empty), no processor that runs before this one can take any part of it: each of them needs
a line that starts otherwise (with spaces, "#", ">", ":", "|", a digit, a list marker "* "),
or, for a table, a second row made only of "|", ":", "-" and spaces. So the definitions are
read here in one pass, in order, with exactly what the stock processor does for each. Any
other block is left to the stock processor.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions.abbr import AbbrBlockprocessor

# Where markdown.extensions.abbr registers its block processor (after footnotes, before references).
ABBR_PRIORITY = 16


class WholeBlockAbbreviations(AbbrBlockprocessor):
    """Reads a block made only of abbreviation definitions in one pass."""

    # As BlockProcessor.run: only False means "not mine" to the block parser.
    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        """Define every abbreviation of a block of definitions; otherwise the stock way."""
        definitions = self._definitions(blocks[0])
        if definitions is None:
            return super().run(parent, blocks)
        blocks.pop(0)
        for abbr, title in definitions:
            if title in ("''", '""'):  # an empty title removes the abbreviation
                self.abbrs.pop(abbr, None)
            else:
                self.abbrs[abbr] = title
        return True

    def _definitions(self, block: str) -> list[tuple[str, str]] | None:
        """(abbreviation, title) of each line, or None unless every line is a definition."""
        lines = block.split("\n")
        if len(lines) < 2:
            return None  # one definition: the stock processor reads it just as fast
        definitions = []
        for line in lines:
            match = self.RE.match(line)
            if match is None:
                return None
            abbr, title = match.group("abbr").strip(), match.group("title").strip()
            if not abbr or not title:
                return None  # the stock processor reads the title from the next line
            definitions.append((abbr, title))
        return definitions


def install(md: Markdown) -> None:
    """Replace the abbreviation block processor (same name, priority and definitions)."""
    processors = md.parser.blockprocessors
    if "abbr" not in processors:
        return  # the abbr extension is not used
    stock = processors["abbr"]
    assert isinstance(stock, AbbrBlockprocessor)
    processors.register(WholeBlockAbbreviations(md.parser, stock.abbrs), "abbr", ABBR_PRIORITY)
