"""A draft with a part that cannot be rendered is refused before anything reaches the blog."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.cli import main
from editor.publish.errors import DraftError
from editor.publish.service import PublishService

from .blogger_server import BloggerServer
from .test_publish_service import posts

DEEP = "".join(f"{'    ' * level}- item {level}\n" for level in range(400))
REFUSAL = (
    "Not published: line {line} cannot be rendered (it nests lists 400 deep, more than the 50"
    " levels Broadsheet can show)."
)


@pytest.fixture
def deep_draft(draft: Path) -> Path:
    """The usual draft with a list nested 400 deep after its first paragraph."""
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("emphasis*.\n", f"emphasis*.\n\n{DEEP}"), encoding="utf-8")
    return draft


def first_deep_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if line.startswith(" " * 200 + "- "))


def test_publishing_refuses_with_one_sentence_before_any_request(
    signed_in: PublishService, server: BloggerServer, deep_draft: Path
) -> None:
    before = deep_draft.read_bytes()
    requests_before = len(server.requests)
    with pytest.raises(DraftError) as refused:
        signed_in.publish(deep_draft)
    assert refused.value.message == REFUSAL.format(line=first_deep_line(deep_draft))
    assert len(server.requests) == requests_before, "the blog was contacted"
    assert posts(server) == []
    assert deep_draft.read_bytes() == before

    fixed = before.decode("utf-8").replace(DEEP, "- one level is fine\n")
    deep_draft.write_text(fixed, encoding="utf-8")
    signed_in.publish(deep_draft)
    [post] = posts(server)
    assert "one level is fine" in post["content"]
    assert "could not be shown" not in post["content"]


def test_the_command_line_refuses_to_publish_with_one_line(
    signed_in: PublishService,
    server: BloggerServer,
    deep_draft: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    requests_before = len(server.requests)
    assert main(["publish", str(deep_draft)]) == 1
    captured = capsys.readouterr()
    line = first_deep_line(deep_draft)
    assert captured.err == f"broadsheet: {REFUSAL.format(line=line)}\n"
    assert captured.out == ""
    assert len(server.requests) == requests_before and posts(server) == []
