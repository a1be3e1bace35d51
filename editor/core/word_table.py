"""A language's word list in a compact form: all that spell checking keeps in memory.

pyspellchecker keeps its word-frequency table as a Python dict: for English 160,000 words,
about 14 MB held and 32 MB at the peak of parsing its gzipped JSON, for every language
loaded. Checking only asks "is this a word?" and suggestions ask which strings near a typo
are words and how common they are, so the table is kept as a marisa-trie of the words
(0.4 MB for English) and an array of their counts indexed by the trie's key ids (0.6 MB).

The table is built from pyspellchecker's shipped dictionary once per language and cached
under the app's cache folder; later starts read the cache and never parse the JSON. A cache
that does not match the dictionary file (size, modification time, language, format) or
whose checksum (CRC-32: it catches damage; hashlib's OpenSSL would cost 4 MB to load) is
wrong is rebuilt, never trusted.

`known`, `candidates`, `edit_distance_1`, `edit_distance_2` and `word_usage_frequency`
answer exactly as pyspellchecker's `SpellChecker(language, distance=1)` does (its rules are
followed here; tests compare the two), so `Speller` can use either.
"""

from __future__ import annotations

import contextlib
import ctypes
import gzip
import importlib.util
import json
import logging
import re
import string
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

import marisa_trie

from editor.core.atomic import atomic_write_bytes

log = logging.getLogger(__name__)

_MAGIC = b"broadsheet-word-table\n"
_FORMAT = 1
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def dictionary_file(language: str) -> Path:
    """pyspellchecker's word-frequency file for `language` (ValueError when it has none)."""
    spec = importlib.util.find_spec("spellchecker")
    folders = list(spec.submodule_search_locations or []) if spec else []
    if not folders:
        raise ImportError("pyspellchecker is not installed")
    path = Path(folders[0]) / "resources" / f"{language}.json.gz"
    if not _LANGUAGE.fullmatch(language) or not path.is_file():
        raise ValueError("there is no word list for this language")
    return path


class WordTable:
    """The words of one language with their counts, in a trie and an array."""

    def __init__(
        self, language: str, trie: marisa_trie.Trie, counts: array, letters: str, longest: int
    ) -> None:
        self.language = language
        self._trie = trie
        self._counts = counts
        self.letters = letters  # every character of every word, as pyspellchecker's `letters`
        self.longest = longest  # characters in the longest word
        self.total = sum(counts)

    @classmethod
    def from_counts(cls, language: str, counts: Iterable[tuple[str, int]]) -> WordTable:
        """A table of (word, count) pairs, lower-cased as pyspellchecker does (the counts of
        words that differ only in case add up). `counts` is read twice: a list, or a
        re-iterable view such as `dict.items()`."""
        seen: set[str] = set()
        longest = 0

        def words() -> Iterable[str]:
            nonlocal longest
            for word, _ in counts:
                key = word.lower()
                seen.update(key)
                longest = max(longest, len(key))
                yield key

        trie = marisa_trie.Trie(words())  # the keys go into C++ one by one, no Python set
        table = array("Q", bytes(8 * len(trie)))
        for word, count in counts:
            table[trie[word.lower()]] += count
        if max(table, default=0) < 2**32:
            table = array("I", table)
        return cls(language, trie, table, "".join(sorted(seen)), longest)

    def __len__(self) -> int:
        return len(self._trie)

    def __contains__(self, word: str) -> bool:
        return word.lower() in self._trie

    def count(self, word: str) -> int:
        """How often `word` occurs in the corpus the list was made from (0: not a word)."""
        key_id = self._trie.get(word.lower())
        return 0 if key_id is None else self._counts[key_id]

    # ------------------------------------------------- as pyspellchecker answers
    def known(self, words: Iterable[str]) -> set[str]:
        """The lower-cased `words` that are in the list."""
        trie = self._trie
        lowered = (w.lower() for w in words)
        return {w for w in lowered if w in trie and self._worth_checking(w)}

    def candidates(self, word: str) -> set[str] | None:
        """`word` itself when known, else the known words one edit away (None: there are none)."""
        if self.known([word]) or not self._worth_checking(word):
            return {word}
        return self.known(self.edit_distance_1(word)) or None

    def edit_distance_1(self, word: str) -> set[str]:
        """Every string one deletion, swap, replacement or insertion (of `letters`) away."""
        word = word.lower()
        if not self._worth_checking(word):
            return {word}
        letters = self.letters
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        deletes = [a + b[1:] for a, b in splits if b]
        transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
        replaces = [a + c + b[1:] for a, b in splits if b for c in letters]
        inserts = [a + c + b for a, b in splits for c in letters]
        return set(deletes + transposes + replaces + inserts)

    def edit_distance_2(self, word: str) -> list[str]:
        """Every string two edits away (known or not, with repeats)."""
        return [e2 for e1 in self.edit_distance_1(word.lower()) for e2 in self.edit_distance_1(e1)]

    def word_usage_frequency(self, word: str) -> float:
        """The share of the corpus that is `word`."""
        return self.count(word) / self.total if self.total else 0.0

    def _worth_checking(self, word: str) -> bool:
        # pyspellchecker's rule: punctuation, numbers and strings far longer than any word
        # are never words (so "1.5" in the list would still be unknown)
        if len(word) == 1 and word in string.punctuation:
            return False
        if len(word) > self.longest + 3:
            return False
        if word.lower() in ("nan", "inf", "infinity"):
            return True
        try:
            float(word)
        except ValueError:
            return True
        return False

    # -------------------------------------------------------------- the cache file
    def to_bytes(self, source_key: dict[str, object]) -> bytes:
        """The cache file: a magic line, a JSON header line, the trie, the counts."""
        trie = self._trie.tobytes()
        counts = self._counts.tobytes()
        header = {
            **source_key,
            "trie_size": len(trie),
            "typecode": self._counts.typecode,
            "letters": self.letters,
            "longest": self.longest,
            "crc32": zlib.crc32(counts, zlib.crc32(trie)),
        }
        return _MAGIC + json.dumps(header).encode() + b"\n" + trie + counts

    @classmethod
    def from_bytes(cls, data: bytes, source_key: dict[str, object]) -> WordTable:
        """Read a cache file made for `source_key` (ValueError when it is not one, or damaged)."""
        if not data.startswith(_MAGIC):
            raise ValueError("not a word table")
        end = data.find(b"\n", len(_MAGIC))
        if end < 0:
            raise ValueError("truncated header")
        header = json.loads(data[len(_MAGIC) : end])
        if not isinstance(header, dict) or any(header.get(k) != v for k, v in source_key.items()):
            raise ValueError("made for another dictionary")
        payload = data[end + 1 :]
        if zlib.crc32(payload) != header.get("crc32"):
            raise ValueError("checksum mismatch")
        size = header["trie_size"]
        trie = marisa_trie.Trie()
        trie.frombytes(payload[:size])
        counts = array(header["typecode"])
        counts.frombytes(payload[size:])
        if len(counts) != len(trie):
            raise ValueError("counts do not match the words")
        language = str(source_key["language"])
        return cls(language, trie, counts, str(header["letters"]), int(header["longest"]))


