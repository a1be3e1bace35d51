"""The computer's time zone name, read without a zone database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.core import local_zone


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    """A fresh look before each test, and none of these tests' zones left for later ones
    (the window's layout depends on the zone's name: a cached "Asia/Tokyo" moved the panes)."""
    local_zone.system_zone_id.cache_clear()
    yield
    local_zone.system_zone_id.cache_clear()


def test_the_tz_variable_names_the_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":Europe/Berlin")
    assert local_zone.system_zone_id() == "Europe/Berlin"


def test_the_localtime_link_names_the_zone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TZ", raising=False)
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/America/Sao_Paulo")
    monkeypatch.setattr(local_zone, "LOCALTIME", link)
    assert local_zone.system_zone_id() == "America/Sao_Paulo"


def test_without_a_link_the_debian_file_names_it_or_nothing_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(local_zone, "LOCALTIME", tmp_path / "missing")
    monkeypatch.setattr(local_zone, "TIMEZONE_FILE", tmp_path / "timezone")
    assert local_zone.system_zone_id() == ""  # the window then asks Qt
    local_zone.system_zone_id.cache_clear()
    (tmp_path / "timezone").write_text("Asia/Tokyo\n")
    assert local_zone.system_zone_id() == "Asia/Tokyo"
