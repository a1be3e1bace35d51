"""Screenshots of the writer's desk for docs/: outline, spelling menu, dark theme, focus mode.

Needs a real display (Xvfb will do), so that menus are real windows on the screen:

    Xvfb :97 -screen 0 1400x900x24 -nolisten tcp &
    DISPLAY=:97 python scripts/desk_screenshots.py [--out docs]

Uses a temporary BROADSHEET_HOME, so the writer's own settings and drafts are not touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 300_000

INTRO = """---
title: Notes from the Harbour Strike
labels: [essay, history]
target_words: 3000
---

# Notes from the Harbour Strike

The dockers walked out on a grey Monday, and by the evening the whole waterfront had gone
quiet. Nobody could recieve a cargo; the goverment sent a mediator who definately did not
expect to stay for three weeks.

## What the strikers asked for

1. A fixed shift of eight hours.
2. Pay for the hours spent waiting for ships.
3. A say in how the cranes are run.

> We are not asking for the harbour. We are asking for our evenings.

"""


def wait(app, ms: int) -> None:  # type: ignore[no-untyped-def]
    """Let the window work for `ms` milliseconds."""
    deadline = time.monotonic() + ms / 1000
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def grab(app, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Save the whole screen (menus included) as a PNG under MAX_BYTES."""
    image = app.primaryScreen().grabWindow(0).toImage()
    scale = 1.0
    while True:
        shot = image if scale == 1.0 else image.scaledToWidth(int(image.width() * scale), mode=1)
        shot.save(str(path), "PNG", 0)
        if path.stat().st_size < MAX_BYTES or scale < 0.5:
            break
        scale -= 0.1
    print(f"{path} ({path.stat().st_size // 1000} KB, {shot.width()}x{shot.height()})")


def main() -> int:
    """Take the four screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        print("desk_screenshots: needs DISPLAY (run it under Xvfb)", file=sys.stderr)
        return 1
    os.environ["BROADSHEET_HOME"] = tempfile.mkdtemp(prefix="broadsheet-shots-")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (before QApplication)
    from PySide6.QtWidgets import QApplication

    from benchmarks.make_essay import make
    from editor.core.paths import app_paths
    from editor.core.settings import Settings
    from editor.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Broadsheet")
    paths = app_paths()
    paths.drafts_dir.mkdir(parents=True)
    body = make(2600, 520).split("---\n", 2)[2]
    body = body.replace("## ", "### ", 3)  # some sub-sections, so the outline is a tree
    draft = paths.drafts_dir / "notes-from-the-harbour-strike.md"
    draft.write_text(INTRO + body, encoding="utf-8")
    window = MainWindow(paths, Settings(paths.settings_file).load())
    window.setGeometry(0, 0, 1400, 900)
    window.splitter.setSizes([230, 560, 560])
    window.show()
    window.refresh_drafts()
    window.open_path(draft)
    while window.doc is None or not window.desk.spell.active or not window.desk.outline.headings:
        wait(app, 50)
    editor = window.editor
    args.out.mkdir(parents=True, exist_ok=True)

    # Outline: the cursor in the third section, which the outline marks.
    cursor = editor.textCursor()
    text = editor.toPlainText()
    cursor.setPosition(text.index("We are not asking"))
    editor.setTextCursor(cursor)
    editor.centerCursor()
    wait(app, 1500)
    grab(app, args.out / "outline.png")

    # Spelling: the right-click menu on a misspelt word.
    cursor.setPosition(text.index("recieve") + 2)
    editor.setTextCursor(cursor)
    point = editor.cursorRect(cursor).center()
    menu = editor.build_context_menu(point)
    menu.popup(editor.viewport().mapToGlobal(point))
    wait(app, 800)
    grab(app, args.out / "spellcheck.png")
    menu.close()
    menu.deleteLater()

    # Dark theme: window, highlighter and preview.
    window.desk.set_preferences(window.desk.prefs.with_changes(theme="dark"))
    cursor.setPosition(text.index("## What the strikers"))
    editor.setTextCursor(cursor)
    wait(app, 1500)
    grab(app, args.out / "dark-theme.png")
    window.desk.set_preferences(window.desk.prefs.with_changes(theme="light"))

    # Focus mode: full screen, a centred column, nothing else.
    cursor.setPosition(text.index("The dockers walked out"))
    editor.setTextCursor(cursor)
    window.desk.focus.enter()
    wait(app, 1500)
    grab(app, args.out / "focus-mode.png")
    window.desk.focus.leave()

    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return 0


if __name__ == "__main__":
    sys.exit(main())
