"""Light and dark looks for the whole window (Fusion style + a palette), following the system."""

from __future__ import annotations

import gc

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# Coloured notes in dialogs (errors, successes, asides), one colour per theme: each reads at
# WCAG AA (4.5:1 or more) on the dialog's background and on text fields of that theme
# (tests/ui/test_contrast.py computes it).
NOTE_COLOURS = {
    "error": {"light": "#a4201a", "dark": "#ff8a80"},
    "ok": {"light": "#1a6b2d", "dark": "#8fd19e"},
    "muted": {"light": "#555555", "dark": "#b4b7bb"},
}


def system_prefers_dark() -> bool:
    """True when the desktop asks for dark colours (Qt 6.5+ knows; Unknown counts as light)."""
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def wants_dark(theme: str) -> bool:
    """Whether `theme` ("system", "light" or "dark") means dark now."""
    if theme == "system":
        return system_prefers_dark()
    return theme == "dark"


def dark_palette() -> QPalette:
    """A calm dark palette: dark grey text areas, light grey text, a blue accent."""
    palette = QPalette()
    colours = {
        Role.Window: "#2b2d30",
        Role.WindowText: "#e3e3e3",
        Role.Base: "#1e1f22",
        Role.AlternateBase: "#26282b",
        Role.ToolTipBase: "#3a3d41",
        Role.ToolTipText: "#e3e3e3",
        Role.PlaceholderText: "#8a8d91",
        Role.Text: "#dcdcdc",
        Role.Button: "#34363a",
        Role.ButtonText: "#e3e3e3",
        Role.BrightText: "#ff6b6b",
        Role.Light: "#45484d",
        Role.Midlight: "#3a3d41",
        Role.Mid: "#2f3135",
        Role.Dark: "#18191b",
        Role.Shadow: "#000000",
        Role.Highlight: "#2f65ca",
        Role.HighlightedText: "#ffffff",
        Role.Link: "#6cb6ff",
        Role.LinkVisited: "#b392f0",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor("#75787c"))
    return palette


def light_palette() -> QPalette:
    """Fusion's own light palette, with a selection and placeholder text that read at AA."""
    palette = QApplication.style().standardPalette()
    palette.setColor(Role.Highlight, QColor("#1d6fb8"))  # Fusion's #308cc6: 3.7:1 with white
    palette.setColor(Role.PlaceholderText, QColor("#6e6e6e"))  # Fusion's half-black: 4.0:1
    return palette


def apply_theme(dark: bool) -> None:
    """Give the whole application the light or dark look."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # honours the palette fully on every platform
    app.setPalette(dark_palette() if dark else light_palette())
    # Widgets with a style sheet keep the palette they were polished with: re-polish them.
    # Python's cycle collector stays off meanwhile: run between two of these calls, it can
    # delete a closed window whose widgets are in this list (a test process crashed so).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for widget in app.allWidgets():
            if not shiboken6.isValid(widget):
                continue  # deleted since the list was made
            sheet = widget.styleSheet()
            if sheet:
                widget.setStyleSheet(sheet)
    finally:
        if collecting:
            gc.enable()


def is_dark_palette(palette: QPalette) -> bool:
    """True when text areas are dark."""
    return palette.color(Role.Base).lightness() < 128


def note_colour(kind: str, widget: QWidget | None = None) -> str:
    """The colour of a dialog note of `kind` ("error", "ok", "muted") for the theme in use."""
    palette = widget.palette() if widget is not None else QApplication.palette()
    return NOTE_COLOURS[kind]["dark" if is_dark_palette(palette) else "light"]
