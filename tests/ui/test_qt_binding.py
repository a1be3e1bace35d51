"""The Qt binding itself must not leak or drop references: a long writing session calls it
millions of times, and PySide6 6.12.0 aborted the process after a few thousand calls."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMainWindow


def test_void_calls_keep_the_refcount_of_none_and_bools(qapp) -> None:  # type: ignore[no-untyped-def]
    label, obj, window = QLabel(), QObject(), QMainWindow()
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        label.setText("x")
        obj.setObjectName("x")
        window.setWindowModified(True)
        window.setWindowModified(False)
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    assert all(a >= b - 5 for a, b in zip(after, before, strict=True)), (before, after)
    window.deleteLater()
