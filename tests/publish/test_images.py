"""Finding local images in a Markdown body."""

from __future__ import annotations

from editor.publish.images import image_sources, local_images, local_images_warning


def test_inline_reference_and_html_images() -> None:
    body = (
        "![a](pics/a.png)\n"
        '![b](<pics/b b.png> "title")\n'
        "![c][ref]\n![d]\n\n"
        "[ref]: ../c.jpg\n[d]: file:///home/me/d.gif\n"
        '<img alt="x" src="/abs/e.webp">\n'
        "![web](https://example.org/w.png) ![data](data:image/png;base64,AAA=)"
        " ![proto](//cdn.example.org/p.png)\n"
    )
    assert local_images(body) == [
        "pics/a.png",
        "pics/b b.png",
        "../c.jpg",
        "file:///home/me/d.gif",
        "/abs/e.webp",
    ]


def test_images_in_code_are_ignored() -> None:
    body = "```\n![x](in-fence.png)\n```\n\nInline `![y](in-span.png)` code.\n"
    assert image_sources(body) == []


def test_warning_names_every_image_once() -> None:
    assert local_images("![a](x.png) ![b](x.png)") == ["x.png"]
    assert local_images_warning([]) == ""
    text = local_images_warning([f"{i}.png" for i in range(12)])
    assert "0.png" in text and "and 2 more" in text and "\n" not in text
