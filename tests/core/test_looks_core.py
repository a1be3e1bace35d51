"""Qt-free parts of "what you see is what readers get": caption styles, looks, the blog's
captured style, draft assets, insertions, the pre-publish checklist and the HTML export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from editor.core import blog_style
from editor.core.assets import (
    add_asset,
    alt_text_for,
    asset_file_name,
    copy_asset,
    markdown_image,
    pasted_image_name,
    rewrite_asset_links,
)
from editor.core.caption_style import (
    caption_style_for,
    clear_caption_style,
    has_override,
    set_caption_style,
)
from editor.core.checklist import check_post, has_errors
from editor.core.drafts import DraftStore, assets_dir_for
from editor.core.export import export_html
from editor.core.insertions import block_insertion, images_insertion, jump_break_insertion
from editor.core.looks import look_stylesheet, resource_css
from editor.core.post import parse_post
from editor.core.preferences import Preferences
from editor.core.settings import Settings
from editor.publish.providers import caption_style_of

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e221bc330000000049454e44ae426082"
)


def apply(text: str, edit: tuple[int, int, str, int]) -> tuple[str, int]:
    start, end, replacement, cursor = edit
    return text[:start] + replacement + text[end:], cursor


# --- caption style per blog -------------------------------------------------------------------


def test_caption_style_default_override_and_clear(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.json")
    assert caption_style_for(settings, None) == "blogger"
    assert caption_style_for(settings, "blogger:1") == "blogger"
    set_caption_style(settings, "figure")
    assert caption_style_for(settings, None) == "figure"
    assert caption_style_for(settings, "blogger:1") == "figure"
    set_caption_style(settings, "blogger", "blogger:1")
    assert caption_style_for(settings, "blogger:1") == "blogger"
    assert caption_style_for(settings, "wordpress:2", "figure") == "figure"  # its platform's
    assert caption_style_of(settings, "wordpress:2") == "figure"  # asked of the registry
    assert caption_style_of(settings, "blogger:1") == "blogger"
    assert has_override(settings, "blogger:1")
    settings.save()
    reloaded = Settings(settings.path).load()
    assert reloaded.get("blogs") == {"blogger:1": {"caption_style": "blogger"}}
    clear_caption_style(reloaded, "blogger:1")
    assert caption_style_for(reloaded, "blogger:1") == "figure"
    with pytest.raises(ValueError):
        set_caption_style(reloaded, "polaroid")


def test_caption_style_ignores_junk_in_the_settings(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.json")
    settings.set("caption_style", 7)
    settings.set("blogs", {"b": "figure", "c": {"caption_style": "nope"}})
    assert caption_style_for(settings, "b") == "blogger"
    assert caption_style_for(settings, "c") == "blogger"


# --- looks --------------------------------------------------------------------------------------


def test_every_look_shows_the_jump_break_and_blogger_look_is_blogger_like() -> None:
    for look in ("light", "dark", "blogger"):
        assert ".bs-jump-break" in look_stylesheet(look, False)
    assert ".bs-jump-break" in look_stylesheet("blog", False, ".post-body{color:red}")
    blogger = look_stylesheet("blogger", True)  # never dark: it is what the blog shows
    assert "#757575" in blogger and "Roboto" in blogger and "110%" in blogger
    assert "@font-face" not in blogger and "url(" not in blogger
    assert look_stylesheet("theme", True).startswith(resource_css("preview-dark.css"))
    assert look_stylesheet("blog", False, None) == resource_css("preview.css")
    assert not Preferences(preview_look="blogger").dark_preview(True)
    assert Preferences().with_changes(preview_look="blog").preview_look == "blog"
    assert Preferences().with_changes(preview_look="nope").preview_look == "theme"


# --- the blog's style ---------------------------------------------------------------------------

BLOG_PAGE = """<!DOCTYPE html><html><head>
<base href="https://blog.example/">
<link rel="stylesheet" href="/static/widgets.css">
<link rel="stylesheet" media="print" href="/print.css">
<link rel="alternate stylesheet" href="/alt.css">
<link rel="preload" as="font" href="/fonts/x.woff2">
<link rel="icon" href="/favicon.ico">
<script src="/js/app.js"></script>
<style id="page-skin-1" type="text/css">
@import url("https://fonts.example/css?family=Roboto");
@font-face { font-family: Roboto; src: url(/fonts/roboto.woff2) format("woff2"); }
/* a comment with url(/img/comment.png) */
body { background: #fafafa url(/img/bg.png) repeat; font: 15px Roboto, sans-serif; }
.post-body { font-size: 110%; line-height: 1.4; background-image: url('data:image/gif;base64,R0') }
@media (max-width: 600px) { @font-face { font-family: X; src: url(x.woff) } .post { margin: 0 } }
</style>
</head><body><img src="/img/header.png"><style>.later{color:red}</style></body></html>"""


def test_find_styles_in_cascade_order_only_real_stylesheets() -> None:
    parts = blog_style.find_styles(BLOG_PAGE, "https://blog.example/2024/01/post.html")
    assert parts[0] == ("link", "https://blog.example/static/widgets.css")
    assert [kind for kind, _ in parts] == ["link", "inline", "inline"]
    assert "page-skin" not in parts[1][1] and ".post-body" in parts[1][1]
    assert parts[2] == ("inline", ".later{color:red}")


def test_sanitized_css_loads_nothing_but_keeps_the_look() -> None:
    css = blog_style.sanitize_css(blog_style.find_styles(BLOG_PAGE, "https://b/")[1][1])
    assert "@font-face" not in css and "@import" not in css
    assert "url(/img" not in css and "woff" not in css
    assert "url('data:image/gif;base64,R0')" in css  # inline data loads nothing
    assert "font-size: 110%" in css and "background: #fafafa none repeat" in css
    assert ".post { margin: 0 }" in css


def test_captured_style_round_trips_through_the_cache(tmp_path: Path) -> None:
    style = blog_style.CapturedStyle("https://b/", "body{color:red}", ("https://b/s.css",))
    folder = blog_style.save_captured(tmp_path, "blogger:123", style)
    assert folder == tmp_path / "blog-style" / "blogger_123"
    assert blog_style.load_captured(tmp_path, "blogger:123") == style
    assert blog_style.load_captured(tmp_path, "blogger:999") is None
    (folder / "style.css").write_text("a{background:url(http://x/y.png)}")
    loaded = blog_style.load_captured(tmp_path, "blogger:123")
    assert loaded is not None and loaded.css == "a{background:none}"
    assert blog_style.key_for_url("https://My.Blog.example/x") == "url:my.blog.example"


# --- assets -------------------------------------------------------------------------------------


def test_asset_names_alt_text_and_never_overwriting(tmp_path: Path) -> None:
    assert asset_file_name("My Photo (1).JPEG") == "my-photo-1.jpg"
    assert asset_file_name("???.png") == "image.png"
    assert pasted_image_name(dt.datetime(2025, 3, 4, 5, 6, 7)) == "pasted-image-20250304-050607.png"
    assert alt_text_for("harbour-at_dusk-2.jpg") == "Harbour at dusk 2"
    assert alt_text_for("pasted-image-20250304-050607.png") == "Pasted image"
    draft = tmp_path / "my-post.md"
    first = add_asset(draft, "Photo.png", PNG_1PX)
    second = add_asset(draft, "photo.png", b"other")
    third = add_asset(draft, "photo.png", b"third")
    assert [p.name for p in (first, second, third)] == ["photo.png", "photo-2.png", "photo-3.png"]
    assert first.read_bytes() == PNG_1PX and first.parent == assets_dir_for(draft)
    assert markdown_image(draft, second) == "![Photo 2](my-post.assets/photo-2.png)"
    assert copy_asset(draft, first) == first  # already the draft's own: not copied again
    outside = tmp_path / "elsewhere" / "Sea View.png"
    outside.parent.mkdir()
    outside.write_bytes(PNG_1PX)
    copied = copy_asset(draft, outside)
    assert copied.name == "sea-view.png" and copied.read_bytes() == PNG_1PX
    spaced = tmp_path / "a draft.md"
    assert markdown_image(spaced, add_asset(spaced, "x.png", b"x"), "X") == (
        "![X](a%20draft.assets/x.png)"
    )


def test_rename_rewrites_links_into_the_assets_folder(store_dirs: DraftStore) -> None:
    store = store_dirs
    path = store.new_draft("Old name", body="![A](old-name.assets/a.png)\n\nText\n")
    add_asset(path, "a.png", PNG_1PX)
    text = "![A](old-name.assets/a.png) <img src='old-name.assets/b.png'> bold-name.assets/x"
    assert rewrite_asset_links(text, "old-name", "new-name") == (
        "![A](new-name.assets/a.png) <img src='new-name.assets/b.png'> bold-name.assets/x"
    )
    new = store.rename(path, "New name")
    assert new.name == "new-name.md"
    assert "(new-name.assets/a.png)" in new.read_text()
    assert (assets_dir_for(new) / "a.png").read_bytes() == PNG_1PX


@pytest.fixture
def store_dirs(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts", tmp_path / "trash")


# --- insertions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        ("One.\n\nTwo.\n", 4, "One.\n\n<!--more-->\n\nTwo.\n"),
        ("One.\n\nTwo.\n", 5, "One.\n\n<!--more-->\n\nTwo.\n"),
        ("One.\n\nTwo.\n", 6, "One.\n\n<!--more-->\n\nTwo.\n"),
        ("One. Two.", 5, "One.\n\n<!--more-->\n\nTwo."),
        ("", 0, "<!--more-->\n"),
        ("End.", 4, "End.\n\n<!--more-->\n"),
    ],
)
def test_jump_break_goes_on_its_own_line_with_blank_lines_around(text, position, expected):
    new, cursor = apply(text, jump_break_insertion(text, position))
    assert new == expected
    assert new.count("<!--more-->") == 1 and cursor >= new.index("<!--more-->") + 11


def test_images_are_a_paragraph_on_an_empty_line_and_inline_in_text():
    text = "Before.\n\n\nAfter."
    new, _ = apply(text, images_insertion(text, 9, ["![A](a.png)", "![B](b.png)"]))
    assert new == "Before.\n\n![A](a.png)\n\n![B](b.png)\n\nAfter."
    text = "See this:and that"
    new, cursor = apply(text, images_insertion(text, 9, ["![A](a.png)"]))
    assert new == "See this: ![A](a.png) and that" and new[cursor - 1] == ")"
    assert block_insertion("x", 1, "B") == (1, 1, "\n\nB\n", 5)


# --- checklist ----------------------------------------------------------------------------------


def _post(tmp_path: Path, text: str) -> tuple:
    path = tmp_path / "post.md"
    path.write_text(text)
    return parse_post(text, path.name), path


def test_a_good_post_passes_the_checklist(tmp_path: Path) -> None:
    (tmp_path / "post.assets").mkdir()
    (tmp_path / "post.assets" / "a.png").write_bytes(PNG_1PX)
    post, path = _post(
        tmp_path,
        "---\ntitle: Fine\nlabels: [x]\n---\n![A harbour](post.assets/a.png)\n\n"
        "[web](https://example.org) [pic](post.assets/a.png) [sec](#fn)\n",
    )
    assert check_post(post, path, can_host_local_images=True) == []


GOOD = "---\ntitle: T\nlabels: [x]\n---\n"
LONG = "---\ntitle: " + "Long " * 25 + "\nlabels: [x]\n---\nB\n"


@pytest.mark.parametrize(
    ("text", "host", "code", "level", "words"),
    [
        ("---\nlabels: [x]\n---\nBody\n", True, "no-title", "error", "no title"),
        (GOOD + "\n  \n", True, "empty", "error", "empty"),
        ("---\ntitle: T\n---\nBody\n", True, "no-labels", "warning", "no labels"),
        (LONG, True, "long-title", "warning", "long"),
        (GOOD + "![](post.assets/a.png)\n", True, "no-alt", "warning", "a.png"),
        (GOOD + '<img src="post.assets/a.png">\n', False, "no-alt", "warning", "a.png"),
        (GOOD + "![A](post.assets/a.png)\n", False, "local-image", "warning", "post.assets/a.png"),
        (GOOD + "![A](gone.png) ![B](https://x/b.png)\n", True, "missing-image", "error", "gone"),
        (GOOD + "[n](notes.txt) [f](file:///tmp/x.pdf)\n", True, "local-link", "warning", "x.pdf"),
    ],
)
def test_each_checklist_item_triggers(tmp_path, text, host, code, level, words) -> None:
    (tmp_path / "post.assets").mkdir()
    (tmp_path / "post.assets" / "a.png").write_bytes(PNG_1PX)
    (tmp_path / "notes.txt").write_text("n")
    post, path = _post(tmp_path, text)
    items = check_post(post, path, can_host_local_images=host)
    found = [item for item in items if item.code == code]
    assert len(found) == 1, items
    assert found[0].level == level and words in found[0].text and "\n" not in found[0].text
    assert has_errors(items) == any(i.level == "error" for i in items)
    assert [i.level for i in items] == sorted((i.level for i in items), key=lambda v: v != "error")


def test_checklist_lists_several_local_images_and_errors_block(tmp_path: Path) -> None:
    (tmp_path / "post.assets").mkdir()
    names = [f"i{n}.png" for n in range(6)]
    for name in names:
        (tmp_path / "post.assets" / name).write_bytes(PNG_1PX)
    body = "\n\n".join(f"![I {n}](post.assets/{n})" for n in names)
    post, path = _post(tmp_path, f"---\nlabels: [x]\n---\n{body}\n")
    items = check_post(post, path, can_host_local_images=False)
    local = next(i for i in items if i.code == "local-image")
    assert "post.assets/i0.png" in local.text and "and 2 more" in local.text
    assert has_errors(items) and items[0].code == "no-title"


# --- export -------------------------------------------------------------------------------------


def test_html_export_inlines_the_css_and_copies_local_images(tmp_path: Path) -> None:
    (tmp_path / "post.assets").mkdir()
    (tmp_path / "post.assets" / "a.png").write_bytes(PNG_1PX)
    text = (
        '---\ntitle: Export <me>\n---\n![A](post.assets/a.png "Cap")\n\n'
        "Text ![B](https://example.org/b.png)\n"
    )
    post, path = _post(tmp_path, text)
    out = tmp_path / "out" / "export.html"
    out.parent.mkdir()
    result = export_html(post, path, out, "body{color:#123456}", caption_style="figure")
    page = out.read_text()
    assert "body{color:#123456}" in page and "<title>Export &lt;me&gt;</title>" in page
    assert '<img alt="A" src="export_files/a.png"' in page and "<figure" in page
    assert 'href="export_files/a.png"' not in page  # figure style: no link around the image
    assert "https://example.org/b.png" in page
    assert result.copied == (out.parent / "export_files" / "a.png",)
    assert result.copied[0].read_bytes() == PNG_1PX
    assert json.dumps(str(result.path))


def test_export_names_the_local_pictures_it_could_not_find(tmp_path: Path) -> None:
    (tmp_path / "post.assets").mkdir()
    (tmp_path / "post.assets" / "a.png").write_bytes(PNG_1PX)
    post, path = _post(
        tmp_path,
        "---\ntitle: Pics\nlabels: [x]\n---\n![Here](post.assets/a.png)\n\n"
        "![Gone](quay%20side.jpg)\n\n"
        "![Again](quay%20side.jpg) ![Web](https://example.org/x.png)\n",
    )
    result = export_html(post, path, tmp_path / "out" / "post.html", "")
    assert result.missing == ("quay%20side.jpg",)
    assert [i.code for i in check_post(post, path, can_host_local_images=True)] == ["missing-image"]
