"""Help ▸ Report a Problem: versions for the report, nothing personal."""

from __future__ import annotations

import getpass
import os
import platform
import socket
from pathlib import Path

from editor import __version__
from editor.core.problem_report import problem_report


def test_the_report_names_every_version_and_leaves_room_for_the_story() -> None:
    report = problem_report("6.12.0", "6.12.0")
    assert report.startswith("What happened\n")
    assert f"Broadsheet: {__version__}" in report
    assert f"Python: {platform.python_version()}" in report
    assert "Qt: 6.12.0, PySide6: 6.12.0" in report
    assert "System: " in report


def test_the_report_holds_no_user_name_host_name_or_paths() -> None:
    report = problem_report("6.12.0", "6.12.0")
    for private in {getpass.getuser(), socket.gethostname(), str(Path.home())}:
        if len(private) > 3:  # "root" is too common a word to look for
            assert private not in report
    assert os.sep + "home" not in report and os.environ["BROADSHEET_HOME"] not in report
    assert "/" not in report.replace("GNU/Linux", "")  # no path of any kind
