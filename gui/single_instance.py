"""One running Afterword per data folder.

The first instance holds a :class:`QLockFile` in the data folder and listens
on a :class:`QLocalServer` whose socket is private to the user: in
``$XDG_RUNTIME_DIR`` (a 0700 folder the session gives each user), else in the
data folder itself (0700 too), never under a guessable name in ``/tmp``
where another user could bind it first. Its name comes from the folder's
path, so two data folders can run side by side. Before talking to a socket
a second launch checks that it belongs to this user. The server reads at
most a short line per connection and drops connections that stay idle. A second launch finds
the lock taken, connects to the server and sends ``activate``; the first
brings its window to the front and answers ``ok``, and the second exits.
The lock is taken before the database is opened; listening starts after
the first paint (:meth:`SingleInstance.listen`), so QtNetwork stays off the
start-up path. A second launch in between keeps trying for a few seconds.
A launch with files (``afterword invite.ics``) sends ``open <path>`` lines
instead of ``activate``; the first emits ``open_requested`` for each file
as well as ``activate_requested``.

A lock left behind by a crash is stale: QLockFile sees that the process that
wrote it is gone and takes it over. The age-based staleness is switched off
(``setStaleLockTime(0)``), so a long-running first instance never loses its
lock just because it has been running for a while.
"""

from __future__ import annotations

import enum
import logging
import os
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

logger = logging.getLogger(__name__)

LOCK_FILENAME = "afterword.lock"
ACTIVATE = b"activate\n"
OPEN = b"open "
OK = b"ok\n"
# The first instance may have the lock but not be listening yet (both started
# at once): keep trying to reach it for this long.
CONNECT_PATIENCE_S = 5.0
REPLY_TIMEOUT_MS = 3000
# A request is one line: "activate", or "open " and a file's path (at most
# PATH_MAX, 4096 bytes); anything longer is not a launch of ours.
MAX_REQUEST_BYTES = 8192
# A launch asks at once: a connection silent for this long is dropped.
IDLE_TIMEOUT_MS = 5000
# Launches come one at a time; more open connections than this are refused.
MAX_CONNECTIONS = 8
SOCKET_FILENAME = "afterword.sock"


class Outcome(enum.Enum):
    PRIMARY = "primary"  # we hold the lock: run the app
    ACTIVATED_OTHER = "activated"  # the running instance came to the front: exit 0
    UNREACHABLE = "unreachable"  # another instance holds the lock but did not answer


@dataclass(frozen=True)
class Claim:
    outcome: Outcome
    problem: str = ""


def server_name(data_dir: Path) -> str:
    """Where the server listens: a socket path private to this user and data folder.

    On Windows, a pipe name unique to the user and folder (pipes have no folder).
    """
    import getpass
    import hashlib

    key = f"{getpass.getuser()}\0{data_dir.resolve()}".encode()
    unique = "afterword-" + hashlib.sha256(key).hexdigest()[:24]
    if os.name != "posix":
        return unique
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and private_folder(Path(runtime)):
        return str(Path(runtime) / f"{unique}.sock")
    return str(data_dir.resolve() / SOCKET_FILENAME)


def private_folder(folder: Path) -> bool:
    """Whether ``folder`` is a folder of this user that nobody else may write to."""
    try:
        info = folder.stat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def foreign_socket(name: str) -> str:
    """Why the socket at ``name`` must not be trusted ("" if it is ours, or absent)."""
    if os.name != "posix":
        return ""
    path = Path(name)
    try:
        info = path.lstat()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"{path} cannot be checked ({exc.strerror})"
    if not stat.S_ISSOCK(info.st_mode):
        return f"{path} is not a socket"
    if info.st_uid != os.getuid():
        return f"{path} belongs to another user"
    if not private_folder(path.parent):
        return f"{path.parent} can be written by other users"
    return ""


