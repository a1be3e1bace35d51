"""Shared fixtures: every test runs with BROADSHEET_HOME in a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from editor.ui.app import prepare_environment

from .worker_keyring import WorkerKeyring, start_for_worker

# Before any Qt import: no display in CI; and the settings the app starts Qt with (Chromium's
# sandbox as root, the preview drawn without OpenGL), so GUI tests see what writers see.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
prepare_environment()

FIXTURES = Path(__file__).parent / "fixtures"

_worker_keyring: WorkerKeyring | None = None


def pytest_configure(config: pytest.Config) -> None:
    """A parallel worker of scripts/run-tests.sh gets its own keyring (tests/worker_keyring.py)."""
    global _worker_keyring
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    scratch = os.environ.get("BROADSHEET_TEST_SCRATCH")
    if worker and scratch and os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        _worker_keyring = start_for_worker(worker, Path(scratch))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _worker_keyring is not None:
        _worker_keyring.stop()


@pytest.fixture(autouse=True)
def broadsheet_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point all of Broadsheet's config and data at a fresh temporary folder."""
    home = tmp_path / "broadsheet-home"
    monkeypatch.setenv("BROADSHEET_HOME", str(home))
    for name in ("BROADSHEET_GOOGLE_CLIENT_ID", "BROADSHEET_GOOGLE_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)  # a developer's own client must not leak in
    return home


@pytest.fixture
def essay_text() -> str:
    """A real-shaped long blog essay (from benchmarks/make_essay.py, 3,000 words)."""
    return (FIXTURES / "essay.md").read_text(encoding="utf-8")
