"""Screenshots of what the writer sees, in the light or dark theme: a draft with a title and
code in the preview, and the "Published: …" bar after a publish.

Needs a real display (Xvfb will do):

    Xvfb :97 -screen 0 1400x900x24 -nolisten tcp &
    DISPLAY=:97 python scripts/looks_screenshots.py --theme dark [--out docs]

Writes <out>/preview-code-<theme>.png and <out>/published-bar-<theme>.png. Uses a temporary
BROADSHEET_HOME, so the writer's own settings and drafts are not touched.
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

DRAFT = '''---
title: Reading the Tide Tables with Python
labels: [harbour, code]
---

The harbour master prints the tide tables every spring. Here is the small script that
turns them into a list of good mornings for rowing.

```python
from datetime import time

LOW_WATER = 0.8  # metres: below this the slipway is mud

def good_mornings(tides: list[tuple[time, float]]) -> list[time]:
    """Mornings when the water is high enough before nine."""
    return [at for at, height in tides if at < time(9) and height > LOW_WATER]
```

Run it on the spring table and the answer is *eleven mornings* in April.
'''


def main() -> int:
    """Take the two screenshots in one theme."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--theme", choices=("light", "dark"), default="dark")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        print("looks_screenshots: needs DISPLAY (run it under Xvfb)", file=sys.stderr)
        return 1
    os.environ["BROADSHEET_HOME"] = tempfile.mkdtemp(prefix="broadsheet-shots-")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (before QApplication)
    from PySide6.QtWidgets import QApplication

    from editor.core.paths import app_paths
    from editor.core.preferences import Preferences, store_preferences
    from editor.core.settings import Settings
    from editor.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Broadsheet")
    paths = app_paths()
    paths.drafts_dir.mkdir(parents=True)
    draft = paths.drafts_dir / "reading-the-tide-tables-with-python.md"
    draft.write_text(DRAFT, encoding="utf-8")
    settings = Settings(paths.settings_file).load()
    store_preferences(settings, Preferences(theme=args.theme))
    window = MainWindow(paths, settings)
    window.setGeometry(0, 0, 1400, 900)
    window.splitter.setSizes([200, 560, 640])
    window.show()
    window.refresh_drafts()
    window.open_path(draft)
    while window.doc is None or window.preview.applied_generation < 0:
        wait(app, 50)
    wait(app, 1500)
    args.out.mkdir(parents=True, exist_ok=True)
    grab(app, args.out / f"preview-code-{args.theme}.png")

    url = "https://tides.example.blogspot.com/2026/04/reading-tide-tables-with-python.html"
    window.banner.show_message(
        f"Published: {url}.", "info", "publish", [("Open in Browser", lambda: None)]
    )
    wait(app, 800)
    grab(app, args.out / f"published-bar-{args.theme}.png")

    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return 0


if __name__ == "__main__":
    sys.exit(main())
