"""Bytes on disk <-> text in the editor, remembering encoding, BOM and line endings so a save
writes the file back in its own format."""

from __future__ import annotations

from dataclasses import dataclass

from editor.core.charsets import (
    UTF8,
    codec_name,
    detect_bomless_unicode,
    encoding_description,
    encoding_label,
    is_unicode,
    legacy_choices,
)

BOM = "\ufeff"
# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
NUL_SCAN_BYTES = 65536  # a NUL byte this early means binary data (or UTF-16/32)


class NotUtf8Error(ValueError):
    """The file is not valid UTF-8; it is opened only in an encoding the writer chooses.

    `choices` are the encodings worth offering (codec names), most likely first.
    """

    def __init__(self, line: int, column: int, choices: list[str]) -> None:
        looks = encoding_description(choices[0])
        super().__init__(
            f"This file is not valid UTF-8 text: the first character that is not UTF-8 is at"
            f" line {line}, column {column}, and the file looks like {looks}. Open it in the"
            f" Broadsheet window to read it as {encoding_label(choices[0])} or convert it to"
            " UTF-8."
        )
        self.line = line
        self.column = column
        self.choices = choices


class BinaryFileError(ValueError):
    """The file holds binary data (NUL bytes), not text."""

    def __init__(self, line: int = 1, column: int = 1) -> None:
        super().__init__(
            "This file holds binary data, not Markdown text (it has a NUL byte at line"
            f" {line}, column {column}); it was not opened."
        )
        self.line = line
        self.column = column


class UnencodableError(ValueError):
    """The text has a character the document's (legacy) encoding cannot store."""

    def __init__(self, encoding: str, char: str, line: int, column: int) -> None:
        shown = f"“{char}”" if char.isprintable() and not char.isspace() else ""
        code = f"U+{ord(char):04X}"
        what = f"{shown} ({code})" if shown else code
        super().__init__(
            f"{encoding_label(encoding)} cannot store the character {what} at line {line},"
            f" column {column}"
        )
        self.encoding = encoding
        self.char = char
        self.line = line
        self.column = column


@dataclass(frozen=True)
class TextFormat:
    """How a document was stored: its encoding, BOM or not, and its line ending."""

    bom: bool = False
    newline: str = "\n"
    encoding: str = UTF8  # a codec name; UTF-16/32 name their byte order (utf-16-le)

    @property
    def legacy(self) -> bool:
        """True for an older 8-bit encoding that cannot store every character."""
        return not is_unicode(self.encoding)


def decode_document(data: bytes, fallback: str | None = None) -> tuple[str, TextFormat]:
    """Decode file bytes to text with `\\n` line endings, and how to write it back.

    UTF-8, and UTF-16/32 with a BOM (or without one, when the detector is sure), open as they
    are. Anything else raises NotUtf8Error unless `fallback` names the encoding the writer
    chose for it.
    """
    decoded = _decode_unicode(data)
    if decoded is None and fallback is not None and not is_unicode(fallback):
        try:
            decoded = data.decode(fallback), codec_name(fallback), False
        except UnicodeDecodeError:
            decoded = None  # changed since the writer chose: ask again
    if decoded is None:
        raise _not_utf8(data)
    text, encoding, bom = decoded
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, TextFormat(bom=bom, newline=newline, encoding=encoding)


def _decode_unicode(data: bytes) -> tuple[str, str, bool] | None:
    """(text without BOM, encoding, had a BOM) for Unicode text; None when not UTF-8."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            try:
                text = data[len(mark) :].decode(encoding)
            except UnicodeDecodeError:
                break  # a mark followed by something else: judged like any other bytes
            if "\x00" not in text:
                return text, encoding, True
            break
    nul = data.find(b"\x00", 0, NUL_SCAN_BYTES)
    if nul >= 0:
        bomless = detect_bomless_unicode(data)
        if bomless is not None:
            try:
                text = data.decode(bomless)
            except UnicodeDecodeError:
                text = "\x00"
            if "\x00" not in text:
                return text, bomless, False
        raise BinaryFileError(*_line_and_column(data, nul))
    try:
        text = data.decode(UTF8)
    except UnicodeDecodeError:
        return None
    bom = text.startswith(BOM)
    return (text[1:] if bom else text), UTF8, bom


def _not_utf8(data: bytes) -> NotUtf8Error:
    line, column = 1, 1
    try:
        data.decode(UTF8)
    except UnicodeDecodeError as exc:
        line, column = _line_and_column(data, exc.start)
    return NotUtf8Error(line, column, legacy_choices(data))


def _line_and_column(data: bytes, position: int) -> tuple[int, int]:
    """1-based line and column (in characters of that line) of the byte at `position`."""
    before = data[:position].decode(UTF8, errors="replace").removeprefix(BOM)
    return _text_line_and_column(before.replace("\r\n", "\n").replace("\r", "\n"), None)


def _text_line_and_column(text: str, index: int | None) -> tuple[int, int]:
    """1-based line and column of `text[index]` (of the end of `text` when index is None)."""
    before = text if index is None else text[:index]
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, len(before) - line_start + 1


def encode_document(text: str, fmt: TextFormat = TextFormat()) -> bytes:
    """Encode editor text back to bytes in the document's own format.

    Raises UnencodableError when a legacy encoding cannot store a character of the text.
    """
    stored = text.replace("\n", fmt.newline) if fmt.newline != "\n" else text
    if fmt.bom:
        stored = BOM + stored
    try:
        return stored.encode(fmt.encoding)
    except UnicodeEncodeError:
        pass
    try:  # again on the editor's own text, to say where the character is
        text.encode(fmt.encoding)
    except UnicodeEncodeError as exc:
        line, column = _text_line_and_column(text, exc.start)
        raise UnencodableError(fmt.encoding, text[exc.start], line, column) from None
    raise UnencodableError(fmt.encoding, BOM, 1, 1)  # only the BOM itself did not fit
