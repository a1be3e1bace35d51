"""Connecting a Micropub site through its registered sign-in form: from the command line with
a pasted token, in the browser (IndieAuth), and what is kept where (the token in the keyring
only)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import keyring.backend
import pytest
import requests

from editor import cli
from editor.publish import credentials, micropub
from editor.publish.accounts import config_path, load_accounts
from editor.publish.errors import ConfigError, SignedOutError
from editor.publish.indieauth import IndieAuthToken
from editor.publish.providers import SignInForm, provider
from editor.publish.service import PublishService

from .conftest import TEST_TIMEOUT, BrowserStub, MemoryKeyring, Sleeps
from .micropub_server import MicropubServer


@pytest.fixture
def site() -> Iterator[MicropubServer]:
    fake = MicropubServer().start()
    yield fake
    fake.stop()
    assert fake.violations == [], "requests outside the Micropub contract"


@pytest.fixture
def service(sleeps: Sleeps) -> Iterator[PublishService]:
    with requests.Session() as session:
        yield PublishService(session=session, timeout=TEST_TIMEOUT, sleep=sleeps)


def form() -> SignInForm:
    found = provider("micropub").sign_in_form
    assert found is not None
    return found


def test_the_form_asks_for_the_site_and_an_optional_token() -> None:
    fields = {f.name: f for f in form().fields}
    assert list(fields) == ["site", "token"]
    assert fields["token"].secret and not fields["token"].required
    assert form().missing({"site": "https://example.com", "token": ""}) is None


def test_login_from_the_command_line_keeps_the_token_in_the_keyring_only(
    site: MicropubServer,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = site.issue_token()
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{token}\n"))
    assert cli.main(["login", "micropub", site.site]) == 0
    assert "Signed in to Micropub as Test Site" in capsys.readouterr().out
    config = load_accounts()
    blog = config.blogs[micropub.blog_key(site.site)]
    assert (blog.name, blog.url, blog.provider) == ("Test Site", site.site, "micropub")
    assert token not in config_path().read_text(encoding="utf-8")
    assert list(memory_keyring.items.values()) == [token]
    assert PublishService().secret(blog) == token
    # The site is a blog the service can publish to, and signing out forgets the token.
    assert PublishService(timeout=TEST_TIMEOUT).refresh_blogs()[0].name == "Test Site"
    PublishService().sign_out(blog.account)
    assert memory_keyring.items == {}
    with pytest.raises(SignedOutError, match=f"broadsheet login micropub {site.site}"):
        PublishService().client_for(blog)


def test_a_wrong_token_is_refused_and_nothing_is_kept(
    site: MicropubServer, service: PublishService, memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(SignedOutError, match="did not accept"):
        form().run(service, {"site": site.site, "token": "not-a-token"}, lambda _m: None)
    assert memory_keyring.items == {} and load_accounts().blogs == {}


def test_an_empty_token_signs_in_in_the_browser(
    site: MicropubServer,
    service: PublishService,
    browser: BrowserStub,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("editor.publish.indieauth.webbrowser.open", lambda url, **_: browser(url))
    said: list[str] = []
    result = form().run(service, {"site": site.site, "token": ""}, said.append)
    browser.join()
    [token] = memory_keyring.items.values()
    assert token in site.tokens.scopes  # the token IndieAuth issued, kept in the keyring
    assert any("in the browser" in s for s in said)
    assert all(token not in s for s in said)
    assert result.blogs[0].key == micropub.blog_key(site.site)


def test_an_expired_indieauth_token_is_renewed_and_kept(
    site: MicropubServer,
    service: PublishService,
    browser: BrowserStub,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    site.refresh_tokens = True
    monkeypatch.setattr("editor.publish.indieauth.webbrowser.open", lambda url, **_: browser(url))
    result = form().run(service, {"site": site.site, "token": ""}, lambda _m: None)
    browser.join()
    [blog] = result.blogs
    first = IndieAuthToken.from_kept(service.secret(blog))
    assert first.refresh_token and first.client_id.startswith("http://127.0.0.1:")
    site.revoke(first.access_token)  # it expired
    draft = tmp_path / "hello.md"
    draft.write_text("---\ntitle: Hello\n---\n\nHi.\n", "utf-8")
    assert service.publish(draft, blog.key).created
    second = IndieAuthToken.from_kept(service.secret(blog))
    assert second.access_token != first.access_token and second.access_token in site.tokens.scopes
    assert second.refresh_token != first.refresh_token  # the rotated one is kept
    assert len(memory_keyring.items) == 1  # one entry, replaced
    # Once the site takes the refresh token back, the writer is asked to connect again.
    site.revoke(second.access_token)
    site.tokens.refresh.clear()
    draft.write_text("---\ntitle: Hello\n---\n\nHi again.\n", "utf-8")
    with pytest.raises(SignedOutError, match="has expired; connect it again") as caught:
        service.publish(draft, blog.key)
    assert second.refresh_token not in caught.value.message


def test_a_site_without_micropub_is_said_before_any_sign_in(
    service: PublishService, browser: BrowserStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = MicropubServer(links="none").start()
    monkeypatch.setattr("editor.publish.indieauth.webbrowser.open", lambda url, **_: browser(url))
    try:
        with pytest.raises(ConfigError, match="does not name a Micropub endpoint"):
            form().run(service, {"site": bare.site, "token": ""}, lambda _m: None)
        assert browser.urls == []
    finally:
        bare.stop()


def test_plain_http_to_another_computer_is_refused_before_sending(
    service: PublishService,
) -> None:
    with pytest.raises(ConfigError, match="plain http"):
        form().run(service, {"site": "http://example.com", "token": "t"}, lambda _m: None)


@pytest.mark.keyring
def test_connect_and_publish_with_the_secret_service(
    real_keyring: keyring.backend.KeyringBackend, site: MicropubServer, tmp_path: Path
) -> None:
    token = site.issue_token()
    result = form().run(
        PublishService(timeout=TEST_TIMEOUT), {"site": site.site, "token": token}, print
    )
    try:
        # A new service (as a new process would) reads the token back from the keyring.
        assert credentials.load_secret(credentials.ACCOUNT_SECRET, result.account.key) == token
        draft = tmp_path / "hello.md"
        draft.write_text("---\ntitle: Hello\nlabels: [a]\n---\n\nHi *there*.\n", "utf-8")
        published = PublishService(timeout=TEST_TIMEOUT).publish(draft, result.blogs[0].key)
        assert published.created and published.url in site.posts
    finally:
        PublishService().sign_out(result.account.key)
    assert credentials.load_secret(credentials.ACCOUNT_SECRET, result.account.key) is None
