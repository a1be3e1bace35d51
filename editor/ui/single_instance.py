"""One Broadsheet per BROADSHEET_HOME: a second start hands its file to the first and exits.

Two processes editing one draft would overwrite each other's autosaves; the per-draft lock
(editor.core.locks) is the safety net, this is the friendly path.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from editor.core.paths import AppPaths

HANDOFF_TIMEOUT_MS = 1500


def server_name(paths: AppPaths) -> str:
    """The local socket name for this BROADSHEET_HOME (and user)."""
    digest = hashlib.sha256(str(paths.config_dir).encode("utf-8")).hexdigest()[:16]
    return f"broadsheet-{digest}"


def hand_off(paths: AppPaths, file: Path | None) -> bool:
    """Send `file` (or just "show yourself") to a running instance; True if one took it."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(paths))
    if not socket.waitForConnected(HANDOFF_TIMEOUT_MS):
        return False
    message = (str(file.absolute()) if file else "").encode("utf-8") + b"\n"
    socket.write(message)
    ok = socket.waitForBytesWritten(HANDOFF_TIMEOUT_MS)
    socket.waitForReadyRead(HANDOFF_TIMEOUT_MS)  # the first instance answers "ok"
    answered = bytes(socket.readAll().data()).startswith(b"ok")
    socket.disconnectFromServer()
    return ok and answered


class InstanceServer(QObject):
    """Listens for later starts; emits the file each one asks to open ("" for none)."""

    open_requested = Signal(str)

    def __init__(self, paths: AppPaths) -> None:
        super().__init__()
        self.server = QLocalServer(self)
        name = server_name(paths)
        if not self.server.listen(name):
            QLocalServer.removeServer(name)  # left behind by a process that was killed
            self.server.listen(name)
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data()).decode("utf-8", "replace").strip()
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        self.open_requested.emit(line)
