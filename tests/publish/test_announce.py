"""Announcing on the loopback Mastodon and Bluesky servers: the right link, exactly once,
expired tokens renewed, one sentence per failure, and no secret in any message or log."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
import requests

from editor.publish.announce.bluesky import BlueskyClient
from editor.publish.announce.mastodon import MastodonClient
from editor.publish.errors import (
    InvalidRequestError,
    OfflineError,
    PublishError,
    QuotaError,
    ServerError,
    SignedOutError,
)

from .bluesky_server import BlueskyServer
from .mastodon_server import MastodonServer

LINK = "https://blog.example.com/2026/12/trains-at-night.html"
TEXT = f"Trains at night 🚂\n\nÉté: the night train leaves at 22:10.\n\n{LINK}"
TITLE = "Trains at night 🚂"
EXCERPT = "Été: the night train leaves at 22:10."


@pytest.fixture
def mastodon() -> Iterator[MastodonServer]:
    with MastodonServer() as server:
        yield server


@pytest.fixture
def bluesky() -> Iterator[BlueskyServer]:
    with BlueskyServer() as server:
        yield server


def no_sleep(seconds: float) -> None:
    pass


def toot_client(server: MastodonServer, token: str | None = None) -> MastodonClient:
    return MastodonClient(
        requests.Session(), server.url, token or server.token, sleep=no_sleep, timeout=5
    )


def sky_client(server: BlueskyServer, password: str | None = None) -> BlueskyClient:
    return BlueskyClient(
        requests.Session(),
        server.handle,
        password or server.password,
        service=server.url,
        sleep=no_sleep,
        timeout=5,
    )


def one_sentence(error: PublishError) -> str:
    message = error.message
    assert "\n" not in message and "{" not in message, message
    assert message.endswith("."), message
    assert message[0].isupper(), message
    return message


# -- Mastodon ---------------------------------------------------------------------------------


def test_mastodon_posts_the_announcement_with_the_link(mastodon: MastodonServer) -> None:
    client = toot_client(mastodon)
    assert client.verify().startswith("@writer@127.0.0.1:")
    assert client.limit() == 500
    done = client.announce(TEXT, LINK, TITLE, EXCERPT)
    [status] = mastodon.statuses
    assert status["text"] == TEXT and LINK in status["text"]
    assert status["visibility"] == "public"
    assert done.url == status["url"] and done.id == status["id"]
    assert mastodon.violations == []


def test_mastodon_limit_comes_from_the_instance() -> None:
    with MastodonServer(limit=1000) as server:
        assert toot_client(server).limit() == 1000


def test_mastodon_lost_answer_does_not_post_twice(mastodon: MastodonServer) -> None:
    mastodon.fault("create", "lost")
    done = toot_client(mastodon).announce(TEXT, LINK, TITLE, EXCERPT)
    assert len(mastodon.statuses) == 1
    assert done.id == mastodon.statuses[0]["id"]
    # The same announcement sent again (another run) is the same status, not a second one.
    again = toot_client(mastodon).announce(TEXT, LINK, TITLE, EXCERPT)
    assert again.id == done.id and len(mastodon.statuses) == 1
    creates = [r for r in mastodon.requests if r == ("POST", "/api/v1/statuses")]
    assert len(creates) == 3


def test_mastodon_connection_dropped_before_landing_is_retried(mastodon: MastodonServer) -> None:
    mastodon.fault("create", "reset")
    toot_client(mastodon).announce(TEXT, LINK, TITLE, EXCERPT)
    assert len(mastodon.statuses) == 1


def test_mastodon_429_and_500_are_retried_once_posted(mastodon: MastodonServer) -> None:
    mastodon.fault("create", "status", status=429, retry_after="1")
    mastodon.fault("create", "status", status=503)
    toot_client(mastodon).announce(TEXT, LINK, TITLE, EXCERPT)
    assert len(mastodon.statuses) == 1


def test_mastodon_refuses_a_status_over_the_limit() -> None:
    with MastodonServer(limit=60) as server:
        with pytest.raises(InvalidRequestError) as caught:
            toot_client(server).announce("x" * 61, LINK, TITLE, EXCERPT)
        assert server.statuses == []
        assert "character limit of 60 exceeded" in one_sentence(caught.value)
        # The URL counts 23 however long it is: 37 + 23 = 60 fits.
        toot_client(server).announce("y" * 36 + " " + LINK, LINK, TITLE, EXCERPT)
        assert len(server.statuses) == 1


@pytest.mark.parametrize(
    ("setup", "error", "words"),
    [
        ("revoked", SignedOutError, "sign in again"),
        ("read-only", PublishError, "does not let this account post"),
        ("429", QuotaError, "too many requests"),
        ("500", ServerError, "had a problem (500)"),
        ("offline", OfflineError, "Could not reach Mastodon"),
    ],
)
def test_mastodon_failures_are_one_sentence(
    mastodon: MastodonServer, setup: str, error: type[PublishError], words: str
) -> None:
    client = toot_client(mastodon)
    if setup == "revoked":
        mastodon.revoke(mastodon.token)
    elif setup == "read-only":
        mastodon.tokens[mastodon.token] = {"read"}
    elif setup in ("429", "500"):
        mastodon.fault("create", "status", status=int(setup), times=4)
    elif setup == "offline":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        client = MastodonClient(
            requests.Session(), f"http://127.0.0.1:{port}", "t" * 20, sleep=no_sleep
        )
    with pytest.raises(error) as caught:
        client.announce(TEXT, LINK, TITLE, EXCERPT)
    assert words in one_sentence(caught.value)
    assert mastodon.statuses == []


# -- Bluesky ----------------------------------------------------------------------------------


def test_bluesky_posts_a_link_card_with_a_byte_offset_facet(bluesky: BlueskyServer) -> None:
    client = sky_client(bluesky)
    done = client.announce(TEXT, LINK, TITLE, EXCERPT)
    [record] = bluesky.records
    value = record["value"]
    assert value["text"] == TEXT
    [facet] = value["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert TEXT.encode()[start:end].decode() == LINK
    assert start != TEXT.index(LINK)  # bytes, not characters (🚂 and É are multi-byte)
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}]
    assert value["embed"] == {
        "$type": "app.bsky.embed.external",
        "external": {"uri": LINK, "title": TITLE, "description": EXCERPT},
    }
    rkey = record["uri"].rsplit("/", 1)[1]
    assert done.url == f"https://bsky.app/profile/{bluesky.handle}/post/{rkey}"
    assert done.id == record["uri"]
    assert bluesky.violations == []


def test_bluesky_server_refuses_character_offsets(bluesky: BlueskyServer) -> None:
    """The contract server catches the classic mistake: offsets counted in characters."""
    client = sky_client(bluesky)
    client.sign_in()
    record = client.record(TEXT, LINK, TITLE, EXCERPT)
    at = TEXT.index(LINK)
    record["facets"][0]["index"] = {"byteStart": at, "byteEnd": at + len(LINK)}
    with pytest.raises(InvalidRequestError) as caught:
        client._xrpc(
            "POST",
            "com.atproto.repo.createRecord",
            retry=False,
            json={"repo": client.did, "collection": "app.bsky.feed.post", "record": record},
        )
    assert "Record/facets/0/index" in one_sentence(caught.value)
    record["facets"][0]["index"] = {"byteStart": 0, "byteEnd": 1}  # half of 🚂? no: "T"
    record["unknown"] = True
    with pytest.raises(InvalidRequestError, match="unknown fields: unknown"):
        client._xrpc(
            "POST",
            "com.atproto.repo.createRecord",
            retry=False,
            json={"repo": client.did, "collection": "app.bsky.feed.post", "record": record},
        )
    assert bluesky.records == []


def test_bluesky_lost_answer_does_not_post_twice(bluesky: BlueskyServer) -> None:
    bluesky.fault("create", "lost")
    done = sky_client(bluesky).announce(TEXT, LINK, TITLE, EXCERPT)
    assert len(bluesky.records) == 1 and done.id == bluesky.records[0]["uri"]
    creates = [r for r in bluesky.requests if r[1].endswith("createRecord")]
    assert len(creates) == 1  # found by listing, never sent again
    # Announcing again (another run) finds it too.
    again = sky_client(bluesky).announce(TEXT, LINK, TITLE, EXCERPT)
    assert again.id == done.id and len(bluesky.records) == 1


def test_bluesky_connection_lost_before_anything_landed_is_not_resent(
    bluesky: BlueskyServer,
) -> None:
    """Not found after a lost connection proves nothing yet: say so, do not send again;
    announcing again later looks first and posts once."""
    bluesky.fault("create", "reset")
    with pytest.raises(OfflineError) as caught:
        sky_client(bluesky).announce(TEXT, LINK, TITLE, EXCERPT)
    message = one_sentence(caught.value)
    assert "may still appear; announcing again looks for it first" in message
    assert caught.value.uncertain and bluesky.records == []
    creates = [r for r in bluesky.requests if r[1].endswith("createRecord")]
    assert len(creates) == 1
    sky_client(bluesky).announce(TEXT, LINK, TITLE, EXCERPT)
    assert len(bluesky.records) == 1


def test_bluesky_500_that_created_nothing_is_sent_again_once(bluesky: BlueskyServer) -> None:
    bluesky.fault("create", "status", status=500)
    bluesky.fault("create", "status", status=429, retry_after="1")
    sky_client(bluesky).announce(TEXT, LINK, TITLE, EXCERPT)
    assert len(bluesky.records) == 1


def test_bluesky_expired_token_is_refreshed(bluesky: BlueskyServer) -> None:
    client = sky_client(bluesky)
    client.sign_in()
    bluesky.expire_access()
    client.announce(TEXT, LINK, TITLE, EXCERPT)
    assert len(bluesky.records) == 1
    assert (bluesky.sessions, bluesky.refreshes) == (1, 1)
    # Refresh token revoked too: a new session with the app password.
    bluesky.expire_access()
    bluesky.refresh.clear()
    client.announce(TEXT + " again", LINK, TITLE, EXCERPT)
    assert len(bluesky.records) == 2 and bluesky.sessions == 2


def test_bluesky_refuses_more_than_300_graphemes(bluesky: BlueskyServer) -> None:
    text = "é" * 280 + "\n\n" + LINK  # 280 + 2 + 55 graphemes
    with pytest.raises(InvalidRequestError) as caught:
        sky_client(bluesky).announce(text, LINK, TITLE, EXCERPT)
    assert "300 graphemes" in one_sentence(caught.value)
    assert bluesky.records == []
    family = "👨‍👩‍👧‍👦" * 200  # 200 graphemes, 5000 bytes: over Bluesky's 3000 bytes
    with pytest.raises(InvalidRequestError):
        sky_client(bluesky).announce(family + " " + LINK, LINK, TITLE, EXCERPT)


def test_bluesky_wrong_app_password_says_sign_in_again(bluesky: BlueskyServer) -> None:
    with pytest.raises(SignedOutError) as caught:
        sky_client(bluesky, password="wrong-pass-word-0000").announce(TEXT, LINK, TITLE, EXCERPT)
    assert "app password" in one_sentence(caught.value)


def test_bluesky_lasting_500_is_one_sentence(bluesky: BlueskyServer) -> None:
    bluesky.fault("create", "status", status=500, times=10)
    with pytest.raises(ServerError) as caught:
        sky_client(bluesky).announce(TEXT, LINK, TITLE, EXCERPT)
    assert "Bluesky had a problem (500)" in one_sentence(caught.value)
    assert bluesky.records == []


# -- secrets ----------------------------------------------------------------------------------


def test_no_secret_in_messages_or_logs(
    mastodon: MastodonServer, bluesky: BlueskyServer, caplog: pytest.LogCaptureFixture
) -> None:
    from editor.publish.logmask import install_secret_masking

    install_secret_masking()
    caplog.set_level(logging.DEBUG)
    messages = []
    toot, sky = toot_client(mastodon), sky_client(bluesky)
    mastodon.fault("create", "status", status=500, times=1)
    toot.announce(TEXT, LINK, TITLE, EXCERPT)
    bluesky.fault("create", "lost")
    sky.announce(TEXT, LINK, TITLE, EXCERPT)
    bluesky.expire_access()
    sky.announce(TEXT + "!", LINK, TITLE, EXCERPT)
    mastodon.revoke(mastodon.token)
    for failing in (
        lambda: toot.announce(TEXT + "?", LINK, TITLE, EXCERPT),
        lambda: sky_client(bluesky, "wrong-pass-word-0000").sign_in(),
    ):
        with pytest.raises(PublishError) as caught:
            failing()
        messages.append(str(caught.value))
    secrets = [mastodon.token, bluesky.password, sky.access, sky.refresh_token]
    secrets += list(bluesky.access) + list(bluesky.refresh)
    logged = caplog.text
    for secret in secrets:
        assert secret not in logged
        for message in messages:
            assert secret not in message
