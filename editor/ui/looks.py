"""View ▸ Preview Look: the clean default, light/dark, Blogger-like, and the blog's own style.

The blog's own style is captured once from the blog's public page (its stylesheets only) on
a worker thread, kept in the cache, and offered offline afterwards. Which blog: the default
blog from accounts.json, or an address the writer types. The default blog also decides how
the preview writes captioned images (settings: `caption_style`, per blog overrides).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QWidget

from editor import version
from editor.core.atomic import WriteError
from editor.core.blog_style import (
    BlogStyleError,
    CapturedStyle,
    key_for_url,
    load_captured,
    save_captured,
)
from editor.core.paths import AppPaths
from editor.publish.accounts import load_accounts
from editor.publish.blog_style_fetch import capture_blog_style
from editor.publish.errors import ConfigError
from editor.ui.workers import start_worker, stop_thread

if TYPE_CHECKING:
    import requests

    from editor.ui.window_facets import LooksHost

LOOK_NAMES = {
    "theme": "&Same as the Window",
    "light": "&Light",
    "dark": "&Dark",
    "blogger": "&Blogger-like",
    "blog": "&My Blog's Style",
}
STYLE_KEY_SETTING = "blog_style_key"  # the captured style the blog look uses


@dataclass(frozen=True)
class KnownBlogs:
    """The blogs in accounts.json: (key, name, url) each, and the default blog's key."""

    blogs: tuple[tuple[str, str, str], ...] = ()
    default_key: str | None = None
    # The caption style the default blog's platform expects ("" if none): found on the
    # worker's thread, which imports the publishing clients, so the window's thread never
    # waits on that import (it took a second of a draft's opening on a busy machine).
    platform_caption_style: str = ""

    def url_of(self, key: str | None) -> str:
        """The address of a blog ("" when unknown)."""
        return next((url for k, _name, url in self.blogs if k == key), "")


def _new_session() -> requests.Session:
    """A requests session; requests is imported here, off start-up (it costs about 70 ms)."""
    import requests

    return requests.Session()


class BlogStyleWorker(QObject):
    """Reads accounts and captures/loads blog styles on its own thread (never touches widgets).

    A long-lived worker rather than jobs of editor/ui/background.py's runner: its HTTP
    session lives on its thread and serves every capture, and a load must follow the capture
    asked before it. Each signal's payload is written next to it."""

    blogs_loaded = Signal(object)  # KnownBlogs
    style_ready = Signal(str, object)  # blog key, CapturedStyle | None (None: never captured)
    capture_failed = Signal(str)  # one sentence

    def __init__(self, paths: AppPaths, session_factory: Callable[[], requests.Session]) -> None:
        super().__init__()
        self.paths = paths
        self.session_factory = session_factory
        self.stopping = False  # set from the GUI thread when the window closes

    @Slot()
    def load_blogs(self) -> None:
        """Read accounts.json (read-only); a broken file is the publish dialog's to report."""
        try:
            config = load_accounts(self.paths)
        except ConfigError:
            self.blogs_loaded.emit(KnownBlogs())
            return
        blogs = tuple((b.key, b.name, b.url) for b in config.blogs.values())
        default = config.default_blog if config.default_blog in config.blogs else None
        if default is None and len(blogs) == 1:
            default = blogs[0][0]
        from editor.publish.providers import PROVIDERS

        name = default.split(":", 1)[0] if default else ""
        platform = PROVIDERS[name].capabilities.caption_style if name in PROVIDERS else ""
        self.blogs_loaded.emit(KnownBlogs(blogs, default, platform))

    @Slot(str)
    def load(self, key: str) -> None:
        """The cached style of `key` (None when it was never captured)."""
        self.style_ready.emit(key, load_captured(self.paths.cache_dir, key))

    @Slot(str, str)
    def capture(self, url: str, key: str) -> None:
        """Fetch the blog's page and stylesheets, keep them in the cache."""
        session = self.session_factory()
        session.headers["User-Agent"] = f"Broadsheet/{version()} (blog style preview)"
        try:
            style = capture_blog_style(url, session, lambda: not self.stopping)
            save_captured(self.paths.cache_dir, key, style)
        except BlogStyleError as exc:
            self.capture_failed.emit(f"Could not capture your blog's style: {exc}")
            return
        except WriteError as exc:
            self.capture_failed.emit(f"Could not keep your blog's style: {exc}")
            return
        finally:
            session.close()
        self.style_ready.emit(key, style)


