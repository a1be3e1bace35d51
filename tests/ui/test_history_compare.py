"""The History and Compare views: words side by side, tinted so they read in both themes."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCharFormat
from PySide6.QtWidgets import QApplication

from editor.core.history import HistoryStore
from editor.core.paths import app_paths
from editor.ui.compare_dialog import CompareDialog, HistoryDialog, diff_html, tint
from editor.ui.theme import dark_palette, light_palette


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours."""

    def luminance(c: QColor) -> float:
        def channel(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def marked_runs(view) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Text of every run in the view with a background, by strike-through or not."""
    runs: dict[str, list[str]] = {"struck": [], "tinted": []}
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt: QTextCharFormat = fragment.charFormat()
            if fmt.background().style() != Qt.BrushStyle.NoBrush:
                key = "struck" if fmt.fontStrikeOut() else "tinted"
                runs[key].append(fragment.text())
            it += 1
        block = block.next()
    return runs


@pytest.mark.parametrize("palette_of", [light_palette, dark_palette], ids=["light", "dark"])
def test_text_over_each_tint_meets_wcag_aa(qtbot, palette_of) -> None:  # type: ignore[no-untyped-def]
    palette: QPalette = palette_of()
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    dark = palette_of is dark_palette
    for kind in ("deleted", "inserted"):
        blended = tint(kind, base, dark)
        assert blended != base, f"{kind} must be visible"
        assert contrast(text, blended) >= 4.5, (kind, blended.name(), text.name())


def test_history_shows_words_side_by_side_not_hunks(qtbot) -> None:  # type: ignore[no-untyped-def]
    history = HistoryStore(app_paths().data_dir / "history")
    draft = app_paths().drafts_dir / "walk.md"
    draft.parent.mkdir(parents=True, exist_ok=True)
    old = "# The walk\n\nWe left the harbour at dawn.\n\nThe gulls were loud.\n"
    draft.write_text(old, encoding="utf-8")
    history.take(draft, old, "save")
    now = "# The walk\n\nWe left the quiet harbour at noon.\n\nThe gulls were loud.\n"

    dialog = HistoryDialog(None, history, draft, now)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 1 and dialog.restore_button.isEnabled()
    shown = dialog.view.toPlainText()
    for hunk_mark in ("@@", "+++", "---"):
        assert hunk_mark not in shown
    assert "The snapshot" in shown and "Your text now" in shown
    runs = marked_runs(dialog.view)
    assert [r.strip() for r in runs["struck"]] == ["dawn"]
    assert [r.strip() for r in runs["tinted"]] == ["quiet", "noon"]
    assert "1 word removed, 2 words added" in shown
    # Unchanged words are in both columns, unmarked.
    assert shown.count("The gulls were loud.") == 2

    # The keyboard path still restores: Tab from the list to the button, then Space.
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=10_000)
    dialog.list.setFocus()
    for _ in range(6):
        if dialog.restore_button.hasFocus():
            break
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.restore_button.hasFocus()
    qtbot.keyClick(dialog.restore_button, Qt.Key.Key_Space)
    assert dialog.restored_text == old


def test_a_long_unchanged_stretch_folds_to_a_count(qtbot) -> None:  # type: ignore[no-untyped-def]
    paragraphs = [f"Paragraph number {i} stays as it was." for i in range(40)]
    old = "\n".join(paragraphs)
    new = "\n".join(paragraphs[:20] + ["Paragraph number 20 changed."] + paragraphs[21:])
    html = diff_html(old, new, "Before", "After", light_palette())
    assert "17 unchanged lines" in html  # 20 before the change, 3 kept as context
    assert "Paragraph number 19 stays" in html and "Paragraph number 5 stays" not in html


def test_compare_dialog_and_publish_conflict_use_the_word_view(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = CompareDialog(None, "Compare", "Old line.\n", "New line.\n", ("theirs", "mine"))
    qtbot.addWidget(dialog)
    runs = marked_runs(dialog.view)
    assert runs == {"struck": ["Old"], "tinted": ["New"]}
    assert not re.search(r"^[+-]", dialog.view.toPlainText(), re.M)
    QApplication.processEvents()
