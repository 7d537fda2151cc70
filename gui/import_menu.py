"""The Import button under the navigation: the commands that bring data in or out.

Each command's module is imported when it is chosen, so the button costs the
first paint nothing but itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QToolButton

from afterword.gui.icons import icon
from afterword.gui.theme import menu_button_text

if TYPE_CHECKING:
    from afterword.gui.main_window import MainWindow

# The button's text when the sidebar shows names (compact, it shows "▾" only).
IMPORT_TEXT = "Import / calendar"


def _open(window: MainWindow, module: str, class_name: str) -> None:
    """Open the dialog ``class_name`` of ``afterword.gui.dialogs.<module>`` (imported now)."""
    if not window.context.has_database:
        return
    dialog_class = getattr(importlib.import_module(f"afterword.gui.dialogs.{module}"), class_name)
    dialog = dialog_class(window.context, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def import_button(window: MainWindow) -> QToolButton:
    """A tool button whose menu lists the import and calendar commands."""
    button = QToolButton(window)
    menu_button_text(button, IMPORT_TEXT)
    button.setAccessibleName("Import and calendar")
    button.setToolTip("Bring in invites, spreadsheets and job postings; keep a calendar in step")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setIcon(icon("add"))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    menu = QMenu(button)
    menu.setObjectName("import_menu")
    # The shortcut itself belongs to the window (it works with the menu closed).
    invite = menu.addAction("Import calendar invite…\tCtrl+Shift+I")
    invite.triggered.connect(window.import_invite)
    spreadsheet = menu.addAction("Import applications from a spreadsheet (CSV)…")
    spreadsheet.triggered.connect(lambda: _open(window, "csv_import", "CsvImportDialog"))
    posting = menu.addAction("Save a job from its posting…")
    posting.triggered.connect(lambda: _open(window, "posting", "PostingDialog"))
    menu.addSeparator()
    feed = menu.addAction("Calendar feed…")
    feed.triggered.connect(lambda: _open(window, "calendar_feed", "FeedDialog"))
    button.setMenu(menu)
    return button