class SingleInstance(QObject):
    """Claim the data folder with :meth:`claim`, then :meth:`listen` for later launches.

    ``activate_requested`` fires when a second launch asks this one to come forward.
    """

    activate_requested = Signal()
    # A file given to a later launch, to open here (an absolute path).
    open_requested = Signal(Path)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._lock = QLockFile(str(data_dir / LOCK_FILENAME))
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None
        self._connections: set[QLocalSocket] = set()

    def claim(self, files: Sequence[Path] = ()) -> Claim:
        """Become the one instance, or hand over to the one that runs (with ``files``)."""
        if self._lock.tryLock(0):
            return Claim(Outcome.PRIMARY)
        error = self._lock.error()
        if error != QLockFile.LockError.LockFailedError:
            return Claim(
                Outcome.UNREACHABLE,
                f"Cannot create the lock file in {self.data_dir} ({error.name}). "
                "Check that the folder exists and that you may write to it.",
            )
        pid, host, app = self._lock.getLockInfo()
        logger.info(
            "Data folder in use by %s (pid %s on %s); asking it to come forward", app, pid, host
        )
        return self._ask_running_instance(pid, files)

    @property
    def name(self) -> str:
        """The local server's name (worked out when needed: after the first paint)."""
        return server_name(self.data_dir)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    # -- first instance ------------------------------------------------------------------------

    def listen(self) -> bool:
        """Answer later launches (call once :meth:`claim` made this the primary)."""
        from PySide6.QtNetwork import QLocalServer

        # A socket file left by a crashed instance would make listen() fail.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # Not fatal: this instance runs; a second launch will say it cannot reach us.
            logger.warning(
                "Cannot listen for other launches on %s: %s", self.name, server.errorString()
            )
            return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        logger.info("Listening for other launches on %s", self.name)
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            if len(self._connections) >= MAX_CONNECTIONS:
                logger.warning("Refusing a connection: %d already open", len(self._connections))
                socket.abort()
                socket.deleteLater()
                continue
            self._connections.add(socket)
            # Qt stops reading from the socket once this much is buffered.
            socket.setReadBufferSize(MAX_REQUEST_BYTES)
            idle = QTimer(socket)
            idle.setSingleShot(True)
            idle.timeout.connect(socket.abort)
            idle.start(IDLE_TIMEOUT_MS)
            socket.readyRead.connect(lambda socket=socket: self._on_request(socket))
            socket.disconnected.connect(lambda socket=socket: self._forget(socket))

    def _forget(self, socket: QLocalSocket) -> None:
        self._connections.discard(socket)
        socket.deleteLater()

    def connection_count(self) -> int:
        """Connections open now (for tests)."""
        return len(self._connections)

    def _on_request(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() >= MAX_REQUEST_BYTES:
                logger.warning("Dropping a connection that sent an over-long request")
                socket.abort()
            return
        request = bytes(socket.readLine().data())
        if request.startswith(OPEN) and request.endswith(b"\n"):
            path = Path(request[len(OPEN) : -1].decode("utf-8", "surrogateescape"))
            logger.info("Another launch handed over a file to open")
            self.activate_requested.emit()
            self.open_requested.emit(path)
            socket.write(OK)
            socket.flush()
        elif request == ACTIVATE:
            logger.info("Another launch asked this window to come forward")
            self.activate_requested.emit()
            socket.write(OK)
            socket.flush()
        socket.disconnectFromServer()

    # -- second instance -----------------------------------------------------------------------

    def _ask_running_instance(self, pid: int, files: Sequence[Path] = ()) -> Claim:

        # One request per connection: the first reads one line and hangs up.
        requests = [
            OPEN + str(path.absolute()).encode("utf-8", "surrogateescape") + b"\n"
            for path in files
            if "\n" not in str(path)
        ] or [ACTIVATE]
        claim = Claim(Outcome.ACTIVATED_OTHER)
        for request in requests:
            claim = self._send(pid, request)
            if claim.outcome != Outcome.ACTIVATED_OTHER:
                break
        return claim

    def _send(self, pid: int, request: bytes) -> Claim:
        from PySide6.QtNetwork import QLocalSocket

        deadline = time.monotonic() + CONNECT_PATIENCE_S
        last_error = ""
        while time.monotonic() < deadline:
            if problem := foreign_socket(self.name):
                logger.warning("Not talking to another launch's socket: %s", problem)
                return Claim(
                    Outcome.UNREACHABLE,
                    f"Afterword is already running with the data folder {self.data_dir} "
                    f"(process {pid}), but its socket is not safe to use ({problem}). "
                    "Close Afterword, remove that file, and start it again.",
                )
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(500):
                socket.write(request)
                socket.waitForBytesWritten(REPLY_TIMEOUT_MS)
                reply = b""
                while not reply.endswith(b"\n") and socket.waitForReadyRead(REPLY_TIMEOUT_MS):
                    reply += bytes(socket.readAll().data())
                socket.abort()
                if reply == OK:
                    return Claim(Outcome.ACTIVATED_OTHER)
                last_error = f"it answered {reply!r}"
                break
            last_error = socket.errorString()
            time.sleep(0.1)
        return Claim(
            Outcome.UNREACHABLE,
            f"Afterword is already running with the data folder {self.data_dir} "
            f"(process {pid}), but it did not respond ({last_error}). "
            "Switch to its window, or close it and start Afterword again.",
        )
