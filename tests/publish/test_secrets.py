"""Secrets: masked in logs, only in the keyring, never in settings; the real Secret Service."""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

import keyring
import pytest

from editor.publish import credentials
from editor.publish.errors import CredentialStoreError
from editor.publish.logmask import (
    SecretMaskingFilter,
    SecretMaskingFormatter,
    install_secret_masking,
    mask,
    register_secret,
)
from editor.publish.service import PublishService

from .blogger_server import BloggerServer
from .conftest import CLIENT_ID, CLIENT_SECRET, TEST_TIMEOUT, BrowserStub


def test_mask_hides_registered_values_and_token_shapes() -> None:
    register_secret("s3cr3t-value-xyz")
    text = mask(
        "x s3cr3t-value-xyz Authorization: Bearer abc.def "
        '{"refresh_token": "1//0gabcdefghijk", "client_secret": "GOCSPX-abc"}'
        " access_token=ya29.a0AfH6 code=4/0Adeu status_code=200"
    )
    for leaked in ("s3cr3t", "abc.def", "1//0g", "GOCSPX", "ya29", "4/0Adeu"):
        assert leaked not in text
    assert "status_code=200" in text


def test_filter_and_formatter_mask_records() -> None:
    register_secret("another-secret-123")
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "got %s", ("another-secret-123",), None
    )
    assert SecretMaskingFilter().filter(record)
    assert record.getMessage() == "got ***"
    record2 = logging.LogRecord("x", logging.INFO, __file__, 1, "Bearer %s", ("tok",), None)
    assert "tok" not in SecretMaskingFormatter("%(message)s").format(record2)


def test_installed_masking_covers_every_logger(caplog: pytest.LogCaptureFixture) -> None:
    install_secret_masking()
    install_secret_masking()  # idempotent
    register_secret("third-secret-456")
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("some.library").debug("token is %s", "third-secret-456")
    assert "third-secret-456" not in caplog.text and "***" in caplog.text


def test_settings_hold_no_secret_and_keyring_holds_them(
    signed_in: PublishService, server: BloggerServer, broadsheet_home: Path, memory_keyring
) -> None:
    settings = json.loads((broadsheet_home / "config" / "accounts.json").read_text())
    assert settings["google_client_id"] == CLIENT_ID
    assert CLIENT_SECRET not in json.dumps(settings)
    stored = set(memory_keyring.items.values())
    assert CLIENT_SECRET in stored
    assert any(v.startswith("ref-") for v in stored)
    assert not any(v.startswith("acc-") for v in stored)  # access tokens stay in memory


def test_no_keyring_is_a_clear_error_and_nothing_is_written(
    server: BloggerServer, broadsheet_home: Path
) -> None:
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    with pytest.raises(CredentialStoreError, match="No system keyring"):
        PublishService().set_google_client(CLIENT_ID, CLIENT_SECRET)
    assert not (broadsheet_home / "config" / "accounts.json").exists()


@pytest.mark.keyring
def test_secret_service_round_trip(real_keyring: keyring.backend.KeyringBackend) -> None:
    name = f"test:{uuid.uuid4().hex}"
    value = "ref-" + uuid.uuid4().hex + "-üñí"
    credentials.store_secret(credentials.REFRESH_TOKEN, name, value)
    try:
        assert credentials.load_secret(credentials.REFRESH_TOKEN, name) == value
        assert keyring.get_password(credentials.SERVICE, f"refresh-token:{name}") == value
    finally:
        credentials.delete_secret(credentials.REFRESH_TOKEN, name)
    assert credentials.load_secret(credentials.REFRESH_TOKEN, name) is None
    credentials.delete_secret(credentials.REFRESH_TOKEN, name)  # deleting twice is fine


@pytest.mark.keyring
def test_sign_in_and_publish_with_the_secret_service(
    real_keyring: keyring.backend.KeyringBackend,
    service: PublishService,
    server: BloggerServer,
    browser: BrowserStub,
    draft: Path,
) -> None:
    result = service.sign_in_blogger(open_browser=False, on_url=browser, timeout_seconds=10)
    browser.join()
    try:
        # A new service (as a new process would) reads everything back from the keyring.
        fresh = PublishService(timeout=TEST_TIMEOUT)
        published = fresh.publish(draft)
        assert published.url and len(server.blogger.posts["7001"]) == 1
    finally:
        service.sign_out(result.account.key)
        credentials.delete_secret(credentials.CLIENT_SECRET, CLIENT_ID)
    assert credentials.load_secret(credentials.REFRESH_TOKEN, result.account.key) is None
