"""The writer's desk: find/replace, spelling, counts, outline, focus mode, themes, preferences
and session restore, attached to the main window through a handful of hooks.

The main window calls `leaving_document`, `document_loaded`, `on_rendered`,
`document_closed` and `save_state`; everything else is wired here, so main_window.py stays
about drafts, saving and rendering.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QDockWidget, QLineEdit, QMainWindow, QMenu

from editor.core.caption_style import set_caption_style
from editor.core.looks import export_stylesheet, look_stylesheet
from editor.core.positions import DraftPosition, recall_position, remember_position
from editor.core.preferences import Preferences, load_preferences, store_preferences
from editor.core.spelling import available_languages
from editor.ui.counts import CountsLabel
from editor.ui.find_bar import FindBar
from editor.ui.focus_mode import FocusMode
from editor.ui.label_completer import LabelCompleter
from editor.ui.long_lines import LongLineWrap
from editor.ui.outline_panel import OutlinePanel
from editor.ui.preferences_dialog import PreferencesDialog
from editor.ui.spell import SpellCheck
from editor.ui.theme import apply_theme, wants_dark
from editor.ui.visible_lines import VisibleLines
from editor.ui.workers import RenderResult

if TYPE_CHECKING:
    from editor.ui.window_facets import DeskHost

USER_DICTIONARY = "dictionary.txt"  # under the config folder, one word a line


def icon_path() -> str:
    """The application icon (SVG) shipped in resources/icons."""
    return str(resources.files("editor.resources").joinpath("icons", "broadsheet.svg"))


class WritersDesk(QObject):
    """Everything a long-form writer uses besides typing, saving and the preview."""

    request_write = Signal(object, object)  # path, bytes (on the file thread)
    preferences_applied = Signal(object)  # Preferences, after the window follows them

    def __init__(self, window: DeskHost, parent: QMainWindow) -> None:
        """`window`: what the desk uses of the main window; `parent`: the main window as a Qt
        window (its dock area, icon, state, actions and dialogs)."""
        super().__init__(parent)
        self.parent_widget = parent
        self.window = window
        self.editor = window.editor
        self.settings = window.settings
        self.prefs = load_preferences(self.settings)
        self.dark = False
        self.blog_css: str | None = None  # the blog's captured style (editor/ui/looks.py)
        self.dialog: PreferencesDialog | None = None
        self.request_write.connect(window.files.write_file)
        parent.setWindowIcon(QIcon(icon_path()))

        self.find_bar = FindBar(self.editor)
        column = self.editor.parentWidget().layout()
        column.addWidget(self.find_bar)
        self.outline = OutlinePanel()
        self.outline.jump_requested.connect(self.jump_to_line)
        self.outline_dock = QDockWidget("Outline", parent)
        self.outline_dock.setObjectName("outlineDock")
        self.outline_dock.setWidget(self.outline)
        self.outline_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        parent.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.outline_dock)
        self.counts = CountsLabel(self.editor)
        window.statusBar().insertPermanentWidget(0, self.counts)
        # lines off screen are coloured and checked when scrolled to (big drafts open fast)
        self.visible = VisibleLines(self.editor)
        self.long_lines = LongLineWrap(self.editor)  # a 5 MB line must not wrap quadratically
        self.spell = SpellCheck(  # word lists are read on the file thread: disk work
            self.editor,
            window.paths.config_dir / USER_DICTIONARY,
            self.visible,
            window.file_thread,
            held=True,  # the first draft's load goes first on that thread (issue 17)
        )
        window.when_editable(self.spell.release)
        self.spell.save_requested.connect(self.request_write)
        # known labels offered while typing labels in the front matter
        self.labels = LabelCompleter(self.editor, window.paths)
        self.focus = FocusMode(
            parent, self.editor, [window.sidebar, window.preview, self.outline_dock]
        )
        self.focus.changed.connect(lambda on: self.focus_action.setChecked(on))
        self.editor.cursorPositionChanged.connect(self._follow_cursor)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)

        self._build_actions()
        self._restore_panes()
        self.apply_preferences(self.prefs)

    # ----------------------------------------------------------------- actions
    def _add(self, menu: QMenu, text: str, slot, *keys: str | QKeySequence) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self.parent_widget)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        menus = self.window.menus
        std = QKeySequence.StandardKey
        edit = menus["edit"]
        edit.addSeparator()
        self._add(edit, "&Find…", lambda: self.find_bar.open_bar(False), std.Find)
        self._add(edit, "Find and R&eplace…", lambda: self.find_bar.open_bar(True), "Ctrl+H")
        self._add(edit, "Find &Next", self.find_next, "F3")
        self._add(edit, "Find Pre&vious", self.find_previous, "Shift+F3")
        edit.addSeparator()
        self._add(edit, "Preference&s…", self.open_preferences, "Ctrl+,")

        fmt = menus["format"]  # line formats and Help are added by editor/ui/format_menu.py
        self._add(fmt, "&Bold", lambda: self._format("**"), "Ctrl+B")
        self._add(fmt, "&Italic", lambda: self._format("*"), "Ctrl+I")
        self._add(fmt, "&Code", lambda: self._format("`"), "Ctrl+Shift+K")
        self._add(fmt, "&Link", lambda: self._format("link"), "Ctrl+K")

        view = menus["view"]
        toggle_outline = self.outline_dock.toggleViewAction()
        toggle_outline.setText("Show &Outline")
        toggle_outline.setShortcut(QKeySequence("Ctrl+3"))
        toggle_outline.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        view.addAction(toggle_outline)
        view.addSeparator()
        # Ctrl+Shift+F searches all drafts (as code editors do); focus mode: F11 or Ctrl+Shift+D.
        self.focus_action = self._add(view, "&Focus Mode", self.focus.toggle, "F11", "Ctrl+Shift+D")
        self._add(view, "Searc&h All Drafts", self.search_drafts, "Ctrl+Shift+F")
        self.typewriter_action = self._add(
            view,
            "&Typewriter Scrolling",
            lambda on: self.set_preferences(self.prefs.with_changes(typewriter=on)),
        )
        self.spell_action = self._add(
            view,
            "Check &Spelling",
            lambda on: self.set_preferences(self.prefs.with_changes(spellcheck=on)),
        )
        for action in (self.focus_action, self.typewriter_action, self.spell_action):
            action.setCheckable(True)
        # Esc: close the find bar, else leave focus mode (one window-wide key, no ambiguity)
        escape = QAction("Leave", self.parent_widget)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        escape.triggered.connect(self.escape)
        self.parent_widget.addAction(escape)

    def _format(self, marker: str) -> None:
        if isinstance(QApplication.focusWidget(), QLineEdit):
            return  # a shortcut typed in the find bar is not meant for the text
        if marker == "link":
            self.editor.keys.link()
        else:
            self.editor.keys.wrap(marker)
        self.editor.setFocus()

    def find_next(self) -> None:
        """F3: the next match (opens the bar when it is closed)."""
        if not self.find_bar.isVisible():
            self.find_bar.open_bar(False)
        self.find_bar.find_next()

    def search_drafts(self) -> None:
        """Ctrl+Shift+F: the drafts list's search box (the list is shown if it was hidden)."""
        if not self.window.sidebar_action.isChecked():
            self.window.sidebar_action.trigger()
        self.window.sidebar.focus_search()

    def find_previous(self) -> None:
        """Shift+F3: the previous match."""
        if not self.find_bar.isVisible():
            self.find_bar.open_bar(False)
        self.find_bar.find_previous()

    def escape(self) -> None:
        """Esc closes the find bar first, then leaves focus mode."""
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
        elif self.focus.active:
            self.focus.leave()

    # ------------------------------------------------------------- preferences
    def open_preferences(self) -> None:
        """Show the preferences dialog (changes apply at once)."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = PreferencesDialog(self.prefs, available_languages(), self.parent_widget)
        self.dialog.changed.connect(self.set_preferences)
        looks = getattr(self.window, "looks", None)
        blogs = [(key, name) for key, name, _url in looks.known.blogs] if looks else []
        from editor.publish.providers import caption_style_of  # the clients: only when asked

        self.dialog.set_caption_styles(blogs, lambda key: caption_style_of(self.settings, key))
        self.dialog.caption_style_changed.connect(self.set_caption_style)
        self.dialog.show()

    def set_preferences(self, prefs: Preferences) -> None:
        """Apply new preferences now and keep them in the settings file."""
        self.apply_preferences(prefs)
        store_preferences(self.settings, prefs)
        self.request_write.emit(self.settings.path, self.settings.to_bytes())

    def set_caption_style(self, blog_key: str | None, style: str) -> None:
        """Captioned images as tables or figures, for all blogs (None) or one blog."""
        set_caption_style(self.settings, style, blog_key)
        self.request_write.emit(self.settings.path, self.settings.to_bytes())
        window = self.window
        from editor.publish.providers import caption_style_of

        window.caption_style = caption_style_of(self.settings, window.default_blog_key)
        window.refresh_preview()

    def apply_preferences(self, prefs: Preferences) -> None:
        """Make the window look and behave as `prefs` say."""
        self.prefs = prefs
        self._apply_theme()
        self.editor.set_editor_font(prefs.font_family, prefs.font_size)
        self.editor.set_typewriter(prefs.typewriter)
        self.spell.configure(prefs.spellcheck, prefs.spell_language)
        self.counts.setVisible(prefs.show_counts)
        self.typewriter_action.setChecked(prefs.typewriter)
        self.spell_action.setChecked(prefs.spellcheck)
        self.preferences_applied.emit(prefs)

    def _apply_theme(self) -> None:
        self.dark = wants_dark(self.prefs.theme)
        apply_theme(self.dark)
        self.editor.highlighter.set_dark(self.dark)
        self.window.preview.set_stylesheet(self.preview_stylesheet())

    def preview_stylesheet(self) -> str:
        """The CSS of the preview look now in use."""
        return look_stylesheet(self.prefs.preview_look, self.dark, self.blog_css)

    def export_stylesheet(self) -> str:
        """The CSS exports inline: the preview's look, on a light page when that look is dark."""
        return export_stylesheet(self.prefs.preview_look, self.dark, self.blog_css)

    def _on_system_scheme(self) -> None:
        if self.prefs.theme == "system":
            self._apply_theme()

    # ----------------------------------------------------------------- outline
    def _follow_cursor(self) -> None:
        self.outline.follow(self.editor.textCursor().blockNumber())

    def jump_to_line(self, line: int) -> None:
        """Put the cursor on document line `line`, near the top of the view, and focus the text."""
        block = self.editor.document().findBlockByNumber(line)
        if not block.isValid():
            return
        self.editor.setTextCursor(QTextCursor(block))
        if not self.editor.typewriter:
            bar = self.editor.verticalScrollBar()
            bar.setValue(bar.maximum())  # then scrolling back up leaves the line at the top
            self.editor.ensureCursorVisible()
        self.editor.setFocus()

    # --------------------------------------------------------- window hooks
    def on_rendered(self, result: RenderResult) -> None:
        """A new render: counts, outline and the preview's title come with it."""
        self.window.preview.set_title(result.title)
        self.counts.set_document_counts(result.words, result.chars, result.target_words)
        self.outline.set_headings(result.outline)
        self._follow_cursor()

    def document_closed(self) -> None:
        """No draft is open any more."""
        self.window.preview.set_title("")
        self.counts.clear()
        self.outline.set_headings(())
        if self.find_bar.isVisible():
            self.find_bar.search()

    def leaving_document(self) -> None:
        """Remember where the writer is in the open draft (before another one replaces it)."""
        if self.window.doc is None:
            return
        cursor = self.editor.textCursor().position()
        scroll = self.editor.verticalScrollBar().value()
        remember_position(self.settings, str(self.window.doc.path), DraftPosition(cursor, scroll))

    def document_loaded(self) -> None:
        """A draft was opened: back to where the writer was in it last time."""
        doc = self.window.doc
        position = recall_position(self.settings, str(doc.path)) if doc else None
        if position is not None:
            cursor = self.editor.textCursor()
            limit = self.editor.document().characterCount() - 1
            cursor.setPosition(min(position.cursor, limit))
            self.editor.setTextCursor(cursor)
            bar = self.editor.verticalScrollBar()
            bar.setValue(position.scroll)
            # the layout may still grow the scroll range; try again once it has settled (the
            # bar as context: a window closed meanwhile cancels the call)
            QTimer.singleShot(0, bar, lambda: bar.setValue(position.scroll))
        self.visible.refresh()  # lines now on screen: coloured, and checked if spelling is on
        self._follow_cursor()
        if self.find_bar.isVisible():
            self.find_bar.search()

    def _restore_panes(self) -> None:
        state = self.settings.get("window_state")
        if isinstance(state, str):
            self.parent_widget.restoreState(QByteArray.fromBase64(state.encode("ascii")))
        window = self.window
        # The outline starts hidden (Ctrl+3): drafts, text and preview need the width first.
        for key, pane, action, default in (
            ("sidebar_visible", window.sidebar, window.sidebar_action, True),
            ("preview_visible", window.preview, window.preview_action, True),
            ("outline_visible", self.outline_dock, None, False),
        ):
            visible = bool(self.settings.get(key, default))
            pane.setVisible(visible)
            if action is not None:
                action.setChecked(visible)

    def save_state(self) -> None:
        """Before the window closes: leave focus mode, remember positions and panes."""
        self.focus.leave()
        self.leaving_document()
        window = self.window
        self.settings.set("sidebar_visible", not window.sidebar.isHidden())
        self.settings.set("preview_visible", not window.preview.isHidden())
        self.settings.set("outline_visible", not self.outline_dock.isHidden())
        self.settings.set("window_state", bytes(self.parent_widget.saveState().toBase64()).decode())
