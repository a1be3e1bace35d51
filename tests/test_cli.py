"""The command line: render, --version, --help, clear failures."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from editor import cli
from editor.core.post import front_matter_warning, parse_post
from editor.core.render import render_post

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "editor", *args], capture_output=True, text=True, timeout=60
    )


def test_render_prints_exactly_the_published_body(capsys: pytest.CaptureFixture[str]) -> None:
    essay = FIXTURES / "essay.md"
    assert cli.main(["render", str(essay)]) == 0
    out = capsys.readouterr().out
    expected = render_post(parse_post(essay.read_text(encoding="utf-8"), essay.name))
    assert out == expected + "\n"
    assert "title:" not in out and "data-line" not in out


def test_render_missing_file_is_one_line_and_nonzero() -> None:
    result = run("render", "/nonexistent/post.md")
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_render_invalid_utf8_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe\xfa")
    result = run("render", str(bad))
    assert result.returncode == 1 and "UTF-8" in result.stderr


@pytest.mark.parametrize("command", ["render", "publish"])
def test_a_file_that_is_not_utf8_says_where_in_one_line(tmp_path: Path, command: str) -> None:
    old = tmp_path / "old.md"
    data = "---\ntitle: Old\n---\n\nIt’s a café.\n".encode("cp1252")
    old.write_bytes(data)
    result = run(command, str(old))
    assert result.returncode == 1 and result.stderr.strip().count("\n") == 0
    assert "not valid UTF-8" in result.stderr and "line 5, column 3" in result.stderr
    assert "Windows-1252" in result.stderr and "Traceback" not in result.stderr
    assert old.read_bytes() == data


def test_a_utf16_file_renders(tmp_path: Path) -> None:
    post = tmp_path / "wide.md"
    post.write_bytes(
        "\ufeff---\r\ntitle: Wide\r\n---\r\n\r\nIt’s *UTF-16*.\r\n".encode("utf-16-le")
    )
    result = run("render", str(post))
    assert result.returncode == 0 and "It’s <em>UTF-16</em>." in result.stdout


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("broadsheet ")
    assert "render" in run("--help").stdout
    assert "FILE" in run("render", "--help").stdout


def test_render_of_a_list_nested_400_deep_is_one_sentence_naming_the_line(
    tmp_path: Path,
) -> None:
    deep = "".join(f"{'    ' * level}- item {level}\n" for level in range(400))
    draft = tmp_path / "deep.md"
    draft.write_text(f"---\ntitle: Deep\n---\nIntro.\n\n{deep}\nOutro.\n", encoding="utf-8")
    result = run("render", str(draft))
    assert result.returncode == 1
    assert result.stdout == ""  # what cannot be published is not printed either
    assert result.stderr == (
        "broadsheet: Line 56 of deep.md cannot be rendered: it nests lists 400 deep, more than"
        " the 50 levels Broadsheet can show.\n"
    )
    assert draft.read_text(encoding="utf-8").split("\n")[55].startswith(" " * 200 + "- item 50")


def test_render_warns_about_broken_front_matter_like_the_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\n\nThe body is still here.\n", encoding="utf-8")
    assert cli.main(["render", str(broken)]) == 0
    captured = capsys.readouterr()
    assert "The body is still here." in captured.out
    post = parse_post(broken.read_text(encoding="utf-8"), broken.name)
    assert post.front_matter_error
    assert front_matter_warning(post.front_matter_error) in captured.err
    assert captured.err.startswith("broken.md: The front matter is not valid YAML")


def test_render_of_good_front_matter_says_nothing_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["render", str(FIXTURES / "essay.md")]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("piped", ["\n", "app pass word\n"])
def test_login_wordpress_with_piped_password_prints_no_prompt(
    piped: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from editor.publish.errors import PublishError
    from editor.publish.service import PublishService

    def refuse(self: object, site: str, user: str, password: str, progress: object) -> None:
        assert password == "app pass word"
        raise PublishError("WordPress did not accept that user and application password.")

    monkeypatch.setattr(PublishService, "sign_in_wordpress", refuse)
    monkeypatch.setattr("sys.stdin", io.StringIO(piped))
    assert cli.main(["login", "wordpress", "http://127.0.0.1:9", "--user", "ann"]) != 0
    err = capsys.readouterr().err
    assert "Application password for" not in err
    assert err.count("\n") == 1  # only the one sentence saying what went wrong


def test_render_refuses_a_nul_byte_past_the_binary_check_in_one_line(tmp_path: Path) -> None:
    """A NUL in the first 64 KB makes the file binary; one further down is named by line."""
    draft = tmp_path / "late.md"
    text = "---\ntitle: Late\n---\n" + "A line of text.\n" * 5000 + "Here\x00 it is.\n"
    draft.write_text(text, encoding="utf-8")
    result = run("render", str(draft))
    assert result.returncode == 1
    assert result.stdout == "" and "\x00" not in result.stderr
    assert result.stderr == (
        "broadsheet: Line 5004 of late.md cannot be rendered: it holds an invisible NUL"
        " character (a byte of binary data, not text) at column 5 of its line, to be deleted.\n"
    )
