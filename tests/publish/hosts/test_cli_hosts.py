"""`broadsheet images …` end to end: setting up image hosts from the command line (secret on
stdin, into the keyring only), choosing a blog's host, and repairing dead images, against the
real S3 server (rclone) and the Blogger contract server.
"""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from editor.cli import main
from editor.core.drafts import assets_dir_for
from editor.publish.base import PostContent
from editor.publish.hosts import checkup
from editor.publish.hosts.config import config_path, load_host_secret, load_hosts
from editor.publish.hosts.deadimages import image_urls
from editor.publish.hosts.uploads_index import load_index
from editor.publish.records import read_draft
from editor.publish.service import PublishService

from ..blogger_server import BloggerServer
from ..conftest import MemoryKeyring
from .compose import BLOG_ID, blogger_client
from .conftest import S3_KEY, S3_SECRET, CountingSession, Stack, s3_rig
from .drafts import make_draft, png

pytestmark = pytest.mark.usefixtures("memory_keyring")


def images(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    """Run `broadsheet images ARGV…` with `stdin` piped in (not a terminal)."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["images", *argv])


def s3_settings(stack: Stack, bucket: str) -> list[str]:
    assert stack.api and stack.public
    return [
        *("--set", f"endpoint={stack.api.url}"),
        *("--set", "region=us-east-1"),
        *("--set", f"bucket={bucket}"),
        *("--set", f"access_key_id={S3_KEY}"),
        *("--set", f"public_base_url={stack.public.url}/{bucket}"),
        *("--set", "path_style=true"),
    ]


def add_s3(
    monkeypatch: pytest.MonkeyPatch, stack: Stack, bucket: str, *extra: str, secret: str = S3_SECRET
) -> int:
    """`images add-host photos --type s3 …` for `bucket`, the secret piped in."""
    argv = ["add-host", "photos", "--type", "s3", *s3_settings(stack, bucket), *extra]
    return images(monkeypatch, *argv, stdin=secret + "\n")


@pytest.fixture
def bucket(s3_stack: Stack, counting_session: CountingSession) -> str:
    """A new, empty bucket on the S3 server."""
    return s3_rig(s3_stack, counting_session).folder.name


@pytest.fixture
def photos(
    s3_stack: Stack,
    bucket: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> str:
    """The image host `photos` on `bucket`, set up by `images add-host`; returns the bucket."""
    assert add_s3(monkeypatch, s3_stack, bucket) == 0
    capsys.readouterr()
    return bucket


def test_add_host_keeps_the_secret_in_the_keyring_and_test_host_works(
    s3_stack: Stack,
    bucket: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert add_s3(monkeypatch, s3_stack, bucket, "--label", "My bucket") == 0
    out, err = capsys.readouterr()
    assert out.startswith("Saved the image host photos (s3); it is the default host.")
    # The secret came from the pipe: no prompt is written where no one reads it.
    assert "Secret access key for My bucket: " not in err and S3_SECRET not in out + err

    assert load_host_secret("photos") == S3_SECRET
    assert S3_SECRET in memory_keyring.items.values()
    saved = config_path().read_text(encoding="utf-8")
    assert S3_SECRET not in saved
    host = json.loads(saved)["hosts"]["photos"]
    assert host["label"] == "My bucket" and host["settings"]["path_style"] is True

    assert images(monkeypatch, "hosts") == 0
    out, err = capsys.readouterr()
    assert out == "photos\ts3\tMy bucket\tdefault\t-\tsecret in keyring\n"
    assert S3_SECRET not in out + err

    assert images(monkeypatch, "test-host", "photos") == 0
    out, _err = capsys.readouterr()
    [url] = [w.rstrip(".") for w in out.split() if w.startswith("http")]
    assert url.startswith(f"{s3_stack.public.url}/{bucket}/broadsheet/")
    assert "broadsheet-test-" in url
    # The test image was fetched from that address, then deleted from the bucket.
    assert requests.get(url, timeout=10).status_code == 404
    assert not [p for p in (s3_stack.root / bucket).rglob("*") if p.is_file()]


def test_a_wrong_secret_fails_test_host_with_a_clear_message(
    s3_stack: Stack,
    bucket: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert add_s3(monkeypatch, s3_stack, bucket, secret="not-the-secret") == 0
    capsys.readouterr()
    assert images(monkeypatch, "test-host") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "did not accept the access key and secret" in err
    assert "run `broadsheet images add-host photos …` again" in err
    assert "not-the-secret" not in err


def test_a_missing_or_unknown_setting_is_refused_and_nothing_is_saved(
    s3_stack: Stack,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = s3_settings(s3_stack, "b")
    at = settings.index("bucket=b")
    without_bucket = settings[: at - 1] + settings[at + 1 :]
    code = images(
        monkeypatch, "add-host", "photos", "--type", "s3", *without_bucket, stdin="secret\n"
    )
    assert code == 1
    _out, err = capsys.readouterr()
    assert "needs a bucket. Nothing was saved." in err
    assert "Secret access key" not in err, "the settings are checked before the secret is asked"

    code = images(monkeypatch, "add-host", "photos", "--type", "s3", "--set", "colour=red")
    assert code == 1
    _out, err = capsys.readouterr()
    assert "has no setting 'colour'" in err and "public_base_url" in err and "bucket" in err

    code = images(monkeypatch, "add-host", "photos", "--type", "s3", *s3_settings(s3_stack, "b"))
    assert code == 1  # stdin gave no secret
    _out, err = capsys.readouterr()
    assert "No secret access key given; nothing was saved." in err

    assert not config_path().exists()
    assert memory_keyring.items == {}


def test_use_for_a_blog_then_publish_uploads_to_that_host(
    s3_stack: Stack,
    photos: str,
    signed_in: PublishService,
    server: BloggerServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    assert s3_stack.public
    dead = ["--set", "url=http://127.0.0.1:9/dav", "--set", "username=me", "--default"]
    dead += ["--set", "public_base_url=http://127.0.0.1:9/pub"]
    assert images(monkeypatch, "add-host", "nas", "--type", "webdav", *dead, stdin="pw\n") == 0
    assert capsys.readouterr().out.startswith(
        "Saved the image host nas (webdav); it is the default"
    )
    blog = signed_in.accounts().find_blog(None)

    assert images(monkeypatch, "use", "photos", "--blog", BLOG_ID) == 0
    assert capsys.readouterr().out == f"The images of {blog.name} go to photos.\n"
    assert load_hosts().blog_hosts == {blog.key: "photos"}
    assert images(monkeypatch, "hosts") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"photos\ts3\t-\t-\t{blog.name}\tsecret in keyring",
        "nas\twebdav\t-\tdefault\t-\tsecret in keyring",
    ]

    # The default host (nas) is a dead address: publishing must not even try it.
    draft = make_draft(tmp_path / "drafts")
    assert main(["publish", str(draft)]) == 0
    record = read_draft(draft).publish_record(blog.key)
    assert record
    post_id = str(record["id"])
    stored = server.blogger.posts[BLOG_ID][post_id]["content"]
    assert stored.count(f"{s3_stack.public.url}/{photos}/") == 5

    assert images(monkeypatch, "use", "default", "--blog", blog.name) == 0
    assert load_hosts().blog_hosts == {}
    assert images(monkeypatch, "use", "photos", "--default") == 0
    assert load_hosts().default_host == "photos"
    assert images(monkeypatch, "remove-host", "photos") == 0
    assert load_host_secret("photos") is None and list(load_hosts().hosts) == ["nas"]


def _on_a_dead_host(server: BloggerServer, draft: Path, post_id: str, dead_base: str) -> None:
    """The post shows the draft's images from a host that is gone (under their file names)."""
    post = server.blogger.posts[BLOG_ID][post_id]
    for entry in load_index(draft)["photos"].values():
        name = Path(str(entry["file"])).name
        post["content"] = post["content"].replace(str(entry["url"]), f"{dead_base}/{name}")


def _post(server: BloggerServer, title: str, html: str) -> str:
    client = blogger_client(server, requests.Session())
    content = PostContent(title, html, [])
    return client.insert_post(BLOG_ID, content, draft=False, marker=uuid.uuid4().hex).id


def test_check_repair_then_repair_with_a_file_fix_the_posts(
    s3_stack: Stack,
    photos: str,
    signed_in: PublishService,
    server: BloggerServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    assert s3_stack.public
    public = s3_stack.public.url
    bucket = photos
    draft = make_draft(signed_in.paths.drafts_dir)
    post_id = signed_in.publish(draft).post_id
    _on_a_dead_host(server, draft, post_id, f"{public}/gone-host")
    dead = image_urls(server.blogger.posts[BLOG_ID][post_id]["content"])
    assert len(dead) == 2  # red.png and blue.png, both dead now
    lost = f"{public}/gone-host/lost.png"
    other = _post(server, "Drive days", f'<p><img src="{lost}"></p>')
    capsys.readouterr()

    assert images(monkeypatch, "check", "--repair") == 2
    out, err = capsys.readouterr()
    content = server.blogger.posts[BLOG_ID][post_id]["content"]
    assets = assets_dir_for(draft)
    for old in dead:
        assert old not in content
        [line] = [ln for ln in out.splitlines() if ln.startswith(f"Repaired in “Pictures”: {old}")]
        new = line.rsplit(" → ", 1)[1]
        assert new.startswith(f"{public}/{bucket}/") and new in content
        name = Path(old).name  # the draft's own copy, found by its file name
        assert requests.get(new, timeout=10).content == (assets / name).read_bytes()
    assert f"Not repaired in “Drive days”: {lost}: no copy of it was found" in out
    assert f"`broadsheet images repair {other} {lost} FILE`" in out
    assert "Repaired 2 of 3 dead images; 1 still dead." in err

    assert images(monkeypatch, "repair", other, lost) == 2  # no FILE, and no copy anywhere
    assert f"No copy of {lost} was found" in capsys.readouterr().err
    mine = tmp_path / "found-it-again.png"
    mine.write_bytes(png("lost"))
    assert images(monkeypatch, "repair", other, lost, str(mine), "--blog", BLOG_ID) == 0
    out = capsys.readouterr().out
    new = out.strip().rsplit(" → ", 1)[1]
    assert out.startswith(f"Repaired in “Drive days”: {lost} → {public}/{bucket}/")
    assert new in server.blogger.posts[BLOG_ID][other]["content"]
    assert requests.get(new, timeout=10).content == mine.read_bytes()

    assert images(monkeypatch, "check") == 0
    assert "All 3 images in 2 posts load." in capsys.readouterr().err


def test_check_repair_leaves_a_post_edited_meanwhile_and_repairs_the_others(
    s3_stack: Stack,
    photos: str,
    signed_in: PublishService,
    server: BloggerServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    assert s3_stack.public
    edited_url = f"{s3_stack.public.url}/gone-host/edited.png"
    fine_url = f"{s3_stack.public.url}/gone-host/fine.png"
    edited = _post(server, "Edited", f'<img src="{edited_url}">')
    fine = _post(server, "Fine", f'<img src="{fine_url}">')
    copy = tmp_path / "copy.png"
    copy.write_bytes(png("copy"))

    def copies_while_the_writer_edits(service: Any, blog: Any, post_id: str, url: str) -> list:
        if post_id == edited:  # after the scan, before the repair: an edit in Blogger
            server.blogger.edit_on_web(BLOG_ID, edited, title="Edited on the web")
        return [copy]

    monkeypatch.setattr(checkup, "local_copies", copies_while_the_writer_edits)
    capsys.readouterr()
    assert images(monkeypatch, "check", "--repair") == 2
    out = capsys.readouterr().out
    assert "Not repaired in “Edited”: the post changed on the blog since the scan" in out
    assert f"Repaired in “Fine”: {fine_url} → " in out
    assert edited_url in server.blogger.posts[BLOG_ID][edited]["content"]
    assert server.blogger.posts[BLOG_ID][edited]["title"] == "Edited on the web"
    assert fine_url not in server.blogger.posts[BLOG_ID][fine]["content"]


def test_repair_without_a_file_uploads_the_copy_the_draft_remembers(
    s3_stack: Stack,
    counting_session: CountingSession,
    signed_in: PublishService,
    server: BloggerServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The host lost the files (an emptied bucket): the same upload brings them back."""
    rig = s3_rig(s3_stack, counting_session)
    # A folder without the month in it: the repair's upload gets the very same name.
    assert add_s3(monkeypatch, s3_stack, rig.folder.name, "--set", "prefix=img/") == 0
    draft = make_draft(signed_in.paths.drafts_dir)
    post_id = signed_in.publish(draft).post_id
    before = server.blogger.posts[BLOG_ID][post_id]["content"]
    lost = image_urls(before)
    for url in lost:  # deleted through the S3 API, as a cleanup script would
        rig.host.delete(url.split(f"/{rig.folder.name}/", 1)[1])
    assert not [p for p in rig.folder.rglob("*") if p.is_file()]
    capsys.readouterr()
    assert images(monkeypatch, "check") == 2
    assert [ln.split("\t")[0].strip() for ln in capsys.readouterr().out.splitlines()[1:]] == lost

    for url in lost:
        assert images(monkeypatch, "repair", post_id, url) == 0
        assert capsys.readouterr().out == f"Repaired in “Pictures”: {url} → {url}\n"
        entry = next(e for e in load_index(draft)["photos"].values() if e["url"] == url)
        assert requests.get(url, timeout=10).content == (draft.parent / entry["file"]).read_bytes()
    assert server.blogger.posts[BLOG_ID][post_id]["content"] == before
    assert images(monkeypatch, "check") == 0
