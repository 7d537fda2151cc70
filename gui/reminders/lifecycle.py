"""Reminders in the app's life: start them with the database, keep them when the window closes.

:func:`start_reminders` is called once the database is open (also with
``--background``, where no window is shown). From then on closing the window
does not end the app by itself: :func:`window_closed` asks once, at the
first close, whether reminders should keep running; the answer is a
reminder setting (changeable in Settings). Quit (tray menu, Ctrl+Q) ends
everything.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from afterword.core.storage.paths import APP_ID
from afterword.gui.context import AppContext, system_zone
from afterword.gui.garbage import GuiThreadGarbageCollector
from afterword.gui.reminders.notifier import TrayNotifier
from afterword.gui.reminders.service import ReminderService, Router, current_service
from afterword.gui.reminders.tray import ReminderTray

logger = logging.getLogger(__name__)

KEEP_RUNNING_QUESTION = (
    "Keep reminders running when the window is closed?\n\n"
    "Afterword will stay in the background and tell you when a thank-you or a "
    "follow-up is due. You can change this in Settings → Reminders."
)


def start_reminders(context: AppContext, router: Router, app: QApplication) -> ReminderService:
    """Start the reminder service (and the tray, where there is one)."""
    if sys.platform == "win32":
        # Toasts carry the AppUserModelID the installer's Start-menu shortcut has.
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_ID)  # type: ignore[attr-defined]
    app.setQuitOnLastWindowClosed(False)
    collector = app.findChild(GuiThreadGarbageCollector)
    if collector is not None:  # no window, nothing to collect: do not wake twice a second
        collector.slow_when_hidden = True
    # Linux: the freedesktop service, tray or not; elsewhere the tray's own messages.
    notifier = None if sys.platform.startswith("linux") else TrayNotifier()
    service = ReminderService(context, router, notifier, zone_probe=system_zone, parent=app)
    tray = ReminderTray(service, router, parent=service)
    if isinstance(notifier, TrayNotifier):
        notifier.use(tray.icon)
    app.aboutToQuit.connect(service.stop)
    service.start()
    return service


_quitting = False


def request_quit(window: QWidget) -> None:
    """Quit everything: the window closes as usual (unsaved edits are asked about), then the app."""
    global _quitting
    _quitting = True
    if window.isVisible() and not window.close():
        _quitting = False  # the person chose to keep editing
        return
    QApplication.quit()


def window_closed(window: QWidget) -> None:
    """The window was closed: stay in the background, or quit (asked once, at the first close)."""
    from afterword.core.reminders.service import Outlook
    from afterword.core.reminders.settings import save_reminder_settings

    service = current_service()
    if service is None or _quitting or service.router is not window:
        return  # no reminders: the app ends with its last window, as always
    outlook = service.outlook
    keep = outlook.settings.keep_running_when_closed if isinstance(outlook, Outlook) else None
    if keep is None:
        answer = QMessageBox.question(
            window,
            "Afterword",
            KEEP_RUNNING_QUESTION,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        keep = answer == QMessageBox.StandardButton.Yes
        if isinstance(outlook, Outlook):
            context = service.context
            context.ops.write(
                save_reminder_settings,
                context.db,
                replace(outlook.settings, keep_running_when_closed=keep),
            )
    logger.info("Window closed; reminders %s", "keep running" if keep else "stop: quitting")
    if not keep:
        QTimer.singleShot(0, QApplication.quit)
