"""Fixtures for core tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.core.post import Post, parse_post

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="session")
def essay_text() -> str:
    return (FIXTURES / "essay.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def essay(essay_text: str) -> Post:
    return parse_post(essay_text, "essay.md")
