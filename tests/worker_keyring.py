"""A private Secret Service for each parallel test worker.

scripts/run-tests.sh runs the suite in several worker processes (pytest-xdist) inside one
D-Bus session with one unlocked gnome-keyring. Keyring entries are named by account, not by
test, so two workers signing in to the same site name at the same moment would overwrite or
delete each other's entry. Each worker therefore starts its own session bus and its own
gnome-keyring (with its own runtime and data folders) before any test runs, and stops them at
the end: the tests still use a real Secret Service, just not a shared one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "ci-password"


@dataclass
class WorkerKeyring:
    bus_pid: int
    folder: Path

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.bus_pid, signal.SIGTERM)  # the keyring daemon leaves with its bus
        shutil.rmtree(self.folder, ignore_errors=True)


def start_for_worker(worker: str, scratch: Path) -> WorkerKeyring | None:
    """Start a bus and an unlocked keyring for `worker`; None where the tools are missing."""
    if not (shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon")):
        return None
    folder = scratch / f"keyring-{worker}"
    runtime, data = folder / "run", folder / "data"
    runtime.mkdir(parents=True, mode=0o700)
    data.mkdir(parents=True)
    started = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    address, pid = started.stdout.split()[:2]
    os.environ.update(
        DBUS_SESSION_BUS_ADDRESS=address, XDG_RUNTIME_DIR=str(runtime), XDG_DATA_HOME=str(data)
    )
    subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets"],
        input=PASSWORD,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return WorkerKeyring(int(pid), folder)
