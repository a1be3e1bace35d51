"""The preview's looks: which stylesheet each one is, composed without Qt.

- "light"/"dark": Broadsheet's own calm long-form looks; "theme" follows the window;
- "blogger": typical Blogger theme typography (Contempo/Simple-like), to see roughly what
  readers of a Blogger blog get without capturing anything;
- "blog": the connected blog's own captured stylesheets (editor/core/blog_style.py).

Every look shows the editor-only jump-break divider. The dark look recolours code blocks: the
published HTML carries inline Pygments colours chosen for light blogs, which the dark preview
overrides from its stylesheet only, so the body it shows stays exactly what is published.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from pygments.formatters import HtmlFormatter
from pygments.styles import get_style_by_name
from pygments.token import Token

from editor.core.preferences import PREVIEW_LOOKS

# The published code colours: inline (blogs keep no stylesheet of ours), for light pages.
# Here, not with the Markdown extensions, so the window's looks need no Markdown at start-up.
PUBLISHED_CODE_STYLE = "default"
LOOK_FILES = {"light": "preview.css", "dark": "preview-dark.css", "blogger": "preview-blogger.css"}
# The jump-break divider and the sentence for a part that could not be rendered, for looks
# that lack their own.
EDITOR_CSS = "preview-editor.css"
# A dark Pygments style whose every token reads at WCAG AA (4.5:1) on its own background.
DARK_CODE_STYLE = "lightbulb"

# The captured theme knows nothing of Broadsheet's page: give the post a Blogger-like column.
BLOG_FRAME_CSS = (
    "html,body{margin:0}"
    ".page{display:block;max-width:700px;margin:0 auto;padding:24px 20px 48px;"
    "box-sizing:border-box}"
    ".page img{max-width:100%;height:auto}\n"
)


def resource_css(name: str) -> str:
    """A stylesheet shipped in resources/."""
    return resources.files("editor.resources").joinpath(name).read_text(encoding="utf-8")


def resolved_look(look: str, window_is_dark: bool) -> str:
    """The concrete look: "theme" becomes "light" or "dark"; unknown looks are "light"."""
    if look == "theme":
        return "dark" if window_is_dark else "light"
    return look if look in PREVIEW_LOOKS else "light"


def look_stylesheet(look: str, window_is_dark: bool, blog_css: str | None = None) -> str:
    """The preview CSS for `look`; the blog look without captured CSS falls back to light."""
    concrete = resolved_look(look, window_is_dark)
    if concrete == "blog":
        if not blog_css:
            return resource_css(LOOK_FILES["light"])
        return blog_look_css(blog_css)
    css = resource_css(LOOK_FILES[concrete])
    if concrete == "dark":
        css += "\n" + dark_code_css()
    if concrete == "blogger":
        css += "\n" + resource_css(EDITOR_CSS)
    return css


def blog_look_css(blog_css: str) -> str:
    """A captured (already inert) blog stylesheet, framed like a post page, with the divider."""
    return BLOG_FRAME_CSS + blog_css + "\n" + resource_css(EDITOR_CSS)


def export_stylesheet(look: str, window_is_dark: bool, blog_css: str | None = None) -> str:
    """The CSS an export inlines: the preview's look, but a light page instead of a dark one
    (exports are for printing and sharing)."""
    concrete = resolved_look(look, window_is_dark)
    return look_stylesheet("light" if concrete == "dark" else concrete, False, blog_css)


@cache
def dark_code_css() -> str:
    """CSS that gives code blocks a dark Pygments style over the published inline colours.

    Each inline style the published HTML can carry (one per token type) is matched exactly
    and given the dark style's colour for that token type.
    """
    dark = get_style_by_name(DARK_CODE_STYLE)
    text = "#" + (dark.style_for_token(Token.Text)["color"] or "dddddd")
    rules = [
        f".highlight {{ background: {dark.background_color} !important; border-radius: 4px; }}",
        f".highlight pre {{ background: transparent !important; color: {text}; }}",
    ]
    light = HtmlFormatter(style=PUBLISHED_CODE_STYLE, noclasses=True)
    seen: set[str] = set()
    # Set by HtmlFormatter.__init__ but missing from its stubs.
    for inline, ttype, _level in light.class2style.values():  # type: ignore[attr-defined]
        if inline in seen or '"' in inline:
            continue
        seen.add(inline)
        colour = dark.style_for_token(ttype)["color"]
        rules.append(
            f'.highlight span[style="{inline}"] {{ color: {"#" + colour if colour else text}'
            " !important; background: transparent !important; border: 0 !important; }"
        )
    return "\n".join(rules) + "\n"
