"""The desktop launcher, the icon and the script that installs them."""

from __future__ import annotations

import configparser
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_desktop_entry_names_the_command_and_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "resources" / "broadsheet.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"].startswith("broadsheet ")
    assert desktop["Icon"] == "broadsheet"
    assert "text/markdown" in desktop["MimeType"]
    svg = (ROOT / "resources" / "icons" / "broadsheet.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert (ROOT / "resources" / "icons" / "broadsheet.png").read_bytes()[:4] == b"\x89PNG"


def test_install_script_copies_launcher_and_icons(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path), PATH="/usr/bin:/bin")
    program = tmp_path / "bin dir" / "broadsheet"
    result = subprocess.run(
        [str(ROOT / "scripts" / "install-desktop.sh"), str(program)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Installed" in result.stdout
    launcher = (tmp_path / "applications" / "broadsheet.desktop").read_text(encoding="utf-8")
    assert f'Exec="{program}" %f' in launcher
    assert (tmp_path / "icons/hicolor/scalable/apps/broadsheet.svg").is_file()
    assert (tmp_path / "icons/hicolor/256x256/apps/broadsheet.png").is_file()
