"""Waiting for new mail with IMAP IDLE (RFC 2177): one connection, in a thread of its own.

:class:`InboxIdler` keeps one logged-in connection open on the inbox
(read-only) and in IDLE, and calls ``on_new_mail`` when the server reports
that a message arrived (``EXISTS``). It fetches nothing itself: the caller
runs its own, rate-limited search (:mod:`afterword.core.replies`).

- A server that does not offer IDLE (:func:`idle_offered`) is not kept
  open: the idler calls ``on_no_idle`` and ends; the caller keeps polling.
- A dropped connection, a refused login, an unreachable server or a password
  the keyring cannot give (locked, missing) is retried after a pause that
  doubles from :data:`FIRST_RETRY` up to :data:`LAST_RETRY` (reset once IDLE
  runs again), so an offline laptop does not hammer the server. Why the last
  attempt failed is kept in ``problem`` and reported to ``on_problem``.
- IDLE is renewed every :data:`RENEW_IDLE` (servers end it after 30 minutes).
- :meth:`InboxIdler.stop` ends it within a moment: it wakes the thread by
  shutting the socket, so quitting never waits for the server.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, suppress

import imapclient
from imapclient.exceptions import IMAPClientError

from afterword.core.errors import AfterwordError

logger = logging.getLogger(__name__)

INBOX = "INBOX"
FIRST_RETRY = 5.0  # seconds
LAST_RETRY = 15 * 60.0
# RFC 2177: clients should re-issue IDLE at least every 29 minutes.
RENEW_IDLE = 25 * 60.0
# How long one wait for the server's news lasts before the loop looks around.
CHECK_SECONDS = 30.0

Connect = Callable[[], AbstractContextManager[imapclient.IMAPClient]]


def idle_offered(capabilities: Iterable[bytes | str]) -> bool:
    """Whether a server with these capabilities can tell us about new mail (IDLE)."""
    names = {c.decode() if isinstance(c, bytes) else c for c in capabilities}
    return "IDLE" in {name.upper() for name in names}


def new_mail(responses: Iterable[tuple[object, ...]]) -> bool:
    """Whether IDLE responses report an arrival (``* n EXISTS``)."""
    return any(len(r) >= 2 and r[1] == b"EXISTS" for r in responses)


def said_goodbye(responses: Iterable[tuple[object, ...]]) -> bool:
    """Whether the server ended the session (``* BYE``)."""
    return any(len(r) >= 1 and r[0] == b"BYE" for r in responses)


def _connection_trouble(exc: BaseException) -> str:
    """A dropped connection without a message of its own, in words."""
    return (
        "The connection that waits for new mail was lost "
        f"({type(exc).__name__}); Afterword keeps trying and still looks every 15 minutes."
    )


def next_retry(previous: float) -> float:
    """The pause before the next attempt after one more failure."""
    return min(max(previous * 2, FIRST_RETRY), LAST_RETRY)


class InboxIdler:
    """One thread idling on the inbox; start it once, stop it once."""

    def __init__(
        self,
        connect: Connect,
        on_new_mail: Callable[[], None],
        on_no_idle: Callable[[], None] = lambda: None,
        *,
        on_problem: Callable[[str], None] = lambda _problem: None,
        first_retry: float = FIRST_RETRY,
        check_seconds: float = CHECK_SECONDS,
    ) -> None:
        self._connect = connect
        self._on_new_mail = on_new_mail
        self._on_no_idle = on_no_idle
        self._on_problem = on_problem
        self._first_retry = first_retry
        self._check_seconds = check_seconds
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._thread = threading.Thread(target=self._run, name="afterword-idle", daemon=True)
        self.idling = threading.Event()  # set while IDLE runs (tests wait for it)
        self.problem = ""  # why the last attempt failed, for the settings to show

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """End the connection and the thread; returns when it ended (or after ``timeout``)."""
        self._stopping.set()
        with self._lock:
            if self._socket is not None:
                # Wakes the thread's wait for the server at once.
                with suppress(OSError):
                    self._socket.shutdown(socket.SHUT_RDWR)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _report(self, problem: str) -> None:
        """Keep why the last attempt failed ("" once IDLE runs) and tell the caller of a change."""
        if problem != self.problem:
            self.problem = problem
            self._on_problem(problem)

    def _run(self) -> None:
        pause = 0.0
        while not self._stopping.is_set():
            try:
                if not self._idle_once():
                    return
                pause = 0.0
            except (AfterwordError, IMAPClientError, OSError) as exc:
                self.idling.clear()
                if self._stopping.is_set():
                    return
                pause = next_retry(pause if pause else self._first_retry / 2)
                self._report(getattr(exc, "user_message", "") or _connection_trouble(exc))
                logger.warning(
                    "Waiting for new mail stopped (%s); trying again in %.0f s",
                    type(exc).__name__,
                    pause,
                )
            except Exception:
                logger.exception("Waiting for new mail failed unexpectedly; not retried")
                return
            self._stopping.wait(pause)

    def _idle_once(self) -> bool:
        """One connection's life; False when there is nothing to retry (no IDLE, stopping)."""
        with self._connect() as client:
            if not idle_offered(client.capabilities()):
                logger.info("The IMAP server does not offer IDLE: looking every 15 minutes")
                self._on_no_idle()
                return False
            client.select_folder(INBOX, readonly=True)
            with self._lock:
                self._socket = client.socket()
            try:
                while not self._stopping.is_set():
                    self._idle_a_while(client)
            finally:
                with self._lock:
                    self._socket = None
                self.idling.clear()
        return not self._stopping.is_set()

    def _idle_a_while(self, client: imapclient.IMAPClient) -> None:
        """IDLE until it is due to be renewed or we stop; reports arrivals as they come."""
        client.idle()
        self.idling.set()
        self._report("")
        renew_at = time.monotonic() + RENEW_IDLE
        while not self._stopping.is_set() and time.monotonic() < renew_at:
            responses = client.idle_check(timeout=self._check_seconds)
            if self._stopping.is_set():
                return
            if new_mail(responses):
                self._on_new_mail()
            if said_goodbye(responses):
                # The server is closing (restart, cut-off): close our side at
                # once, so the logout on the way out does not wait for a reply.
                with suppress(OSError):
                    client.socket().shutdown(socket.SHUT_RDWR)
                raise ConnectionResetError("the server ended the connection")
        client.idle_done()
