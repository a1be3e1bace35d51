"""The type checker is clean on the Qt-free layers, editor/core and editor/publish.

CI runs the test suite, so this is where CI runs mypy. Its settings (strictness, the libraries
without type information) are pyproject.toml's [tool.mypy]; its cache (.mypy_cache at the top
of the repository) keeps a run after a small change to a few seconds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_errors_in_core_and_publish() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "-p", "editor.core", "-p", "editor.publish"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"mypy reports:\n{result.stdout}{result.stderr}"
    assert "Success: no issues found" in result.stdout, result.stdout
