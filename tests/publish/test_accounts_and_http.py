"""Accounts config and small HTTP helpers."""

from __future__ import annotations

import email.utils
import time

import pytest
import requests
import urllib3

from editor.core.paths import app_paths
from editor.publish.accounts import Account, AccountsConfig, Blog, load_accounts, save_accounts
from editor.publish.base import RemotePost
from editor.publish.errors import ConfigError
from editor.publish.http import await_landing, network_error, retry_after_seconds


def blogs(account: str, *ids: str) -> list[Blog]:
    return [Blog(f"blogger:{i}", f"Blog {i}", f"https://b{i}.example/", account) for i in ids]


def test_accounts_round_trip_and_blog_lookup() -> None:
    config = AccountsConfig(google_client_id="cid")
    config.add_account(Account("google:1", "blogger", "One"), blogs("google:1", "11", "12"))
    config.add_account(Account("google:2", "blogger", "Two"), blogs("google:2", "21"))
    save_accounts(config)
    loaded = load_accounts()
    assert loaded == config and loaded.default_blog == "blogger:11"
    assert loaded.find_blog(None).key == "blogger:11"
    assert loaded.find_blog("21").key == "blogger:21"
    assert loaded.find_blog("blog 12").key == "blogger:12"
    assert loaded.find_blog("https://b12.example").key == "blogger:12"
    with pytest.raises(ConfigError, match="broadsheet blogs"):
        loaded.find_blog("nope")
    loaded.add_account(Account("google:1", "blogger", "One"), blogs("google:1", "12"))
    assert "blogger:11" not in loaded.blogs and loaded.default_blog == "blogger:12"
    loaded.remove_account("google:1")
    assert list(loaded.blogs) == ["blogger:21"] and loaded.default_blog == "blogger:21"


def test_broken_accounts_file_is_a_clear_error() -> None:
    path = app_paths().config_dir / "accounts.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="fix or delete"):
        load_accounts()


def test_no_blog_yet_says_how_to_sign_in() -> None:
    with pytest.raises(ConfigError, match="broadsheet login blogger"):
        AccountsConfig().find_blog(None)


def test_retry_after_seconds_and_http_date() -> None:
    response = requests.Response()
    assert retry_after_seconds(response) is None
    response.headers["Retry-After"] = "7"
    assert retry_after_seconds(response) == 7.0
    response.headers["Retry-After"] = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= (retry_after_seconds(response) or 0) <= 31
    response.headers["Retry-After"] = "soon"
    assert retry_after_seconds(response) is None


@pytest.mark.parametrize(
    ("exc", "said", "timed_out", "uncertain"),
    [
        (
            requests.ReadTimeout("read timed out"),
            "Blogger did not answer in time (timed out)",
            True,
            True,
        ),
        # requests wraps a timeout while reading the body in a ConnectionError
        (
            requests.ConnectionError(urllib3.exceptions.ReadTimeoutError(None, "/", "timed out")),
            "Blogger did not answer in time (timed out)",
            True,
            True,
        ),
        (
            requests.ConnectionError(ConnectionResetError(104, "reset by peer")),
            "The connection to Blogger was lost",
            False,
            True,
        ),
        (
            requests.ConnectionError(urllib3.exceptions.NewConnectionError(None, "refused")),
            "Could not reach Blogger",
            False,
            False,
        ),
    ],
)
def test_network_errors_tell_a_timeout_from_a_lost_connection(
    exc: requests.RequestException, said: str, timed_out: bool, uncertain: bool
) -> None:
    error = network_error(exc, "POST", "Blogger")
    assert error.message.startswith(f"{said};") and error.reason == said
    assert error.timed_out is timed_out and error.uncertain is uncertain
    assert not network_error(exc, "GET", "Blogger").uncertain  # a read creates nothing


class Clock:
    """A clock that moves only when waited on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def post(post_id: str) -> RemotePost:
    return RemotePost(post_id, "t", "c", [], "LIVE", "", "")


def test_await_landing_keeps_looking_until_the_post_appears() -> None:
    clock = Clock()
    answers = iter([None, None, post("9")])
    said: list[float] = []
    found = await_landing(
        lambda: next(answers),
        deadline=clock.now + 60,
        clock=clock,
        wait=clock.wait,
        waiting=said.append,
        every=5,
    )
    assert found == post("9") and clock.waits == [5, 5] and said == [60, 55]


def test_await_landing_believes_not_found_only_after_the_deadline() -> None:
    clock = Clock()
    looks: list[float] = []

    def find() -> None:
        looks.append(clock.now)

    found = await_landing(
        find,
        deadline=clock.now + 12,
        clock=clock,
        wait=clock.wait,
        waiting=lambda _s: None,
        every=5,
    )
    assert found is None
    assert clock.waits == [5, 5, 2] and looks == [1000, 1005, 1010, 1012]  # one last look
    looks.clear()
    assert (
        await_landing(find, deadline=0.0, clock=clock, wait=clock.wait, waiting=lambda _s: None)
        is None
    )
    assert len(looks) == 1  # long ago: one look, no wait
