"""One contract kit every blog platform passes, through the same door the writer uses
(`PublishService.publish` on a draft file): create, update the same post, draft, schedule,
labels, images, a conflict with an edit made on the blog, a lost answer that must not make a
duplicate, and refusals (401/403/404/429/5xx) that end in one sentence and lose nothing.

How a platform joins: write tests/publish/test_kit_<name>.py (or tests/wordpress/… when it
needs the real WordPress) with a `kit` fixture yielding a `KitTarget` for a signed-in blog
whose requests pass through a `FaultProxy`, then `from tests.publish.kit import *  # noqa`:
pytest collects the kit's tests in that module, run against that target. Nothing here knows
a platform by name; what differs is asked of the target and of the client's `Capabilities`.
"""

from __future__ import annotations

import hashlib
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from editor.publish.base import DRAFT, LIVE, SCHEDULED, Capabilities, PublishMode
from editor.publish.errors import (
    ConfigError,
    ConflictError,
    NotFoundError,
    OfflineError,
    PublishError,
)
from editor.publish.providers import capabilities_of
from editor.publish.service import PublishService
from tests.publish.fault_proxy import FaultProxy, Match

__all__ = [
    "KitPost",
    "KitTarget",
    "test_kit_create_publishes_one_post",
    "test_kit_update_keeps_the_same_post",
    "test_kit_draft_then_publish",
    "test_kit_schedule",
    "test_kit_labels_follow_the_draft",
    "test_kit_local_images_are_uploaded",
    "test_kit_an_edit_made_on_the_blog_is_not_overwritten",
    "test_kit_a_lost_answer_makes_no_duplicate",
    "test_kit_a_refusal_is_one_sentence_and_loses_nothing",
    "test_kit_a_post_deleted_on_the_blog_is_said_so",
]

# A tiny real PNG (1×1, opaque red): platforms that check image bytes accept it.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


@dataclass(frozen=True)
class KitPost:
    """A post as the server keeps it, read by the target directly (not through Broadsheet)."""

    id: str
    title: str
    html: str
    labels: frozenset[str]
    status: str  # LIVE, DRAFT or SCHEDULED
    published: datetime | None = None  # when it goes (went) live, if the platform keeps it


@dataclass
class KitTarget(ABC):
    """One platform as the kit drives it: a signed-in service whose default blog is behind
    `proxy`, and direct access to what the server keeps."""

    service: PublishService
    blog_key: str
    proxy: FaultProxy
    secrets: list[str] = field(default_factory=list)  # never in a message
    # Whether local images can be published here (the blog's media library, or an image
    # host the target configured); False says why in `no_images`.
    no_images: str = ""

    @property
    def capabilities(self) -> Capabilities:
        return capabilities_of(self.service.accounts().blogs[self.blog_key])

    @abstractmethod
    def posts(self) -> list[KitPost]:
        """Every post on the blog, in any state."""

    @abstractmethod
    def edit_on_the_blog(self, post_id: str, title: str) -> None:
        """Change the post's title as the writer would in the blog's own editor."""

    @abstractmethod
    def delete_on_the_blog(self, post_id: str) -> None:
        """Delete the post on the blog (the trash emptied, where there is one)."""

    @abstractmethod
    def is_create(self, method: str, path: str, body: bytes) -> bool:
        """True for the request that creates a post."""

    def is_api(self, method: str, path: str, body: bytes) -> bool:
        """True for requests to the blog's API (where refusals are injected)."""
        return True

    def refusal(self, status: int) -> tuple[bytes, str]:
        """The body (and its content type) the platform sends with an error status."""
        return b'{"error": "refused by the test"}', "application/json; charset=utf-8"

    def image_bytes(self, url: str) -> bytes:
        """The bytes readers get at an image address of a published post."""
        import requests

        response = requests.get(url, timeout=10)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return response.content

    def post(self, post_id: str) -> KitPost:
        """One post (a target with many posts may ask for it alone)."""
        found = [p for p in self.posts() if p.id == post_id]
        assert found, f"post {post_id} is not on the blog"
        return found[0]

    def titled(self, title: str) -> list[KitPost]:
        """The posts with this title, in any state."""
        return [p for p in self.posts() if p.title == title]

    def count(self) -> int:
        """How many posts the blog has, in any state."""
        return len(self.posts())


