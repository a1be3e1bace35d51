"""The writer's preferences: what they are, their defaults, and how they sit in the settings.

Stored under one key ("preferences") of the one settings file; anything unknown or invalid
there falls back to the default instead of failing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from editor.core.settings import Settings

THEMES = ("system", "light", "dark")
PREVIEW_LOOKS = ("theme", "light", "dark", "blogger", "blog")  # editor/core/looks.py
SETTINGS_KEY = "preferences"


@dataclass(frozen=True)
class Preferences:
    """Everything the Preferences dialog changes."""

    theme: str = "system"
    preview_look: str = "theme"
    font_family: str = ""  # "" is the built-in monospaced font list
    font_size: int = 12
    spellcheck: bool = True
    spell_language: str = "en"
    typewriter: bool = False
    show_counts: bool = True

    def with_changes(self, **changes: Any) -> Preferences:
        """A copy with some fields changed (and validated)."""
        return _validated(replace(self, **changes))

    def dark_preview(self, window_is_dark: bool) -> bool:
        """Whether the preview uses its dark look (the Blogger and blog looks are light)."""
        if self.preview_look == "theme":
            return window_is_dark
        return self.preview_look == "dark"


def _validated(prefs: Preferences) -> Preferences:
    defaults = Preferences()
    fixes: dict[str, Any] = {}
    if prefs.theme not in THEMES:
        fixes["theme"] = defaults.theme
    if prefs.preview_look not in PREVIEW_LOOKS:
        fixes["preview_look"] = defaults.preview_look
    if not isinstance(prefs.font_size, int) or not 6 <= prefs.font_size <= 48:
        fixes["font_size"] = defaults.font_size
    if not isinstance(prefs.spell_language, str) or not prefs.spell_language:
        fixes["spell_language"] = defaults.spell_language
    return replace(prefs, **fixes) if fixes else prefs


def load_preferences(settings: Settings) -> Preferences:
    """The preferences kept in `settings` (defaults for anything missing or wrong)."""
    stored = settings.get(SETTINGS_KEY)
    if not isinstance(stored, dict):
        return Preferences()
    defaults = Preferences()
    values: dict[str, Any] = {}
    for field in fields(Preferences):
        value = stored.get(field.name, getattr(defaults, field.name))
        if type(value) is not type(getattr(defaults, field.name)):
            value = getattr(defaults, field.name)
        values[field.name] = value
    return _validated(Preferences(**values))


def store_preferences(settings: Settings, prefs: Preferences) -> None:
    """Put `prefs` into `settings` (in memory; the caller writes the file)."""
    settings.set(SETTINGS_KEY, asdict(prefs))
