"""One editor per user session: a second start hands its files to the running window.

Double-clicking an article while the editor runs should open it in a tab of that window, not
in a second window with its own settings and recovery journal racing the first. The running
editor listens on a local socket (a Unix socket in ``$XDG_RUNTIME_DIR``, a named pipe on
Windows); a new start first tries to hand its files over there and exits if the running one
took them. The name includes the user and the data and settings folders, so a test or a
benchmark that uses folders of its own never talks to the user's editor.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

ACK = b"ok\n"
CONNECT_TIMEOUT_MS = 1000
ANSWER_TIMEOUT_MS = 5000


def instance_name() -> str:
    """The socket of this user's editor with these data and settings folders."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    home = Path.home()
    profile = "\0".join([
        user,
        os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share"),
        os.environ.get("XDG_CONFIG_HOME") or str(home / ".config"),
    ])
    digest = hashlib.sha256(profile.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    name = f"article-editor-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_dir():  # per login session, private to the user
        return str(Path(runtime) / f"{name}.socket")
    if os.name == "nt":
        return name  # a named pipe: Qt makes it per user
    return str(Path(tempfile.gettempdir()) / f"{name}.socket")


def hand_over(paths: list[str], name: str | None = None) -> bool:
    """Give ``paths`` to a running editor and ask it to come to the front. True if it took them.

    Works before any QApplication exists, so a second start returns at once.
    """
    socket = QLocalSocket()
    socket.connectToServer(name or instance_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    message = {"paths": [str(Path(path).expanduser().absolute()) for path in paths]}
    socket.write(QByteArray(json.dumps(message).encode("utf-8") + b"\n"))
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    answer = b""
    while ACK not in answer and socket.waitForReadyRead(ANSWER_TIMEOUT_MS):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return ACK in answer


class InstanceServer(QObject):
    """Listens for later starts of the editor and passes on the files they bring."""

    files_received = Signal(list)  # list[Path], possibly empty: then only come to the front

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or instance_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening. False if another editor already answers on the name."""
        # Asked first: with access options Qt moves its new socket file over an existing one,
        # which would silently take the name from a live editor.
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(CONNECT_TIMEOUT_MS):
            probe.disconnectFromServer()
            return False
        QLocalServer.removeServer(self.name)  # a crashed editor's socket file: nobody answers
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            buffer = bytearray()
            socket.readyRead.connect(lambda s=socket, b=buffer: self._read(s, b))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket, buffer: bytearray) -> None:
        buffer += bytes(socket.readAll().data())
        if b"\n" not in buffer:
            return
        line = bytes(buffer).split(b"\n", 1)[0]
        try:
            paths = [Path(path) for path in json.loads(line.decode("utf-8"))["paths"]]
        except (ValueError, KeyError, TypeError):
            socket.disconnectFromServer()  # not another editor: ignore it
            return
        socket.write(QByteArray(ACK))
        socket.flush()
        self.files_received.emit(paths)


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` on top of the others, restored if it was minimised."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def serve_window(window: QWidget, open_paths: Callable[[list[Path]], object]) -> InstanceServer | None:
    """Make ``window`` the one later starts hand their files to (``open_paths`` opens them)."""
    server = InstanceServer(parent=window)
    if not server.listen():
        server.deleteLater()
        return None

    def receive(paths: list[Path]) -> None:
        bring_to_front(window)
        if paths:
            open_paths(paths)

    server.files_received.connect(receive)
    return server
