"""The total deadline of one SMTP conversation, enforced whatever the server's pace.

smtplib's timeout applies to each read or write, so a server that answers
every step just inside it (or trickles one byte at a time) can keep a send
going for as long as it likes. :class:`Deadline` starts a timer; when it
fires it shuts down the socket of the connection it watches, which ends the
read or write waiting in the sending thread at once. Connecting and TLS
handshakes, which happen before there is a connection to watch, run with their
timeout cut to what is left of the deadline. (A DNS lookup cannot be
interrupted; it stays bounded by the system resolver's own timeout.)
"""

from __future__ import annotations

import logging
import smtplib
import socket
import threading
import time
from contextlib import suppress

logger = logging.getLogger(__name__)


class Deadline:
    """A send's total time limit: when it passes, the watched connection's socket is shut down.

    Shutting the socket down (from the timer's thread) ends a read or write
    that is waiting in the sending thread at once, whatever its own timeout.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.passed = False
        self._ends = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._smtp: smtplib.SMTP | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    @property
    def expired(self) -> bool:
        """Whether the deadline has passed (a read timed out at it may beat the timer)."""
        return self.passed or time.monotonic() >= self._ends

    def step_timeout(self, timeout: float) -> float:
        """The per-step timeout, never beyond what is left of the deadline."""
        return max(0.001, min(timeout, self._ends - time.monotonic()))

    def watch(self, smtp: smtplib.SMTP) -> None:
        with self._lock:
            self._smtp = smtp

    def _expire(self) -> None:
        with self._lock:
            self.passed = True
            sock = self._smtp.sock if self._smtp is not None else None
            if sock is not None:
                logger.warning(
                    "The send's deadline of %g s passed; closing the connection", self.seconds
                )
                # The plain socket's shutdown, not SSLSocket's: that one also drops
                # its TLS state under the feet of the thread reading from it.
                with suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


class DeadlineSockets:
    """Connects with a timeout cut to what is left of the deadline (mixed into smtplib)."""

    deadline: Deadline

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        # smtplib names the server for TLS (SNI, certificate check) from _host,
        # which it sets only when the constructor connects.
        self._host = host
        step = self.deadline.step_timeout(timeout)
        return super()._get_socket(host, port, step)  # type: ignore[misc, no-any-return]


class DeadlineSmtp(DeadlineSockets, smtplib.SMTP):
    pass


class DeadlineSmtpSsl(DeadlineSockets, smtplib.SMTP_SSL):
    pass
