"""Look again as soon as the computer wakes: logind's ``PrepareForSleep(false)``.

Qt's timers stop with the monotonic clock while the machine sleeps, so a
reminder due during a suspend would wait for the timer. systemd-logind
announces sleep and wake on the system bus; on wake the scheduler looks
again at once. Without a system bus or logind (other systems, containers)
the scheduler's coarse tick still catches up within
:data:`~afterword.core.reminders.planning.COARSE_TICK`.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from afterword.gui.reminders.bus import BusSignals, reason

logger = logging.getLogger(__name__)

LOGIND_INTERFACE = "org.freedesktop.login1.Manager"
LOGIND_PATH = "/org/freedesktop/login1"


class WakeWatcher(QObject):
    """``woke`` fires when the system resumes from sleep."""

    woke = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = BusSignals("wake-watcher", self)
        self._bus.received.connect(self._on_signal)

    def start(self, bus: str = "SYSTEM") -> bool:
        """Listen on ``bus`` (the system bus; tests give a private one); False if unavailable."""
        try:
            self._bus.open(
                bus, interface=LOGIND_INTERFACE, path=LOGIND_PATH, member="PrepareForSleep"
            )
        except Exception as exc:
            logger.info("Not watching for wake-ups (%s); the coarse tick covers them", reason(exc))
            return False
        return True

    def stop(self) -> None:
        self._bus.close()

    def _on_signal(self, member: str, body: tuple[Any, ...]) -> None:
        if member == "PrepareForSleep" and body and not body[0]:
            logger.info("The system woke up")
            self.woke.emit()
