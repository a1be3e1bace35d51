"""Secrets never travel over plain http, except to this computer: image hosts (WebDAV, S3,
WordPress media), the WordPress and Blogger clients, and the Google sign-in endpoints. Each is
refused when it is set up and again right before sending, and nothing reaches the network."""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests

from editor.cli import main
from editor.publish.blogger import API_URL_ENV, BloggerClient, api_url
from editor.publish.errors import ConfigError
from editor.publish.google_auth import AUTH_URL_ENV, TOKEN_URL_ENV, GoogleClient
from editor.publish.hosts import manage
from editor.publish.hosts.config import HostConfig, load_host_secret, load_hosts
from editor.publish.hosts.errors import ImageHostConfigError
from editor.publish.hosts.transport import HostHttp
from editor.publish.hosts.webdav import WebDavHost
from editor.publish.secure_url import may_carry_secret
from editor.publish.wordpress_api import RestRoot, WordPressApi

PASSWORD = "correct-horse-battery"


class RecordingSession(requests.Session):
    """A session that records what it was asked to send and never touches the network."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append((request.method or "", request.url or ""))
        raise requests.ConnectionError("this test has no network")


class Token:
    """A fixed access token."""

    def token(self) -> str:
        return "ya29.secret-access-token"

    def refresh(self, rejected: str | None = None) -> None:
        pass


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://cloud.example.com/dav", True),
        ("http://127.0.0.1:8080/dav", True),
        ("http://127.3.4.5/", True),
        ("http://localhost:9000/", True),
        ("http://[::1]:8080/", True),
        ("http://cloud.example.com/dav", False),
        ("http://192.168.1.10/dav", False),  # the local network is not this computer
        ("http://nas.local/dav", False),
        ("http://127.0.0.1.example.com/", False),
        ("ftp://cloud.example.com/", False),
        ("cloud.example.com/dav", False),
    ],
)
def test_the_one_rule(url: str, allowed: bool) -> None:
    assert may_carry_secret(url) is allowed


def webdav(url: str) -> HostConfig:
    return HostConfig(
        "nas",
        "webdav",
        "NAS",
        {"url": url, "username": "me", "public_base_url": "https://img.example.invalid/pub"},
    )


def test_webdav_over_plain_http_is_refused_before_anything_is_sent() -> None:
    session = RecordingSession()
    config = webdav("http://example.invalid/remote.php/dav/files/me/Blog")
    with pytest.raises(ImageHostConfigError) as tested:
        manage.test_host(config, PASSWORD, session=session)  # the dialog's Test Connection
    with pytest.raises(ImageHostConfigError) as saved:
        manage.check_host(config, PASSWORD)  # the dialog's Save, `images add-host`
    assert session.sent == [], "no request was even attempted"
    message = tested.value.message
    assert message == saved.value.message
    assert message.startswith(
        "The WebDAV address of NAS (http://example.invalid/remote.php/dav/files/me/Blog) uses"
        " plain http, which would send its password unencrypted; use https://example.invalid/"
    )
    assert PASSWORD not in message


def test_webdav_on_this_computer_may_use_plain_http() -> None:
    manage.check_host(webdav("http://127.0.0.1:8080/dav"), PASSWORD)
    manage.check_host(webdav("http://localhost:8080/dav"), PASSWORD)


@pytest.mark.parametrize(
    ("host_type", "settings", "says"),
    [
        (
            "s3",
            {
                "endpoint": "http://s3.example.invalid",
                "bucket": "pics",
                "access_key_id": "AKIAEXAMPLE",
                "public_base_url": "https://img.example.invalid",
            },
            "requests signed with its secret access key",
        ),
        (
            "wordpress",
            {"site_url": "http://blog.example.invalid", "username": "me"},
            "its application password",
        ),
    ],
)
def test_other_http_hosts_refuse_plain_http_too(
    host_type: str, settings: dict[str, str], says: str
) -> None:
    session = RecordingSession()
    config = HostConfig("h", host_type, "Pics", settings)
    with pytest.raises(ImageHostConfigError, match=f"uses plain http, which would send {says}"):
        manage.test_host(config, PASSWORD, session=session)
    assert session.sent == []


def test_a_request_with_credentials_is_never_sent_over_plain_http() -> None:
    session = RecordingSession()
    http = HostHttp(session, "the WebDAV folder NAS", max_attempts=1)
    with pytest.raises(ImageHostConfigError, match="unencrypted"):
        http.request("PUT", "http://example.invalid/dav/a.png", data=b"x", auth=("me", PASSWORD))
    assert session.sent == []
    # A host whose address was changed after it was set up is refused when it sends.
    host = WebDavHost(
        url="https://example.invalid/dav",
        username="me",
        password=PASSWORD,
        public_base_url="https://img.example.invalid",
        session=session,
    )
    host.url = "http://example.invalid/dav"
    with pytest.raises(ImageHostConfigError):
        host.upload("a.png", b"x", "image/png")
    assert session.sent == []


def test_images_add_host_refuses_plain_http_before_asking_for_the_password(
    memory_keyring: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    argv = ["images", "add-host", "nas", "--type", "webdav", "--label", "NAS"]
    argv += ["--set", "url=http://example.invalid/dav", "--set", "username=me"]
    argv += ["--set", "public_base_url=https://img.example.invalid"]
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert "uses plain http, which would send its password unencrypted" in err
    assert "Nothing was saved." in err and PASSWORD not in err
    assert "Password for NAS" not in err, "refused before the password was asked for"
    assert load_hosts().hosts == {} and load_host_secret("nas") is None


def test_wordpress_never_sends_its_password_over_plain_http() -> None:
    session = RecordingSession()
    root = RestRoot("http://blog.example.invalid", "http://blog.example.invalid/wp-json")
    api = WordPressApi(session, root, "me", PASSWORD, max_attempts=1)
    with pytest.raises(ConfigError, match="would send your application password unencrypted"):
        api.send("GET", "wp/v2/users/me")
    assert api.xmlrpc_check() is None
    assert session.sent == []


def test_blogger_api_override_must_be_https_or_this_computer() -> None:
    with pytest.raises(ConfigError) as caught:
        api_url({API_URL_ENV: "http://blogger.example.invalid/v3"})
    assert caught.value.message.startswith(
        f"{API_URL_ENV} (http://blogger.example.invalid/v3) uses plain http, which would send"
        " your Blogger access token unencrypted"
    )
    assert api_url({API_URL_ENV: "http://127.0.0.1:8080/v3/"}) == "http://127.0.0.1:8080/v3"
    session = RecordingSession()
    with pytest.raises(ConfigError, match="unencrypted"):
        BloggerClient(session, Token(), base_url="http://blogger.example.invalid/v3").list_blogs()
    assert session.sent == []


@pytest.mark.parametrize("variable", [AUTH_URL_ENV, TOKEN_URL_ENV])
def test_google_endpoint_overrides_must_be_https_or_this_computer(variable: str) -> None:
    with pytest.raises(ConfigError) as caught:
        GoogleClient.from_env("id", "client-secret", {variable: "http://example.invalid/o"})
    assert caught.value.message.startswith(f"{variable} (http://example.invalid/o) uses plain")
    assert "client-secret" not in caught.value.message
    loopback = GoogleClient.from_env("id", "s", {variable: "http://127.0.0.1:9/o"})
    assert "http://127.0.0.1:9/o" in (loopback.auth_url, loopback.token_url)
    with pytest.raises(ConfigError):
        GoogleClient("id", "s", token_url="http://example.invalid/token")
