"""Reading and writing one Markdown document on disk, with clear errors and durable writes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from editor.core.atomic import WriteError, atomic_write_bytes, describe_os_error
from editor.core.textfile import (
    BinaryFileError,
    NotUtf8Error,
    TextFormat,
    UnencodableError,
    decode_document,
    encode_document,
)

# Beyond this a "draft" is not a blog post; files up to 50 MB must still open (and stay usable).
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


class DocumentError(Exception):
    """A document could not be read; the message is one sentence for the writer."""


class NotUtf8DocumentError(DocumentError):
    """The document is not UTF-8; `problem` says where and which encodings to offer."""

    def __init__(self, message: str, problem: NotUtf8Error) -> None:
        super().__init__(message)
        self.problem = problem


class CannotStoreError(WriteError):
    """The document's own (legacy) encoding cannot store a character of the text."""

    def __init__(self, path: Path, problem: UnencodableError) -> None:
        super().__init__(path, f"{problem}; convert the file to UTF-8 to keep it")
        self.problem = problem


def content_hash(data: bytes) -> str:
    """The hash Broadsheet remembers of what it last loaded or wrote."""
    return hashlib.sha256(data).hexdigest()


def read_document_bytes(path: Path) -> bytes:
    """Read a document's bytes, or raise DocumentError with one clear sentence."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise DocumentError(f"{path} is a folder, not a Markdown file.")
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError(
                f"{path.name} is {size / 1048576:.0f} MB; Broadsheet opens files up to"
                f" {MAX_DOCUMENT_BYTES // 1048576} MB."
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise DocumentError(f"{path} does not exist.") from exc
    except OSError as exc:
        raise DocumentError(f"Cannot read {path}: {describe_os_error(exc)}.") from exc


def decode_or_explain(
    path: Path, data: bytes, fallback: str | None = None
) -> tuple[str, TextFormat]:
    """Decode bytes read from `path`, turning encoding problems into DocumentError.

    `fallback` is the encoding the writer chose for a file that is not UTF-8.
    """
    try:
        return decode_document(data, fallback)
    except NotUtf8Error as exc:
        raise NotUtf8DocumentError(f"{path.name}: {exc}", exc) from exc
    except BinaryFileError as exc:
        raise DocumentError(f"{path.name}: {exc}") from exc


def read_document(path: Path, fallback: str | None = None) -> tuple[str, TextFormat]:
    """Read a document as editor text (`\\n` line endings) and how it was stored."""
    return decode_or_explain(path, read_document_bytes(path), fallback)


def encode_for(path: Path, text: str, fmt: TextFormat = TextFormat()) -> bytes:
    """The bytes of editor text in the document's format; CannotStoreError (a WriteError) when
    the document's encoding cannot store a character of it."""
    try:
        return encode_document(text, fmt)
    except UnencodableError as exc:
        raise CannotStoreError(path, exc) from exc


def write_document(path: Path, text: str, fmt: TextFormat = TextFormat()) -> str:
    """Write editor text durably in the document's format; returns the hash of the bytes.

    Raises CannotStoreError (a WriteError) when the document's encoding cannot store the text.
    """
    data = encode_for(path, text, fmt)
    atomic_write_bytes(path, data)
    return content_hash(data)


__all__ = [
    "CannotStoreError",
    "DocumentError",
    "NotUtf8DocumentError",
    "WriteError",
    "content_hash",
    "read_document",
    "read_document_bytes",
    "write_document",
]
