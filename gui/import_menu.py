"""The Import button under the navigation: the commands that bring data in or out.

Each command's module is imported when it is chosen, so the button costs the
first paint nothing but itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QToolButton

if TYPE_CHECKING:
    from afterword.gui.main_window import MainWindow


def _open_feed_dialog(window: MainWindow) -> None:
    if not window.context.has_database:
        return
    from afterword.gui.calendar_export import FeedDialog

    dialog = FeedDialog(window.context, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def import_button(window: MainWindow) -> QToolButton:
    """A tool button whose menu lists the import and calendar commands."""
    button = QToolButton(window)
    button.setText("Import / calendar")
    button.setAccessibleName("Import and calendar")
    button.setToolTip("Bring in calendar invites; keep a calendar in step")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    menu.setObjectName("import_menu")
    # The shortcut itself belongs to the window (it works with the menu closed).
    invite = menu.addAction("Import calendar invite…\tCtrl+Shift+I")
    invite.triggered.connect(window.import_invite)
    menu.addSeparator()
    feed = menu.addAction("Calendar feed…")
    feed.triggered.connect(lambda: _open_feed_dialog(window))
    button.setMenu(menu)
    return button
