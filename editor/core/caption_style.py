"""How captioned images are written for a blog: Blogger's caption table or `<figure>`.

Kept in the settings file: `caption_style` is the default, and `blogs.<blog key>.caption_style`
overrides it for one blog (a WordPress blog wants figures, an old Blogger theme wants tables).
"""

from __future__ import annotations

from typing import Any

from editor.core.settings import Settings

CAPTION_STYLES = ("blogger", "figure")
DEFAULT_CAPTION_STYLE = "blogger"
SETTINGS_KEY = "caption_style"
BLOGS_KEY = "blogs"


def _valid(value: Any) -> str | None:
    return value if isinstance(value, str) and value in CAPTION_STYLES else None


def _blog_entry(settings: Settings, blog_key: str) -> dict[str, Any] | None:
    blogs = settings.get(BLOGS_KEY)
    entry = blogs.get(blog_key) if isinstance(blogs, dict) else None
    return entry if isinstance(entry, dict) else None


def caption_style_for(settings: Settings, blog_key: str | None, platform_style: str = "") -> str:
    """The caption style for `blog_key`: its override, else the style its platform's themes
    expect (`platform_style`, from the blog's Capabilities: WordPress themes style <figure>),
    else the default."""
    if blog_key is not None:
        entry = _blog_entry(settings, blog_key)
        override = _valid(entry.get(SETTINGS_KEY)) if entry else None
        if override:
            return override
        if _valid(platform_style):
            return platform_style
    return _valid(settings.get(SETTINGS_KEY)) or DEFAULT_CAPTION_STYLE


def has_override(settings: Settings, blog_key: str) -> bool:
    """True when `blog_key` has its own caption style."""
    entry = _blog_entry(settings, blog_key)
    return bool(entry and _valid(entry.get(SETTINGS_KEY)))


def set_caption_style(settings: Settings, style: str, blog_key: str | None = None) -> None:
    """Set the default style (blog_key None) or one blog's own (in memory; caller saves)."""
    if style not in CAPTION_STYLES:
        raise ValueError(f"unknown caption style {style!r}")
    if blog_key is None:
        settings.set(SETTINGS_KEY, style)
        return
    blogs = settings.get(BLOGS_KEY)
    blogs = dict(blogs) if isinstance(blogs, dict) else {}
    entry = blogs.get(blog_key)
    entry = dict(entry) if isinstance(entry, dict) else {}
    entry[SETTINGS_KEY] = style
    blogs[blog_key] = entry
    settings.set(BLOGS_KEY, blogs)


def clear_caption_style(settings: Settings, blog_key: str) -> None:
    """Let `blog_key` follow the default style again."""
    blogs = settings.get(BLOGS_KEY)
    if not isinstance(blogs, dict) or not isinstance(blogs.get(blog_key), dict):
        return
    blogs = dict(blogs)
    entry = {k: v for k, v in blogs[blog_key].items() if k != SETTINGS_KEY}
    if entry:
        blogs[blog_key] = entry
    else:
        del blogs[blog_key]
    settings.set(BLOGS_KEY, blogs)
