"""Where Broadsheet keeps its config, data and cache.

`BROADSHEET_HOME`, when set, holds everything (tests and portable installs); otherwise the
platform's folders from platformdirs. Nothing is created here: callers create what they write.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "broadsheet"
HOME_ENV = "BROADSHEET_HOME"


@dataclass(frozen=True)
class AppPaths:
    """The folders Broadsheet reads and writes."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def drafts_dir(self) -> Path:
        """Where the writer's drafts live, one Markdown file each."""
        return self.data_dir / "drafts"

    @property
    def snippets_dir(self) -> Path:
        """Reusable blocks (`{% include NAME %}` in a draft), one Markdown file each."""
        return self.data_dir / "snippets"

    @property
    def trash_dir(self) -> Path:
        """Drafts moved to the trash (kept, not deleted)."""
        return self.data_dir / "trash"

    @property
    def state_dir(self) -> Path:
        """Session state, locks and recovery journals."""
        return self.data_dir / "state"

    @property
    def publish_queue_file(self) -> Path:
        """The publishes waiting for the network or their time (editor/publish/queue.py)."""
        return self.state_dir / "publish-queue.json"

    @property
    def blog_labels_file(self) -> Path:
        """The labels each blog uses, collected from its posts (JSON)."""
        return self.data_dir / "blogs" / "labels.json"

    @property
    def settings_file(self) -> Path:
        """The one settings file (JSON)."""
        return self.config_dir / "settings.json"


def app_paths(env: Mapping[str, str] | None = None) -> AppPaths:
    """Return the folders to use, honouring `BROADSHEET_HOME`."""
    env = os.environ if env is None else env
    home = env.get(HOME_ENV)
    if home:
        root = Path(home).expanduser().absolute()
        return AppPaths(root / "config", root / "data", root / "cache")
    return AppPaths(
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )
