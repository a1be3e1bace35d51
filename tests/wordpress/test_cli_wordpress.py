"""The command line against the real WordPress: login -> blogs -> publish -> edit -> publish."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest

from editor.cli import main
from editor.core.post_records import read_post
from editor.publish.wordpress import blog_key

from .conftest import WordPressSite

pytestmark = pytest.mark.wordpress


def test_login_blogs_publish_edit_publish(
    wordpress_site: WordPressSite,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broadsheet_home: Path,
) -> None:
    # The password comes on stdin (a pipe), never as an argument.
    monkeypatch.setattr("sys.stdin", io.StringIO(wordpress_site.app_password + "\n"))
    assert main(["login", "wordpress", wordpress_site.url, "--user", wordpress_site.user]) == 0
    out = capsys.readouterr().out
    site = wordpress_site.url.removeprefix("http://")
    assert f"{site}\tBroadsheet Test Blog\t{wordpress_site.url}" in out
    assert wordpress_site.app_password not in out
    config = (broadsheet_home / "config" / "accounts.json").read_text()
    assert wordpress_site.app_password not in config and blog_key(wordpress_site.url) in config

    assert main(["blogs"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert f"{site}\tBroadsheet Test Blog\t{wordpress_site.url}\tdefault" in listed

    word = uuid.uuid4().hex
    draft = tmp_path / "cli.md"
    draft.write_text(f"---\ntitle: From the shell\nlabels: [cli]\n---\n\nFirst {word}.\n")
    assert main(["publish", str(draft), "--blog", site]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith(f"{wordpress_site.url}/from-the-shell")  # -2, -3 … on a reused site
    first = read_post(draft).publish_record(blog_key(wordpress_site.url))
    assert first and first["status"] == "LIVE"

    draft.write_text(draft.read_text().replace("First", "Second"))
    assert main(["publish", str(draft), "--blog", site]) == 0
    assert capsys.readouterr().out.strip() == url
    again = read_post(draft).publish_record(blog_key(wordpress_site.url))
    assert again and again["id"] == first["id"]
    [post] = wordpress_site.get("wp/v2/posts", search=word, status="any", context="edit")
    assert str(post["id"]) == first["id"] and f"Second {word}" in post["content"]["raw"]


def test_login_with_a_wrong_password_fails_with_one_sentence(
    wordpress_site: WordPressSite,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("nope nope nope nope nope nope\n"))
    assert main(["login", "wordpress", wordpress_site.url, "--user", "admin"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert "broadsheet: WordPress on 127.0.0.1:" in err[-1]  # after the prompt, on stderr
    assert "did not accept the user name “admin”" in err[-1]
