"""What is particular to each host: S3 ACLs and errors, SFTP keys, commands, WebDAV folders."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from editor.publish.hosts.base import TINY_PNG
from editor.publish.hosts.command import CommandHost
from editor.publish.hosts.errors import (
    ImageHostAuthError,
    ImageHostConfigError,
    ImageHostError,
    ImageHostOfflineError,
)
from editor.publish.hosts.s3 import S3Host

from . import servers
from .conftest import (
    S3_KEY,
    S3_SECRET,
    TIMEOUT,
    CountingSession,
    Stack,
    command_rig,
    dav_rig,
    no_sleep,
    s3_rig,
    sftp_rig,
)


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.ServerProcess]:
    server = servers.moto_server(tmp_path_factory.mktemp("moto-logs"))
    yield server
    server.stop()


def moto_host(moto: servers.ServerProcess, *, public_read: bool) -> S3Host:
    bucket = "m" + uuid.uuid4().hex[:10]
    assert requests.put(f"{moto.url}/{bucket}", timeout=10).status_code == 200
    return S3Host(
        endpoint=moto.url, bucket=bucket, access_key="moto", secret_key="moto",
        public_base_url=f"{moto.url}/{bucket}", public_read=public_read,
        session=requests.Session(), timeout=TIMEOUT, sleep=no_sleep,
    )  # fmt: skip


@pytest.mark.parametrize("public_read", [True, False])
def test_public_read_sets_the_objects_acl(moto: servers.ServerProcess, public_read: bool) -> None:
    host = moto_host(moto, public_read=public_read)
    url = host.upload("broadsheet/2026/11/abc.png", TINY_PNG, "image/png")
    acl = requests.get(host.object_url("broadsheet/2026/11/abc.png") + "?acl", timeout=10).text
    everyone = "http://acs.amazonaws.com/groups/global/AllUsers" in acl
    assert everyone is public_read
    response = requests.get(url, timeout=10)
    if public_read:
        assert response.content == TINY_PNG and response.headers["Content-Type"] == "image/png"
    else:  # moto, like S3, refuses anonymous readers an object without a public ACL
        assert response.status_code == 403, response.status_code


def test_a_bucket_that_does_not_exist_is_named(
    s3_stack: Stack, counting_session: CountingSession
) -> None:
    rig = s3_rig(s3_stack, counting_session)
    rig.host.bucket = "no-such-bucket"  # type: ignore[attr-defined]
    with pytest.raises(ImageHostConfigError, match="'no-such-bucket' does not exist"):
        rig.host.upload("a/b.png", TINY_PNG, "image/png")


def test_an_s3_server_that_is_down_is_reported_as_unreachable(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "photos").mkdir(parents=True)
    server = servers.rclone_s3(root, tmp_path, S3_KEY, S3_SECRET)
    host = S3Host(
        endpoint=server.url, bucket="photos", access_key=S3_KEY, secret_key=S3_SECRET,
        public_base_url="http://127.0.0.1:1/photos", session=requests.Session(),
        timeout=TIMEOUT, sleep=no_sleep,
    )  # fmt: skip
    host.upload("x/one.png", TINY_PNG, "image/png")
    server.stop()
    with pytest.raises(ImageHostOfflineError, match="could not be reached"):
        host.upload("x/two.png", TINY_PNG + b"2", "image/png")


def test_virtual_hosted_addresses_put_the_bucket_in_the_host_name() -> None:
    host = S3Host(
        endpoint="https://s3.eu-central-1.amazonaws.com", bucket="pics", access_key="a",
        secret_key="s", public_base_url="https://img.example.com", path_style=False,
        session=requests.Session(),
    )  # fmt: skip
    assert host.object_url("b/2026/x y.png") == (
        "https://pics.s3.eu-central-1.amazonaws.com/b/2026/x%20y.png"
    )
    assert host.public_url("b/2026/x y.png") == "https://img.example.com/b/2026/x%20y.png"


def test_webdav_creates_missing_folders_once(
    dav_stack: Stack, counting_session: CountingSession
) -> None:
    rig = dav_rig(dav_stack, counting_session)
    rig.host.upload("broadsheet/2026/11/a.png", TINY_PNG, "image/png")
    assert counting_session.count("MKCOL") == 3
    rig.host.upload("broadsheet/2026/11/b.png", TINY_PNG + b"b", "image/png")
    assert counting_session.count("MKCOL") == 3  # the folder exists: PUT went straight in
    assert (rig.folder / "broadsheet/2026/11/b.png").read_bytes() == TINY_PNG + b"b"


def test_sftp_signs_in_with_a_private_key(
    sftp_stack: Stack, counting_session: CountingSession
) -> None:
    rig = sftp_rig(sftp_stack, counting_session, use_key=True)
    url = rig.host.upload("broadsheet/2026/11/k.png", TINY_PNG, "image/png")
    assert requests.get(url, timeout=10).content == TINY_PNG
    rig.host.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("pinned", ["", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
def test_sftp_refuses_an_unknown_host_key_and_shows_its_fingerprint(
    sftp_stack: Stack, counting_session: CountingSession, pinned: str
) -> None:
    rig = sftp_rig(sftp_stack, counting_session)
    rig.host.host_key = pinned  # type: ignore[attr-defined]
    with pytest.raises(ImageHostAuthError) as caught:
        rig.host.upload("a.png", TINY_PNG, "image/png")
    assert str(sftp_stack.extra["fingerprint"]) in caught.value.message
    assert rig.stored() == {}


def test_command_that_hangs_is_stopped(
    command_stack: Stack, counting_session: CountingSession
) -> None:
    rig = command_rig(command_stack, counting_session, "--sleep", "5")
    rig.host.time_limit = 0.5  # type: ignore[attr-defined]
    with pytest.raises(ImageHostOfflineError, match="did not finish within 0.5 seconds"):
        rig.host.upload("a.png", TINY_PNG, "image/png")


def test_command_output_must_be_web_addresses(
    command_stack: Stack, counting_session: CountingSession
) -> None:
    rig = command_rig(command_stack, counting_session, "--garbage")
    with pytest.raises(ImageHostError, match="'ftp://not-a-web-address/x.png' where a web address"):
        rig.host.upload("a.png", TINY_PNG, "image/png")


def test_command_that_does_not_exist_is_named(tmp_path: Path) -> None:
    host = CommandHost(command=f'"{tmp_path / "no-such-tool"}" upload')
    with pytest.raises(ImageHostConfigError, match="no-such-tool' was not found"):
        host.upload("a.png", TINY_PNG, "image/png")


def test_command_is_not_run_through_a_shell(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    host = CommandHost(command=f"{sys.executable} -c 'print(1)' ; touch {marker}")
    with pytest.raises(ImageHostError):
        host.upload("a.png", TINY_PNG, "image/png")
    assert not marker.exists()
