"""Starting the window: Qt application, first run, which draft to open."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import sys
import time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.atomic import WriteError, atomic_write_bytes
from editor.core.paths import AppPaths, app_paths
from editor.core.session import SessionState
from editor.core.settings import Settings

# The drafts store, documents and recovery copies are imported where used: they bring YAML and
# Markdown, which the window's first paint does without (editor/ui/first_paint.py).
if TYPE_CHECKING:
    from editor.core.drafts import DraftStore

SAMPLE_NAME = "welcome-to-broadsheet.md"
# Benchmarks set this to a file path: the app writes the time (time.time()) at which the
# window is shown with the first preview content in it.
READY_ENV = "BROADSHEET_REPORT_READY"
LISTED_ENV = "BROADSHEET_REPORT_LISTED"  # for benchmarks: when the drafts list is first filled
TEXT_ENV = "BROADSHEET_REPORT_TEXT"  # …when the editor first paints with text in it
WRITABLE_ENV = "BROADSHEET_REPORT_WRITABLE"  # …when the draft is open for typing (lock, autosave)
# The rest of the window is built after the first paint, or after this long without one.
FIRST_PAINT_FALLBACK_MS = 1000


def prepare_environment() -> None:
    """Settings Qt and Chromium need before Qt starts."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root (containers, CI); a desktop user is
        # never root, so this only affects those machines.
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    # The preview draws with the CPU, no OpenGL in our process: with OpenGL, Qt and Chromium
    # load the GL driver, which on a machine without a GPU driver is Mesa's llvmpipe with all
    # of LLVM (~100 MB of the app's RSS with a 10,000-word draft; issue 17). A text page needs
    # no GPU. The preview's view draws through Qt Quick: its software scene graph; on X11 Qt
    # would still load GLX for the window, so no GL integration there (Wayland ignores it).
    # setdefault: whoever sets these himself (a GPU he wants used) keeps his choice.
    os.environ.setdefault("QT_QUICK_BACKEND", "software")
    os.environ.setdefault("QT_XCB_GL_INTEGRATION", "none")


def install_sample(store: DraftStore) -> Path:
    """Copy the first-run sample draft (and its image) into the drafts folder."""
    from editor.core.drafts import assets_dir_for

    store.ensure()
    sample = resources.files("editor.resources").joinpath("sample")
    target = store.unique_path(Path(SAMPLE_NAME).stem)
    text = sample.joinpath(SAMPLE_NAME).read_bytes()
    assets = assets_dir_for(target)
    assets.mkdir(exist_ok=True)
    source_assets = sample.joinpath(Path(SAMPLE_NAME).stem + ".assets")
    for item in source_assets.iterdir():
        if item.is_file():
            with resources.as_file(item) as real:
                shutil.copyfile(real, assets / item.name)

    if target.stem != Path(SAMPLE_NAME).stem:
        text = text.replace(
            f"{Path(SAMPLE_NAME).stem}.assets/".encode(), f"{target.stem}.assets/".encode()
        )
    atomic_write_bytes(target, text)
    return target


def initial_draft(paths: AppPaths, settings: Settings, requested: Path | None) -> Path | None:
    """What to open: the file asked for, else the last draft, else the sample on first run."""
    if requested is not None:
        return requested
    last = settings.get("last_draft")
    if isinstance(last, str) and Path(last).is_file():
        return Path(last)
    from editor.core.drafts import DraftStore

    store = DraftStore(paths.drafts_dir, paths.trash_dir)
    newest = store.newest_draft()  # with thousands of drafts, reading them all took seconds
    if newest is not None:
        return newest
    if not settings.get("sample_installed"):
        try:
            path = install_sample(store)
        except (WriteError, OSError):
            return None
        settings.set("sample_installed", True)
        return path
    return None


def _title_of(path: Path) -> str:
    """A draft's title for a message (its file name when it cannot be read)."""
    from editor.core.documents import DocumentError, read_document
    from editor.core.title_names import display_name

    try:
        text, _fmt = read_document(path)
    except (DocumentError, OSError):  # gone or unreadable: the name is all there is
        return path.name
    return display_name(text, path)


def recovery_notice(paths: list[Path]) -> str:
    """The one line telling the writer what a crash recovery brought back (by title: he knows
    his posts by their titles, not by their file names)."""
    names = ", ".join(f"“{_title_of(p)}”" for p in paths[:3]) + (" …" if len(paths) > 3 else "")
    stamp = ""
    with contextlib.suppress(OSError):
        saved = dt.datetime.fromtimestamp(paths[0].stat().st_mtime)
        stamp = saved.strftime(", as autosaved at %H:%M:%S")
    return f"Broadsheet did not close properly last time. Reopened {names}{stamp}."


def _report_ready(window: object, report: Path) -> None:
    """Write the time the first preview content is in the page (the window is shown)."""
    preview = window.preview  # type: ignore[attr-defined]

    def ready(_generation: int) -> None:
        preview.content_applied.disconnect(ready)
        atomic_write_bytes(report, f"{time.time():.6f}\n".encode())

    preview.content_applied.connect(ready)


