"""The CommonMark benchmark's fair normalisation leaves out only Broadsheet's own additions."""

from __future__ import annotations

from pathlib import Path

import pytest

import benchmarks.commonmark as bench
from editor.core.render import render_body

FENCE = "`" * 32
GFM_TEXT = f"""## Tables (extension)

{FENCE} example table
| a |
| - |
.
<table>
<thead>
<tr>
<th>a</th>
</tr>
</thead>
</table>
{FENCE}

## Not an extension

{FENCE} example
*skipped*
.
<p><em>skipped</em></p>
{FENCE}

## Strikethrough (extension)

{FENCE} example strikethrough
~~Hi~~\u2192there
.
<p><del>Hi</del>\u2192there</p>
{FENCE}
"""


@pytest.mark.parametrize(
    ("markdown", "spec"),
    [
        # Inline styles are Broadsheet's, for themes without CSS.
        (
            "| a |\n|:-:|\n| 1 |\n",
            '<table>\n<thead>\n<tr>\n<th align="center">a</th>\n</tr>\n</thead>\n'
            '<tbody>\n<tr>\n<td align="center">1</td>\n</tr>\n</tbody>\n</table>\n',
        ),
        # Pygments' coloured block is a code block with its language.
        (
            "```python\nx = 1\ny\n```\n",
            '<pre><code class="language-python">x = 1\ny\n</code></pre>',
        ),
        # Blogger's blocks for a lone image (with a title: a caption table) are the image.
        ('![a](b.png "t")\n', '<p><img src="b.png" alt="a" title="t" /></p>\n'),
        ("![a](b.png)\n", '<p><img src="b.png" alt="a" /></p>\n'),
        # Smart punctuation and task-list classes.
        ('"Yes" -- it\'s...\n', "<p>&quot;Yes&quot; -- it's...</p>\n"),
        (
            "- [x] done\n",
            '<ul>\n<li><input checked="" disabled="" type="checkbox"> done</li>\n</ul>\n',
        ),
        ("a  \nb\n", "<p>a<br />\nb</p>\n"),
    ],
)
def test_our_additions_are_not_counted(markdown: str, spec: str) -> None:
    assert bench.normalise(render_body(markdown)) == bench.normalise(spec)


def test_real_differences_still_count() -> None:
    assert bench.normalise(render_body("- a\n\n- b\n")) != bench.normalise(
        "<ul><li>a</li><li>b</li></ul>"
    )
    assert bench.normalise("<p>a b</p>") != bench.normalise("<p>a</p><p>b</p>")


def test_gfm_examples_are_read_from_the_extension_sections_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "gfm.txt"
    spec.write_text(GFM_TEXT, encoding="utf-8")
    monkeypatch.setattr(bench, "_fetch", lambda _package, _member: spec)
    examples = bench.gfm_extension_examples()
    assert [e["section"] for e in examples] == ["GFM Tables", "GFM Strikethrough"]
    assert examples[1]["markdown"] == "~~Hi~~\tthere\n"
    assert all(bench.passes(example) for example in examples)
