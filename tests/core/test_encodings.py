"""Files that are not UTF-8 (issue 13, defect 11): UTF-16/32 open as text and are written
back byte for byte; legacy encodings are named, located and kept until the writer converts."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.atomic import WriteError
from editor.core.charsets import encoding_label, legacy_choices
from editor.core.documents import (
    CannotStoreError,
    DocumentError,
    NotUtf8DocumentError,
    read_document,
    write_document,
)
from editor.core.drafts import DraftStore
from editor.core.textfile import (
    BinaryFileError,
    NotUtf8Error,
    TextFormat,
    UnencodableError,
    decode_document,
    encode_document,
)
from editor.publish.errors import DraftError
from editor.publish.records import read_draft

POST = "---\r\ntitle: “Smart” quotes\r\n---\r\n\r\nIt’s a café — 5 €… naïve.\r\n"
TEXT = POST.replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (("\ufeff" + POST).encode("utf-16-le"), TextFormat(True, "\r\n", "utf-16-le")),
        (("\ufeff" + TEXT).encode("utf-16-be"), TextFormat(True, "\n", "utf-16-be")),
        (("\ufeff" + POST).encode("utf-32-le"), TextFormat(True, "\r\n", "utf-32-le")),
        (("\ufeff" + TEXT).encode("utf-32-be"), TextFormat(True, "\n", "utf-32-be")),
        (("\ufeff" + POST).encode("utf-8"), TextFormat(True, "\r\n", "utf-8")),
        (POST.encode("utf-16-le"), TextFormat(False, "\r\n", "utf-16-le")),
        (TEXT.encode("utf-16-be"), TextFormat(False, "\n", "utf-16-be")),
    ],
    ids=[
        "utf16le-bom-crlf",
        "utf16be-bom",
        "utf32le-bom-crlf",
        "utf32be-bom",
        "utf8-bom-crlf",
        "utf16le-no-bom-crlf",
        "utf16be-no-bom",
    ],
)
def test_unicode_files_open_as_text_and_round_trip_byte_for_byte(
    tmp_path: Path, data: bytes, fmt: TextFormat
) -> None:
    text, found = decode_document(data)
    assert text == TEXT and found == fmt and not found.legacy
    assert encode_document(text, found) == data
    path = tmp_path / "post.md"
    path.write_bytes(data)
    text, found = read_document(path)
    write_document(path, text + "Added.\n", found)
    added = "Added.\r\n" if fmt.newline == "\r\n" else "Added.\n"
    assert path.read_bytes() == data + added.encode(fmt.encoding)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_long_utf16_file_without_bom_is_recognised(encoding: str) -> None:
    # Longer than the detector's sample, with characters of two UTF-16 units (😀): the sample
    # must end on a whole character or the detector calls it binary.
    text = "A line of a long post 😀 with a café.\n" * 20_000
    decoded, fmt = decode_document(text.encode(encoding))
    assert decoded == text and fmt == TextFormat(False, "\n", encoding)


def test_text_format_defaults_are_utf8_without_bom() -> None:
    assert TextFormat() == TextFormat(bom=False, newline="\n", encoding="utf-8")
    assert encode_document("é\n") == "é\n".encode()


CP1252 = "---\r\ntitle: “Smart” quotes\r\n---\r\n\r\nIt’s a café — 5 €…\r\n".encode("cp1252")


def test_cp1252_is_not_opened_silently_and_says_line_column_and_encoding() -> None:
    with pytest.raises(NotUtf8Error) as caught:
        decode_document(CP1252)
    problem = caught.value
    # “ is the 8th character of line 2: counted in characters, from 1, CRLF not counted.
    assert (problem.line, problem.column) == (2, 8)
    assert problem.choices[0] == "cp1252"
    message = str(problem)
    assert "line 2, column 8" in message and "Windows-1252" in message


def test_column_counts_characters_not_bytes() -> None:
    data = "naïve “ok”\n".encode() + b"d\xc3\xa9j\xc3\xa0 vu: caf\xe9\n"
    with pytest.raises(NotUtf8Error) as caught:
        decode_document(data)
    assert (caught.value.line, caught.value.column) == (2, 13)  # "déjà vu: caf" is 12 chars


def test_a_chosen_legacy_encoding_reads_and_writes_back_byte_for_byte() -> None:
    text, fmt = decode_document(CP1252, "cp1252")
    assert text == TEXT.replace(" naïve.", "") and fmt == TextFormat(False, "\r\n", "cp1252")
    assert fmt.legacy and encode_document(text, fmt) == CP1252
    latin = "Grüße aus München.\n".encode("latin-1")
    text, fmt = decode_document(latin, "latin-1")
    assert text == "Grüße aus München.\n" and encode_document(text, fmt) == latin


def test_a_fallback_is_only_for_files_that_are_not_utf8() -> None:
    text, fmt = decode_document("Grüße\n".encode(), "cp1252")
    assert text == "Grüße\n" and fmt.encoding == "utf-8"


def test_a_character_the_legacy_encoding_cannot_store_is_named_and_located(
    tmp_path: Path,
) -> None:
    fmt = TextFormat(False, "\r\n", "cp1252")
    with pytest.raises(UnencodableError) as caught:
        encode_document("It’s fine.\nWe met in Łódź.\n", fmt)
    assert (caught.value.line, caught.value.column) == (2, 11)
    assert str(caught.value) == (
        "Windows-1252 cannot store the character “Ł” (U+0141) at line 2, column 11"
    )
    path = tmp_path / "old.md"
    path.write_bytes(CP1252)
    with pytest.raises(CannotStoreError) as refused:
        write_document(path, "We met in Łódź.\n", fmt)
    assert isinstance(refused.value, WriteError)  # every save path already handles these
    assert "line 1, column 11" in str(refused.value) and "UTF-8" in str(refused.value)
    assert path.read_bytes() == CP1252


def test_binary_data_stays_refused_with_where_the_nul_is() -> None:
    with pytest.raises(BinaryFileError) as caught:
        decode_document(b"# Title\n\nText\x00more\n")
    assert "binary data" in str(caught.value) and "line 3, column 5" in str(caught.value)
    with pytest.raises(BinaryFileError):
        decode_document(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(BinaryFileError):
        decode_document(b"\xff\xfe" + bytes(range(256)) * 4)  # a BOM, then no text


def test_the_same_sentence_for_the_cli_the_sidebar_and_publishing(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts", tmp_path / "trash")
    store.ensure()
    path = store.drafts_dir / "old.md"
    path.write_bytes(CP1252)
    with pytest.raises(NotUtf8DocumentError) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith("old.md: ") and "line 2, column 8" in message
    assert isinstance(caught.value, DocumentError)
    [info] = store.list_drafts()
    assert info.problem == message
    with pytest.raises(DraftError) as publishing:
        read_draft(path)
    assert str(publishing.value) == message
    assert path.read_bytes() == CP1252


@pytest.mark.parametrize(
    ("text", "encoding", "first"),
    [
        ("Le garçon à la fenêtre mange une crêpe. Voilà, c’est ça.\n" * 3, "cp1252", "cp1252"),
        ("Wir waren in München und Köln. Die Straßen waren schön.\n" * 3, "cp1252", "cp1252"),
        (
            "Byliśmy w Łodzi. To było piękne miasto, pełne ludzi. Każdy dzień przynosił coś"
            " nowego.\n" * 5,
            "cp1250",
            "cp1250",
        ),
        ("Привет, как дела? Это мой блог о жизни.\n" * 3, "cp1251", "cp1251"),
        ("Café\n", "cp1252", "cp1252"),  # too short to tell: Windows-1252
    ],
    ids=["french", "german", "polish", "russian", "short"],
)
def test_the_offered_encoding(text: str, encoding: str, first: str) -> None:
    choices = legacy_choices(text.encode(encoding))
    assert choices[0] == first and len(choices) <= 2
    assert len({text.encode(encoding).decode(c) for c in choices}) == len(choices)


def test_labels_a_writer_knows() -> None:
    assert encoding_label("cp1252") == "Windows-1252"
    assert encoding_label("latin_1") == "Latin-1"
    assert encoding_label("utf_16_le") == "UTF-16"
