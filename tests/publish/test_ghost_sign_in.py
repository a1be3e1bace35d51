"""Ghost from the writer's side: `broadsheet login ghost SITE` with the Admin API key at a
hidden prompt (or piped), the key in the keyring only, `blogs`, and publishing a draft whose
post was edited in Ghost meanwhile (Ghost's own updated_at check)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
import requests

from editor import cli
from editor.core.paths import app_paths
from editor.core.post_records import read_post
from editor.publish import credentials, providers
from editor.publish.accounts import config_path, load_accounts
from editor.publish.base import LIVE, PostContent, PublishMode
from editor.publish.blog_import import mirror_for
from editor.publish.errors import ConflictError, SignedOutError
from editor.publish.ghost import GhostClient, blog_key
from editor.publish.service import PublishService

from .conftest import MemoryKeyring, Sleeps
from .ghost_server import GhostServer


@pytest.fixture
def ghost() -> Iterator[GhostServer]:
    server = GhostServer("Field Notes").start()
    yield server
    server.stop()
    assert server.violations == [], "requests outside the documented Admin API"


def login(ghost: GhostServer, key: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{key}\n"))
    return cli.main(["login", "ghost", f"{ghost.site_url}/ghost/#/dashboard"])


def test_the_form_asks_for_the_address_and_the_key() -> None:
    _name, form = providers.sign_in_forms()["ghost"]
    assert [(f.name, f.label, f.secret) for f in form.fields] == [
        ("site", "Site address", False),
        ("key", "Admin API key", True),
    ]
    assert form.missing({"site": "x"}) == "Fill in the admin api key."


def test_login_keeps_the_key_in_the_keyring_only(
    ghost: GhostServer,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = ghost.add_key()
    assert login(ghost, key, monkeypatch) == 0
    assert "Signed in to Ghost as Field Notes; blogs:" in capsys.readouterr().out
    config = load_accounts()
    blog = config.blogs[blog_key(ghost.site_url)]
    assert (blog.name, blog.url) == ("Field Notes", ghost.site_url)  # /ghost/#/… dropped
    assert key not in config_path().read_text(encoding="utf-8")
    assert key.split(":")[1] not in config_path().read_text(encoding="utf-8")
    assert list(memory_keyring.items.values()) == [key]
    assert isinstance(PublishService().client_for(blog), GhostClient)
    # `broadsheet blogs` asks Ghost again: a renamed site is seen.
    ghost.title = "Field Notes, renamed"
    assert [b.name for b in PublishService().refresh_blogs()] == ["Field Notes, renamed"]


def test_a_wrong_key_keeps_nothing(
    ghost: GhostServer,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ghost.add_key()
    stranger = GhostServer().add_key()
    assert login(ghost, stranger, monkeypatch) == 1
    err = capsys.readouterr().err
    assert "Ghost refused the Admin API key" in err and err.count("\n") == 1
    assert stranger.split(":")[1] not in err
    assert not memory_keyring.items


def test_a_content_api_key_is_told_apart(
    ghost: GhostServer,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert login(ghost, "22444f78447824223cefc48062", monkeypatch) == 1  # a Content API key
    assert "not its Content API key" in capsys.readouterr().err
    assert ghost.requests == [] and not memory_keyring.items  # nothing was sent


def test_signed_out_after_the_key_is_forgotten(
    ghost: GhostServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert login(ghost, ghost.add_key(), monkeypatch) == 0
    blog = load_accounts().blogs[blog_key(ghost.site_url)]
    PublishService().sign_out(blog.account)
    with pytest.raises(SignedOutError, match="broadsheet login ghost"):
        PublishService().client_for(blog)


def test_an_edit_between_the_check_and_the_update_is_a_conflict(
    ghost: GhostServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Ghost's own check: the post changes after Broadsheet read it and before its PUT."""
    assert login(ghost, ghost.add_key(), monkeypatch) == 0
    path = tmp_path / "walk.md"
    path.write_text("---\ntitle: A walk\nlabels: [outside]\n---\n\nFirst.\n", encoding="utf-8")
    service = PublishService(session=requests.Session(), timeout=(2.0, 1.5), sleep=Sleeps())
    first = service.publish(path, mode=PublishMode.DRAFT)
    path.write_text(path.read_text(encoding="utf-8").replace("First.", "Second."), "utf-8")
    real_get = GhostClient.get_item

    def get_then_edited(self: GhostClient, blog_id: str, item_id: str, kind: str = "post"):  # type: ignore[no-untyped-def]
        seen = real_get(self, blog_id, item_id, kind)
        if ghost.posts[item_id]["title"] == "A walk":
            ghost.web_edit(item_id, title="A walk, edited in Ghost")  # right after our read
        return seen

    monkeypatch.setattr(GhostClient, "get_item", get_then_edited)
    with pytest.raises(ConflictError) as caught:
        service.publish(path)
    assert caught.value.theirs.title == "A walk, edited in Ghost"
    assert ghost.posts[first.post_id]["title"] == "A walk, edited in Ghost"
    assert "First." in ghost.posts[first.post_id]["html"]  # nothing of ours overwrote it
    monkeypatch.undo()
    # The writer chooses to overwrite: Broadsheet reads updated_at again and replaces it.
    result = service.publish(path, overwrite=True)
    assert result.post_id == first.post_id and result.status == LIVE
    assert ghost.posts[first.post_id]["title"] == "A walk"
    assert "Second." in ghost.posts[first.post_id]["html"]


