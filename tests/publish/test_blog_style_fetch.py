"""Capturing a blog's look fetches web addresses only (the fetching is tested through the
window in tests/ui/test_looks_and_export.py, against a loopback server)."""

from __future__ import annotations

import pytest

from editor.core.blog_style import BlogStyleError
from editor.publish.blog_style_fetch import capture_blog_style


def test_capture_refuses_what_is_not_a_web_address() -> None:
    with pytest.raises(BlogStyleError, match="not a web address"):
        capture_blog_style("file:///etc/passwd", None)  # type: ignore[arg-type]