class PreviewLooks(QObject):
    """The Preview Look menu and the blog-style capture; tells the desk which CSS to use."""

    blog_style_ready = Signal(str)  # key (for tests and the status bar)
    blog_style_failed = Signal(str)
    request_blogs = Signal()
    request_load = Signal(str)
    request_capture = Signal(str, str)

    def __init__(
        self,
        window: LooksHost,
        parent: QWidget,
        session_factory: Callable[[], requests.Session] | None = None,
    ) -> None:
        """`window`: what this uses of the main window; `parent`: its widget (actions,
        dialogs)."""
        super().__init__(parent)
        self.parent_widget = parent
        self.window = window
        self.desk = window.desk
        self.settings = window.settings
        self.known = KnownBlogs()
        self.known_loaded = False  # accounts.json read (startup loads the cached style then)
        self._capture_then_use = False  # also: a load or capture is under way
        self._other_look = (
            self.desk.prefs.preview_look if self.desk.prefs.preview_look != "blog" else "theme"
        )
        self.worker = BlogStyleWorker(window.paths, session_factory or _new_session)
        self.thread: QThread = start_worker(self.worker, "broadsheet-blog-style")
        self.request_blogs.connect(self.worker.load_blogs)
        self.request_load.connect(self.worker.load)
        self.request_capture.connect(self.worker.capture)
        self.worker.blogs_loaded.connect(self._on_blogs)
        self.worker.style_ready.connect(self._on_style)
        self.worker.capture_failed.connect(self._on_failed)
        self.desk.preferences_applied.connect(self._on_preferences)
        self._build_menu()
        self._sync_menu()
        self.request_blogs.emit()

    def _build_menu(self) -> None:
        menu = QMenu("Preview &Look", self.parent_widget)
        self.window.menus["view"].addSeparator()
        self.window.menus["view"].addMenu(menu)
        self.menu = menu
        group = QActionGroup(self)
        self.look_actions: dict[str, QAction] = {}
        for look, name in LOOK_NAMES.items():
            action = QAction(name, self.parent_widget, checkable=True)
            action.triggered.connect(lambda _on=False, look=look: self.choose(look))
            group.addAction(action)
            menu.addAction(action)
            self.look_actions[look] = action
        menu.addSeparator()
        self.capture_action = QAction("&Capture My Blog's Style Again…", self.parent_widget)
        self.capture_action.triggered.connect(self.ask_and_capture)
        menu.addAction(self.capture_action)

    def _on_preferences(self, *_args: object) -> None:
        look = self.desk.prefs.preview_look
        if look != "blog":
            self._other_look = look  # where a failed capture goes back to
        elif self.blog_css is None and not self._capture_then_use and self.known_loaded:
            self.choose("blog")  # chosen in the Preferences dialog: fetch what it needs
        self._sync_menu()

    def _sync_menu(self, *_args: object) -> None:
        action = self.look_actions.get(self.desk.prefs.preview_look)
        if action is not None:
            action.setChecked(True)

    @property
    def blog_css(self) -> str | None:
        """The blog's captured CSS in use (kept by the desk, which composes the look)."""
        return self.desk.blog_css

    # ------------------------------------------------------------------ choosing
    def style_key(self) -> str | None:
        """The captured style the blog look uses: the last captured, else the default blog's."""
        key = self.settings.get(STYLE_KEY_SETTING)
        return key if isinstance(key, str) and key else self.known.default_key

    def choose(self, look: str) -> None:
        """Use a look; the blog look loads (or first captures) the blog's stylesheets."""
        if look == "blog" and self.blog_css is None:
            self._sync_menu()  # stays on the current look until the style is there
            key = self.style_key()
            self._capture_then_use = True
            if key is not None:
                self.request_load.emit(key)  # a miss in the cache goes on to capture
            else:
                self.ask_and_capture()
            return
        self.desk.set_preferences(self.desk.prefs.with_changes(preview_look=look))

    def ask_and_capture(self) -> None:
        """Ask for the blog's address (the default blog's is offered) and capture its style."""
        offered = self.known.url_of(self.known.default_key) or self.known.url_of(self.style_key())
        url, ok = QInputDialog.getText(
            self.parent_widget,
            "Capture my blog's style",
            "Your blog's address (only its stylesheets are downloaded):",
            QLineEdit.EchoMode.Normal,
            offered or "https://",
        )
        if ok and url.strip():
            self.capture(url.strip())
        else:
            self._give_up()

    def _give_up(self) -> None:
        """No style to show after all: the look the writer had before stays."""
        self._capture_then_use = False
        if self.desk.prefs.preview_look == "blog" and self.blog_css is None:
            self.desk.set_preferences(self.desk.prefs.with_changes(preview_look=self._other_look))
        self._sync_menu()

    def capture(self, url: str, key: str | None = None) -> None:
        """Capture the style of the blog at `url` (off the GUI thread), then use it."""
        if key is None:
            match = next(
                (k for k, _n, u in self.known.blogs if u.rstrip("/") == url.rstrip("/")), None
            )
            key = match or key_for_url(url)
        self._capture_then_use = True
        self.window.statusBar().showMessage(f"Capturing the style of {url} …")
        self.request_capture.emit(url, key)

    # ------------------------------------------------------------------ results
    def _on_blogs(self, known: KnownBlogs) -> None:
        self.known = known
        self.known_loaded = True
        self.window.default_blog_key = known.default_key
        from editor.core.caption_style import caption_style_for

        self.window.caption_style = caption_style_for(
            self.settings, known.default_key, known.platform_caption_style
        )
        self.window.refresh_preview()
        if self.desk.prefs.preview_look == "blog" and self.blog_css is None:
            key = self.style_key()
            if key is not None:
                self.request_load.emit(key)

    def _on_style(self, key: str, style: CapturedStyle | None) -> None:
        if style is None:
            if self._capture_then_use:
                url = self.known.url_of(key)
                if url:
                    self.request_capture.emit(url, key)
                else:
                    self.ask_and_capture()
            return
        self.desk.blog_css = style.css
        self.window.banner.clear_message(topic="blog_style")
        if self.settings.get(STYLE_KEY_SETTING) != key:
            self.settings.set(STYLE_KEY_SETTING, key)
        if self._capture_then_use or self.desk.prefs.preview_look == "blog":
            self._capture_then_use = False
            self.window.statusBar().showMessage("The preview shows your blog's style.", 5000)
            self.desk.set_preferences(self.desk.prefs.with_changes(preview_look="blog"))
        self.blog_style_ready.emit(key)

    def _on_failed(self, message: str) -> None:
        self.window.statusBar().clearMessage()
        self.window.banner.show_message(
            f"{message} The preview keeps its current look.", "warning", topic="blog_style"
        )
        self._give_up()
        self.blog_style_failed.emit(message)

    def shutdown(self) -> None:
        """Join the worker thread (a capture in progress stops after its current request)."""
        self.worker.stopping = True
        stop_thread(self.thread)
