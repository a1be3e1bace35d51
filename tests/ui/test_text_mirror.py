"""The editor's text for the preview is followed edit by edit, and always equals the whole text.

A keystroke in a long draft must not copy the draft out of Qt (`toPlainText`, ~10 ms at
100,000 words); the mirror must still be exactly what `toPlainText` would return, through
typing, pasting, deleting across lines, undo, odd characters and new texts.
"""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from benchmarks.make_essay import make
from editor.ui.editor_pane import MarkdownEditor
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait

ODD = ["\u00a0", "\u2028", "\u2029", "\ufdd0", "é", "\t", "\n", "\n\n", "x\ny\nz", "— «»"]


def _editor(qtbot, text: str) -> MarkdownEditor:  # type: ignore[no-untyped-def]
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.set_text_keep_undo_clean(text)
    assert editor.current_text() == text
    return editor


def test_random_edits_keep_the_mirror_equal_to_the_whole_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    text = make(1500, 7)
    editor = _editor(qtbot, text)
    reads = editor.mirror.full_reads
    rnd = random.Random(11)
    for step in range(300):
        length = editor.document().characterCount() - 1
        cursor = editor.textCursor()
        a, b = sorted(rnd.randrange(length + 1) for _ in range(2))
        kind = rnd.random()
        if kind < 0.4:  # typing
            cursor.setPosition(a)
            editor.setTextCursor(cursor)
            QTest.keyClick(editor, rnd.choice([Qt.Key.Key_E, Qt.Key.Key_Space]))
        elif kind < 0.55:
            cursor.setPosition(a)
            editor.setTextCursor(cursor)
            QTest.keyClick(editor, rnd.choice([Qt.Key.Key_Backspace, Qt.Key.Key_Return]))
        elif kind < 0.8:  # replacing a stretch, maybe across lines, by odd text
            cursor.setPosition(a)
            cursor.setPosition(min(b, a + 300), QTextCursor.MoveMode.KeepAnchor)
            editor.insert_text(cursor, rnd.choice(ODD))
        elif kind < 0.9:
            editor.undo()
        else:
            editor.redo()
        assert editor.current_text() == editor.toPlainText(), step
    assert editor.mirror.full_reads == reads  # followed every edit, never read whole


def test_a_keystroke_does_not_read_the_whole_text(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, make(3000, 520))
    calls = []
    whole = MarkdownEditor.toPlainText
    monkeypatch.setattr(MarkdownEditor, "toPlainText", lambda self: calls.append(1) or whole(self))
    cursor = editor.textCursor()
    cursor.setPosition(editor.document().characterCount() // 2)
    editor.setTextCursor(cursor)
    QTest.keyClicks(editor, "more")
    text = editor.current_text()
    assert calls == []
    assert "more" in text and len(text) == editor.document().characterCount() - 1


def test_astral_characters_fall_back_to_reading_the_whole_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, "one\n\ntwo 😀 three\n")
    cursor = editor.textCursor()
    cursor.setPosition(len("one\n\ntwo 😀 thr") + 1)  # Qt counts the emoji twice
    editor.setTextCursor(cursor)
    QTest.keyClick(editor, Qt.Key.Key_E)
    assert editor.current_text() == "one\n\ntwo 😀 threee\n" == editor.toPlainText()
    cursor.setPosition(1)
    cursor.insertText("🎉")
    assert editor.current_text() == editor.toPlainText()


def test_a_new_text_is_read_again(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, "first draft\n")
    editor.set_text_keep_undo_clean("second\n\ndraft\n")
    assert editor.current_text() == "second\n\ndraft\n"
    editor.replace_text("second\n\ndraft, changed\n")
    assert editor.current_text() == "second\n\ndraft, changed\n"


def test_the_window_renders_without_reading_the_whole_text(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path, monkeypatch
) -> None:
    text = make(3000, 520)
    path = tmp_path / "essay.md"
    path.write_text(text, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: window.preview.applied_generation == window.generation, timeout=20000)
    calls = []
    whole = MarkdownEditor.toPlainText
    monkeypatch.setattr(MarkdownEditor, "toPlainText", lambda self: calls.append(1) or whole(self))
    cursor = window.editor.textCursor()
    cursor.setPosition(len(text) // 2)
    window.editor.setTextCursor(cursor)
    generation = window.generation
    QTest.keyClick(window.editor, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: window.preview.applied_generation > generation, timeout=10000)
    assert calls == []  # the keystroke, its render and the preview's patch
    window.save()
    assert calls == [1]  # saving reads the whole text, and checks the preview's copy with it
    assert window.editor.current_text() == whole(window.editor)


def test_typing_retitles_the_window_only_when_it_becomes_unsaved(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path, monkeypatch
) -> None:
    path = tmp_path / "essay.md"
    path.write_text(make(300, 520), encoding="utf-8")
    open_and_wait(qtbot, window, path)
    calls: list[bool] = []
    modified = window.setWindowModified
    monkeypatch.setattr(window, "setWindowModified", lambda on: calls.append(on) or modified(on))
    QTest.keyClicks(window.editor, "abc")
    assert calls == [True] and window.isWindowModified()
