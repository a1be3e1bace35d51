"""What the drafts list asks the library index (search box, filters, sort) and what it gets back.

No Qt: the file thread runs `answer`, the window only shows it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from editor.core.library_db import HIT_END, HIT_START, STATUSES, Hit, LibraryIndex, fts_query

# The status filter in the writer's words (keys are library_db.STATUSES).
STATUS_WORDS = {
    "local": "Only on this computer",
    "published": "Published",
    "scheduled": "Scheduled",
    "draft": "Draft on the blog",
    "changed": "Changed since publishing",
    "conflict": "Changed on the blog and here",
    "deleted": "Deleted on the blog",
}
assert set(STATUS_WORDS) == set(STATUSES)
# The sort choices in the writer's words; "edited" is the list's own order (newest change first).
SORT_WORDS = {
    "edited": "Edited",  # last edited first
    "date": "Date",
    "title": "Title",
    "length": "Length",
}
DEFAULT_SORT = "edited"


@dataclass(frozen=True)
class LibraryQuery:
    """One state of the search box and filters; `serial` tells a late answer from the last."""

    serial: int = 0
    text: str = ""
    label: str | None = None
    status: str | None = None
    blog: str | None = None
    year: int | None = None
    sort: str = DEFAULT_SORT

    def searches(self) -> bool:
        """True when the text holds a word to search for."""
        return bool(fts_query(self.text))

    def is_everything(self) -> bool:
        """True when it asks for every draft in the list's own order (the plain listing)."""
        filters = (self.label, self.status, self.blog, self.year)
        return not self.searches() and all(f is None for f in filters) and self.sort == DEFAULT_SORT


@dataclass(frozen=True)
class LibraryAnswer:
    """The drafts found (None: the plain listing applies) and the filters' choices."""

    hits: list[Hit] | None
    labels: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    blogs: list[str] = field(default_factory=list)


def answer(index: LibraryIndex, query: LibraryQuery) -> LibraryAnswer:
    """Run `query` against the index, with the labels, years and blogs the filters offer."""
    hits = None
    if not query.is_everything():
        hits = index.search(
            query.text,
            label=query.label,
            status=query.status,
            blog=query.blog,
            year=query.year,
            sort=query.sort,
        )
    return LibraryAnswer(hits, index.labels(), index.years(), index.blogs())


def snippet_html(snippet: str) -> str:
    """A snippet as HTML: its text escaped, its matched words bold."""
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(HIT_START, "<b>").replace(HIT_END, "</b>")
