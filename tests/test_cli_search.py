"""`broadsheet search`: one line per draft, its path first, then title and date."""

from __future__ import annotations

import json

import pytest

from editor import cli
from editor.core.paths import app_paths


def draft(name: str, title: str, body: str, labels: str = "[]", date: str = "2025-01-02") -> str:
    folder = app_paths().drafts_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\ntitle: {title}\nlabels: {labels}\ndate: {date}\n---\n{body}\n")
    return str(path)


def test_lines_are_path_title_date_and_filters_apply(capsys: pytest.CaptureFixture[str]) -> None:
    harbour = draft("harbour.md", "Harbour days", "The boats sat on the mud.", "[sea, walks]")
    draft("council.md", "Council night", "The budget again.", "[politics]", "2024-05-06")
    assert cli.main(["search", "boat"]) == 0
    assert capsys.readouterr().out == f"{harbour}\tHarbour days\t2025-01-02\n"
    assert cli.main(["search", "--label", "Sea"]) == 0
    assert capsys.readouterr().out.startswith(harbour + "\t")
    assert cli.main(["search", "--year", "2024", "--status", "local"]) == 0
    assert capsys.readouterr().out.split("\t")[1] == "Council night"
    assert cli.main(["search", "nothing-like-this"]) == 1
    assert capsys.readouterr().out == ""


def test_json_output_and_a_clear_message_for_a_wrong_status(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = draft("harbour.md", "Harbour days", "The boats sat on the mud.", "[Sea]")
    assert cli.main(["search", "mud", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["path"] == path and row["labels"] == ["Sea"] and row["snippet"].startswith("The")
    assert cli.main(["search", "x", "--status", "lost"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("broadsheet: unknown status 'lost'") and "Traceback" not in err
