"""Code in the dark preview reads (a dark style, no light corners), and exports print light."""

from __future__ import annotations

import json
from pathlib import Path

from editor.core.contrast import AA_TEXT, contrast_ratio, relative_luminance
from editor.core.drafts import DraftStore
from editor.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait, page_eval

CODE = """Some words first.

```python
@decorator
class Harbour(Base):
    \"\"\"A docstring.\"\"\"
    def boats(self, n: int = 3) -> list[str]:
        return [f"boat {i}" for i in range(n)]  # a comment
```

```javascript
const x = /re+gex/g; let y = 0x1F; if (x) { console.log(`t ${y}`); }
```

```diff
- removed line
+ added line
@@ -1,2 +1,2 @@
```

```html
<div class="a" id='b'>&amp; text <!-- comment --></div>
```

```bash
export PATH="$HOME/bin:$PATH"; echo $((1 + 2)) > /dev/null
```
"""

# Every coloured run of code, with its colour and the colour of the block behind it.
SPANS_JS = """JSON.stringify((() => {
  const out = [];
  for (const block of document.querySelectorAll('#content .highlight')) {
    const pre = getComputedStyle(block.querySelector('pre')).backgroundColor;
    // what is behind the text: the <pre>'s own background, else the block's
    const back = pre === 'rgba(0, 0, 0, 0)' ? getComputedStyle(block).backgroundColor : pre;
    const corners = getComputedStyle(block).backgroundColor;
    for (const span of block.querySelectorAll('span')) {
      if (!span.textContent.trim()) continue;
      out.push({text: span.textContent, colour: getComputedStyle(span).color,
                own: getComputedStyle(span).backgroundColor, back: back, pre: pre,
                corners: corners});
    }
  }
  return out;
})())"""


def code_spans(qtbot, window: MainWindow) -> list[dict]:  # type: ignore[no-untyped-def]
    result = page_eval(qtbot, window.preview, SPANS_JS)
    assert isinstance(result, str), result
    return json.loads(result)


def open_code(qtbot, window: MainWindow, store: DraftStore, look: str) -> None:  # type: ignore[no-untyped-def]
    window.desk.set_preferences(window.desk.prefs.with_changes(preview_look=look))
    path = store.new_draft("Code", body=CODE)
    open_and_wait(qtbot, window, path, "removed line")


def test_every_code_colour_in_the_dark_preview_reads_at_aa(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_code(qtbot, window, store, "dark")
    spans = code_spans(qtbot, window)
    assert len(spans) > 40
    low = [
        (s["text"], s["colour"], round(contrast_ratio(s["colour"], s["back"]), 2))
        for s in spans
        if contrast_ratio(s["colour"], s["back"]) < AA_TEXT
    ]
    assert not low
    for span in spans:
        assert span["pre"] == "rgba(0, 0, 0, 0)"  # no second box inside the block
        assert span["own"] == "rgba(0, 0, 0, 0)"
        # a dark block: no light corners around the code
        assert contrast_ratio(span["corners"], "#1f2023") < 1.5


def test_the_light_preview_keeps_the_published_colours(
    qtbot, window: MainWindow, store: DraftStore
) -> None:
    open_code(qtbot, window, store, "light")
    colours = {span["colour"] for span in code_spans(qtbot, window)}
    assert "rgb(0, 128, 0)" in colours  # Pygments' default keyword green, as published
    for span in code_spans(qtbot, window):
        assert relative_luminance(span["back"]) > 0.9  # a light block, as on a light blog


def test_export_of_a_dark_preview_is_a_light_page(
    qtbot, window: MainWindow, store: DraftStore, tmp_path: Path
) -> None:
    open_code(qtbot, window, store, "dark")
    target = tmp_path / "code.html"
    with qtbot.waitSignal(window.exporter.exported, timeout=10000):
        window.exporter.export_html(target)
    page = target.read_text(encoding="utf-8")
    assert "#17181a" not in page and "span[style=" not in page  # not the dark look
    assert "html { background: #f7f5f0; }" in page  # the light look
