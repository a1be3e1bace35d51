"""The preview's scroll sync finds blocks by binary search, and finds the same place a walk
through every block did (the walk cost ~40 ms per scroll at 100,000 words: each of thousands
of layout queries checks the whole page)."""

from __future__ import annotations

import json
import random

from editor.core.pieces import Piece
from editor.ui.preview_pane import PreviewPane
from tests.ui.conftest import page_eval

# What resources/preview.js did before: every top-level block, in order.
WALK = """
window.__walk = (() => {
  function marked() {
    const found = [];
    for (const element of document.getElementById("content").children) {
      const value = element.getAttribute("data-line");
      if (value === null) continue;
      const rect = element.getBoundingClientRect();
      if (rect.height === 0 && rect.width === 0 && element.className !== "bs-jump-break") continue;
      found.push({ line: Number(value), top: rect.top + window.scrollY, height: rect.height });
    }
    return found;
  }
  function around(blocks, key, value) {
    let low = 0, high = blocks.length - 1, best = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (blocks[middle][key] <= value) { best = middle; low = middle + 1; }
      else { high = middle - 1; }
    }
    return best;
  }
  return {
    yFor(line, lastLine) {
      const blocks = marked();
      let y = 0;
      const index = around(blocks, "line", line);
      if (index >= 0) {
        const block = blocks[index], next = blocks[index + 1];
        const endLine = next ? next.line : Math.max(lastLine, block.line + 1);
        const endTop = next ? next.top : block.top + block.height;
        const part = endLine > block.line ? (line - block.line) / (endLine - block.line) : 0;
        y = block.top + (endTop - block.top) * Math.min(1, Math.max(0, part));
      } else if (blocks.length && blocks[0].line > 0) {
        y = blocks[0].top * Math.max(0, line) / blocks[0].line;
      }
      return y;
    },
    lineAt(y, lastLine) {
      const blocks = marked();
      if (!blocks.length) return 0;
      y += 1;
      const index = around(blocks, "top", y);
      if (index < 0) {
        const first = blocks[0];
        return first.top > 0 ? first.line * Math.max(0, y) / first.top : first.line;
      }
      const block = blocks[index], next = blocks[index + 1];
      const endLine = next ? next.line : Math.max(lastLine, block.line + 1);
      const endTop = next ? next.top : block.top + block.height;
      const part = endTop > block.top ? (y - block.top) / (endTop - block.top) : 0;
      return block.line + (endLine - block.line) * Math.min(1, Math.max(0, part));
    },
  };
})(); true
"""


def _pieces(rnd: random.Random) -> tuple[Piece, ...]:
    """Blocks as the renderer makes them, with the odd ones the search must step over:
    blocks without a line, hidden blocks, and jump breaks (which have no size)."""
    out = []
    line = 3
    for n in range(1500):
        kind = rnd.random()
        words = " ".join("word" for _ in range(rnd.randint(1, 80)))
        if kind < 0.05:
            out.append(Piece(f"<div>no line {n}</div>"))
        elif kind < 0.1:
            out.append(Piece(f'<p data-line="{line}" hidden>hidden {n}</p>'))
        elif kind < 0.12:
            out.append(Piece(f'<hr class="bs-jump-break" data-line="{line}">'))
        else:
            out.append(Piece(f'<p data-line="{line}">{words}</p>'))
        line += rnd.randint(1, 4)
    return tuple(out)


def test_the_search_finds_the_place_the_walk_found(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rnd = random.Random(7)
    pane = PreviewPane()
    pane.resize(800, 600)
    pane.show()
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.loadFinished, timeout=30000):
        pane.set_base_folder(tmp_path)
    with qtbot.waitSignal(pane.content_applied, timeout=30000):
        pane.set_pieces(_pieces(rnd), 1)
    assert page_eval(qtbot, pane, WALK) is True
    last_line = 5000
    height = page_eval(qtbot, pane, "document.documentElement.scrollHeight")
    assert isinstance(height, int | float) and height > 20000
    lines = [0, 1, 2.5, 3, 4999, 6000, *(rnd.uniform(0, 5200) for _ in range(60))]
    tops = [-5, 0, 0.5, height, *(rnd.uniform(0, height) for _ in range(60))]
    script = f"""(() => {{
        const out = [];
        for (const line of {json.dumps(lines)}) {{
            window.scrollTo(0, __walk.yFor(line, {last_line}));
            const walked = window.scrollY;
            out.push([walked, __bs.scrollToLine(line, {last_line})]);
        }}
        for (const y of {json.dumps(tops)}) {{
            out.push([__walk.lineAt(y, {last_line}), __bs.lineAt(y, {last_line})]);
        }}
        return JSON.stringify(out);
    }})()"""
    pairs = json.loads(str(page_eval(qtbot, pane, script, timeout=30000)))
    assert len(pairs) == len(lines) + len(tops)
    for walked, searched in pairs:
        assert abs(walked - searched) < 1e-6, pairs
