"""Find and replace over plain text: one compiled pattern, every match, replacement text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from editor.core.replace_case import in_any, replace_preserving_case


class SearchError(ValueError):
    """The search text is not a valid regular expression; str() is one sentence."""


@dataclass(frozen=True)
class SearchOptions:
    """What to look for and how."""

    query: str
    case_sensitive: bool = False
    whole_word: bool = False
    regex: bool = False


def compile_search(options: SearchOptions) -> re.Pattern[str] | None:
    """The pattern for `options` (None for an empty query); raises SearchError for a bad regex."""
    if not options.query:
        return None
    source = options.query if options.regex else re.escape(options.query)
    if options.whole_word:
        # \b fails next to punctuation ("C++"), so words are bounded by non-word characters
        source = rf"(?<!\w)(?:{source})(?!\w)"
    flags = re.MULTILINE | (0 if options.case_sensitive else re.IGNORECASE)
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise SearchError(f"Not a valid regular expression: {exc.msg}") from exc


def find_all(text: str, pattern: re.Pattern[str], limit: int = 100_000) -> list[tuple[int, int]]:
    """(start, end) of every non-empty match, in order (at most `limit`)."""
    spans = []
    for match in pattern.finditer(text):
        if match.end() > match.start():
            spans.append(match.span())
            if len(spans) >= limit:
                break
    return spans


def _expand(match: re.Match[str], replacement: str, regex: bool, preserve_case: bool) -> str:
    # Only a regular expression search expands \1 and \g<name>; a plain one is literal.
    new = replacement
    if regex:
        try:
            new = match.expand(replacement)
        except (re.error, IndexError) as exc:
            message = f"The replacement refers to a group that does not exist: {exc}"
            raise SearchError(message) from exc
    return replace_preserving_case(match.group(), new) if preserve_case else new


def replacement_at(
    text: str,
    pattern: re.Pattern[str],
    span: tuple[int, int],
    replacement: str,
    regex: bool,
    *,
    preserve_case: bool = False,
) -> str | None:
    """What replaces the match at `span` of `text` (None when it no longer matches there)."""
    match = pattern.match(text, span[0])
    if match is None or match.span() != span:
        return None
    return _expand(match, replacement, regex, preserve_case)


def replacements(
    text: str,
    pattern: re.Pattern[str],
    replacement: str,
    regex: bool,
    *,
    preserve_case: bool = False,
    spare: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int, str]]:
    """(start, end, new text) for every non-empty match: what "Replace all" does.

    Matches overlapping a sorted span of `spare` (link addresses, say) are left alone.
    """
    return [
        (m.start(), m.end(), _expand(m, replacement, regex, preserve_case))
        for m in pattern.finditer(text)
        if m.end() > m.start() and not (spare and in_any(m.span(), spare))
    ]
