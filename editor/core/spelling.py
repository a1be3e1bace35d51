"""Spell checking without Qt: which words of a Markdown line are prose, and are they known.

The word list comes from pyspellchecker (word-frequency dictionaries for en, de, fr, es, …,
installed from PyPI with the app, no system packages), kept in a compact form cached on disk
(editor.core.word_table): its own dict of words would cost ~14 MB per language. Verdicts are
cached per word, because a writer uses the same few thousand words over and over; suggestions
are only computed on demand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from editor.core.atomic import atomic_write_text
from editor.core.line_spans import code_spans
from editor.core.line_spans import masked as mask
from editor.core.text_limits import LONGEST_WORD

# Spans of a line that are not prose (code spans are masked first, in one pass): autolinks and
# HTML tags, URLs and e-mail addresses, link/image targets, reference definitions, footnote
# labels and HTML entities. No part may scan past a character that would start another try
# ("<", "(", "["): from every one of a pasted run, that scan to the line's end was quadratic.
_NOT_PROSE = re.compile(
    r"<[^<>\n]*>"
    r"|\b(?:https?|ftp)://\S+|\bwww\.\S+"
    # from the start of a run only: tried at every letter of a long run it is quadratic
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|\]\([^()\n]*\)"
    r"|\]\[[^\[\]\n]*\]"
    r"|^ {0,3}\[[^\]\n]+\]:.*$"
    r"|\[\^[^\[\]\n]*\]"
    r"|&#?\w+;"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_JOINED = re.compile(r"[\w@/\\.]")  # a word glued to these is an identifier, path or number


def prose_words(line: str) -> list[tuple[int, int]]:
    """(start, end) of each word worth spell checking in one line of Markdown prose.

    Skips code spans, URLs, link targets, HTML tags, single letters, words in capitals
    (acronyms), words glued to digits or underscores (identifiers) and runs of letters
    longer than any word (pasted data: no dictionary has anything to say about them).
    """
    masked = _NOT_PROSE.sub(lambda m: " " * (m.end() - m.start()), mask(line, code_spans(line)))
    spans = []
    for match in _WORD.finditer(masked):
        start, end = match.span()
        word = match.group()
        if len(word) < 2 or len(word) > LONGEST_WORD or word.isupper():
            continue
        before = masked[start - 1 : start]
        after = masked[end : end + 1]
        if (before and before in "_\\/") or (after and (after.isdigit() or after in "_/\\")):
            continue
        if before.isdigit() or (after == "." and _JOINED.match(masked[end + 1 : end + 2] or " ")):
            continue  # "v2", "file.md", "example.org"
        if before == "." and _JOINED.match(masked[start - 2 : start - 1] or " "):
            continue  # the "md" of "file.md"
        spans.append((start, end))
    return spans


def normalise(word: str) -> str:
    """The form looked up in the dictionary: lower case, straight apostrophes."""
    return word.replace("’", "'").lower()


class Speller:
    """Knows which words are spelt right in one language, plus the writer's own words.

    `backend` is a `WordTable` or a pyspellchecker `SpellChecker` with distance 1 (anything
    with `known`, `candidates`, `edit_distance_2` and `word_usage_frequency` will do, which
    keeps tests independent of the word lists).
    """

    def __init__(self, language: str, backend: object, user_words: Iterable[str] = ()) -> None:
        self.language = language
        self._backend = backend
        self._user = {normalise(w) for w in user_words}
        self._ignored: set[str] = set()
        self._verdicts: dict[str, bool] = {}

    @classmethod
    def load(
        cls, language: str, user_dictionary: Path | None = None, cache_dir: Path | None = None
    ) -> Speller:
        """Load the word list of `language` (disk: call it off the GUI thread).

        `cache_dir` holds the compact word tables (default: "spelling" in the app's cache).
        Raises ValueError for a language without a word list.
        """
        from editor.core.paths import app_paths
        from editor.core.word_table import load_word_table  # marisa-trie only once needed

        table = load_word_table(language, cache_dir or app_paths().cache_dir / "spelling")
        words = read_user_dictionary(user_dictionary) if user_dictionary else []
        return cls(language, table, words)

    @property
    def user_words(self) -> list[str]:
        """The writer's own words, sorted."""
        return sorted(self._user)

    def is_correct(self, word: str) -> bool:
        """True when `word` is known, the writer's, or ignored this session."""
        verdict = self._verdicts.get(word)
        if verdict is None:
            verdict = self._judge(word)
            self._verdicts[word] = verdict
        return verdict

    def _judge(self, word: str) -> bool:
        if len(word) > LONGEST_WORD:
            return True  # not a word at all: nothing to underline or suggest
        key = normalise(word)
        if key in self._user or key in self._ignored:
            return True
        known = self._backend.known  # type: ignore[attr-defined]
        if known([key]):
            return True
        # possessives of known words ("writer’s", "writers’")
        for suffix in ("'s", "s'", "'"):
            if key.endswith(suffix) and known([key[: -len(suffix)]]):
                return True
        return False

    def suggestions(self, word: str, limit: int = 7) -> list[str]:
        """Likely intended words, most frequent first, in the case pattern of `word`."""
        key = normalise(word)
        if len(key) > LONGEST_WORD:
            return []  # edit distance 1 of an n-letter token makes ~54n strings of n letters
        backend = self._backend
        found = set(backend.candidates(key) or ())  # type: ignore[attr-defined]
        if not found and len(key) <= 6:
            # edit distance 2 grows with the square of the length: only for short words
            # (and only real words: the strings themselves are mostly gibberish like "'azqx")
            found = backend.known(backend.edit_distance_2(key))  # type: ignore[attr-defined]
        found.discard(key)
        usage = backend.word_usage_frequency  # type: ignore[attr-defined]
        ranked = sorted(found, key=lambda w: (-usage(w), w))[:limit]
        return [_same_case(word, s) for s in ranked]

    def add(self, word: str) -> None:
        """Accept `word` for good (the caller saves `user_words`)."""
        self._user.add(normalise(word))
        self._forget(word)

    def ignore(self, word: str) -> None:
        """Accept `word` until the app closes."""
        self._ignored.add(normalise(word))
        self._forget(word)

    def _forget(self, word: str) -> None:
        key = normalise(word)
        for cached in [w for w in self._verdicts if normalise(w) == key]:
            del self._verdicts[cached]


def _same_case(original: str, suggestion: str) -> str:
    if original.isupper():
        return suggestion.upper()
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def read_user_dictionary(path: Path) -> list[str]:
    """The words in a user dictionary file (one per line); a missing file has none."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def user_dictionary_text(words: Iterable[str]) -> str:
    """A user dictionary file's contents: one word a line, sorted, no duplicates."""
    unique = sorted({w.strip() for w in words if w.strip()})
    return "".join(f"{w}\n" for w in unique)


def write_user_dictionary(path: Path, words: Iterable[str]) -> None:
    """Write the user dictionary atomically (raises WriteError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, user_dictionary_text(words))


def available_languages() -> list[str]:
    """Language codes the installed word lists cover (e.g. en, de, fr, es)."""
    try:
        from spellchecker import SpellChecker
    except ImportError:
        return []
    return sorted(SpellChecker.languages())
