"""Screenshots of the History compare and of a missing picture in the preview, light and dark.

Needs a real display (Xvfb will do):

    Xvfb :97 -screen 0 1400x900x24 -nolisten tcp &
    DISPLAY=:97 python scripts/history_screenshots.py --out /tmp/shots

Writes history-light.png, history-dark.png, missing-picture-light.png and
missing-picture-dark.png. Uses a temporary BROADSHEET_HOME.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.desk_screenshots import INTRO, grab, wait  # noqa: E402

EDITS = (
    ("The dockers walked out on a grey Monday", "The dockers walked out on a wet, grey Monday"),
    ("the whole waterfront had gone\nquiet", "the whole waterfront had fallen\nsilent"),
    ("A say in how the cranes are run.", "A say in how the cranes and the sheds are run."),
    ("We are asking for our evenings.", "We are asking for our evenings back."),
)
PICTURE = "\n![The quay at dawn](quay.jpg)\n\n"


def main() -> int:
    """Take the four screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/broadsheet-shots"))
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        print("history_screenshots: needs DISPLAY (run it under Xvfb)", file=sys.stderr)
        return 1
    os.environ["BROADSHEET_HOME"] = tempfile.mkdtemp(prefix="broadsheet-shots-")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (before QApplication)
    from PySide6.QtWidgets import QApplication

    from editor.core.paths import app_paths
    from editor.core.settings import Settings
    from editor.ui.compare_dialog import HistoryDialog
    from editor.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Broadsheet")
    paths = app_paths()
    paths.drafts_dir.mkdir(parents=True)
    old = INTRO.replace("## What the strikers", PICTURE + "## What the strikers")
    new = old
    for before, after in EDITS:
        new = new.replace(before, after)
    draft = paths.drafts_dir / "notes-from-the-harbour-strike.md"
    draft.write_text(new, encoding="utf-8")
    window = MainWindow(paths, Settings(paths.settings_file).load())
    window.setGeometry(0, 0, 1400, 900)
    window.show()
    window.open_path(draft)
    while window.doc is None:
        wait(app, 50)
    window.splitter.setSizes([0, 640, 760])
    window.history.take(draft, old, "save")
    args.out.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        window.desk.set_preferences(window.desk.prefs.with_changes(theme=theme))
        cursor = window.editor.textCursor()
        cursor.setPosition(window.editor.toPlainText().index("The quay at dawn"))
        window.editor.setTextCursor(cursor)
        wait(app, 2500)
        grab(app, args.out / f"missing-picture-{theme}.png")
        dialog = HistoryDialog(window, window.history, draft, window.editor.toPlainText())
        dialog.setGeometry(60, 40, 1280, 760)
        dialog.show()
        wait(app, 1200)
        grab(app, args.out / f"history-{theme}.png")
        dialog.close()
        dialog.deleteLater()
    window.close()
    wait(app, 300)
    return 0


if __name__ == "__main__":
    sys.exit(main())
