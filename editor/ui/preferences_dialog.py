"""Edit ▸ Preferences…: theme, preview look, editor font, spelling, typewriter scrolling, and
how captioned images are written (per blog).

Every change applies at once (the window listens to `changed`); there is no OK/Cancel.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.core.caption_style import CAPTION_STYLES
from editor.core.preferences import Preferences

THEME_NAMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
PREVIEW_NAMES = {
    "theme": "Same as the window",
    "light": "Light",
    "dark": "Dark",
    "blogger": "Blogger-like",
    "blog": "My blog's style",
}
CAPTION_NAMES = {"blogger": "Blogger caption table", "figure": "figure and figcaption"}
ALL_BLOGS = "All blogs (default)"
LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian",
    "ar": "Arabic",
    "eu": "Basque",
    "lv": "Latvian",
    "fa": "Persian",
}


def _combo(names: dict[str, str], current: str) -> QComboBox:
    combo = QComboBox()
    for key, name in names.items():
        combo.addItem(name, key)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class PreferencesDialog(QDialog):
    """The preferences form; emits the new Preferences after each change."""

    changed = Signal(object)  # Preferences
    caption_style_changed = Signal(object, str)  # blog key (None: the default), style

    def __init__(self, prefs: Preferences, languages: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self.prefs = prefs
        self.theme = _combo(THEME_NAMES, prefs.theme)
        self.preview_look = _combo(PREVIEW_NAMES, prefs.preview_look)
        self.font_family = QFontComboBox()
        if prefs.font_family:
            self.font_family.setCurrentFont(QFont(prefs.font_family))
        else:
            self.font_family.setCurrentFont(parent.font() if parent else QFont())
        self.font_default = QCheckBox("Built-in monospaced font")
        self.font_default.setChecked(not prefs.font_family)
        self.font_family.setEnabled(bool(prefs.font_family))
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 48)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(prefs.font_size)
        self.spellcheck = QCheckBox("Underline misspelt words as I type")
        self.spellcheck.setChecked(prefs.spellcheck)
        names = {code: LANGUAGE_NAMES.get(code, code) for code in languages}
        self.language = _combo(
            names or {prefs.spell_language: prefs.spell_language}, prefs.spell_language
        )
        self.typewriter = QCheckBox("Keep the current line in the middle (typewriter scrolling)")
        self.typewriter.setChecked(prefs.typewriter)
        self.show_counts = QCheckBox("Show word count and reading time in the status bar")
        self.show_counts.setChecked(prefs.show_counts)

        self.caption_blog = QComboBox()
        self.caption_style = _combo({k: CAPTION_NAMES[k] for k in CAPTION_STYLES}, "blogger")
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.caption_blog)
        caption_row.addWidget(self.caption_style, 1)
        self._caption_of: Callable[[str | None], str] = lambda _key: "blogger"

        form = QFormLayout()
        self.form = form
        form.addRow("Theme:", self.theme)
        form.addRow("Preview:", self.preview_look)
        form.addRow("Editor font:", self.font_default)
        form.addRow("", self.font_family)
        form.addRow("Font size:", self.font_size)
        form.addRow("Spelling:", self.spellcheck)
        form.addRow("Language:", self.language)
        form.addRow("Scrolling:", self.typewriter)
        form.addRow("Counts:", self.show_counts)
        form.addRow("Captioned images as:", caption_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

        for combo in (self.theme, self.preview_look, self.language):
            combo.currentIndexChanged.connect(self._emit)
        self.font_family.currentFontChanged.connect(self._emit)
        self.font_default.toggled.connect(self._emit)
        self.font_size.valueChanged.connect(self._emit)
        for box in (self.spellcheck, self.typewriter, self.show_counts):
            box.toggled.connect(self._emit)

    def set_caption_styles(
        self, blogs: list[tuple[str, str]], style_of: Callable[[str | None], str]
    ) -> None:
        """Offer the caption style per blog: `blogs` are (key, name); `style_of(key)` is now."""
        self._caption_of = style_of
        self.caption_blog.blockSignals(True)
        self.caption_blog.clear()
        self.caption_blog.addItem(ALL_BLOGS, None)
        for key, name in blogs:
            self.caption_blog.addItem(name, key)
        self.caption_blog.blockSignals(False)
        self.caption_blog.setVisible(bool(blogs))
        self._show_caption_style()
        self.caption_blog.currentIndexChanged.connect(self._show_caption_style)
        self.caption_style.currentIndexChanged.connect(self._emit_caption_style)

    def _show_caption_style(self) -> None:
        style = self._caption_of(self.caption_blog.currentData())
        self.caption_style.blockSignals(True)
        self.caption_style.setCurrentIndex(max(0, self.caption_style.findData(style)))
        self.caption_style.blockSignals(False)

    def _emit_caption_style(self) -> None:
        self.caption_style_changed.emit(
            self.caption_blog.currentData(), self.caption_style.currentData()
        )

    def current(self) -> Preferences:
        """The preferences the form shows."""
        return self.prefs.with_changes(
            theme=self.theme.currentData(),
            preview_look=self.preview_look.currentData(),
            font_family=""
            if self.font_default.isChecked()
            else self.font_family.currentFont().family(),
            font_size=self.font_size.value(),
            spellcheck=self.spellcheck.isChecked(),
            spell_language=self.language.currentData(),
            typewriter=self.typewriter.isChecked(),
            show_counts=self.show_counts.isChecked(),
        )

    def _emit(self) -> None:
        self.font_family.setEnabled(not self.font_default.isChecked())
        self.language.setEnabled(self.spellcheck.isChecked())
        new = self.current()
        if new != self.prefs:
            self.prefs = new
            self.changed.emit(new)
