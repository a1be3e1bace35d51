"""The dark preview recolours code from its stylesheet only; exports print light."""

from __future__ import annotations

import re

import pytest
from pygments.styles import get_style_by_name

from editor.core.contrast import AA_TEXT, contrast_ratio, relative_luminance
from editor.core.looks import (
    DARK_CODE_STYLE,
    dark_code_css,
    export_stylesheet,
    look_stylesheet,
    resource_css,
)
from editor.core.post import parse_post
from editor.core.render import render_for_publishing

CODE_POST = "---\ntitle: Code\n---\n```python\ndef f(x):\n    return 'x'  # note\n```\n"


def test_contrast_ratio_matches_the_wcag_figures() -> None:
    assert contrast_ratio("#000", "#fff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("rgb(255, 255, 255)", "#ffffff") == pytest.approx(1)
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)


def test_every_token_of_the_dark_code_style_reads_on_its_background() -> None:
    dark = get_style_by_name(DARK_CODE_STYLE)
    for ttype, style in dark:
        if style["color"]:
            ratio = contrast_ratio("#" + style["color"], dark.background_color)
            assert ratio >= AA_TEXT, (ttype, style["color"], round(ratio, 2))


def test_the_dark_look_overrides_every_published_code_colour_and_the_light_look_does_not() -> None:
    published = render_for_publishing(parse_post(CODE_POST))
    inline = set(re.findall(r'<span style="([^"]*)"', published))
    assert inline  # the published body carries its own (light) colours
    css = dark_code_css()
    for style in inline:
        assert f'span[style="{style}"]' in css
    assert css in look_stylesheet("dark", False)
    assert css in look_stylesheet("theme", True)
    assert "span[style=" not in look_stylesheet("light", True)
    assert "span[style=" not in look_stylesheet("blogger", True)


def test_exports_of_a_dark_look_are_light_pages() -> None:
    light = resource_css("preview.css")
    assert export_stylesheet("dark", False) == look_stylesheet("light", False)
    assert export_stylesheet("theme", True) == look_stylesheet("light", False)
    assert light in export_stylesheet("theme", True)
    assert export_stylesheet("blogger", True) == look_stylesheet("blogger", True)
    assert export_stylesheet("blog", True, "p{color:red}") == look_stylesheet(
        "blog", True, "p{color:red}"
    )
