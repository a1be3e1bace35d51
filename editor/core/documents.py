"""Reading and writing one Markdown document on disk, with clear errors and durable writes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from editor.core.atomic import WriteError, atomic_write_bytes, describe_os_error
from editor.core.textfile import (
    BinaryFileError,
    NotUtf8Error,
    TextFormat,
    decode_document,
    encode_document,
)

# Beyond this a "draft" is not a blog post; files up to 50 MB must still open (and stay usable).
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


class DocumentError(Exception):
    """A document could not be read; the message is one sentence for the writer."""


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


def decode_or_explain(path: Path, data: bytes) -> tuple[str, TextFormat]:
    """Decode bytes read from `path`, turning encoding problems into DocumentError."""
    try:
        return decode_document(data)
    except (NotUtf8Error, BinaryFileError) as exc:
        raise DocumentError(f"{path.name}: {exc}") from exc


def read_document(path: Path) -> tuple[str, TextFormat]:
    """Read a document as editor text (`\\n` line endings) and how it was stored."""
    return decode_or_explain(path, read_document_bytes(path))


def write_document(path: Path, text: str, fmt: TextFormat = TextFormat()) -> str:
    """Write editor text durably in the document's format; returns the hash of the bytes."""
    data = encode_document(text, fmt)
    atomic_write_bytes(path, data)
    return content_hash(data)


__all__ = [
    "DocumentError",
    "WriteError",
    "content_hash",
    "read_document",
    "read_document_bytes",
    "write_document",
]
