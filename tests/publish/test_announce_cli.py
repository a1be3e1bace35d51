"""`broadsheet announce login …` and `broadsheet announce FILE --to …` against the loopback
Mastodon and Bluesky servers."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.cli import main
from editor.core.paths import app_paths
from editor.core.post_records import store_records

from .bluesky_server import BlueskyServer
from .conftest import MemoryKeyring
from .mastodon_server import MastodonServer

LINK = "https://blog.example.com/2026/12/trains-at-night.html"
DRAFT = """---
title: Trains at night
---

The night train to Vienna leaves at 22:10. It is slow, and that is the point.
"""


@pytest.fixture
def servers() -> Iterator[tuple[MastodonServer, BlueskyServer]]:
    with MastodonServer() as mastodon, BlueskyServer() as bluesky:
        yield mastodon, bluesky


def run(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def log_in(servers: tuple[MastodonServer, BlueskyServer], monkeypatch: pytest.MonkeyPatch) -> None:
    mastodon, bluesky = servers
    assert (
        run(["announce", "login", "mastodon", mastodon.url], mastodon.token + "\n", monkeypatch)
        == 0
    )
    argv = ["announce", "login", "bluesky", "@" + bluesky.handle, "--service", bluesky.url]
    assert run(argv, bluesky.password + "\n", monkeypatch) == 0


def published(tmp_path: Path, status: str = "LIVE") -> Path:
    draft = tmp_path / "trains.md"
    draft.write_text(DRAFT, encoding="utf-8")
    store_records(draft, {"blogger:1": {"id": "9", "url": LINK, "status": status}})
    return draft


def test_login_keeps_secrets_in_the_keyring_only(
    servers: tuple[MastodonServer, BlueskyServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    memory_keyring: MemoryKeyring,
) -> None:
    mastodon, bluesky = servers
    log_in(servers, monkeypatch)
    out = capsys.readouterr().out
    assert "Signed in to Mastodon as @writer@127.0.0.1:" in out
    assert f"Signed in to Bluesky as @{bluesky.handle}." in out
    saved = (app_paths().config_dir / "announce.json").read_text(encoding="utf-8")
    assert json.loads(saved)["mastodon"]["instance"] == mastodon.url
    assert json.loads(saved)["bluesky"] == {
        "handle": bluesky.handle,
        "service": bluesky.url,
        "did": bluesky.did,
    }
    assert set(memory_keyring.items.values()) == {mastodon.token, bluesky.password}
    home = app_paths().config_dir.parent
    for path in [p for p in home.rglob("*") if p.is_file()]:
        text = path.read_bytes()
        assert mastodon.token.encode() not in text and bluesky.password.encode() not in text


def test_login_with_a_wrong_secret_saves_nothing(
    servers: tuple[MastodonServer, BlueskyServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    memory_keyring: MemoryKeyring,
) -> None:
    mastodon, _ = servers
    assert run(["announce", "login", "mastodon", mastodon.url], "not-the-token\n", monkeypatch) == 1
    err = capsys.readouterr().err
    assert err.startswith("broadsheet: Mastodon did not accept this access token;")
    assert "not-the-token" not in err
    assert memory_keyring.items == {}
    assert not (app_paths().config_dir / "announce.json").exists()


def test_announce_posts_on_both_networks_with_the_post_link(
    servers: tuple[MastodonServer, BlueskyServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    mastodon, bluesky = servers
    log_in(servers, monkeypatch)
    capsys.readouterr()
    draft = published(tmp_path)
    code = run(["announce", str(draft), "--to", "mastodon,bluesky", "--yes"], "", monkeypatch)
    out = capsys.readouterr().out
    assert code == 0, out
    expected = f"Trains at night\n\nThe night train to Vienna leaves at 22:10.\n\n{LINK}"
    assert mastodon.statuses[0]["text"] == expected
    assert bluesky.records[0]["value"]["text"] == expected
    assert bluesky.records[0]["value"]["embed"]["external"]["uri"] == LINK
    assert f"Mastodon ({len(expected) - len(LINK) + 23} of 500 characters):" in out
    assert f"Bluesky ({len(expected)} of 300 characters):" in out
    assert f"Mastodon: {mastodon.statuses[0]['url']}" in out
    assert "Bluesky: https://bsky.app/profile/" in out
    # --text chooses the excerpt; only the networks named are used.
    code = run(
        ["announce", str(draft), "--to", "bluesky", "--text", "Slow is good.", "--yes"],
        "",
        monkeypatch,
    )
    assert code == 0
    assert bluesky.records[1]["value"]["text"] == f"Trains at night\n\nSlow is good.\n\n{LINK}"
    assert len(mastodon.statuses) == 1


def test_announce_refuses_what_cannot_be_announced(
    servers: tuple[MastodonServer, BlueskyServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    mastodon, bluesky = servers
    draft = published(tmp_path)
    # Not signed in yet.
    assert run(["announce", str(draft), "--to", "mastodon", "--yes"], "", monkeypatch) == 1
    assert "No Mastodon account is set up yet" in capsys.readouterr().err
    log_in(servers, monkeypatch)
    capsys.readouterr()
    # A draft on the blog, not live.
    (tmp_path / "d").mkdir()
    unpublished = published(tmp_path / "d", status="DRAFT")
    assert run(["announce", str(unpublished), "--yes"], "", monkeypatch) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not live on a blog yet; publish it first" in err
    # An unknown network.
    assert run(["announce", str(draft), "--to", "twitter", "--yes"], "", monkeypatch) == 1
    assert "twitter is not a network Broadsheet announces on" in capsys.readouterr().err
    # Without --yes and nobody at a terminal: nothing is sent.
    assert run(["announce", str(draft)], "", monkeypatch) == 1
    assert "Nothing was sent; add --yes" in capsys.readouterr().err
    assert mastodon.statuses == [] and bluesky.records == []


def test_announce_failure_on_one_network_still_posts_the_other(
    servers: tuple[MastodonServer, BlueskyServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    mastodon, bluesky = servers
    log_in(servers, monkeypatch)
    capsys.readouterr()
    mastodon.revoke(mastodon.token)
    code = run(["announce", str(published(tmp_path)), "--yes"], "", monkeypatch)
    captured = capsys.readouterr()
    assert code == 1
    assert "broadsheet: Mastodon no longer accepts your sign-in; sign in again" in captured.err
    assert len(bluesky.records) == 1 and "Bluesky: https://bsky.app/" in captured.out


@pytest.mark.keyring
def test_login_keeps_the_secrets_in_the_real_keyring(
    servers: tuple[MastodonServer, BlueskyServer],
    monkeypatch: pytest.MonkeyPatch,
    real_keyring: object,
) -> None:
    from editor.publish.announce.base import ANNOUNCE_SECRET
    from editor.publish.credentials import delete_secret, load_secret

    mastodon, bluesky = servers
    names = [f"mastodon:{mastodon.url}", f"bluesky:{bluesky.handle}"]
    try:
        log_in(servers, monkeypatch)
        assert load_secret(ANNOUNCE_SECRET, names[0]) == mastodon.token
        assert load_secret(ANNOUNCE_SECRET, names[1]) == bluesky.password
    finally:
        for name in names:
            delete_secret(ANNOUNCE_SECRET, name)
