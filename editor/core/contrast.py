"""WCAG 2.x contrast between two colours, so the looks can be checked against AA (4.5:1)."""

from __future__ import annotations

import re

AA_TEXT = 4.5  # WCAG 2.x level AA for body text
_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_RGB = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)")


def rgb(colour: str) -> tuple[int, int, int]:
    """The red, green and blue (0-255) of "#abc", "#aabbcc" or "rgb(1, 2, 3)"."""
    match = _HEX.fullmatch(colour.strip())
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    found = _RGB.match(colour.strip())
    if found:
        return int(found.group(1)), int(found.group(2)), int(found.group(3))
    raise ValueError(f"not a colour: {colour!r}")


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance (0 black … 1 white) of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter over the darker: 1 … 21."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
