"""Start-up does not import what only publishing needs (start-up time: benchmarks/startup.py)."""

from __future__ import annotations

import subprocess
import sys

# Each costs 40-70 ms of start-up, and the window's first paint needs none of them
# (importlib.metadata only tells the version, for the About box).
NOT_AT_STARTUP = ("requests", "keyring", "urllib3", "importlib.metadata")


def test_the_window_module_imports_no_network_or_keyring_library() -> None:
    code = (
        "import sys, editor.cli.entry, editor.ui.app, editor.ui.main_window;"
        "editor.cli.entry.build_window_parser().parse_args([]);"  # what `broadsheet` does first
        f"print(','.join(m for m in {NOT_AT_STARTUP!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == ""
