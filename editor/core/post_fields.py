"""The post panel's fields, read from a draft's front matter and written back one key at a time.

`read_fields` turns the front matter into what the panel shows (title, labels, blog, status,
scheduled time, search description, published addresses). `with_field` changes ONE key and
leaves every other byte alone: other keys' lines, comments, order, the fences and the body.
Both only need the front matter, so the window can hand them just the top of the document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from editor.core.post import Post, _merge_front_matter, parse_post

TITLE, LABELS, BLOG, SCHEDULED, DESCRIPTION = "title", "labels", "blog", "scheduled", "description"
EDITABLE = (TITLE, LABELS, BLOG, SCHEDULED, DESCRIPTION)
# What the panel says for each status (`status:` in the front matter, or none yet).
STATUS_TEXT = {
    "local": "Local draft (not on a blog yet)",
    "draft": "Draft on the blog",
    "scheduled": "Scheduled",
    "live": "Live",
}
_OPEN = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.MULTILINE)
_INLINE_COMMENT = re.compile(r"[ \t]+#")


@dataclass(frozen=True)
class PostFields:
    """What the post panel shows. `error` is set (and the rest empty) for malformed YAML."""

    title: str = ""
    labels: tuple[str, ...] = ()
    blog: str | None = None  # a blog key; None is the default blog
    status: str = "local"  # a key of STATUS_TEXT
    scheduled: dt.datetime | None = None  # always with a time zone
    scheduled_text: str = ""  # the `scheduled:` value as written, when it is not a time
    description: str = ""
    published: tuple[tuple[str, str], ...] = ()  # (blog key, address) each
    error: str | None = None

    @property
    def status_text(self) -> str:
        """The status in a writer's words."""
        return STATUS_TEXT.get(self.status, self.status.capitalize())


def front_matter_end(text: str) -> int:
    """Where the front matter (with both fences and the closing fence's line break) ends in
    `text`; 0 when there is none. Looks no further than the closing fence."""
    opening = _OPEN.match(text)
    if not opening:
        return 0
    closing = _CLOSE.search(text, opening.end())
    return closing.end() if closing else 0


def read_fields(text: str) -> PostFields:
    """The panel's fields from a document (or just its front matter)."""
    post = parse_post(text[: front_matter_end(text)])
    if post.front_matter_error:
        return PostFields(error=post.front_matter_error)
    meta = post.meta
    title = meta.get(TITLE)
    scheduled, scheduled_text = _scheduled(meta.get(SCHEDULED))
    published = published_addresses(post)
    status = str(meta.get("status") or "").strip().lower()
    if status not in ("live", "scheduled"):
        status = "draft" if published or post.legacy_records() else "local"
    blog = meta.get(BLOG)
    description = meta.get(DESCRIPTION)
    return PostFields(
        title=str(title).strip() if isinstance(title, str | int | float) else "",
        labels=tuple(post.labels),
        blog=str(blog).strip() if isinstance(blog, str) and blog.strip() else None,
        status=status,
        scheduled=scheduled,
        scheduled_text=scheduled_text,
        description=str(description) if isinstance(description, str | int | float) else "",
        published=published,
    )


def published_addresses(post: Post) -> tuple[tuple[str, str], ...]:
    """(blog key, address) for each blog the post is on: the `published:` lines, and the
    `url` of an older draft's `publish:` records for blogs that have no such line."""
    found = post.published_addresses()
    for key, record in post.legacy_records().items():
        url = record.get("url")
        if key not in found and isinstance(url, str) and url.strip():
            found[key] = url.strip()
    return tuple(found.items())


def _scheduled(value: object) -> tuple[dt.datetime | None, str]:
    if value is None or value == "":
        return None, ""
    if isinstance(value, dt.datetime):
        when = value
    else:
        try:
            when = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None, str(value)
    if when.tzinfo is None:
        when = when.astimezone()  # a time without a zone is the writer's own local time
    return when, ""


def scheduled_value(when: dt.datetime | None) -> str:
    """How `scheduled:` is written: ISO 8601 with the offset, to the minute."""
    if when is None:
        return ""
    return when.replace(second=0, microsecond=0).isoformat()


