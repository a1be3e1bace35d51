"""The installed PySide6 must not lose references to None (PySide6 6.12.0 on Python 3.11 does)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QTextDocument


def test_calls_that_return_nothing_keep_none_alive() -> None:
    # A long draft makes hundreds of thousands of such calls (highlighting, layout); with the
    # broken build the interpreter aborts, so pyproject.toml excludes it.
    document = QTextDocument()
    block = document.firstBlock()
    before = sys.getrefcount(None)
    for _ in range(2000):
        document.setModified(False)
        block.userData()
    assert sys.getrefcount(None) >= before - 100
