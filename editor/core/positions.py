"""Where the writer was in each draft: cursor and scroll, for the last few drafts only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from editor.core.settings import Settings

SETTINGS_KEY = "draft_positions"
MAX_DRAFTS = 50  # the settings file must not grow with every draft ever opened


@dataclass(frozen=True)
class DraftPosition:
    """The cursor (a text position) and the editor's scroll value in one draft."""

    cursor: int = 0
    scroll: int = 0


def _positions(settings: Settings) -> dict[str, Any]:
    stored = settings.get(SETTINGS_KEY)
    return dict(stored) if isinstance(stored, dict) else {}


def remember_position(settings: Settings, path: str, position: DraftPosition) -> None:
    """Record where the writer is in `path`; the oldest entries beyond MAX_DRAFTS go."""
    positions = _positions(settings)
    positions.pop(path, None)  # re-inserted last: dicts keep order, so last is newest
    positions[path] = {"cursor": max(0, position.cursor), "scroll": max(0, position.scroll)}
    while len(positions) > MAX_DRAFTS:
        del positions[next(iter(positions))]
    settings.set(SETTINGS_KEY, positions)


def recall_position(settings: Settings, path: str) -> DraftPosition | None:
    """Where the writer was in `path`, if known."""
    entry = _positions(settings).get(path)
    if not isinstance(entry, dict):
        return None
    cursor, scroll = entry.get("cursor"), entry.get("scroll")
    if not isinstance(cursor, int) or not isinstance(scroll, int):
        return None
    return DraftPosition(max(0, cursor), max(0, scroll))
