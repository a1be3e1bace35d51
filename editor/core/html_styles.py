"""Inline styles in blog HTML: which properties a reader notices, and which are cruft.

A colour other than black on white, underlining, right-to-left text, centring and indents carry
meaning and are kept; font families, sizes, justification and the like are dropped
(editor/core/html_tidy.py decides where, this module decides what).
"""

from __future__ import annotations

import re

_NEUTRAL_TEXT = frozenset(
    {"black", "windowtext", "inherit", "initial", "currentcolor", "auto", "unset", "#000"}
)
_NEUTRAL_BACKGROUND = frozenset(
    {"white", "transparent", "inherit", "initial", "none", "unset", "#fff", "#ffffff", "window"}
)
_COLOUR = re.compile(
    r"#([0-9a-f]{3}|[0-9a-f]{6})\b|rgba?\(\s*(\d+)\D+(\d+)\D+(\d+)(?:\D+([\d.]+))?"
)
_LENGTH = re.compile(r"^-?(\d*\.?\d+)")


def style_properties(value: str | list[str] | None) -> list[tuple[str, str]]:
    """`name: value` pairs of a style attribute, names lower-cased, in order."""
    if isinstance(value, list):
        value = " ".join(value)
    pairs = []
    for part in (value or "").split(";"):
        name, colon, val = part.partition(":")
        if colon and name.strip():
            pairs.append((name.strip().lower(), val.strip()))
    return pairs


def _grey_level(value: str) -> tuple[int, float] | None:
    """(lightness 0-255, alpha) of a grey colour value, None when it is not grey."""
    match = _COLOUR.search(value.lower())
    if not match:
        return None
    if match.group(1):
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        rgb = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
        alpha = 1.0
    else:
        rgb = [int(match.group(n)) for n in (2, 3, 4)]
        alpha = float(match.group(5)) if match.group(5) else 1.0
    if max(rgb) - min(rgb) > 16:
        return None
    return sum(rgb) // 3, alpha


def neutral_text_colour(value: str) -> bool:
    """Black or a dark grey: what pasted text carries without meaning anything."""
    value = value.strip().lower().removesuffix("!important").strip()
    if value in _NEUTRAL_TEXT:
        return True
    grey = _grey_level(value)
    return grey is not None and grey[0] <= 0x55


def neutral_background(value: str) -> bool:
    """White or transparent: the page's own background."""
    value = value.strip().lower().removesuffix("!important").strip()
    if value in _NEUTRAL_BACKGROUND:
        return True
    grey = _grey_level(value)
    return grey is not None and (grey[0] >= 0xF0 or grey[1] == 0)


def _positive_length(value: str) -> bool:
    match = _LENGTH.match(value.strip())
    return match is not None and float(match.group(1)) > 0 and not value.strip().startswith("-")


def _left_indent(name: str, value: str) -> bool:
    """Whether a margin/padding property indents the text from the left."""
    if name in ("margin-left", "padding-left"):
        return _positive_length(value)
    parts = value.split()
    left = {1: 0, 2: 1, 3: 1, 4: 3}.get(len(parts))
    return left is not None and _positive_length(parts[left])


def meaningful_properties(pairs: list[tuple[str, str]], block: bool) -> list[tuple[str, str]]:
    """The style properties a reader notices; font, size, spacing and the like are dropped."""
    kept = []
    for name, value in pairs:
        low = value.lower()
        if name == "color":
            keep = not neutral_text_colour(value)
        elif name in ("background", "background-color"):
            keep = not neutral_background(value)
        elif name in ("text-decoration", "text-decoration-line"):
            keep = any(word in low for word in ("underline", "overline"))
        elif name == "vertical-align":
            keep = low in ("super", "sub")
        elif name == "display":
            keep = low.startswith("none")
        elif name == "visibility":
            keep = low.startswith("hidden")
        elif name == "font-variant":
            keep = "small-caps" in low
        elif name == "text-transform":
            keep = low not in ("none", "initial", "inherit")
        elif name == "direction":
            keep = low.startswith("rtl")
        elif name == "float":
            keep = low.startswith(("left", "right"))
        elif not block:
            keep = False
        elif name == "text-align":
            keep = low.startswith(("center", "right", "end", "-webkit-center"))
        elif name in ("margin-left", "padding-left", "margin", "padding"):
            keep = _left_indent(name, value)
        elif name.startswith("border"):
            keep = not (low.startswith(("none", "0", "hidden")) or low == "")
        else:
            keep = False
        if keep:
            kept.append((name, value))
    return kept


def format_style(pairs: list[tuple[str, str]]) -> str:
    """A style attribute's value from its properties."""
    return "; ".join(f"{name}: {value}" for name, value in pairs) + ";"
