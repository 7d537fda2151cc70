"""One running Afterword per data folder.

The first instance holds a :class:`QLockFile` in the data folder and listens
on a :class:`QLocalServer` whose name is derived from the folder's path (and
the user), so two data folders can run side by side. A second launch finds
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
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

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


class Outcome(enum.Enum):
    PRIMARY = "primary"  # we hold the lock: run the app
    ACTIVATED_OTHER = "activated"  # the running instance came to the front: exit 0
    UNREACHABLE = "unreachable"  # another instance holds the lock but did not answer


@dataclass(frozen=True)
class Claim:
    outcome: Outcome
    problem: str = ""


def server_name(data_dir: Path) -> str:
    """A local-socket name unique to this user and data folder (short enough for Unix)."""
    import getpass
    import hashlib

    key = f"{getpass.getuser()}\0{data_dir.resolve()}".encode()
    return "afterword-" + hashlib.sha256(key).hexdigest()[:24]


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
            socket.readyRead.connect(lambda socket=socket: self._on_request(socket))
            socket.disconnected.connect(socket.deleteLater)

    def _on_request(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
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
