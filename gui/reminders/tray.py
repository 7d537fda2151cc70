"""The tray icon, where the platform has one: a count of what is due and a short menu.

The icon carries the number of items due or overdue; its menu offers Open
Afterword, the next five items (each naming its company, each opens its item), Pause reminders (an
hour, until tomorrow, resume) and Quit. Without a tray (GNOME by default,
offscreen Qt) nothing is shown and everything works through notifications
and the window.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from afterword.gui.icons import app_icon
from afterword.gui.reminders.service import ReminderService, Router

logger = logging.getLogger(__name__)

ICON_SIZE = 64


def counted_icon(count: int) -> QIcon:
    """The app icon with a red badge holding ``count`` (the plain icon for 0)."""
    if count <= 0:
        return app_icon()
    pixmap = app_icon().pixmap(ICON_SIZE, ICON_SIZE)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    badge = QRect(ICON_SIZE // 2 - 4, 0, ICON_SIZE // 2 + 4, ICON_SIZE // 2 + 4)
    painter.setBrush(QColor("#c62828"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(badge)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(ICON_SIZE // 3)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "99+" if count > 99 else str(count))
    painter.end()
    return QIcon(pixmap)


class ReminderTray(QObject):
    """The tray icon and its menu, kept up to date from the service's plans."""

    def __init__(self, service: ReminderService, router: Router, parent: QObject | None = None):
        super().__init__(parent)
        self._service = service
        self._router = router
        self.icon: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            logger.info("No system tray: reminders use notifications and the window")
            return
        self.menu = QMenu()
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip("Afterword")
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self._rebuild(None)
        self.icon.show()
        service.planned.connect(self._rebuild)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self._router.bring_to_front()

    def _rebuild(self, outlook: object) -> None:
        from afterword.core.reminders.service import Outlook

        assert self.icon is not None
        menu = self.menu
        menu.clear()
        menu.addAction("Open Afterword", self._router.bring_to_front)
        if isinstance(outlook, Outlook):
            count = outlook.plan.attention
            self.icon.setIcon(counted_icon(count))
            self.icon.setToolTip(f"Afterword: {count} due" if count else "Afterword")
            if outlook.plan.upcoming:
                menu.addSeparator()
            for item in outlook.plan.upcoming:
                action = QAction(outlook.plan.labels.get(item.key, item.title), menu)
                action.triggered.connect(lambda _checked=False, it=item: self._open(it))
                menu.addAction(action)
        menu.addSeparator()
        pause = menu.addMenu("Pause reminders")
        pause.addAction("For an hour", lambda: self._pause(timedelta(hours=1)))
        pause.addAction("Until tomorrow", lambda: self._pause(None))
        pause.addAction("Resume", lambda: self._pause(timedelta(0)))
        menu.addSeparator()
        menu.addAction("Quit", self._quit)

    def _open(self, item: object) -> None:
        from afterword.core.checklist.items import ChecklistItem

        assert isinstance(item, ChecklistItem)
        self._router.bring_to_front()
        if item.application_id is not None:
            self._router.open_application(item.application_id)
        elif item.contact_id is not None:
            self._router.open_contact(item.contact_id)

    def _quit(self) -> None:
        from afterword.gui.reminders.lifecycle import request_quit

        window = self._router
        assert isinstance(window, QWidget)
        request_quit(window)

    def _pause(self, length: timedelta | None) -> None:
        pause_reminders(self._service, length)


def pause_reminders(service: ReminderService, length: timedelta | None) -> None:
    """Pause for ``length`` (None: until tomorrow; zero: resume)."""
    from afterword.core.reminders.planning import pause_until_tomorrow
    from afterword.core.reminders.service import Outlook
    from afterword.core.reminders.settings import save_reminder_settings

    context = service.context
    outlook = service.outlook
    if not isinstance(outlook, Outlook):
        return
    now: datetime = context.now()
    until = pause_until_tomorrow(now) if length is None else (now + length if length else None)
    context.ops.write(
        save_reminder_settings, context.db, replace(outlook.settings, paused_until=until)
    )
