"""Accounts config and small HTTP helpers."""

from __future__ import annotations

import email.utils
import time

import pytest
import requests

from editor.core.paths import app_paths
from editor.publish.accounts import Account, AccountsConfig, Blog, load_accounts, save_accounts
from editor.publish.errors import ConfigError
from editor.publish.http import retry_after_seconds


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
