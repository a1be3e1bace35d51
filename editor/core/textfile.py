"""Bytes on disk <-> text in the editor, remembering BOM and line endings so a save keeps them."""

from __future__ import annotations

from dataclasses import dataclass

BOM = "\ufeff"


class NotUtf8Error(ValueError):
    """The file is not valid UTF-8; it must not be opened for editing (or overwritten)."""

    def __init__(self, position: int, line: int) -> None:
        super().__init__(
            f"This file is not valid UTF-8 text (first bad byte at line {line}, byte {position})."
            " Broadsheet opened nothing and changed nothing."
        )
        self.position = position
        self.line = line


class BinaryFileError(ValueError):
    """The file holds binary data (NUL bytes), not text."""

    def __init__(self) -> None:
        super().__init__("This file holds binary data, not Markdown text; it was not opened.")


@dataclass(frozen=True)
class TextFormat:
    """How a document was stored: BOM or not, and its line ending."""

    bom: bool = False
    newline: str = "\n"


def decode_document(data: bytes) -> tuple[str, TextFormat]:
    """Decode file bytes to text with `\\n` line endings, and how to write it back."""
    if b"\x00" in data[:65536]:
        raise BinaryFileError()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8Error(exc.start, data.count(b"\n", 0, exc.start) + 1) from exc
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, TextFormat(bom=bom, newline=newline)


def encode_document(text: str, fmt: TextFormat = TextFormat()) -> bytes:
    """Encode editor text back to bytes in the document's own format."""
    if fmt.newline != "\n":
        text = text.replace("\n", fmt.newline)
    if fmt.bom:
        text = BOM + text
    return text.encode("utf-8")
