"""Desktop notifications through ``org.freedesktop.Notifications`` on the session bus.

Why jeepney and not QtDBus: PySide6's QtDBus cannot marshal an unsigned
32-bit integer (a Python int always goes out as ``i`` or ``x``), and
``Notify`` takes ``replaces_id`` as ``u``; strict daemons (GNOME Shell's,
which uses GDBus) refuse a call with the wrong signature. jeepney is the
pure-Python D-Bus library the keyring already depends on on Linux, is
maintained, and types every argument by the signature we give. Talking to
the service directly works with or without a tray (GNOME has none), unlike
``QSystemTrayIcon.showMessage``.

Calls go out on the GUI thread with a short timeout (a local bus answers in
well under a millisecond); the connection's thread (:mod:`afterword.gui.reminders.bus`) receives the
``ActionInvoked`` and ``NotificationClosed`` signals and hands them to the
GUI thread through a Qt signal. GNOME sends them only to the connection that
sent ``Notify``, so both use the one connection.

Without a session bus or a notification service, :attr:`DesktopNotifier.problem`
says why in words for Settings; the reminders still show in the window and
the tray.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from afterword.core.reminders.planning import ACTION_LABELS, Action, Notice
from afterword.core.storage.paths import APP_ID, APP_NAME
from afterword.gui.reminders.bus import BusSignals, reason

logger = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
# The action key the spec reserves for clicking the notification itself.
DEFAULT_ACTION = "default"


class DesktopNotifier(QObject):
    """Shows :class:`Notice` values as desktop notifications and reports what was clicked.

    ``invoked`` carries (Notice, Action); clicking the notification's body is
    :attr:`Action.OPEN`. ``availability_changed`` carries the new
    :attr:`problem` ("" when notifications work).
    """

    invoked = Signal(object, object)
    availability_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.problem = "Notifications have not been started."
        self._bus = BusSignals("notifications", self)
        self._bus.received.connect(self._on_signal)
        self._shown: dict[int, Notice] = {}
        self._actions = False

    @property
    def available(self) -> bool:
        return self.problem == ""

    def start(self) -> bool:
        """Connect to the session bus and ask the service what it can do; False if unavailable."""
        try:
            self._bus.open("SESSION", interface=INTERFACE, path=PATH)
        except Exception as exc:  # no bus address, refused, no jeepney on this system
            return self._unavailable(f"there is no session bus ({reason(exc)})")
        try:
            capabilities = self._call("GetCapabilities", "")[0]
        except Exception as exc:
            self.stop()
            return self._unavailable(
                f"no notification service answers on the session bus ({reason(exc)})"
            )
        self._actions = "actions" in capabilities
        self.problem = ""
        self.availability_changed.emit(self.problem)
        logger.info("Desktop notifications available (actions: %s)", self._actions)
        return True

    def stop(self) -> None:
        self._bus.close()

    def show(self, notice: Notice) -> bool:
        """Show ``notice``; False (and :attr:`problem` set) if it could not be shown."""
        if not self._bus.is_open:
            return False
        actions: list[str] = []
        if self._actions:
            # Clicking the notification opens it (the spec's "default" action); an "Open"
            # button beside it would do the same, and servers that show the default
            # action as a button (KDE, dunst, xfce4-notifyd) would show "Open" twice.
            actions = [DEFAULT_ACTION, ACTION_LABELS[Action.OPEN]]
            for action in notice.actions:
                if action is not Action.OPEN:
                    actions += [action.value, ACTION_LABELS[action]]
        hints = {"desktop-entry": ("s", APP_ID), "category": ("s", "im.received")}
        try:
            reply = self._call(
                "Notify",
                "susssasa{sv}i",
                APP_NAME,
                0,
                APP_ID,
                notice.summary,
                notice.body,
                actions,
                hints,
                -1,
            )
        except Exception as exc:
            self._unavailable(f"the notification service refused a notification ({reason(exc)})")
            return False
        self._shown[int(reply[0])] = notice
        if not self.available:
            self.problem = ""
            self.availability_changed.emit(self.problem)
        return True

    def _call(self, method: str, signature: str, *body: Any) -> tuple[Any, ...]:
        return self._bus.call(SERVICE, PATH, INTERFACE, method, signature, *body)

    def _unavailable(self, why: str) -> bool:
        self.problem = f"Desktop notifications are unavailable: {why}."
        logger.warning("%s", self.problem)
        self.availability_changed.emit(self.problem)
        return False

    def _on_signal(self, member: str, body: tuple[Any, ...]) -> None:
        if member == "ActionInvoked":
            notification_id, key = body
            notice = self._shown.get(int(notification_id))
            if notice is None:
                return
            action = Action.OPEN if key == DEFAULT_ACTION else _action(key)
            if action is not None:
                logger.info("Notification action %s", action.value)
                self.invoked.emit(notice, action)
        elif member == "NotificationClosed":
            self._shown.pop(int(body[0]), None)


def _action(key: str) -> Action | None:
    try:
        return Action(key)
    except ValueError:
        return None


class TrayNotifier(QObject):
    """Windows toasts and the macOS notification centre, through the tray icon's messages.

    Qt's ``QSystemTrayIcon.showMessage`` is the platform's own notification
    there (a toast carrying the AppUserModelID the app sets at start; the
    notification centre on macOS). Those have no custom actions: clicking
    the message opens its item. Not exercised by the test suite (no Windows
    or macOS here).
    """

    invoked = Signal(object, object)
    availability_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.problem = "Notifications have not been started."
        self._icon: Any = None
        self._last: Notice | None = None

    @property
    def available(self) -> bool:
        return self.problem == ""

    def use(self, icon: Any) -> None:
        """Show messages from ``icon`` (a shown QSystemTrayIcon, or None without a tray)."""
        self._icon = icon
        if icon is not None:
            icon.messageClicked.connect(self._clicked)

    def start(self) -> bool:
        from PySide6.QtWidgets import QSystemTrayIcon

        if self._icon is None or not QSystemTrayIcon.supportsMessages():
            self.problem = "Desktop notifications are unavailable: this desktop has no tray."
            self.availability_changed.emit(self.problem)
            return False
        self.problem = ""
        self.availability_changed.emit(self.problem)
        return True

    def stop(self) -> None:
        self._icon = None

    def show(self, notice: Notice) -> bool:
        from PySide6.QtWidgets import QSystemTrayIcon

        if self._icon is None or not self.available:
            return False
        self._last = notice
        self._icon.showMessage(
            notice.summary, notice.body, QSystemTrayIcon.MessageIcon.Information, 10_000
        )
        return True

    def _clicked(self) -> None:
        if self._last is not None:
            self.invoked.emit(self._last, Action.OPEN)
