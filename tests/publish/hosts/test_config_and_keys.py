"""Host settings (JSON, no secrets), secrets in the keyring, keys, and the HTML rewrite."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date
from pathlib import Path

import pytest
import requests

from editor.core.paths import app_paths
from editor.core.post import parse_post
from editor.core.post_images import rewrite_files
from editor.core.render import render_post
from editor.publish.errors import ConfigError
from editor.publish.hosts.base import (
    TINY_PNG,
    ImageHost,
    content_key,
    image_content_type,
    key_prefix,
    sniff_image_type,
)
from editor.publish.hosts.config import (
    HostConfig,
    HostsConfig,
    config_path,
    load_host_secret,
    load_hosts,
    save_hosts,
    store_host_secret,
)
from editor.publish.hosts.errors import (
    ImageHostAuthError,
    ImageHostConfigError,
    MissingImageError,
)
from editor.publish.hosts.registry import fields, open_host
from editor.publish.hosts.s3 import S3Host
from editor.publish.hosts.sftp import SftpHost
from editor.publish.hosts.uploader import LocalImage, prepare_images, upload_images

from ..conftest import MemoryKeyring

S3_SETTINGS = {
    "endpoint": "https://acct.r2.cloudflarestorage.com",
    "region": "auto",
    "bucket": "pics",
    "access_key_id": "AKID",
    "public_base_url": "https://img.example.com/",
    "prefix": "blog/{year}/{month}/",
    "public_read": False,
}


def test_settings_are_saved_without_secrets_and_secrets_go_to_the_keyring(
    memory_keyring: MemoryKeyring,
) -> None:
    config = HostsConfig()
    config.add(HostConfig("r2", "s3", "My R2", dict(S3_SETTINGS)))
    config.add(HostConfig("nas", "sftp", "NAS", {"host": "nas.local", "username": "me"}))
    save_hosts(config)
    store_host_secret("r2", "r2-secret-value")
    text = config_path().read_text()
    assert "r2-secret-value" not in text
    assert json.loads(text)["default_host"] == "r2"
    loaded = load_hosts()
    assert loaded.find().key == "r2" and loaded.find("NAS").type == "sftp"
    assert loaded.hosts["r2"].settings == S3_SETTINGS
    assert load_host_secret("r2") == "r2-secret-value"
    assert memory_keyring.items == {("broadsheet", "image-host:r2"): "r2-secret-value"}
    host = open_host(loaded.hosts["r2"], requests.Session())
    assert isinstance(host, S3Host) and host.host_id == "r2" and host.label == "My R2"
    assert host.public_url("blog/2026/11/a.png") == "https://img.example.com/blog/2026/11/a.png"
    assert set(fields("s3")) >= set(S3_SETTINGS)


def test_each_blog_can_choose_its_host_and_the_others_use_the_default(
    memory_keyring: MemoryKeyring,
) -> None:
    config = HostsConfig()
    config.add(HostConfig("r2", "s3", "My R2", dict(S3_SETTINGS)))
    config.add(HostConfig("nas", "sftp", "NAS", {"host": "nas.local", "username": "me"}))
    config.use_for_blog("blogger:2", "nas")
    with pytest.raises(ConfigError, match="No image host 'gone'"):
        config.use_for_blog("blogger:3", "gone")
    save_hosts(config)
    loaded = load_hosts()
    assert loaded.for_blog("blogger:2").key == "nas"
    assert loaded.for_blog("blogger:1").key == "r2"  # no choice: the default host
    loaded.use_for_blog("blogger:2", None)
    assert loaded.for_blog("blogger:2").key == "r2"
    loaded.use_for_blog("blogger:2", "nas")
    loaded.remove("nas")  # a removed host's blogs fall back to the default
    assert loaded.blog_hosts == {} and loaded.for_blog("blogger:2").key == "r2"


def test_a_secret_in_the_settings_is_refused() -> None:
    config = HostsConfig()
    config.add(HostConfig("dav", "webdav", settings={"url": "https://x", "password": "oops"}))
    with pytest.raises(ConfigError, match="secrets belong in the keyring"):
        save_hosts(config)
    assert not config_path(app_paths()).exists()


def test_missing_settings_and_secrets_are_named() -> None:
    with pytest.raises(ImageHostConfigError, match="has no secret access key"):
        open_host(HostConfig("r2", "s3", "My R2", dict(S3_SETTINGS)), requests.Session())
    settings = {**S3_SETTINGS, "bucket": ""}
    with pytest.raises(ImageHostConfigError, match="My R2 needs a bucket"):
        open_host(HostConfig("r2", "s3", "My R2", settings), requests.Session(), secret="s")
    settings = {**S3_SETTINGS, "public_base_url": "img.example.com"}
    with pytest.raises(ImageHostConfigError, match="must be an http"):
        open_host(HostConfig("r2", "s3", "My R2", settings), requests.Session(), secret="s")
    with pytest.raises(ImageHostConfigError, match="may only use"):
        settings = {**S3_SETTINGS, "prefix": "{user}/"}
        open_host(HostConfig("r2", "s3", "My R2", settings), requests.Session(), secret="s")
    sftp = {"host": "h", "username": "u", "remote_dir": "/srv", "public_base_url": "https://h"}
    with pytest.raises(ImageHostConfigError, match="needs a private key file or a password"):
        open_host(HostConfig("nas", "sftp", "NAS", sftp), requests.Session())
    host = open_host(HostConfig("nas", "sftp", "NAS", sftp), requests.Session(), secret="pw")
    assert isinstance(host, SftpHost) and host.password == "pw"
    with pytest.raises(ConfigError, match="Unknown image host type"):
        HostsConfig().add(HostConfig("x", "ftp"))


def test_keys_are_content_addressed_under_a_dated_prefix() -> None:
    prefix = key_prefix("broadsheet/{year}/{month}/", date(2026, 11, 5))
    assert prefix == "broadsheet/2026/11/"
    assert key_prefix("/flat", date(2026, 1, 1)) == "flat/"
    assert key_prefix("", date(2026, 1, 1)) == ""
    sha = "ab" * 32
    assert content_key(sha, "Holiday.JPEG", "image/jpeg", prefix) == f"{prefix}{sha[:20]}.jpeg"
    assert content_key(sha, "noext", "image/png", prefix) == f"{prefix}{sha[:20]}.png"
    with pytest.raises(ImageHostConfigError):
        key_prefix("../up/", date(2026, 1, 1))


def test_image_types_come_from_the_bytes_first() -> None:
    assert sniff_image_type(TINY_PNG) == "image/png"
    assert sniff_image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff_image_type(b'<?xml version="1.0"?><svg xmlns="x"/>') == "image/svg+xml"
    assert image_content_type("photo.png", b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert image_content_type("notes.txt", b"hello") == "text/plain"


def test_rewrite_keeps_everything_but_the_addresses(tmp_path: Path) -> None:
    pic = tmp_path / "my pics" / "a.png"
    pic.parent.mkdir()
    pic.write_bytes(TINY_PNG)
    html = (
        '<a href="my%20pics/a.png" style="x"><img alt="A &amp; B" src="my%20pics/a.png"'
        ' width="300"></a><img src=\'file://' + str(pic).replace(" ", "%20") + "'>"
        '<img src="https://other.example/a.png"><a href="#fn1">1</a>'
        '<a href="my%20pics/other.png">x</a>'
    )
    out = rewrite_files(html, tmp_path, {pic.resolve(): "https://img.example.com/k.png?x=1&y=2"})
    assert out == (
        '<a href="https://img.example.com/k.png?x=1&amp;y=2" style="x"><img alt="A &amp; B"'
        ' src="https://img.example.com/k.png?x=1&amp;y=2" width="300"></a>'
        '<img src="https://img.example.com/k.png?x=1&amp;y=2">'
        '<img src="https://other.example/a.png"><a href="#fn1">1</a>'
        '<a href="my%20pics/other.png">x</a>'
    )


def test_missing_images_are_all_named_before_anything_is_uploaded(tmp_path: Path) -> None:
    draft = tmp_path / "post.md"
    body = "![a](gone/a.png)\n\n![b](<gone/b c.png>)\n\n![web](https://x.example/p.png)\n"
    draft.write_text(body)

    class Refuse(S3Host):
        def upload(self, key: str, data: bytes, content_type: str) -> str:
            raise AssertionError("nothing may be uploaded")

    host = Refuse(
        endpoint="http://127.0.0.1:1", bucket="b", access_key="a", secret_key="s",
        public_base_url="http://127.0.0.1:1/b", session=requests.Session(),
    )  # fmt: skip
    with pytest.raises(MissingImageError) as caught:
        prepare_images(draft, render_post(parse_post(body)), host)
    assert "gone/a.png, gone/b c.png" in caught.value.message
    assert prepare_images(draft, "<p>no images</p>", host).html == "<p>no images</p>"


class QueuedFuture(Future[str]):
    """A queued task: once cancelled, a free worker takes it off the queue at once."""

    def cancel(self) -> bool:
        cancelled = super().cancel()
        if cancelled:
            self.set_running_or_notify_cancel()  # what the pool's worker does with it
        return cancelled


class BusyPool:
    """An executor whose workers are all busy: the first task runs, the others stay queued."""

    def __init__(self, **_kwargs: object) -> None:
        self.submitted = 0

    def __enter__(self) -> BusyPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def submit(self, task: Callable[..., str], *args: object) -> Future[str]:
        future = QueuedFuture()
        self.submitted += 1
        if self.submitted == 1:
            try:
                future.set_result(task(*args))
            except Exception as exc:  # noqa: BLE001 - handed to the caller as a real pool would
                future.set_exception(exc)
        return future


def test_a_refused_upload_cancels_the_queued_ones_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Refusing(ImageHost):
        label = "the refusing host"

        def upload(self, key: str, data: bytes, content_type: str) -> str:
            raise ImageHostAuthError("The host did not accept the password.")

    monkeypatch.setattr("editor.publish.hosts.uploader.ThreadPoolExecutor", BusyPool)
    images = []
    for n in range(3):
        path = tmp_path / f"p{n}.png"
        path.write_bytes(TINY_PNG + bytes([n]))
        images.append(LocalImage(path.name, path, f"{n}" * 64, path.stat().st_size, "image/png"))
    done, failure = upload_images(images, Refusing(), {}, today=date(2026, 1, 1))
    assert done == {}
    assert failure is not None
    assert failure.message == (
        "Could not upload p0.png to the refusing host: The host did not accept the password."
        " Nothing was sent to the blog."
    )
