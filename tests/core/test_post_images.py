"""A post's images, the one way (editor.core.post_images): found in the rendered HTML, resolved
by one rule, rewritten without touching anything else. The checklist, the export, the image
hosts, the WordPress media library and the dead-image repair all ask this module."""

from __future__ import annotations

from pathlib import Path

from editor.core.checklist import check_post
from editor.core.post import parse_post
from editor.core.post_images import (
    is_local,
    local_image_sources,
    missing_local_images,
    resolve_image,
    rewrite_files,
)
from editor.core.render import render_post
from editor.publish.images import local_images_warning


def rendered(body: str) -> str:
    return render_post(parse_post(f"---\ntitle: T\n---\n\n{body}"))


def test_images_are_found_as_the_blog_sees_them() -> None:
    html = rendered(
        "![a](pics/a.png)\n\n"
        '![b](<pics/b b.png> "title")\n\n'
        "![c][ref]\n\n![d]\n\n"
        "[ref]: ../c.jpg\n[d]: file:///home/me/d.gif\n\n"
        '<img alt="x" src="/abs/e.webp">\n\n'
        "![web](https://example.org/w.png) ![data](data:image/png;base64,AAA=)"
        " ![proto](//cdn.example.org/p.png) ![again](pics/a.png)\n\n"
        "```\n![x](in-fence.png)\n```\n\nInline `![y](in-span.png)` code.\n"
    )
    assert local_image_sources(html) == [
        "pics/a.png",
        "pics/b b.png",
        "../c.jpg",
        "file:///home/me/d.gif",
        "/abs/e.webp",
    ]


def test_what_is_local() -> None:
    for local in ("a.png", "./a b.png", "/abs/a.png", "file:///x.png", "C:\\pics\\a.png"):
        assert is_local(local), local
    for web in ("https://x/a.png", "HTTP://x", "data:image/png;base64,A", "//cdn/x.png",
                "#fn1", "mailto:a@b.c", "ftp://x/a.png", "", "  "):  # fmt: skip
        assert not is_local(web), web


def test_one_rule_resolves_paths(tmp_path: Path) -> None:
    (tmp_path / "my pics").mkdir()
    spaced = tmp_path / "my pics" / "a.png"
    spaced.write_bytes(b"x")
    literal = tmp_path / "100%25.png"  # a file whose name really has "%25"
    literal.write_bytes(b"x")
    assert resolve_image("my pics/a.png", tmp_path) == spaced
    assert resolve_image("my%20pics/a.png", tmp_path) == spaced
    assert resolve_image("100%25.png", tmp_path) == literal  # as written, since that is a file
    assert resolve_image("my%20pics/a.png?v=2#top", tmp_path) == spaced
    assert resolve_image(f"file://{str(spaced).replace(' ', '%20')}", tmp_path) == spaced
    assert resolve_image(str(spaced), Path("/elsewhere")) == spaced
    assert resolve_image("gone%20b.png", tmp_path) == tmp_path / "gone b.png"  # decoded
    assert resolve_image("https://x/a.png", tmp_path) is None
    assert resolve_image("#fn1", tmp_path) is None
    assert missing_local_images(
        '<img src="my%20pics/a.png"><img src="gone.png"><img src="gone.png">', tmp_path
    ) == ["gone.png"]


def test_rewrite_files_matches_every_spelling_and_nothing_else(tmp_path: Path) -> None:
    pic = tmp_path / "a.png"
    pic.write_bytes(b"x")
    html = (
        '<p><a href="./a.png"><img alt="A &amp; B" src="a.png" width="300"></a>'
        '<a href="#a.png">in page</a> <img src="https://x.org/a.png"></p>\n'
        '<pre><code>&lt;img src="a.png"&gt;</code></pre>'
    )
    out = rewrite_files(html, tmp_path, {pic.resolve(): "https://img/k.png?x=1&y=2"})
    assert out == html.replace('"./a.png"', '"https://img/k.png?x=1&amp;y=2"').replace(
        'src="a.png" width', 'src="https://img/k.png?x=1&amp;y=2" width'
    )


def test_checklist_and_publishing_agree_on_a_percent_encoded_image(tmp_path: Path) -> None:
    """The checklist used to take "my%20pics" literally while publishing decoded it."""
    (tmp_path / "my pics").mkdir()
    (tmp_path / "my pics" / "a.png").write_bytes(b"x")
    post = parse_post("---\ntitle: Pictures\n---\n\n![A dot](my%20pics/a.png)\n")
    codes = {item.code for item in check_post(post, tmp_path / "d.md", can_host_local_images=True)}
    assert "missing-image" not in codes
    assert resolve_image(local_image_sources(render_post(post))[0], tmp_path) is not None


def test_warning_names_every_image_once() -> None:
    assert local_images_warning([]) == ""
    text = local_images_warning([f"{i}.png" for i in range(12)])
    assert "0.png" in text and "and 2 more" in text and "\n" not in text
