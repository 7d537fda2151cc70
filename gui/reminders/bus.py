"""One D-Bus connection with a thread that hands chosen signals to the GUI thread (jeepney).

Used by the desktop notifier (session bus) and the wake-up watcher (system
bus). :meth:`BusSignals.open` connects and subscribes to one match rule;
each matching signal arrives on the GUI thread as ``received(member, body)``.
Calls go out with :meth:`BusSignals.call` on the same connection, which
matters for services (GNOME's notifications) that send their signals only
to the connection that called them.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

logger = logging.getLogger(__name__)

CALL_TIMEOUT_S = 3.0
_STOP = object()


class BusSignals(QObject):
    """See the module docstring. ``received`` carries (member name, body tuple)."""

    received = Signal(str, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._connection: Any = None
        self._router: Any = None
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None

    @property
    def is_open(self) -> bool:
        return self._router is not None

    def open(self, bus: str, **rule: str) -> None:
        """Connect to ``bus`` ("SESSION" or "SYSTEM") and subscribe to signals matching ``rule``.

        Raises whatever connecting or subscribing raised (no bus, no jeepney).
        """
        from jeepney import MatchRule, message_bus
        from jeepney.io.threading import DBusRouter, Proxy, open_dbus_connection

        self._connection = open_dbus_connection(bus=bus)
        self._router = DBusRouter(self._connection)
        match = MatchRule(type="signal", **rule)
        self._filter = self._router.filter(match, queue=self._queue, bufsize=64)
        try:
            Proxy(message_bus, self._router, timeout=CALL_TIMEOUT_S).AddMatch(match)
        except Exception:
            self.close()
            raise
        self._thread = threading.Thread(target=self._listen, name=self._name, daemon=True)
        self._thread.start()

    def call(
        self, service: str, path: str, interface: str, method: str, signature: str, *body: Any
    ) -> tuple[Any, ...]:
        """Call a method on this connection and return its reply's values (raises on an error)."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import unwrap_msg

        address = DBusAddress(path, bus_name=service, interface=interface)
        message = new_method_call(address, method, signature or None, body)
        reply = self._router.send_and_get_reply(message, timeout=CALL_TIMEOUT_S)
        return tuple(unwrap_msg(reply))

    def close(self) -> None:
        self._queue.put(_STOP)
        if self._thread is not None:
            self._thread.join(timeout=CALL_TIMEOUT_S)
            self._thread = None
        if self._router is not None:
            self._router.close()
            self._connection.close()
            self._router = None

    def _listen(self) -> None:
        """The bus thread: pass each matching signal to the GUI thread."""
        from jeepney import HeaderFields

        while True:
            message = self._queue.get()
            if message is _STOP:
                return
            member = message.header.fields.get(HeaderFields.member, "")
            self.received.emit(str(member), tuple(message.body))


def reason(exc: BaseException) -> str:
    """A D-Bus error's name, or the exception in a few words."""
    name = getattr(exc, "name", None)
    return str(name) if name else f"{type(exc).__name__}: {exc}"
