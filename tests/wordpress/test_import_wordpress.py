"""Import, re-publish and sync against the real WordPress on loopback (through the CLI)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from editor.cli import main
from editor.core.blog_state import DELETED, BlogStates
from editor.core.html_import import visible_words
from editor.core.paths import app_paths
from editor.core.post import parse_post
from editor.core.post_records import read_post
from editor.publish.wordpress import blog_key

from ..core.html_facts import facts
from .conftest import WordPressSite
from .seed import delete_items, seed_blog

pytestmark = pytest.mark.wordpress


def drafts_by_id(key: str) -> dict[str, Path]:
    found = {}
    for path in app_paths().drafts_dir.glob("*.md"):
        record = read_post(path).publish_record(key) or {}
        kind = record.get("kind") or "post"
        found[f"{kind}:{record.get('id')}"] = path
    return found


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def test_import_republish_and_sync_a_wordpress_blog(
    wordpress_site: WordPressSite,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(wordpress_site.app_password + "\n"))
    assert main(["login", "wordpress", wordpress_site.url, "--user", wordpress_site.user]) == 0
    seeded = seed_blog(wordpress_site)
    key = blog_key(wordpress_site.url)
    capsys.readouterr()
    try:
        assert main(["import"]) == 0, capsys.readouterr().err
        out = capsys.readouterr().out
        assert out.startswith("Imported from Broadsheet Test Blog:")
        found = drafts_by_id(key)
        for name, item in seeded.items():
            kind = "page" if item.collection == "pages" else "post"
            path = found[f"{kind}:{item.id}"]
            post = parse_post(path.read_text(encoding="utf-8"), path.name)
            assert post.meta["title"] == item.data["title"]["raw"], name
            assert sorted(post.labels) == sorted(item.tags), name
            if kind == "post":
                assert post.meta.get("categories") == list(item.categories), name
            lost = visible_words(item.data["content"]["raw"]) - visible_words(post.body)
            assert not lost, (name, lost)
            assert "wp:paragraph" not in post.body, name
        block = parse_post(found[f"post:{seeded['block'].id}"].read_text(encoding="utf-8"))
        assert "<!--more-->" in block.body and block.meta["status"] == "live"
        assert (
            parse_post(found[f"post:{seeded['scheduled'].id}"].read_text(encoding="utf-8")).meta[
                "status"
            ]
            == "scheduled"
        )

        # Re-publishing untouched posts updates them; readers see the same words in order,
        # images, links, captions and jump break.
        posts_before = wordpress_site.total("wp/v2/posts", status="any")
        for name in ("block", "classic", "caption", "tagged"):
            route = f"wp/v2/posts/{seeded[name].id}"
            before = wordpress_site.get(route, context="edit")
            assert main(["publish", str(found[f"post:{seeded[name].id}"])]) == 0, name
            after = wordpress_site.get(route, context="edit")
            old, new = facts(before["content"]["rendered"]), facts(after["content"]["rendered"])
            assert (new.words, new.images, new.links) == (old.words, old.images, old.links), name
            assert new.captions == old.captions, name
            assert ("<!--more-->" in after["content"]["raw"]) == (name == "block"), name
        assert wordpress_site.total("wp/v2/posts", status="any") == posts_before

        # A web edit comes back; an edit on both sides waits for the writer's choice.
        classic = found[f"post:{seeded['classic'].id}"]
        tagged = found[f"post:{seeded['tagged'].id}"]
        tagged.write_text(tagged.read_text(encoding="utf-8") + "\nMine.\n", encoding="utf-8")
        for item, text in (
            (seeded["classic"], "Edited in WordPress."),
            (seeded["tagged"], "Theirs."),
        ):
            response = wordpress_site.rest(
                "POST", f"wp/v2/posts/{item.id}", json={"content": f"<p>{text}</p>"}
            )
            assert response.status_code == 200, response.text
        delete_items(wordpress_site, [seeded["draft"].id])
        assert main(["sync"]) == 0, capsys.readouterr().err
        out = capsys.readouterr().out
        assert "Edited in WordPress." in classic.read_text(encoding="utf-8")
        assert f"Changed on the blog and here: {tagged.name}." in out
        assert "Mine." in tagged.read_text(encoding="utf-8")
        marks = BlogStates(app_paths()).load(key).marks
        assert marks[seeded["draft"].id].state == DELETED
        assert found[f"post:{seeded['draft'].id}"].exists()
        assert main(["sync", "--take-theirs", str(tagged)]) == 0
        assert "Theirs." in tagged.read_text(encoding="utf-8")
    finally:
        for name, item in seeded.items():
            if name != "draft":
                delete_items(wordpress_site, [item.id], item.collection)
