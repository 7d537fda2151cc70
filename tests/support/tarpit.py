"""A real, slow SMTP server on 127.0.0.1: every answer comes just inside the client's timeout.

:func:`run_tarpit` speaks enough plain-text SMTP (localhost only, like a
local relay) for smtplib to log in and send: greeting, EHLO, AUTH PLAIN, MAIL,
RCPT, DATA, QUIT. It waits ``delay`` seconds before each answer, or, with
``trickle_after_data``, answers everything at once except the reply to the
message text: a long multi-line reply, one line every ``delay`` seconds. Either way no
single read ever waits longer than ``delay``, so only a total deadline ends
the conversation early. It records what it received, like the aiosmtpd
servers in :mod:`tests.support.smtp`.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from afterword.core.storage.values import MailSecurity
from tests.support.smtp import HOST, PASSWORD, USERNAME, Received, SmtpServer

_FINAL_REPLY = b"250 2.0.0 Ok: queued\r\n"
# Twenty continuation lines, then the last: each line complete, so a cut
# between them is a clean end of the connection, never half an answer.
_TRICKLED_REPLY = [b"250-2.0.0 still checking\r\n"] * 20 + [_FINAL_REPLY]


class _Conversation:
    def __init__(
        self, connection: socket.socket, delay: float, trickle: bool, server: SmtpServer
    ) -> None:
        self.connection = connection
        self.reader = connection.makefile("rb")
        self.delay = delay
        self.trickle = trickle
        self.server = server

    def answer(self, reply: bytes, *, slow: bool) -> None:
        if slow:
            time.sleep(self.delay)
        self.connection.sendall(reply)

    def answer_the_data(self) -> None:
        if not self.trickle:
            self.answer(_FINAL_REPLY, slow=True)
            return
        for line in _TRICKLED_REPLY:
            self.answer(line, slow=True)

    def run(self) -> None:
        plodding = not self.trickle
        self.answer(b"220 tarpit.test ESMTP\r\n", slow=plodding)
        mail_from, recipients = "", []
        while line := self.reader.readline():
            verb = line.split(b" ", 1)[0].strip().upper()
            argument = line[len(verb) :].strip().decode()
            if verb == b"EHLO":
                self.answer(b"250-tarpit.test\r\n250 AUTH PLAIN\r\n", slow=plodding)
            elif verb == b"AUTH":
                self.server.login_attempts.append(USERNAME)
                self.answer(b"235 2.7.0 Authentication successful\r\n", slow=plodding)
            elif verb == b"MAIL":
                mail_from = argument.partition(":")[2].strip("<> ")
                self.answer(b"250 OK\r\n", slow=plodding)
            elif verb == b"RCPT":
                recipients.append(argument.partition(":")[2].strip("<> "))
                self.answer(b"250 OK\r\n", slow=plodding)
            elif verb == b"DATA":
                self.answer(b"354 End data with <CR><LF>.<CR><LF>\r\n", slow=plodding)
                content = b"".join(iter(self._data_line, b".\r\n"))
                self.server.received.append(
                    Received(mail_from, tuple(recipients), content, USERNAME)
                )
                self.answer_the_data()
            elif verb == b"QUIT":
                self.answer(b"221 Bye\r\n", slow=False)
                return
            else:
                self.answer(b"250 OK\r\n", slow=plodding)

    def _data_line(self) -> bytes:
        line = self.reader.readline()
        return line if line else b".\r\n"


@contextmanager
def run_tarpit(delay: float, *, trickle_after_data: bool = False) -> Iterator[SmtpServer]:
    """Run the slow server (plain text, AUTH PLAIN) until the block ends; yields it as a server."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((HOST, 0))
    listener.listen(4)
    server = SmtpServer(
        host=HOST,
        port=int(listener.getsockname()[1]),
        security=MailSecurity.NONE,
        username=USERNAME,
        password=PASSWORD,
        received=[],
        login_attempts=[],
    )
    connections: list[socket.socket] = []

    def serve(connection: socket.socket) -> None:
        # The client hanging up (its deadline) ends the conversation with an OSError.
        with suppress(OSError), connection:
            _Conversation(connection, delay, trickle_after_data, server).run()

    def accept() -> None:
        with suppress(OSError):
            while True:
                connection, _ = listener.accept()
                connections.append(connection)
                threading.Thread(target=serve, args=(connection,), daemon=True).start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield server
    finally:
        # Shutting the listener down wakes the blocked accept(); then nothing is left running.
        with suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        acceptor.join(timeout=5)