def write_draft(folder: Path, title: str, body: str, labels: list[str] | None = None) -> Path:
    """A draft file as the writer keeps one, outside BROADSHEET_HOME's drafts folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha1(title.encode()).hexdigest()[:10]}.md"
    labels_line = f"labels: [{', '.join(labels)}]\n" if labels else ""
    path.write_text(f"---\ntitle: {title}\n{labels_line}---\n\n{body}\n", encoding="utf-8")
    return path


def change_body(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def unique(title: str) -> str:
    return f"{title} {uuid.uuid4().hex[:6]}"


def one_sentence(message: str, kit: KitTarget) -> None:
    """What the writer reads: one line, a sentence, no trace of code or secrets."""
    assert message and "\n" not in message.strip(), message
    assert message.rstrip().endswith((".", "?", ")", "”")), message
    assert len(message) < 400, message
    for word in ("Traceback", "Exception", "{", "<html", "None"):
        assert word not in message, message
    for secret in kit.secrets:
        assert secret not in message


def test_kit_create_publishes_one_post(kit: KitTarget, tmp_path: Path) -> None:
    title = unique("Kit create")
    path = write_draft(tmp_path, title, "A first paragraph with *emphasis*.", ["kit"])
    before = kit.count()
    result = kit.service.publish(path, kit.blog_key)
    assert result.created and result.status == LIVE
    post = kit.post(result.post_id)
    assert post.title == title and post.status == LIVE
    assert "<em>emphasis</em>" in post.html
    assert kit.count() == before + 1
    assert result.post_id in path.read_text(encoding="utf-8") or result.url in path.read_text(
        encoding="utf-8"
    ), "the draft remembers where it was published"


def test_kit_update_keeps_the_same_post(kit: KitTarget, tmp_path: Path) -> None:
    title = unique("Kit update")
    path = write_draft(tmp_path, title, "The first version.")
    first = kit.service.publish(path, kit.blog_key)
    count = kit.count()
    change_body(path, "The first version.", "The second version, longer.")
    second = kit.service.publish(path, kit.blog_key)
    assert not second.created and second.post_id == first.post_id
    assert kit.count() == count
    post = kit.post(first.post_id)
    assert "The second version, longer." in post.html and "first version" not in post.html


def test_kit_draft_then_publish(kit: KitTarget, tmp_path: Path) -> None:
    title = unique("Kit draft")
    path = write_draft(tmp_path, title, "Not ready for readers yet.")
    draft = kit.service.publish(path, kit.blog_key, mode=PublishMode.DRAFT)
    assert draft.status == DRAFT and kit.post(draft.post_id).status == DRAFT
    live = kit.service.publish(path, kit.blog_key)
    assert live.post_id == draft.post_id and kit.post(draft.post_id).status == LIVE


def test_kit_schedule(kit: KitTarget, tmp_path: Path) -> None:
    title = unique("Kit schedule")
    path = write_draft(tmp_path, title, "For next week.")
    at = (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0, second=0)
    if not kit.capabilities.scheduling:
        before = kit.count()
        with pytest.raises(ConfigError) as refused:
            kit.service.publish(path, kit.blog_key, mode=PublishMode.SCHEDULE, at=at)
        one_sentence(str(refused.value), kit)
        assert kit.count() == before
        return
    result = kit.service.publish(path, kit.blog_key, mode=PublishMode.SCHEDULE, at=at)
    post = kit.post(result.post_id)
    assert result.status == SCHEDULED and post.status == SCHEDULED
    assert post.published is not None and abs((post.published - at).total_seconds()) < 60


def test_kit_labels_follow_the_draft(kit: KitTarget, tmp_path: Path) -> None:
    title = unique("Kit labels")
    path = write_draft(tmp_path, title, "Sorted.", ["essays", "long reads"])
    result = kit.service.publish(path, kit.blog_key)
    assert kit.post(result.post_id).labels == {"essays", "long reads"}
    change_body(path, "labels: [essays, long reads]", "labels: [essays, notes]")
    kit.service.publish(path, kit.blog_key)
    assert kit.post(result.post_id).labels == {"essays", "notes"}


def test_kit_local_images_are_uploaded(kit: KitTarget, tmp_path: Path) -> None:
    if kit.no_images:
        pytest.skip(kit.no_images)
    title = unique("Kit image")
    path = write_draft(tmp_path, title, "![A red dot](dot.png)\n\nAbove: a red dot.")
    (tmp_path / "dot.png").write_bytes(PNG)
    result = kit.service.publish(path, kit.blog_key)
    html = kit.post(result.post_id).html
    assert 'src="dot.png"' not in html
    src = html.split('src="', 1)[1].split('"', 1)[0]
    assert src.startswith(("http://", "https://")), src
    assert kit.image_bytes(src.replace("&amp;", "&")) == PNG
    # Publishing again uploads nothing new and keeps the same address.
    kit.service.publish(path, kit.blog_key)
    assert src in kit.post(result.post_id).html


def test_kit_an_edit_made_on_the_blog_is_not_overwritten(kit: KitTarget, tmp_path: Path) -> None:
    title = unique("Kit conflict")
    path = write_draft(tmp_path, title, "What the writer wrote.")
    first = kit.service.publish(path, kit.blog_key)
    kit.edit_on_the_blog(first.post_id, "Edited on the blog")
    change_body(path, "What the writer wrote.", "What the writer wrote next.")
    kept = path.read_text(encoding="utf-8")
    with pytest.raises(ConflictError) as conflict:
        kit.service.publish(path, kit.blog_key)
    one_sentence(conflict.value.message, kit)
    assert kit.post(first.post_id).title == "Edited on the blog"
    assert path.read_text(encoding="utf-8") == kept


def test_kit_a_lost_answer_makes_no_duplicate(kit: KitTarget, tmp_path: Path) -> None:
    title = unique("Kit lost answer")
    path = write_draft(tmp_path, title, "Sent once, answered never.")
    kit.proxy.lose(kit.is_create)
    try:
        kit.service.publish(path, kit.blog_key)
    except OfflineError as exc:  # allowed: it said so, and the next publish finds the post
        one_sentence(exc.message, kit)
        kit.service.publish(path, kit.blog_key)
    assert kit.proxy.used(), "no answer was lost: the target's is_create is wrong"
    assert len(kit.titled(title)) == 1
    kit.service.publish(path, kit.blog_key)  # and again: still the one post
    assert len(kit.titled(title)) == 1


@pytest.mark.parametrize("status", [401, 403, 429, 500, 503])
def test_kit_a_refusal_is_one_sentence_and_loses_nothing(
    kit: KitTarget, tmp_path: Path, status: int
) -> None:
    title = unique(f"Kit refused {status}")
    path = write_draft(tmp_path, title, "Kept whatever the server says.")
    kept = path.read_text(encoding="utf-8")
    body, content_type = kit.refusal(status)
    match: Match = kit.is_api
    kit.proxy.answer(
        match,
        status,
        body=body,
        content_type=content_type,
        retry_after="1" if status == 429 else None,
    )
    with pytest.raises(PublishError) as refused:
        kit.service.publish(path, kit.blog_key)
    kit.proxy.clear()
    one_sentence(refused.value.message, kit)
    assert path.read_text(encoding="utf-8") == kept
    assert kit.titled(title) == []
    # The same publish works once the server answers again.
    kit.service.publish(path, kit.blog_key)
    assert len(kit.titled(title)) == 1


def test_kit_a_post_deleted_on_the_blog_is_said_so(kit: KitTarget, tmp_path: Path) -> None:
    title = unique("Kit deleted")
    path = write_draft(tmp_path, title, "Here today.")
    first = kit.service.publish(path, kit.blog_key)
    kit.delete_on_the_blog(first.post_id)
    change_body(path, "Here today.", "Here today, gone tomorrow.")
    kept = path.read_text(encoding="utf-8")
    with pytest.raises(NotFoundError) as gone:
        kit.service.publish(path, kit.blog_key)
    one_sentence(gone.value.message, kit)
    assert path.read_text(encoding="utf-8") == kept
