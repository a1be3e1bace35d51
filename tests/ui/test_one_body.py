"""One HTML body: what the preview shows, minus its editor markers, is exactly what is published.

The preview path is the RenderWorker (what the window shows); the publish path is
`render_post(markers=False)` and the `broadsheet render` command.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from editor.core.post import parse_post
from editor.core.render import render_post, strip_editor_markers
from editor.ui.workers import RenderRequest, RenderResult, RenderWorker

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

EVERYTHING = """---
title: "Footnotes, breaks & captions: the lot"
labels: [test]
---
An opening paragraph with a note[^a] and "quotes" -- dashes.

<!--more-->

![A harbour](post.assets/harbour.png "The harbour at dusk")

*The harbour at dusk*

![Plain](https://example.org/plain.png)

| Left | Right |
|------|------:|
| `a`  | **b** |

```python
def f(x):
    return x * 2
```

    indented code

<iframe width="560" height="315" src="https://www.youtube.com/embed/xyz" allowfullscreen></iframe>

- [x] done
- [ ] open

Term
:   Definition

*[HTML]: HyperText Markup Language

HTML again[^b].

[^a]: The first note.
[^b]: The second, with a [link](https://example.org).
"""


def _posts() -> dict[str, str]:
    sample = resources.files("editor.resources").joinpath("sample", "welcome-to-broadsheet.md")
    return {
        "essay.md": (FIXTURES / "essay.md").read_text(encoding="utf-8"),
        "welcome-to-broadsheet.md": sample.read_text(encoding="utf-8"),
        "everything.md": EVERYTHING,
    }


def preview_html(qapp, text: str, name: str, caption_style: str) -> str:  # type: ignore[no-untyped-def]
    """What the window's render worker sends to the preview."""
    worker = RenderWorker()
    results: list[RenderResult] = []
    worker.rendered.connect(results.append)
    worker.render(RenderRequest(text, 7, name, caption_style))
    assert len(results) == 1 and results[0].generation == 7
    return results[0].html


@pytest.mark.parametrize("caption_style", ["blogger", "figure"])
@pytest.mark.parametrize("name", sorted(_posts()))
def test_preview_minus_markers_is_exactly_the_published_body(qapp, name, caption_style) -> None:
    text = _posts()[name]
    preview = preview_html(qapp, text, name, caption_style)
    published = render_post(parse_post(text, name), markers=False, caption_style=caption_style)
    assert "data-line=" in preview and "data-line=" not in published
    assert strip_editor_markers(preview) == published
    if name == "everything.md":
        assert "<!--more-->" in published and 'class="bs-jump-break"' in preview
        assert "<iframe" in published and "fn:footnotes-breaks-captions-the-lot-a" in published
        assert ("<figcaption>" if caption_style == "figure" else "tr-caption") in published


def test_broadsheet_render_prints_the_same_body_as_the_preview(qapp, tmp_path: Path) -> None:
    for name, text in _posts().items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        printed = subprocess.run(
            [sys.executable, "-m", "editor", "render", str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        body = strip_editor_markers(preview_html(qapp, text, name, "blogger"))
        assert printed == body + "\n", name  # the command ends its output with one newline
