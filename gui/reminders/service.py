"""The reminder scheduler of the running app: one timer, notifications, actions.

:class:`ReminderService` asks the core what to notify
(:func:`afterword.core.reminders.service.look`, off the GUI thread), records
each notification before showing it, and arms **one** single-shot timer for
the next moment something changes. The timer is never set further than
:data:`~afterword.core.reminders.planning.COARSE_TICK` ahead: that coarse tick
is what keeps the plan right after a suspend (Qt's timers stop with the
monotonic clock), a clock change or a time-zone change, which no event
announces; each tick looks again and, when the system zone changed, gives
the context a clock in the new zone. Where logind tells of a wake-up
(:mod:`afterword.gui.reminders.wake`), it looks again at once. Nothing runs between two moments, and
the timer never fires more than once a minute except for a moment that was
asked for.

A write anywhere (a new interview, a mark, the settings) looks again.
Notification actions (Open, Write thank-you, Snooze 1 day, Done) are carried
out here through ``context.ops``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from afterword.core.storage.changes import Changes, Kind
from afterword.gui.context import AppContext
from afterword.gui.reminders.notifier import DesktopNotifier, TrayNotifier
from afterword.gui.reminders.wake import WakeWatcher

logger = logging.getLogger(__name__)

MIN_DELAY = timedelta(seconds=1)
# Writes that can change what is due (a mark, new facts, the settings).
_RELEVANT = (
    Kind.CHECKLIST,
    Kind.SETTINGS,
    Kind.INTERVIEWS,
    Kind.APPLICATIONS,
    Kind.CONTACTS,
    Kind.TOUCHPOINTS,
)

_current: ReminderService | None = None


class Router(Protocol):
    """What a notification's actions open (the main window)."""

    def bring_to_front(self) -> None: ...
    def open_application(self, application_id: int) -> None: ...
    def open_contact(self, contact_id: int) -> None: ...
    def write_thank_you(self, interview_id: int, contact_id: int | None) -> None: ...
    def show_page(self, key: str) -> object: ...


def current_service() -> ReminderService | None:
    """The running app's reminder service (None in a window without one)."""
    return _current


class ReminderService(QObject):
    """See the module docstring. ``planned`` carries each new :class:`Outlook`.

    ``digest_problem`` says why the last morning digest was not sent ("" once
    one is); ``digest_problem_changed`` announces a change, for Settings.
    """

    planned = Signal(object)
    digest_problem_changed = Signal()

    def __init__(
        self,
        context: AppContext,
        router: Router,
        notifier: DesktopNotifier | TrayNotifier | None = None,
        *,
        zone_probe: Callable[[], object] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.context = context
        self.router = router
        self.notifier = notifier or DesktopNotifier(self)
        self._zone_probe = zone_probe
        self._zone = zone_probe() if zone_probe else None
        self.outlook: object | None = None
        self.digest_problem = ""
        self.wakeups = 0
        self.armed_for: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # A coarse timer may fire up to 5 % early or late (30 s on 10 minutes): early
        # means a second look for nothing, late a reminder that is late.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer)
        self.notifier.invoked.connect(self.handle)
        self.wake = WakeWatcher(self)
        self.wake.woke.connect(self.check)
        context.ops.changed.connect(self._on_changed)

    def start(self) -> None:
        """Connect to the notification service and look at what is due (the catch-up)."""
        global _current
        _current = self
        self.notifier.start()
        self.wake.start()
        self.check()

    def stop(self) -> None:
        global _current
        if _current is self:
            _current = None
        self._timer.stop()
        self.notifier.stop()
        self.wake.stop()

    def check(self) -> None:
        """Look again now (after a write, a wake-up, or the timer)."""
        if not self._context.has_database:
            return
        from afterword.core.reminders.service import look

        self._context.ops.read(
            "reminders",
            look,
            self._context.db,
            self._context.now(),
            on_success=self._planned,
            on_failure=lambda error: logger.error("Reminders could not look: %s", error),
        )

    # -- planning -----------------------------------------------------------------------------

    def _planned(self, outlook: object) -> None:
        from afterword.core.reminders.service import Outlook, record_notified, send_digest

        assert isinstance(outlook, Outlook)
        self.outlook = outlook
        now = self._context.now()
        for notice in outlook.plan.notices:
            # Recorded first: a notification shown twice is worse than one lost to a crash.
            self._context.ops.write(
                record_notified,
                self._context.db,
                notice.log_keys,
                now,
                on_success=lambda _result, shown=notice: self.notifier.show(shown),
                on_failure=lambda error: logger.error("Could not record a reminder: %s", error),
            )
        if outlook.digest_day is not None:
            self._context.ops.write(
                send_digest,
                self._context.db,
                outlook.digest_day,
                now,
                on_success=lambda _sent: self._digest_done(""),
                on_failure=self._digest_failed,
            )
        self._arm(outlook.plan.next_at, now)
        logger.info(
            "Reminders: %d to notify, %d due; looking again at %s",
            len(outlook.plan.notices),
            outlook.plan.attention,
            self.armed_for,
        )
        self.planned.emit(outlook)

    def _digest_failed(self, error: BaseException) -> None:
        from afterword.core.errors import AfterwordError

        logger.warning("The morning digest failed: %s", error)
        if isinstance(error, AfterwordError):
            self._digest_done(str(error))
        else:
            self._digest_done("The morning digest could not be sent; the log says why.")

    def _digest_done(self, problem: str) -> None:
        if problem != self.digest_problem:
            self.digest_problem = problem
            self.digest_problem_changed.emit()

    def _arm(self, next_at: datetime | None, now: datetime) -> None:
        from afterword.core.reminders.planning import COARSE_TICK

        delay = COARSE_TICK if next_at is None else min(max(next_at - now, MIN_DELAY), COARSE_TICK)
        self.armed_for = now + delay
        self._timer.start(int(delay.total_seconds() * 1000))

    def _on_timer(self) -> None:
        self.wakeups += 1
        if self._zone_probe is not None:
            zone = self._zone_probe()
            if zone != self._zone:
                from afterword.gui.context import system_clock

                logger.info("The time zone changed from %s to %s", self._zone, zone)
                self._zone = zone
                self._context.clock = system_clock()
        self.check()

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(*_RELEVANT):
            self.check()

    # -- what a notification's buttons do -------------------------------------------------------

    def handle(self, notice: object, action: object) -> None:
        from afterword.core.checklist import service as checklist
        from afterword.core.reminders.planning import Action, Notice

        assert isinstance(notice, Notice) and isinstance(action, Action)
        now = self._context.now()
        if action == Action.SNOOZE_DAY:
            for key in notice.item_keys:
                self._context.ops.write(
                    checklist.snooze, self._context.db, key, now + timedelta(days=1), now
                )
            return
        if action == Action.DONE:
            for key in notice.item_keys:
                self._context.ops.write(checklist.mark_done, self._context.db, key, now)
            return
        self.router.bring_to_front()
        if action == Action.WRITE_THANK_YOU and notice.interview_id is not None:
            self.router.write_thank_you(notice.interview_id, notice.contact_id)
        elif notice.application_id is not None:
            self.router.open_application(notice.application_id)
        elif notice.contact_id is not None:
            self.router.open_contact(notice.contact_id)
        else:
            self.router.show_page("today")
