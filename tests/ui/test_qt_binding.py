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


def test_starting_the_window_does_not_load_the_publishing_stack() -> None:
    """Sign-in, HTTP and image-host libraries (~45 MB) load on first publish, not at start."""
    import subprocess

    code = (
        "import sys, editor.ui.main_window; "
        "print(sorted(m for m in ('paramiko', 'google.auth', 'editor.publish.service') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