def source_key(language: str, source: Path) -> dict[str, object]:
    """What a cache must have been built from to be used: format, language, dictionary file."""
    stat = source.stat()
    return {
        "format": _FORMAT,
        "language": language,
        "source_size": stat.st_size,
        "source_mtime_ns": stat.st_mtime_ns,
    }


class _Entries:
    """The (word, count) pairs of a flat JSON object of counts, read without a dict of them.

    Parsing pyspellchecker's file with `json.loads` makes a dict of every word (English:
    30 MB at the peak, much of it kept by the allocator afterwards); scanning the text makes
    one word at a time. Anything but {"word": count, ...} raises ValueError.
    """

    _ENTRY = re.compile(r'\s*"((?:[^"\\]|\\.)*)"\s*:\s*(\d+)\s*([,}])')

    def __init__(self, text: str) -> None:
        self.text = text

    def __iter__(self) -> Iterator[tuple[str, int]]:
        text = self.text
        start = text.find("{")
        if start < 0 or text[:start].strip():
            raise ValueError("not a JSON object")
        position = start + 1
        last = ","
        while last == ",":
            match = self._ENTRY.match(text, position)
            if match is None:
                if position == start + 1 and text[position:].strip() == "}":
                    return  # {}
                raise ValueError(f"unexpected JSON at character {position}")
            word, count, last = match.groups()
            if "\\" in word:
                word = json.loads(f'"{word}"')
            yield word, int(count)
            position = match.end()
        if text[position:].strip():
            raise ValueError(f"unexpected JSON at character {position}")


def build(language: str, source: Path) -> WordTable:
    """Read pyspellchecker's gzipped JSON for `language` into a table (~0.3 s)."""
    text = gzip.decompress(source.read_bytes()).decode("utf-8")
    try:
        return WordTable.from_counts(language, _Entries(text))
    except ValueError:
        # not the flat object it has always been: let the JSON parser read it, at its cost
        counts = json.loads(text)
        if not isinstance(counts, dict):
            raise ValueError("the word list is not a table of words") from None
        try:
            pairs = [(str(word), int(count)) for word, count in counts.items()]
        except (TypeError, ValueError, OverflowError):
            raise ValueError("the word list has counts that are not numbers") from None
        del counts
        return WordTable.from_counts(language, pairs)


def _give_back_free_memory() -> None:
    """Return the heap the build freed to the system (glibc keeps ~14 MB of it otherwise)."""
    if not sys.platform.startswith("linux"):
        return
    # not glibc (musl has no malloc_trim): the memory is reused, only not returned
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def load_word_table(language: str, cache_dir: Path) -> WordTable:
    """The word table of `language`: from the cache, or built and cached (call off the GUI thread).

    Raises ValueError for a language without a word list, ImportError without pyspellchecker.
    A cache that cannot be written only costs the next start the build again.
    """
    source = dictionary_file(language)
    key = source_key(language, source)
    path = cache_dir / f"{language}.words"
    try:
        return WordTable.from_bytes(path.read_bytes(), key)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        log.info("Rebuilding the %s word table: the cached one is unusable (%s)", language, exc)
    table = build(language, source)
    _give_back_free_memory()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, table.to_bytes(key))
    except OSError as exc:
        log.warning("Could not cache the %s word table: %s", language, exc)
    return table