@pytest.mark.keyring
def test_the_key_goes_to_the_secret_service(
    real_keyring: keyring.backend.KeyringBackend,
    ghost: GhostServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = ghost.add_key()
    account = f"ghost:{ghost.site_url.split('://')[1]}"
    try:
        assert login(ghost, key, monkeypatch) == 0
        entry = f"{credentials.ACCOUNT_SECRET}:{account}"
        assert keyring.get_password(credentials.SERVICE, entry) == key
        blog = load_accounts().blogs[blog_key(ghost.site_url)]
        PublishService().client_for(blog).list_blogs()  # a new service reads it back
    finally:
        PublishService().sign_out(account)


def test_import_then_sync_an_edit_made_in_ghost(
    ghost: GhostServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert login(ghost, ghost.add_key(), monkeypatch) == 0
    service = PublishService(session=requests.Session(), timeout=(2.0, 1.5), sleep=Sleeps())
    blog = load_accounts().blogs[blog_key(ghost.site_url)]
    client = service.client_for(blog)
    live = client.insert_post(
        blog.remote_id, PostContent("Spring", "<p>Buds.</p>", ["garden"]), draft=False,
        marker="1" * 32,
    )  # fmt: skip
    client.insert_post(
        blog.remote_id, PostContent("Unfinished", "<p>Later.</p>", []), draft=True,
        marker="2" * 32,
    )  # fmt: skip
    about = ghost.add_page("About", "<p>Who writes here.</p>")
    report = mirror_for(service, blog.key).import_all()
    assert report.error == "" and (report.posts, report.pages) == (2, 1)
    assert (report.live, report.drafts) == (2, 1)
    [page] = [p for p in app_paths().drafts_dir.glob("*.md") if "About" in p.read_text()]
    assert (
        read_post(page).records[blog.key] | {"id": about["id"], "kind": "page"}
        == (read_post(page).records[blog.key])
    )
    [spring] = [p for p in app_paths().drafts_dir.glob("*.md") if "Spring" in p.read_text()]
    assert spring.name == "spring.md"
    post = read_post(spring)
    assert post.meta["labels"] == ["garden"] and "Buds." in post.body
    assert post.records[blog.key]["id"] == live.id
    ghost.web_edit(live.id, html="<p>Buds and blossom.</p>")
    report = mirror_for(service, blog.key).sync()
    assert report.error == "" and "Buds and blossom." in read_post(spring).body
    # Publishing the imported draft updates the same post, with no conflict.
    spring.write_text(spring.read_text().replace("Buds and blossom.", "Full bloom."), "utf-8")
    result = service.publish(spring, blog.key)
    assert result.post_id == live.id and "Full bloom." in ghost.posts[live.id]["html"]
    assert len(ghost.posts) == 2
    # And the imported page's draft updates the page.
    page.write_text(page.read_text().replace("Who writes here.", "Who writes here now."), "utf-8")
    assert service.publish(page, blog.key).post_id == about["id"]
    assert ghost.pages[about["id"]]["html"] == "<p>Who writes here now.</p>"
    assert len(ghost.pages) == 1 and len(ghost.posts) == 2


def test_login_keeps_the_address_the_site_moved_to(
    ghost: GhostServer, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    moved = GhostServer().start()  # the address typed: it redirects every request
    moved.redirect_to = ghost.site_url
    try:
        key = ghost.add_key()
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{key}\n"))
        assert cli.main(["login", "ghost", moved.site_url]) == 0
    finally:
        moved.stop()
    [blog] = load_accounts().blogs.values()
    assert blog.url == ghost.site_url and moved.requests == []  # no key went to the old one
    PublishService().client_for(blog).check_sign_in()


def test_an_address_that_is_not_ghost_is_said_so(
    ghost: GhostServer,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{ghost.add_key()}\n"))
    assert cli.main(["login", "ghost", f"{ghost.site_url}/blog"]) == 1
    assert "does not answer like a Ghost site" in capsys.readouterr().err
    assert not memory_keyring.items


def test_captions_go_to_ghost_as_figures(
    ghost: GhostServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert login(ghost, ghost.add_key(), monkeypatch) == 0
    path = tmp_path / "dog.md"
    body = "![Dog](https://example.org/d.jpg)\n\n*A good dog*\n"
    path.write_text(f"---\ntitle: Dog\n---\n\n{body}", encoding="utf-8")
    service = PublishService(session=requests.Session(), timeout=(2.0, 1.5), sleep=Sleeps())
    result = service.publish(path)
    html = ghost.posts[result.post_id]["html"]
    assert "<figure" in html and "<figcaption>A good dog</figcaption>" in html
    assert "tr-caption" not in html
