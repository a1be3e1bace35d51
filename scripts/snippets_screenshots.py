"""Screenshots of the Update-all dialog mid-progress over the window, light and dark.

Needs a real display (Xvfb will do):

    Xvfb :97 -screen 0 1400x900x24 -nolisten tcp &
    DISPLAY=:97 python scripts/snippets_screenshots.py --out docs

Writes update-all-dialog.png and update-all-dialog-dark.png. Uses a temporary BROADSHEET_HOME;
the dialog is fed the progress of five posts (nothing is sent anywhere).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.desk_screenshots import grab, wait  # noqa: E402

FOOTER = "---\n\n*Thanks for reading the Harbour Notes.* New posts come on Fridays.\n"
DRAFT = """---
title: The night ferry
labels: [harbour]
---

The last ferry leaves at eleven, and the deckhands know every passenger by name.

{% include footer %}
"""
TITLES = [
    "The night ferry",
    "Cranes at dawn",
    "What the tide left",
    "A strike on the quay",
    "The lighthouse keeper's logbook",
]


def main() -> int:
    """Take both screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        print("snippets_screenshots: needs DISPLAY (run it under Xvfb)", file=sys.stderr)
        return 1
    os.environ["BROADSHEET_HOME"] = tempfile.mkdtemp(prefix="broadsheet-shots-")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    from editor.ui.app import prepare_environment

    prepare_environment()
    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (before QApplication)
    from PySide6.QtWidgets import QApplication

    from editor.core.paths import app_paths
    from editor.core.settings import Settings
    from editor.publish.snippet_update import (
        CONFLICT,
        UPDATED,
        PostOutcome,
        UpdateProgress,
        UsingPost,
    )
    from editor.ui.main_window import MainWindow
    from editor.ui.update_all_dialog import UpdateAllDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Broadsheet")
    paths = app_paths()
    paths.drafts_dir.mkdir(parents=True)
    paths.snippets_dir.mkdir(parents=True)
    (paths.snippets_dir / "footer.md").write_text(FOOTER, encoding="utf-8")
    draft = paths.drafts_dir / "the-night-ferry.md"
    draft.write_text(DRAFT, encoding="utf-8")
    window = MainWindow(paths, Settings(paths.settings_file).load())
    window.resize(1300, 820)
    window.move(40, 30)
    window.show()
    wait(app, 1500)
    window.open_path(draft)
    for _ in range(100):
        if window.doc is not None:
            break
        wait(app, 100)
    wait(app, 2000)
    posts = [
        UsingPost(
            draft.with_name(f"post-{n}.md"),
            "blogger:7001",
            title,
            f"https://harbournotes.blogspot.com/2026/11/{title.lower().replace(' ', '-')}.html",
        )
        for n, title in enumerate(TITLES)
    ]
    outcomes = [
        PostOutcome(posts[0], UPDATED),
        PostOutcome(posts[1], UPDATED),
        PostOutcome(posts[2], CONFLICT, "The post on the blog was changed elsewhere."),
    ]
    for theme in ("light", "dark"):
        window.desk.set_preferences(window.desk.prefs.with_changes(theme=theme))
        wait(app, 800)
        dialog = UpdateAllDialog(window, "footer")
        dialog.worker.listed.disconnect(dialog._on_listed)  # fed below instead
        dialog.show()
        dialog.move(window.x() + 330, window.y() + 170)
        wait(app, 300)
        dialog._on_listed("footer", posts, 0)
        dialog.start_button.setEnabled(False)
        dialog.running = True
        dialog.cancel_button.setText("&Cancel")
        for done, outcome in enumerate(outcomes, 1):
            dialog._on_progress(UpdateProgress(done, len(posts), None, outcome))
        dialog._on_progress(UpdateProgress(3, len(posts), posts[3]))
        wait(app, 1200)
        name = "update-all-dialog-dark.png" if theme == "dark" else "update-all-dialog.png"
        grab(app, args.out / name)
        dialog.running = False
        dialog.close()
        wait(app, 300)
    window.desk.set_preferences(window.desk.prefs.with_changes(theme="light"))
    window.close()
    wait(app, 500)
    return 0


if __name__ == "__main__":
    sys.exit(main())
