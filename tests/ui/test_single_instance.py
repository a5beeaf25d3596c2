"""One editor per user session: a second start hands its files to the running window."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtNetwork import QLocalSocket

from editor.ui.single_instance import InstanceServer, hand_over, instance_name, serve_window

from .conftest import OFFSCREEN_NOISE

# The offscreen platform cannot raise a window; a desktop's can.
pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, "This plugin does not support raise")


def tab_texts(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [window.tabs.tabText(index) for index in range(window.tabs.count())]


@pytest.fixture
def second_start(tmp_path: Path) -> Iterator:  # type: ignore[type-arg]
    """Start ``article-editor FILE...`` as the desktop would, from ``tmp_path``; killed if it hangs."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(*paths: str) -> subprocess.Popen[bytes]:
        env = dict(os.environ)  # the test's own XDG_DATA_HOME, so the test's own instance name
        env["QT_QPA_PLATFORM"] = "offscreen"
        process = subprocess.Popen([sys.executable, "-m", "editor", *paths], cwd=tmp_path,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()


def finished(qtbot, process: subprocess.Popen[bytes], timeout: int = 30000) -> int:  # type: ignore[no-untyped-def]
    """Its exit status, the window's event loop running meanwhile (it answers the socket)."""
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=timeout)
    return process.returncode


def test_a_second_start_opens_its_file_in_the_running_window_and_brings_it_forward(
    window, qtbot, tmp_path, second_start,
):
    server = serve_window(window, window.workspace.open_paths)
    assert server is not None
    (tmp_path / "story.md").write_text("---\ntitle: Story\n---\nText.\n", "utf-8")
    window.showMinimized()

    process = second_start("story.md")  # a path relative to where it was started

    assert finished(qtbot, process) == 0
    qtbot.waitUntil(lambda: tab_texts(window) == ["story.md"])
    assert window.current_document().path == tmp_path / "story.md"
    assert not window.isMinimized()
    server.close()


@pytest.mark.skipif(os.name != "posix", reason="socket files are a Unix thing")
def test_the_socket_file_a_crashed_editor_left_is_taken_over(window, qtbot, tmp_path, second_start):
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(instance_name())  # the file stays after close, as after a crash
    stale.close()
    assert Path(instance_name()).exists()
    assert hand_over(["story.md"]) is False  # nobody answers there

    server = serve_window(window, window.workspace.open_paths)
    assert server is not None
    (tmp_path / "story.md").write_text("Text.\n", "utf-8")
    assert finished(qtbot, second_start("story.md")) == 0
    qtbot.waitUntil(lambda: tab_texts(window) == ["story.md"])
    server.close()


def test_a_live_editor_keeps_its_name(qapp, tmp_path):
    name = str(tmp_path / "editor.socket")
    first = InstanceServer(name)
    assert first.listen()
    second = InstanceServer(name)
    assert not second.listen()
    first.close()


def test_anything_but_an_editor_on_the_socket_is_ignored(qapp, qtbot, tmp_path):
    server = InstanceServer(str(tmp_path / "editor.socket"))
    assert server.listen()
    received: list[list[Path]] = []
    server.files_received.connect(received.append)
    stranger = QLocalSocket()
    stranger.connectToServer(server.name)
    assert stranger.waitForConnected(1000)
    stranger.write(QByteArray(b"GET / HTTP/1.0\n"))
    stranger.flush()
    qtbot.waitUntil(lambda: stranger.state() == QLocalSocket.LocalSocketState.UnconnectedState)
    assert received == []
    server.close()