def _report_listed(window: object, report: Path) -> None:
    """Write the time the drafts list is first filled (the library listed, not empty)."""
    sidebar = window.sidebar  # type: ignore[attr-defined]

    def listed(count: int) -> None:
        if count:
            sidebar.listed.disconnect(listed)
            atomic_write_bytes(report, f"{time.time():.6f}\n".encode())

    sidebar.listed.connect(listed)


def _recovery_copies(paths: AppPaths) -> list:  # type: ignore[type-arg]
    """The recovery copies kept (looked for only when their folder holds anything)."""
    folder = paths.data_dir / "recovery"
    with contextlib.suppress(OSError):
        if folder.is_dir() and any(folder.iterdir()):
            from editor.core.recovery import RecoveryStore

            return RecoveryStore(folder).all()
    return []


def _report_text(window: object, report: Path) -> None:
    """Write the time the editor first paints with text in it (the writer sees his draft)."""
    from editor.ui.first_paint import FirstPaint

    editor = window.editor  # type: ignore[attr-defined]

    def painted() -> None:
        if editor.document().isEmpty():  # painted before the text came: wait for the next
            FirstPaint(editor.viewport(), painted)
            return
        atomic_write_bytes(report, f"{time.time():.6f}\n".encode())

    FirstPaint(editor.viewport(), painted)


def _report_writable(window: object, report: Path) -> None:
    """Write the time the draft is open for typing (locked, autosaved and watched)."""
    files = window.files  # type: ignore[attr-defined]

    def opened(_loaded: object) -> None:
        files.loaded.disconnect(opened)
        atomic_write_bytes(report, f"{time.time():.6f}\n".encode())

    files.loaded.connect(opened)  # after the window's own handler: it has taken the draft


def run_app(requested: Path | None = None) -> int:
    """Open the main window and run until it closes."""
    prepare_environment()
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from editor.ui.first_paint import after_first_paint
    from editor.ui.main_window import MainWindow
    from editor.ui.single_instance import InstanceServer, hand_off

    # What importing the preview engine before the application would do: the engine itself
    # is imported and started after the window's first paint.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Broadsheet")
    app.setDesktopFileName("broadsheet")
    paths = app_paths()
    if hand_off(paths, requested):
        return 0  # the running Broadsheet opened it
    server = InstanceServer(paths)
    settings = Settings(paths.settings_file).load()
    session = SessionState(paths.state_dir)
    try:
        recovery = session.start()
    except OSError:
        recovery = None
    window = MainWindow(paths, settings, session, defer_preview=True, defer_rest=True)
    # Deleted on close, so its WebEngine page goes before the WebEngine profile at exit.
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _close_on_sigterm(window, QTimer)
    copies = _recovery_copies(paths) if requested is None else []
    note: tuple[str, int] | None = None
    if copies:
        # Text that never reached its draft (another program's change was pending, the file
        # was read-only or the disk full): opening the draft offers it again.
        target: Path | None = copies[0].draft
        if len(copies) > 1:
            others = ", ".join(f"“{_title_of(c.draft)}”" for c in copies[1:4])
            note = (f"Unsaved versions are also kept for {others}: open them to choose.", 60_000)
    elif recovery is not None and recovery.open_drafts and requested is None:
        target = recovery.open_drafts[0]
        note = (recovery_notice(recovery.open_drafts), 60_000)
    else:
        target = initial_draft(paths, settings, requested)
    if target is not None:
        window.show_first_text(target)  # read-only until the draft is really open
    window.show()

    def build_the_rest() -> None:
        window.build_rest()
        window.preview.activate_after_paint(window.editor.viewport())
        server.open_requested.connect(lambda file: _bring_forward(window, file))
        for variable, report_it in ((READY_ENV, _report_ready), (LISTED_ENV, _report_listed)):
            if os.environ.get(variable):
                report_it(window, Path(os.environ[variable]))
        if os.environ.get(WRITABLE_ENV):
            _report_writable(window, Path(os.environ[WRITABLE_ENV]))
        if note is not None:
            window.statusBar().showMessage(*note)
        if target is not None:  # the draft's load first on the file thread, then the list
            window.open_path(target)
        window.refresh_drafts()

    after_first_paint(window.editor.viewport(), build_the_rest, FIRST_PAINT_FALLBACK_MS)
    if os.environ.get(TEXT_ENV):  # filters run newest first: this one before the build
        _report_text(window, Path(os.environ[TEXT_ENV]))
    code = app.exec()
    from editor.ui.workers import wait_for_retired_threads

    wait_for_retired_threads()  # a dialog's worker may still be finishing a network call
    return code


def _bring_forward(window, file: str) -> None:  # type: ignore[no-untyped-def]
    if file:
        window.open_path(Path(file))
    window.showNormal()
    window.raise_()
    window.activateWindow()


def _close_on_sigterm(window, timer_class) -> None:  # type: ignore[no-untyped-def]
    """A logout or `kill` closes the window properly (saving), instead of dying mid-sentence."""

    def close(_signum: int, _frame: object) -> None:
        window.close()

    signal.signal(signal.SIGTERM, close)
    signal.signal(signal.SIGHUP, close)
    # Python runs signal handlers only when it gets control; a light timer gives it control.
    window._signal_timer = timer_class(window, interval=250)
    window._signal_timer.timeout.connect(lambda: None)
    window._signal_timer.start()
