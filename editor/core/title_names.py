"""A draft's file name follows its title until the post is first published.

A new draft is `untitled.md`; once the writer gives it a title, the file takes the title's
name, so the drafts folder reads like a table of contents. Once published, the name stays:
the blog's record of the post is tied to the draft, and the writer may know the file by then.
"""

from __future__ import annotations

import re
from pathlib import Path

from editor.core.drafts import file_stem_for
from editor.core.post import LEGACY_RECORDS_KEY, Post, parse_post, record_address
from editor.core.post_records import load_records


def ever_published(post: Post) -> bool:
    """Whether the draft remembers a post on any blog (a record, or a `published:` line)."""
    legacy = post.meta.get(LEGACY_RECORDS_KEY)
    if legacy is not None and not isinstance(legacy, dict):
        return True  # not a table we understand: leave the name alone
    if isinstance(legacy, dict) and any(not isinstance(r, dict) for r in legacy.values()):
        return True
    return any(r.get("id") or record_address(r) for r in post.known_records().values())


def stem_fits(stem: str, wanted: str) -> bool:
    """Whether a file stem already is the title's (or its numbered twin, `harbour-2`)."""
    return stem == wanted or re.fullmatch(re.escape(wanted) + r"-\d+", stem) is not None


def title_stem(text: str, path: Path) -> str:
    """The file stem the title in `text` gives."""
    return file_stem_for(parse_post(text, path.name).title)


def stem_for_title(path: Path, text: str, named_after: str | None = None) -> str | None:
    """The stem the draft at `path` should take from the title in `text`, or None to keep it.

    Only a name Broadsheet gave follows: `untitled`, or the stem of the title the draft had
    when opened (`named_after`). A name the writer chose, a published post and a draft whose
    front matter cannot be read keep theirs.
    """
    post = parse_post(text, path.name)
    post.records = load_records(path)
    if post.front_matter_error is not None or ever_published(post):
        return None
    wanted = file_stem_for(post.title)
    if stem_fits(path.stem, wanted):
        return None
    given = stem_fits(path.stem, "untitled") or (
        named_after is not None and stem_fits(path.stem, named_after)
    )
    return wanted if given else None


def display_name(text: str, path: Path) -> str:
    """What to call a draft in a message: its title, else its file name."""
    return parse_post(text, path.name).title or path.name