def with_field(text: str, key: str, value: object) -> str:
    """`text` with the front matter's `key` set to `value` (None or empty removes it).

    Only that key's lines change. `labels` keeps the writer's shape (a `[a, b]` list, a
    comma list, or a list of `- ` lines) and its `tags:` name if the draft uses that.
    A document without front matter gains one; malformed front matter raises
    FrontMatterError (nothing is rewritten).
    """
    end = front_matter_end(text)
    head, body = text[:end], text[end:]
    post = parse_post(head)
    post.require_editable_meta()
    if key == LABELS and "labels" not in post.meta and "tags" in post.meta:
        key = "tags"
    old_value = post.meta.get(key)
    if (key not in post.meta) if _empty(value) else _same(key, old_value, value):
        return text
    written: dict[str, str] = {}
    if _empty(value):
        post.meta.pop(key, None)
    elif key in (LABELS, "tags"):
        labels = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        post.meta[key] = labels if not isinstance(old_value, str) else ", ".join(labels)
        written[key] = _labels_line(key, labels, post, old_value)
    elif key == SCHEDULED and isinstance(value, dt.datetime):
        post.meta[key] = scheduled_value(value)
        written[key] = f"{key}: {scheduled_value(value)}\n"
    else:
        post.meta[key] = value
        written[key] = _dump_keeping_comment(key, value, post)
    if post.raw_front_matter is None:
        return f"---\n{_merge_front_matter(post, written)}---\n{text}"
    raw = _merge_front_matter(post, written)
    if raw == post.raw_front_matter:
        return text
    opening = _OPEN.match(head)
    closing = _CLOSE.search(head, opening.end()) if opening else None
    assert opening and closing  # parse_post found both fences
    return head[: opening.end()] + raw + head[closing.start() :] + body


def _same(key: str, old: object, new: object) -> bool:
    """Whether writing `new` would say what the front matter says already."""
    if key in (LABELS, "tags"):
        labels = [str(v) for v in new] if isinstance(new, list | tuple) else [str(new)]
        return old is not None and Post(meta={key: old}).labels == labels
    if key == SCHEDULED and isinstance(new, dt.datetime):
        return _scheduled(old)[0] == new.replace(second=0, microsecond=0)
    return old == new


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple) and not value


def _dump(key: str, value: object) -> str:
    return yaml.safe_dump(
        {key: value}, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )


def _original_lines(post: Post, key: str) -> str:
    """The lines of `key` as written in the front matter ("" when it is not there)."""
    raw = post.raw_front_matter or ""
    lines = raw.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if re.match(rf"['\"]?{re.escape(key)}['\"]?[ \t]*:(?:\s|$)", line):
            own = [line]
            for more in lines[index + 1 :]:
                if more[:1] in (" ", "\t", "-"):
                    own.append(more)
                else:
                    break
            return "".join(own)
    return ""


def _labels_line(key: str, labels: list[str], post: Post, old_value: object) -> str:
    """The labels in the shape the writer used: a comma list, a `[a, b]` list or `- ` lines."""
    original = _original_lines(post, key)
    after_colon = original.split(":", 1)[1].strip() if original else ""
    if isinstance(old_value, str):
        text = ", ".join(labels)
        return _dump(key, text)
    if after_colon.startswith("[") or not original:
        flow = yaml.safe_dump(labels, default_flow_style=True, allow_unicode=True, width=10**6)
        return f"{key}: {flow.strip()}\n"
    return _dump(key, labels)


def _dump_keeping_comment(key: str, value: object, post: Post) -> str:
    """`key: value`, keeping a comment at the end of the key's one original line."""
    line = _dump(key, value)
    original = _original_lines(post, key)
    if "\n" in line.rstrip("\n") or original.count("\n") > 1:
        return line
    comment = _inline_comment(original.rstrip("\n"))
    return f"{line.rstrip(chr(10))}{comment}\n" if comment else line


def _inline_comment(line: str) -> str:
    """The `  # …` at the end of a one-line `key: value`, if the line has one."""
    try:
        whole = yaml.safe_load(line)
    except yaml.YAMLError:
        return ""
    for match in _INLINE_COMMENT.finditer(line):
        try:
            if yaml.safe_load(line[: match.start()]) == whole:
                return line[match.start() :]
        except yaml.YAMLError:
            continue
    return ""
