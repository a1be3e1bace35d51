"""`broadsheet snippets list` and `snippets update NAME` against the Blogger contract server."""

from __future__ import annotations

import io
import json

import pytest

from editor.cli.entry import main
from editor.publish.service import PublishService
from editor.publish.snippet_update import SnippetUpdate
from tests.publish.kit import KitTarget
from tests.publish.snippet_kit import edit_footer, publish_users
from tests.publish.test_kit_blogger import kit  # noqa: F401 - the fixture


def test_list_and_update(
    kit: KitTarget,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    published = publish_users(kit, "CLI footer.\n", count=2)
    (kit.service.paths.snippets_dir / "unused.md").write_text("Nobody includes me.\n")
    capsys.readouterr()
    assert main(["snippets", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["published_posts"]) for r in rows] == [("footer", 2), ("unused", 0)]
    assert rows[0]["path"] == str(kit.service.paths.snippets_dir / "footer.md")

    edit_footer(kit, "CLI footer, second edition.\n")
    kit.edit_on_the_blog(published[0][1].post_id, "Changed on the web")
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert main(["snippets", "update", "footer"]) == 1  # asked, and the answer was no
    assert "Nothing was sent." in capsys.readouterr().err
    assert "second edition" not in kit.post(published[1][1].post_id).html
    assert main(["snippets", "update", "footer", "--yes"]) == 1  # one post was not updated
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Update all 2 posts using “footer”:"
    assert out[3].startswith("[1/2] conflict: Snippet user 0") and "blog" in out[3]
    assert out[4].startswith("[2/2] updated: Snippet user 1")
    assert out[5] == "1 of 2 posts updated, 1 changed on the blog and left as they are."
    assert "second edition" in kit.post(published[1][1].post_id).html
    assert "second edition" not in kit.post(published[0][1].post_id).html


def test_update_asks_first_and_names_a_missing_snippet(
    service: PublishService, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["snippets", "update", "nothing", "--yes"]) == 1
    assert "There is no snippet “nothing”" in capsys.readouterr().err
    assert main(["snippets", "list"]) == 0
    assert "No snippets yet" in capsys.readouterr().err


def test_update_goes_on_after_an_interrupted_run(
    kit: KitTarget,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    published = publish_users(kit, "Resumed footer.\n", count=3)
    edit_footer(kit, "Resumed footer, new.\n")
    finished: list[object] = []
    first = SnippetUpdate(kit.service, "footer").run(
        lambda step: finished.extend([step.outcome] if step.outcome else []),
        cancelled=lambda: bool(finished),  # after the first post
    )
    assert first.cancelled and len(first.outcomes) == 1
    capsys.readouterr()
    assert main(["snippets", "update", "footer", "--yes", "--json"]) == 0
    captured = capsys.readouterr()
    assert "Update all 3 posts using “footer” (going on: 1 done before):" in captured.err
    result = json.loads(captured.out)
    assert [p["outcome"] for p in result["posts"]] == ["updated"] * 3
    assert captured.err.strip().endswith("3 of 3 posts updated.")
    assert all("Resumed footer, new." in kit.post(r.post_id).html for _p, r in published)
