"""A command of the writer's choosing as an image host (as in Typora and MarkText).

The configured command line is split like a shell would (shlex), never run through a shell,
and called once with the absolute paths of all images to upload appended. It must print one
web address per image, in the same order, as the last lines of its output (PicGo, uPic and
similar tools print log lines first; only the last N non-empty lines count). It runs with a
time limit; a failure is reported with its exit code and the end of what it printed to stderr.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from editor.publish.hosts.base import ImageHost, UploadItem
from editor.publish.hosts.errors import (
    ImageHostConfigError,
    ImageHostError,
    ImageHostOfflineError,
)
from editor.publish.hosts.settings import Settings

DEFAULT_TIME_LIMIT = 120.0
STDERR_TAIL = 300  # characters of stderr shown in a message


class CommandHost(ImageHost):
    """Runs `command` with image paths as arguments and reads one URL per image."""

    max_parallel = 1  # one run uploads everything: the tool may have its own parallelism

    def __init__(
        self,
        *,
        command: str,
        time_limit: float = DEFAULT_TIME_LIMIT,
        label: str = "",
        session: requests.Session | None = None,
    ) -> None:
        try:
            self.argv = shlex.split(command, posix=os.name != "nt")
        except ValueError as exc:
            raise ImageHostConfigError(
                f"The upload command {command!r} cannot be split into words ({exc})."
            ) from exc
        if not self.argv:
            raise ImageHostConfigError("The upload command is empty.")
        self.time_limit = time_limit
        self.label = label or f"the upload command {Path(self.argv[0]).name}"
        self.upload_batch = self._upload_items
        self.session = session

    @classmethod
    def from_settings(
        cls, label: str, values: Mapping[str, Any], secret: str | None, **kwargs: Any
    ) -> CommandHost:
        """Build from the settings dict (see FIELDS); this host has no secret."""
        s = Settings(label, values)
        return cls(
            command=s.text("command"),
            time_limit=s.number("time_limit", DEFAULT_TIME_LIMIT),
            label=label,
            session=kwargs.get("session"),
        )

    def upload(self, key: str, data: bytes, content_type: str) -> str:
        """Write the bytes to a temporary file named like the key and upload that."""
        with tempfile.TemporaryDirectory(prefix="broadsheet-upload-") as folder:
            path = Path(folder) / Path(key).name
            path.write_bytes(data)
            return self.run([path])[0]

    def upload_item(self, item: UploadItem) -> str:
        return self.run([item.path])[0]

    def _upload_items(self, items: list[UploadItem]) -> list[str]:
        return self.run([item.path for item in items])

    def run(self, paths: list[Path]) -> list[str]:
        """Run the command for `paths` and return one checked URL per path."""
        argv = self.argv + [str(p.resolve()) for p in paths]
        name = Path(self.argv[0]).name
        try:
            done = subprocess.run(
                argv,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=self.time_limit,
                check=False,
            )
        except FileNotFoundError as exc:
            raise ImageHostConfigError(
                f"The upload command {self.argv[0]!r} was not found; check the command in the"
                " host's settings."
            ) from exc
        except PermissionError as exc:
            raise ImageHostConfigError(
                f"The upload command {self.argv[0]!r} may not be run (is it executable?)."
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise ImageHostOfflineError(
                f"The upload command {name} did not finish within {self.time_limit:g} seconds"
                " and was stopped."
            ) from exc
        stdout = done.stdout.decode("utf-8", "replace")
        stderr = done.stderr.decode("utf-8", "replace")
        if done.returncode != 0:
            tail = " ".join(stderr.split())[-STDERR_TAIL:] or "it printed no error message"
            raise ImageHostError(
                f"The upload command {name} failed with exit code {done.returncode}: {tail}"
            )
        lines = [line.strip() for line in stdout.splitlines() if line.strip()]
        if len(lines) < len(paths):
            raise ImageHostError(
                f"The upload command {name} printed {len(lines)} line(s) but {len(paths)} web"
                " address(es) were expected, one per image."
            )
        urls = lines[-len(paths) :]
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
                raise ImageHostError(
                    f"The upload command {name} printed {url[:120]!r} where a web address"
                    " (http or https) was expected."
                )
        return urls


FIELDS = {
    "command": "command line; the image paths are appended (e.g. picgo upload)",
    "time_limit": "seconds before the command is stopped (120)",
}
