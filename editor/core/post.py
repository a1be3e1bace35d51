"""A post: YAML front matter + Markdown body.

The front matter round-trips: keys Broadsheet does not know are kept, and a front matter that
was not changed is written back byte for byte. Malformed front matter is kept as raw text and
reported, never rewritten.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_FM_OPEN = re.compile(r"\A---[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SETEXT = re.compile(r"^(?! {4})(\S[^\n]*)\n {0,3}=+[ \t]*$", re.MULTILINE)
_WORD = re.compile(r"[^\W_](?:[\w'’-]*\w)?")
# Not words a reader sees: link/image targets, bare URLs, HTML tags and comments.
# (No part scans past a "(" or "<" that starts another try: from every one of a pasted run, a
# scan to the end of the text was quadratic, and one long regular expression call holds
# Python's lock, so the window froze while a worker counted.)
_NOT_PROSE = re.compile(r"\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)|https?://\S+|<[^<>\n]*>")


# The front matter's `status` for each state of a post on the blog.
STATUS_WORDS = {"LIVE": "live", "SCHEDULED": "scheduled", "DRAFT": "draft"}
# Where the post is, one readable line per blog (`published: {blog key: address}`); the rest of
# the bookkeeping lives beside the draft (editor.core.post_records). Older drafts kept all of it
# in the front matter under `publish:`, read as before and tidied on the next publish.
PUBLISHED_KEY = "published"
LEGACY_RECORDS_KEY = "publish"


class FrontMatterError(ValueError):
    """The front matter cannot be changed because it could not be parsed."""


@dataclass
class Post:
    """One post: metadata, Markdown body, and what is needed to write it back unchanged."""

    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    raw_front_matter: str | None = None  # text between the fences, as in the file
    front_matter_error: str | None = None  # set when the raw front matter is malformed
    source_name: str = ""  # file name, for the fallback title
    # The publish records kept beside the draft (editor.core.post_records), by blog key.
    records: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    _meta_as_parsed: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def title(self) -> str:
        """The title: front matter `title`, else the first heading, else the file name."""
        title = self.meta.get("title")
        if isinstance(title, str | int | float) and str(title).strip():
            return str(title).strip()
        heading = first_heading(self.body)
        if heading:
            return heading
        stem = Path(self.source_name).stem if self.source_name else ""
        return stem.replace("-", " ").replace("_", " ").strip() or "Untitled"

    @property
    def labels(self) -> list[str]:
        """Labels (tags) as a list of strings; accepts a list or a comma-separated string."""
        value = self.meta.get("labels", self.meta.get("tags"))
        if value is None:
            return []
        if isinstance(value, str):
            items = value.split(",")
        elif isinstance(value, list | tuple):
            items = [str(v) for v in value if v is not None]
        else:
            items = [str(value)]
        return [s.strip() for s in items if s.strip()]

    @property
    def status(self) -> str:
        """The writer's intended status (`draft` when absent)."""
        return str(self.meta.get("status") or "draft")

    @property
    def description(self) -> str | None:
        """The search description (`description:`, one line), or None when there is none."""
        value = self.meta.get("description")
        if not isinstance(value, str | int | float) or not str(value).strip():
            return None
        return " ".join(str(value).split())

    @property
    def body_line_offset(self) -> int:
        """Lines of the file above the body (the front matter and its fences)."""
        if self.raw_front_matter is None:
            return 0
        return self.raw_front_matter.count("\n") + 2

    @property
    def words(self) -> int:
        """Words in the body."""
        return count_words(self.body)

    def published_addresses(self) -> dict[str, str]:
        """The `published:` lines: where the post is on each blog, by blog key."""
        lines = self.meta.get(PUBLISHED_KEY)
        if not isinstance(lines, dict):
            return {}
        return {str(k): v.strip() for k, v in lines.items() if isinstance(v, str) and v.strip()}

    def legacy_records(self) -> dict[str, dict[str, Any]]:
        """The records a draft from before kept in its front matter (`publish:`)."""
        records = self.meta.get(LEGACY_RECORDS_KEY)
        if not isinstance(records, dict):
            return {}
        return {str(k): v for k, v in records.items() if isinstance(v, dict)}

    def known_records(self) -> dict[str, dict[str, Any]]:
        """Every blog's record: the one beside the draft, else the front matter's old block,
        else only the post's address (publishing then finds the post by it)."""
        found: dict[str, dict[str, Any]] = {
            k: {"url": v} for k, v in self.published_addresses().items()
        }
        found.update(self.legacy_records())
        found.update(self.records)
        return found

    def publish_record(self, blog_key: str) -> dict[str, Any] | None:
        """What was recorded when this post was published to `blog_key`, if anything."""
        return self.known_records().get(blog_key)

    def set_publish_record(self, blog_key: str, record: dict[str, Any]) -> None:
        """Remember a post on one blog: the record goes with the draft's other records (kept
        beside the draft by whoever saves it), its address into the `published:` line, and an
        old `publish:` block moves out of the front matter."""
        self.require_editable_meta()
        self.records = {**self.legacy_records(), **self.records, blog_key: record}
        addresses = self.published_addresses()
        for key, kept in self.records.items():
            address = record_address(kept)
            if address and (key == blog_key or key not in addresses):
                addresses[key] = address
        # `published: false` (as Jekyll has it) is the writer's own line: left alone.
        ours = PUBLISHED_KEY not in self.meta or isinstance(self.meta[PUBLISHED_KEY], dict)
        meta: dict[str, Any] = {}
        for key, value in self.meta.items():
            if key == LEGACY_RECORDS_KEY and isinstance(value, dict):
                if ours and PUBLISHED_KEY not in self.meta and addresses:
                    meta[PUBLISHED_KEY] = addresses  # where the old block was
            elif key == PUBLISHED_KEY and ours:
                if addresses:
                    meta[key] = addresses
            else:
                meta[key] = value
        if ours and addresses and PUBLISHED_KEY not in meta:
            meta[PUBLISHED_KEY] = addresses
        self.meta = meta

    def record_publish(self, blog_key: str, record: dict[str, Any]) -> None:
        """Remember a publish and let `status` follow the post (live, scheduled, draft)."""
        self.set_publish_record(blog_key, record)
        status = STATUS_WORDS.get(str(record.get("status") or "").upper())
        if status and self.meta.get("status") != status:
            self.meta["status"] = status

    def require_editable_meta(self) -> None:
        """Raise when the front matter is malformed and must not be rewritten."""
        if self.front_matter_error:
            raise FrontMatterError(
                "The front matter of this draft is not valid YAML; fix it before publishing."
                f" ({self.front_matter_error})"
            )


def record_address(record: dict[str, Any]) -> str:
    """The address a record gives for its `published:` line: the post's page, else (a draft on
    the blog has none) where the blog edits it."""
    return str(record.get("url") or record.get("edit_url") or "").strip()


def front_matter_warning(error: str) -> str:
    """The sentence the window and the command line show for malformed front matter."""
    return (
        f"The front matter is not valid YAML ({error}). It is kept exactly as written; the title"
        " and labels are not read from it until it is fixed."
    )


def retitled(text: str, new_title: str, source_name: str = "") -> str:
    """The document `text` with its front matter title set to `new_title`.

    A document without front matter gains one; malformed front matter is left alone.
    """
    post = parse_post(text, source_name)
    if post.front_matter_error:
        return text
    post.meta["title"] = new_title
    return serialize_post(post)


def count_words(text: str) -> int:
    """Count words the way a writer would (punctuation and Markdown markers are not words)."""
    return sum(1 for _ in _WORD.finditer(_NOT_PROSE.sub(" ", text)))


def first_heading(body: str) -> str | None:
    """The text of the first ATX or setext heading, without Markdown markers."""
    candidates = [m for m in (_ATX.search(body), _SETEXT.search(body)) if m]
    if not candidates:
        return None
    match = min(candidates, key=lambda m: m.start())
    return re.sub(r"[*_`]", "", match.group(1)).strip() or None


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Split `---` fenced front matter from the body: (raw front matter or None, body)."""
    opening = _FM_OPEN.match(text)
    if not opening:
        return None, text
    closing = _FM_CLOSE.search(text, opening.end())
    if not closing:
        return None, text
    raw = text[opening.end() : closing.start()]
    end = closing.end()
    if text.startswith("\n", end):
        end += 1
    return raw, text[end:]  # one copy of the body (a keystroke in a long draft makes one)


def parse_post(text: str, source_name: str = "") -> Post:
    """Parse a whole document (front matter + body) into a Post. Never raises on bad YAML."""
    raw, body = split_front_matter(text)
    post = Post(body=body, raw_front_matter=raw, source_name=source_name)
    if raw is None:
        return post
    try:
        meta = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        post.front_matter_error = _describe_yaml_error(exc)
        return post
    except RecursionError:  # the YAML composer recurses once per level of nesting
        post.front_matter_error = "the front matter nests lists or mappings too deeply"
        return post
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        post.front_matter_error = "the front matter is not a list of `key: value` lines"
        return post
    post.meta = meta
    post._meta_as_parsed = copy.deepcopy(meta)
    return post


def serialize_post(post: Post) -> str:
    """The whole document as text; unchanged or malformed front matter is kept verbatim."""
    if post.raw_front_matter is not None and (
        post.front_matter_error or post.meta == post._meta_as_parsed
    ):
        return f"---\n{post.raw_front_matter}---\n{post.body}"
    if not post.meta and post.raw_front_matter is None:
        return post.body
    return f"---\n{_merge_front_matter(post)}---\n{post.body}"


def _dump(meta: dict[str, Any]) -> str:
    return yaml.safe_dump(
        meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )


_TOP_KEY = re.compile(r"^([^\s#][^:\n]*?)\s*:(?:\s|$)")


def _top_level_chunks(raw: str) -> tuple[dict[str, tuple[str, str]], str] | None:
    """Split raw YAML into (leading comments, lines) of each top-level key, and the comments
    and blank lines after the last key."""
    chunks: dict[str, tuple[str, str]] = {}
    current: str | None = None
    pending: list[str] = []
    for line in raw.splitlines(keepends=True):
        match = _TOP_KEY.match(line)
        if match:
            current = match.group(1).strip("'\" ")
            if current in chunks:
                return None  # duplicate keys: do not try to be clever
            chunks[current] = ("".join(pending), line)
            pending = []
        elif current is None or line.lstrip().startswith("#") or not line.strip():
            pending.append(line)
        else:
            lead, own = chunks[current]
            chunks[current] = (lead, own + "".join(pending) + line)
            pending = []
    return chunks, "".join(pending)


def _merge_front_matter(post: Post, written: dict[str, str] | None = None) -> str:
    """Re-emit only the keys whose values changed; unchanged keys keep their original lines.

    `written` holds ready-made lines for some keys (a field's own YAML shape). Comments above
    a removed key and after the last key stay where they were.
    """
    written = written or {}
    if post.raw_front_matter is None:
        return "".join(written.get(str(k)) or _dump({k: v}) for k, v in post.meta.items())
    found = _top_level_chunks(post.raw_front_matter)
    if found is None or set(found[0]) != {str(k) for k in post._meta_as_parsed}:
        return _dump(post.meta)
    chunks, tail = found
    meta_keys = {str(k): k for k in post.meta}
    # A new key goes after the key it follows in `meta` (past the comments of keys removed
    # there): a block that replaces another takes its place; one merely added goes last.
    new_after: dict[str | None, list[str]] = {}
    before: str | None = None
    for name in meta_keys:
        if name in chunks:
            before = name
        else:
            new_after.setdefault(before, []).append(name)

    def new_lines(names: list[str]) -> list[str]:
        return [written.get(n) or _dump({meta_keys[n]: post.meta[meta_keys[n]]}) for n in names]

    out = new_lines(new_after.pop(None, []))
    waiting: list[str] = []
    for name, (lead, own) in chunks.items():
        if name not in meta_keys:
            out.append(lead)  # the key went; the writer's comments above it did not
            continue
        out += new_lines(waiting)
        waiting = new_after.pop(name, [])
        key = meta_keys[name]
        value = post.meta[key]
        if post._meta_as_parsed.get(key, _MISSING) == value and name not in written:
            out.append(lead + own)
        else:
            out.append(lead + (written.get(name) or _dump({key: value})))
    out += new_lines(waiting)
    text = "".join(out)
    text = text if text.endswith("\n") or not text else text + "\n"
    return text + tail


_MISSING = object()


def _describe_yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        # +2: the opening fence is line 1 of the file, and marks count from 0
        return f"line {mark.line + 2}: {problem}"
    return str(problem)


def has_labels_line(post: Post) -> bool:
    """True when the front matter says the labels (`labels:` or `tags:`, even empty)."""
    return "labels" in post.meta or "tags" in post.meta


def draft_fingerprint(post: Post) -> str:
    """A short hash of what the writer wrote (title, labels, body; not the bookkeeping):
    stored when a post is published or imported, it tells a draft edited since then."""
    data = json.dumps([post.title, post.labels, post.body.strip()], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]
