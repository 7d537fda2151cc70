"""The single-instance socket: private place, owner checked, requests small and short-lived.

The clients here are plain Python sockets, as another program would use them.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import socket
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from afterword.gui import single_instance
from afterword.gui.single_instance import Outcome, SingleInstance, server_name

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Unix sockets")


@pytest.fixture
def runtime_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # Short, like /run/user/1000: socket paths are limited to about 100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="rt-"))
    folder.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    for item in folder.iterdir():
        item.unlink()
    folder.rmdir()


@pytest.fixture
def primary(qtbot: QtBot, data_dir: Path, runtime_dir: Path) -> Iterator[SingleInstance]:
    instance = SingleInstance(data_dir)
    assert instance.claim().outcome == Outcome.PRIMARY
    assert instance.listen()
    yield instance
    instance.release()


def test_the_socket_is_in_the_runtime_folder_and_private(
    primary: SingleInstance, runtime_dir: Path
) -> None:
    path = Path(primary.name)
    assert path.parent == runtime_dir
    info = path.stat()
    assert stat.S_ISSOCK(info.st_mode)
    assert info.st_uid == os.getuid()
    assert not str(path).startswith("/tmp/afterword")


def test_without_a_safe_runtime_folder_the_socket_is_in_the_data_folder(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    assert Path(server_name(data_dir)).parent == data_dir.resolve()
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # anyone could bind a socket here first
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))
    assert Path(server_name(data_dir)).parent == data_dir.resolve()


@pytest.mark.skipif(os.geteuid() != 0, reason="making a socket owned by another user needs root")
def test_a_socket_owned_by_another_user_is_never_talked_to(
    data_dir: Path, runtime_dir: Path
) -> None:
    first = SingleInstance(data_dir)
    assert first.claim().outcome == Outcome.PRIMARY  # holds the lock, does not listen
    impostor = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        impostor.bind(first.name)
        impostor.listen()
        os.chown(first.name, pwd.getpwnam("nobody").pw_uid, -1)
        claim = SingleInstance(data_dir).claim()
        assert claim.outcome == Outcome.UNREACHABLE
        assert "belongs to another user" in claim.problem
        impostor.settimeout(0.2)
        with pytest.raises(TimeoutError):
            impostor.accept()  # nobody connected to it
    finally:
        impostor.close()
        first.release()


def _client(name: str) -> socket.socket:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(name)
    client.settimeout(0.05)
    return client


def _closed_by_server(qtbot: QtBot, client: socket.socket, timeout_ms: int = 5000) -> None:
    def closed() -> bool:
        try:
            return client.recv(1024) == b""
        except TimeoutError:
            return False
        except ConnectionResetError:
            return True

    qtbot.waitUntil(closed, timeout=timeout_ms)


def test_an_over_long_request_is_dropped(qtbot: QtBot, primary: SingleInstance) -> None:
    client = _client(primary.name)
    try:
        with qtbot.assertNotEmitted(primary.activate_requested):
            # Dropped while still sending is what we want: the errors say so.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
                client.sendall(b"x" * (1024 * 1024))  # 1 MiB, no line end
            _closed_by_server(qtbot, client)
    finally:
        client.close()
    qtbot.waitUntil(lambda: primary.connection_count() == 0)


def test_idle_connections_are_closed(
    qtbot: QtBot, primary: SingleInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(single_instance, "IDLE_TIMEOUT_MS", 300)
    clients = [_client(primary.name) for _ in range(3)]
    try:
        qtbot.waitUntil(lambda: primary.connection_count() == 3)
        started = time.monotonic()
        for client in clients:
            _closed_by_server(qtbot, client)
        assert time.monotonic() - started < 4
        assert primary.connection_count() == 0
    finally:
        for client in clients:
            client.close()


def test_connections_beyond_the_limit_are_refused(qtbot: QtBot, primary: SingleInstance) -> None:
    clients = [_client(primary.name) for _ in range(single_instance.MAX_CONNECTIONS)]
    try:
        qtbot.waitUntil(lambda: primary.connection_count() == single_instance.MAX_CONNECTIONS)
        extra = _client(primary.name)
        _closed_by_server(qtbot, extra)
        extra.close()
        assert primary.connection_count() == single_instance.MAX_CONNECTIONS
    finally:
        for client in clients:
            client.close()


def test_a_proper_request_is_still_answered(qtbot: QtBot, primary: SingleInstance) -> None:
    client = _client(primary.name)
    try:
        with qtbot.waitSignal(primary.activate_requested):
            client.sendall(b"activate\n")
        reply = b""

        def answered() -> bool:
            nonlocal reply
            with contextlib.suppress(TimeoutError):
                reply += client.recv(16)
            return reply.endswith(b"\n")

        qtbot.waitUntil(answered)
        assert reply == b"ok\n"
    finally:
        client.close()
