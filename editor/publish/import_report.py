"""What an import or a sync did, in the writer's words: its progress and its report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ImportProgress:
    """Where a run is: items handled so far, and the total when the blog says it."""

    done: int
    text: str


@dataclass
class ImportReport:
    """What an import or sync did, for the report the writer sees."""

    blog_name: str
    sync: bool = False
    posts: int = 0  # posts on the blog that were looked at
    pages: int = 0
    live: int = 0
    drafts: int = 0  # drafts on the blog
    scheduled: int = 0
    created: list[Path] = field(default_factory=list)  # new drafts
    updated: list[Path] = field(default_factory=list)  # drafts brought up to the blog's version
    unchanged: int = 0
    clean: int = 0  # converted to Markdown with nothing kept as HTML
    partly_html: list[tuple[Path, list[str]]] = field(default_factory=list)
    whole_html: list[tuple[Path, str]] = field(default_factory=list)  # kept whole as HTML, why
    untitled: list[Path] = field(default_factory=list)
    conflicts: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (title, one sentence)
    labels: set[str] = field(default_factory=set)
    cancelled: bool = False
    error: str = ""  # the failure that stopped the run (the next run goes on from there)
    resumed: bool = False

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.conflicts or self.deleted)

    def lines(self) -> list[str]:
        """The report in the writer's words, one line per fact (empty facts left out)."""
        verb = "Checked" if self.sync else "Imported from"
        posts, pages = counted(self.posts, "post"), counted(self.pages, "page")
        lines = [f"{verb} {self.blog_name}: {posts}, {pages}."]
        if not self.sync:
            lines.append(
                f"On the blog: {self.live} live, {self.drafts} drafts, {self.scheduled} scheduled."
            )
        lines.append(
            f"New drafts: {len(self.created)}; brought up to date: {len(self.updated)};"
            f" unchanged: {self.unchanged}."
        )
        if self.created or self.updated:
            lines.append(f"Converted cleanly to Markdown: {self.clean}.")
        for path, reasons in self.partly_html:
            lines.append(f"Kept partly as HTML: {path.name} ({'; '.join(reasons)}).")
        for path, why in self.whole_html:
            lines.append(f"Kept whole as HTML: {path.name} ({why}).")
        for path in self.untitled:
            lines.append(f"No title on the blog; named after its address: {path.name}.")
        for path in self.conflicts:
            lines.append(
                f"Changed on the blog and here: {path.name}. Nothing was overwritten; choose"
                " which version to keep."
            )
        for path in self.deleted:
            lines.append(f"Deleted on the blog (the draft stays here): {path.name}.")
        for title, reason in self.failed:
            lines.append(f"Not imported: “{title}”: {reason}")
        if self.cancelled:
            lines.append("Stopped before the end; importing again goes on from there.")
        if self.error:
            lines.append(f"Stopped: {self.error} Importing again goes on from there.")
        return lines


def counted(count: int, word: str) -> str:
    """A count with its word: "3 posts", "1 page"."""
    return f"{count} {word}{'' if count == 1 else 's'}"
