"""Google sign-in end to end against the loopback authorize/token server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from editor.publish import credentials
from editor.publish.errors import AuthError, ConfigError, SignedOutError
from editor.publish.google_auth import SCOPE
from editor.publish.service import PublishService

from .blogger_server import BloggerServer
from .conftest import CLIENT_ID, TEST_TIMEOUT, BrowserStub


def test_sign_in_remembers_account_blogs_and_refresh_token(
    service: PublishService, server: BloggerServer, browser: BrowserStub
) -> None:
    result = service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=10)
    browser.join()
    assert browser.errors == []
    assert result.account.key == "google:1001"
    assert result.account.label == "Test Writer"
    assert [b.key for b in result.blogs] == ["blogger:7001", "blogger:7002"]
    config = service.accounts()
    assert config.default_blog == "blogger:7001"
    assert config.google_client_id == CLIENT_ID
    stored = credentials.load_secret(credentials.REFRESH_TOKEN, "google:1001")
    assert stored and stored.startswith("ref-")


def test_authorization_request_uses_pkce_state_offline_and_consent(
    service: PublishService, browser: BrowserStub
) -> None:
    service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=10)
    browser.join()
    url = urlsplit(browser.urls[0])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["access_type"] == "offline"
    assert query["prompt"] == "consent"
    assert query["scope"] == SCOPE
    assert query["state"]
    assert query["redirect_uri"].startswith("http://127.0.0.1:")


def test_state_mismatch_is_refused(
    service: PublishService, server: BloggerServer, browser: BrowserStub
) -> None:
    server.fault("oauth.authorize", "wrong_state")
    with pytest.raises(AuthError, match="state mismatch"):
        service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=10)
    assert service.accounts().accounts == {}
    assert server.count("blogger.users.get") == 0


def test_denied_access_is_one_clear_error(
    service: PublishService, server: BloggerServer, browser: BrowserStub
) -> None:
    server.fault("oauth.authorize", "deny")
    with pytest.raises(AuthError) as info:
        service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=10)
    assert "not granted" in info.value.message


def test_sign_in_without_a_client_asks_for_one(server: BloggerServer) -> None:
    with pytest.raises(ConfigError, match="broadsheet login blogger"):
        PublishService().sign_in_blogger(open_browser=False)


def test_wrong_client_secret_is_reported(
    server: BloggerServer, browser: BrowserStub, service: PublishService
) -> None:
    service.set_google_client(CLIENT_ID, "GOCSPX-wrong-secret")
    with pytest.raises(AuthError, match="client id or secret"):
        service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=10)


def test_pkce_verifier_is_checked_by_the_token_endpoint(server: BloggerServer) -> None:
    import requests

    session = requests.Session()
    redirect = "http://127.0.0.1:9/"
    answer = session.get(
        server.auth_url,
        params={
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": redirect,
            "scope": SCOPE,
            "state": "s1",
            "code_challenge": "x" * 43,
            "code_challenge_method": "S256",
            "access_type": "offline",
            "prompt": "consent",
        },
        allow_redirects=False,
        timeout=5,
    )
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    token = session.post(
        server.token_url,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect,
            "client_id": CLIENT_ID,
            "client_secret": "GOCSPX-test-client-secret-0123",
            "code_verifier": "not-the-verifier-" + "a" * 30,
        },
        timeout=5,
    )
    assert token.status_code == 400
    assert token.json()["error"] == "invalid_grant"


def test_expired_access_token_is_refreshed_transparently(
    signed_in: PublishService, server: BloggerServer
) -> None:
    server.expire_access_tokens()
    blogs = signed_in.refresh_blogs()
    assert len(blogs) == 2


def test_revoked_refresh_token_asks_to_sign_in_again(
    signed_in: PublishService, server: BloggerServer
) -> None:
    server.expire_access_tokens()
    server.revoke_refresh_tokens()
    with pytest.raises(SignedOutError) as info:
        signed_in.refresh_blogs()
    assert info.value.message == (
        "Your Blogger sign-in has expired or was revoked; sign in again with"
        " `broadsheet login blogger`."
    )
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_invalid_grant_in_a_new_process_is_the_same_clear_error(
    signed_in: PublishService, server: BloggerServer
) -> None:
    server.fault("oauth.token", "invalid_grant")
    fresh = PublishService(timeout=TEST_TIMEOUT)
    with pytest.raises(SignedOutError, match="sign in again"):
        fresh.refresh_blogs()


def test_sign_out_forgets_token_and_blogs(signed_in: PublishService) -> None:
    signed_in.sign_out("google:1001")
    assert credentials.load_secret(credentials.REFRESH_TOKEN, "google:1001") is None
    assert signed_in.accounts().blogs == {}
