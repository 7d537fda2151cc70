"""Saying why the GUI cannot start, where a person will see it.

When there is no window to show a dialog in (no display, a Qt platform
plugin that fails to load), the reason goes to stderr (seen when started
from a terminal), to the log, and, where a D-Bus session bus exists, into a
desktop notification (seen when started from a menu). Nothing here imports
Qt: a failing Qt is what it reports. The notification is sent with jeepney,
the pure-Python D-Bus library the keyring already uses on Linux.
"""

from __future__ import annotations

import logging
import os
import sys

logger = logging.getLogger(__name__)

APP_NAME = "Afterword"
NOTIFY_TIMEOUT_S = 2.0
_DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY")


def missing_display(qt_args: list[str]) -> str:
    """Why no window can be shown on this Linux session, or "" when one can."""
    if not sys.platform.startswith("linux"):
        return ""
    if os.environ.get("QT_QPA_PLATFORM") or "-platform" in qt_args:
        return ""  # a platform was chosen on purpose (offscreen, vnc, ...)
    if any(os.environ.get(name) for name in _DISPLAY_VARIABLES):
        return ""
    return (
        "Afterword cannot start: there is no graphical display (neither DISPLAY nor "
        "WAYLAND_DISPLAY is set). Start it from your desktop session."
    )


def report(message: str) -> None:
    """Tell the person ``message``: stderr, the log, and a desktop notification."""
    logger.error("%s", message)
    if sys.stderr is not None:
        print(message, file=sys.stderr, flush=True)
    notify(message)


def notify(message: str) -> bool:
    """A desktop notification through the session bus; False when there is none."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:  # not on Linux
        return False
    notifications = DBusAddress(
        "/org/freedesktop/Notifications",
        bus_name="org.freedesktop.Notifications",
        interface="org.freedesktop.Notifications",
    )
    call = new_method_call(
        notifications,
        "Notify",
        "susssasa{sv}i",
        (APP_NAME, 0, "dialog-error", f"{APP_NAME} cannot start", message, [], {}, -1),
    )
    try:
        with open_dbus_connection(bus="SESSION") as connection:
            connection.send_and_get_reply(call, timeout=NOTIFY_TIMEOUT_S)
    except Exception as exc:  # no notification service: stderr and the log have it
        logger.info("No desktop notification: %s", type(exc).__name__)
        return False
    return True
