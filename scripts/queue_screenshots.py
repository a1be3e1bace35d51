"""Screenshots of publishing offline and announcing, in the light or dark theme: the window
with "Waiting to publish: 2", the queue dialog, and the announcement dialog after a publish.

Against the loopback Blogger and Mastodon contract servers of the tests (no internet), with
the Blogger API behind the fault proxy, which plays "no network" for the first two posts.
Needs a real display (Xvfb will do):

    Xvfb :97 -screen 0 1400x900x24 -nolisten tcp &
    DISPLAY=:97 python scripts/queue_screenshots.py --theme dark [--out docs]

Writes <out>/queue-waiting-<theme>.png, <out>/queue-dialog-<theme>.png and
<out>/announce-after-publish-<theme>.png. Uses a temporary BROADSHEET_HOME and an in-memory
keyring, so the writer's own settings, drafts and sign-ins are not touched.
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

TRAIN = """---
title: Written on the Night Train
labels: [travel]
---

The night train to Vienna leaves at 22:10, and by Linz the corridor lights are blue. Somewhere
after midnight the wifi gave up, which is when this was written.
"""

CAFE = """---
title: A Morning at the Café Central
labels: [travel, coffee]
---

The waiter brings the water before the coffee, always. It took me three mornings to notice
that nobody ever asks for it.
"""

HOME = """---
title: Trains at Night
labels: [travel]
---

Sleeper trains are coming back to Europe, and they are slower than you think. That is the
point: you lie down in one city and wake up in another.
"""


def main() -> int:
    """Take the three screenshots in one theme."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        print("queue_screenshots: needs DISPLAY (run it under Xvfb)", file=sys.stderr)
        return 1
    os.environ["BROADSHEET_HOME"] = tempfile.mkdtemp(prefix="broadsheet-shots-")
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"  # the loopback Google only
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

    import keyring
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (before QApplication)
    from PySide6.QtWidgets import QApplication

    from editor.core.paths import app_paths
    from editor.core.preferences import Preferences, store_preferences
    from editor.core.settings import Settings
    from editor.publish.announce.accounts import sign_in_mastodon
    from editor.publish.service import PublishService
    from editor.ui.main_window import MainWindow
    from tests.publish.blogger_server import BloggerServer
    from tests.publish.conftest import CLIENT_ID, CLIENT_SECRET, BrowserStub, MemoryKeyring
    from tests.publish.fault_proxy import FaultProxy
    from tests.publish.mastodon_server import MastodonServer

    keyring.set_keyring(MemoryKeyring())
    blogger = BloggerServer().start()
    blogger.add_client(CLIENT_ID, CLIENT_SECRET)
    os.environ["BROADSHEET_GOOGLE_AUTH_URL"] = blogger.auth_url
    os.environ["BROADSHEET_GOOGLE_TOKEN_URL"] = blogger.token_url
    os.environ["BROADSHEET_BLOGGER_API_URL"] = blogger.api_url
    service = PublishService()
    service.set_google_client(CLIENT_ID, CLIENT_SECRET)
    browser = BrowserStub()
    service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=10)
    browser.join()
    proxy = FaultProxy(blogger.base_url).start()
    os.environ["BROADSHEET_BLOGGER_API_URL"] = proxy.url + blogger.api_url[len(blogger.base_url) :]
    mastodon = MastodonServer()
    mastodon.__enter__()
    sign_in_mastodon(mastodon.url, mastodon.token)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Broadsheet")
    paths = app_paths()
    paths.drafts_dir.mkdir(parents=True, exist_ok=True)
    drafts = []
    for name, text in (("night-train.md", TRAIN), ("cafe-central.md", CAFE), ("trains.md", HOME)):
        path = paths.drafts_dir / name
        path.write_text(text, encoding="utf-8")
        drafts.append(path)
    settings = Settings(paths.settings_file).load()
    store_preferences(settings, Preferences(theme=args.theme))
    window = MainWindow(paths, settings)
    window.setGeometry(0, 0, 1400, 900)
    window.splitter.setSizes([220, 560, 620])
    window.show()
    window.refresh_drafts()
    window.publishing.worker._service = PublishService(sleep=lambda _s: None)
    publishing = window.publishing
    while not getattr(publishing.accounts, "blogs", None):
        wait(app, 50)

    def publish(path: Path) -> None:
        window.open_path(path)
        while window.doc is None or window.doc.path != path:
            wait(app, 50)
        wait(app, 300)
        publishing.publish_action.trigger()
        while publishing.busy_path is not None or publishing.progress.isVisible():
            wait(app, 50)
        wait(app, 300)

    proxy.offline()  # on the train: no network
    publish(drafts[1])
    publish(drafts[0])
    while publishing.queue.indicator.count != 2:
        wait(app, 50)
    wait(app, 1500)
    args.out.mkdir(parents=True, exist_ok=True)
    grab(app, args.out / f"queue-waiting-{args.theme}.png")

    publishing.queue.show_dialog()
    dialog = publishing.queue.dialog
    assert dialog is not None
    while dialog.tree.topLevelItemCount() != 2:
        wait(app, 50)
    wait(app, 800)
    grab(app, args.out / f"queue-dialog-{args.theme}.png")
    dialog.reject()

    publishing.queue.watch.pause()  # the screenshots of the queue are taken: keep it waiting
    proxy.online()
    publish(drafts[2])
    publishing.announce()
    announce = publishing.announce_dialog
    assert announce is not None
    while not announce.boxes["mastodon"].isChecked():
        wait(app, 50)
    wait(app, 800)
    grab(app, args.out / f"announce-after-publish-{args.theme}.png")
    announce.reject()

    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    proxy.stop()
    mastodon.__exit__(None, None, None)
    blogger.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
