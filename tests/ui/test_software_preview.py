"""The preview draws without OpenGL (issue 17: memory), and still shows and scrolls the post."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from editor.core.drafts import DraftStore
from editor.ui.app import prepare_environment
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait, page_eval

# Mesa's software OpenGL and its compiler: ~100 MB of the app's memory when loaded.
SOFTWARE_GL = ("libLLVM", "libgallium", "swrast_dri", "libEGL_mesa", "libGLX_mesa")


def test_prepare_environment_chooses_drawing_without_opengl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("QT_QUICK_BACKEND", raising=False)
    monkeypatch.delenv("QT_XCB_GL_INTEGRATION", raising=False)
    prepare_environment()
    import os

    assert os.environ["QT_QUICK_BACKEND"] == "software"
    assert os.environ["QT_XCB_GL_INTEGRATION"] == "none"


def test_prepare_environment_keeps_a_choice_made_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone who wants his GPU used says so in the environment, and keeps it."""
    monkeypatch.setenv("QT_QUICK_BACKEND", "rhi")
    monkeypatch.setenv("QT_XCB_GL_INTEGRATION", "xcb_glx")
    prepare_environment()
    import os

    assert os.environ["QT_QUICK_BACKEND"] == "rhi"
    assert os.environ["QT_XCB_GL_INTEGRATION"] == "xcb_glx"


def _ink(image: QImage) -> int:
    """Pixels that are not the page's background colour (its most common one)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    step = 2  # every other pixel each way: enough to see text, four times quicker
    colours = Counter(
        image.pixel(x, y)
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    )
    return sum(colours.values()) - colours.most_common(1)[0][1]


def _loaded_software_gl() -> list[str]:
    maps = Path("/proc/self/maps")
    if not maps.exists():
        return []
    text = maps.read_text()
    return sorted({key for key in SOFTWARE_GL if key in text})


def test_the_preview_draws_the_post_without_opengl_and_scrolls(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    store: DraftStore,
) -> None:
    store.ensure()
    path = store.drafts_dir / "drawn.md"
    paragraphs = "\n\n".join(f"Paragraph {n} of the drawn post, in plain words." for n in range(80))
    path.write_text(f"---\ntitle: Drawn\n---\n\n# A heading\n\n{paragraphs}\n", encoding="utf-8")
    window.resize(1200, 800)
    open_and_wait(qtbot, window, path, "Paragraph 79")
    preview = window.preview
    assert _loaded_software_gl() == [], "no OpenGL library was loaded into the app"
    qtbot.waitUntil(lambda: _ink(preview.grab().toImage()) > 500, timeout=10000)
    top = preview.grab().toImage()

    page_eval(qtbot, preview, "window.scrollTo(0, 1500); window.scrollY")
    qtbot.waitUntil(lambda: preview.grab().toImage() != top, timeout=10000)
    assert _ink(preview.grab().toImage()) > 500, "the scrolled-to text is drawn too"
