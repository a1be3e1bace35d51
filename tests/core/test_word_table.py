"""The compact word table: same verdicts and suggestions as pyspellchecker, a cache that is
used, and rebuilt whenever it is damaged or stale."""

from __future__ import annotations

import gc
import gzip
import json
import random
import shutil
import tracemalloc
from pathlib import Path

import pytest
from spellchecker import SpellChecker

from editor.core import word_table
from editor.core.atomic import WriteError
from editor.core.paths import app_paths
from editor.core.spelling import Speller
from editor.core.word_table import WordTable, dictionary_file, load_word_table

MB = 1024 * 1024


@pytest.fixture(scope="module")
def reference() -> SpellChecker:
    """pyspellchecker's own English speller, as Broadsheet used it before the table."""
    return SpellChecker(language="en", distance=1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The English cache file, built once for the module (building takes ~0.5 s)."""
    folder = tmp_path_factory.mktemp("words")
    load_word_table("en", folder)
    return (folder / "en.words").read_bytes()


@pytest.fixture
def cache(tmp_path: Path, built: bytes) -> Path:
    """A cache folder holding a good English table."""
    folder = tmp_path / "spelling"
    folder.mkdir()
    (folder / "en.words").write_bytes(built)
    return folder


def sample(reference: SpellChecker, count: int = 400, seed: int = 17) -> list[str]:
    """Known words, as typed (capitals, possessives, curly apostrophes) and mistyped."""
    rnd = random.Random(seed)
    words = rnd.sample(sorted(reference.word_frequency.dictionary), count)
    typed = []
    for word in words:
        typo = list(word)
        typo[rnd.randrange(len(typo))] = rnd.choice("qxzjk")
        typed += [word, word.capitalize(), word.upper(), f"{word}'s", f"{word}’s", f"{word}s'"]
        typed += ["".join(typo), "".join(typo).capitalize()]
    # the edges of pyspellchecker's rules: numbers, punctuation, "nan", contractions
    typed += ["don't", "Don’t", "it's", "nan", "NaN", "inf", "1e5", "'", "o'clock", "rock'n'roll"]
    return typed


def test_verdicts_are_pyspellcheckers(cache: Path, reference: SpellChecker) -> None:
    words = sample(reference)
    compact = Speller("en", load_word_table("en", cache), ["Broadsheet"])
    original = Speller("en", reference, ["Broadsheet"])
    verdicts = {w: compact.is_correct(w) for w in words}
    assert verdicts == {w: original.is_correct(w) for w in words}
    assert 0 < sum(verdicts.values()) < len(words)  # the sample has both kinds
    table = load_word_table("en", cache)
    assert table.known(words) == reference.known(words)
    assert len(table) == len(reference.word_frequency.dictionary)


def test_suggestions_are_pyspellcheckers(cache: Path, reference: SpellChecker) -> None:
    typos = [w for w in sample(reference, count=30, seed=5) if not reference.known([w])]
    typos += ["zzqx", "Recieve", "teh", "xq", "Writr’s"]  # "zzqx": only edit distance 2 finds any
    compact = Speller("en", load_word_table("en", cache))
    original = Speller("en", reference)
    suggested = {w: compact.suggestions(w) for w in typos}
    assert suggested == {w: original.suggestions(w) for w in typos}
    assert suggested["Recieve"][0] == "Receive"
    assert suggested["zzqx"] == ["zzz"]


def test_distance_two_suggests_only_words(cache: Path) -> None:
    # Strings two edits away were offered whatever they were: "zzqx" got "''qx" and "'aqx".
    speller = Speller("en", load_word_table("en", cache))
    assert speller.suggestions("zzqx") == ["zzz"]


def test_checking_and_suggesting_never_load_pyspellcheckers_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pyspellchecker's dict of every word was loaded")

    monkeypatch.setattr("spellchecker.SpellChecker.__init__", refuse)
    for start in ("cold", "warm"):
        speller = Speller.load("en")
        assert speller.is_correct("Organizing"), start
        assert not speller.is_correct("orgnizing"), start
        assert "organizing" in speller.suggestions("orgnizing"), start
    assert (app_paths().cache_dir / "spelling" / "en.words").is_file()


def test_a_warm_start_holds_and_peaks_at_a_few_megabytes(cache: Path) -> None:
    # pyspellchecker's dict: 13.7 MB held and 31.7 MB at the peak of loading (tracemalloc)
    shutil.copytree(cache, app_paths().cache_dir / "spelling")
    Speller.load("en")  # imports done, so only the table is counted
    gc.collect()
    tracemalloc.start()
    try:
        speller = Speller.load("en")
        for word in ["writer", "drafts", "Orgnizing", "publish", "yesterday's"] * 400:
            speller.is_correct(word)
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 2 * MB
    assert peak < 5 * MB


def test_the_cache_is_used_on_the_second_load(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*args: object) -> None:
        raise AssertionError("the dictionary was read again")

    monkeypatch.setattr(word_table, "build", no_parsing)
    monkeypatch.setattr(gzip, "decompress", no_parsing)
    table = load_word_table("en", cache)
    assert "organizing" in table
    assert table.count("the") > table.count("organizing") > 0


@pytest.mark.parametrize(
    "damage",
    ["truncated", "one byte changed", "empty", "header only", "another file", "bad header"],
)
def test_a_damaged_cache_is_rebuilt(cache: Path, built: bytes, damage: str) -> None:
    path = cache / "en.words"
    end = built.index(b"\n", built.index(b"\n") + 1) + 1
    damaged = {
        "truncated": built[: len(built) // 2],
        "one byte changed": built[:-100] + bytes([built[-100] ^ 1]) + built[-99:],
        "empty": b"",
        "header only": built[:end],
        "another file": b"\x89PNG\r\n\x1a\n" + built[8:],
        "bad header": built[: end - 20] + b"[}" + built[end - 18 :],
    }[damage]
    path.write_bytes(damaged)
    speller = Speller("en", load_word_table("en", cache))
    assert speller.is_correct("Organizing")
    assert not speller.is_correct("orgnizing")
    assert path.read_bytes() == built  # and the next start has a good one again


def test_a_cache_of_another_dictionary_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "en.json.gz"
    source.write_bytes(gzip.compress(json.dumps({"alpha": 3, "Beta": 1, "beta": 1}).encode()))
    monkeypatch.setattr(word_table, "dictionary_file", lambda language: source)
    table = load_word_table("en", tmp_path / "cache")
    assert ("alpha" in table, "gamma" in table, table.count("BETA")) == (True, False, 2)
    # a newer pyspellchecker ships another list: same language, another file
    source.write_bytes(gzip.compress(json.dumps({"gamma": 1}, indent=1).encode()))
    table = load_word_table("en", tmp_path / "cache")
    assert ("alpha" in table, "gamma" in table) == (False, True)


def test_a_cache_that_cannot_be_written_costs_only_the_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(path: Path, data: bytes) -> None:
        raise WriteError(path, "the disk is full")

    monkeypatch.setattr(word_table, "atomic_write_bytes", full_disk)
    table = load_word_table("en", tmp_path / "cache")
    assert "organizing" in table
    assert not (tmp_path / "cache" / "en.words").exists()


@pytest.mark.parametrize("language", ["xx", "../en", "", "EN"])
def test_a_language_without_a_word_list_is_a_value_error(language: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no word list for this language"):
        load_word_table(language, tmp_path)
    assert not tmp_path.joinpath("spelling").exists()


def test_the_json_scan_reads_what_the_json_parser_reads() -> None:
    text = gzip.decompress(dictionary_file("en").read_bytes()).decode("utf-8")
    assert list(word_table._Entries(text)) == list(json.loads(text).items())
    tricky = '{ "caf\\u00e9" : 2,"say \\"hi\\"":1 ,\n"x\\\\y": 30 }'
    assert list(word_table._Entries(tricky)) == list(json.loads(tricky).items())
    assert list(word_table._Entries(" {} ")) == []
    for bad in ['{"a": 1.5}', '["a"]', '{"a": 1,}', '{"a": 1} x', '{"a": 1']:
        with pytest.raises(ValueError):
            list(word_table._Entries(bad))


def test_a_list_the_scan_cannot_read_goes_to_the_json_parser(tmp_path: Path) -> None:
    source = tmp_path / "xx.json.gz"
    source.write_bytes(gzip.compress(b'{"alpha": 1.0e1, "beta": 2}'))
    table = word_table.build("xx", source)
    assert (table.count("alpha"), table.count("beta")) == (10, 2)
    for bad in (b'["alpha"]', b'{"alpha": "often"}'):
        source.write_bytes(gzip.compress(bad))
        with pytest.raises(ValueError):
            word_table.build("xx", source)


def test_case_variants_add_up_as_in_pyspellchecker() -> None:
    table = WordTable.from_counts("en", [("Paris", 5), ("paris", 2), ("Émile", 1)])
    assert (len(table), table.count("PARIS"), table.total, table.longest) == (2, 7, 8, 5)
    assert table.letters == "".join(sorted(set("parisémile")))
    assert table.word_usage_frequency("paris") == 7 / 8


def test_the_default_cache_is_in_the_apps_cache_folder(tmp_path: Path) -> None:
    speller = Speller.load("en")
    assert speller.is_correct("writer")
    shutil.rmtree(app_paths().cache_dir / "spelling")
    speller = Speller.load("en", cache_dir=tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "en.words").is_file()
    assert not (app_paths().cache_dir / "spelling").exists()
