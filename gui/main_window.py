"""The main window: a navigation on the left, one page at a time on the right.

Pages are listed in :data:`PAGES`; adding a page is one line there. Each is
built the first time it is shown, so start-up builds only the page on screen.
The window remembers its geometry and last page (in ``context.settings``),
asks every built page ``can_close()`` before closing, and routes "open this"
requests: :meth:`MainWindow.open_application` and :meth:`MainWindow.open_contact`
call the Applications and Contacts pages' ``show_application(id)`` and
``show_contact(id)``.

The window is shown before the database is open (see :mod:`afterword.gui.context`):
until :meth:`MainWindow.database_ready`, only Today exists and a page asked
for meanwhile is shown once the database is there.

Keyboard: Ctrl+1..Ctrl+9 switch pages, Ctrl+N adds an application, Ctrl+F
focuses the current page's search box (its ``focus_search()``), Ctrl+Shift+I
imports a calendar invite.

Getting data in (see :mod:`afterword.gui.invite_flow`): the Import button
under the navigation, a calendar file dropped on the window, .ics text
pasted (Ctrl+V outside a text field) and :meth:`MainWindow.open_file` (the
command line, a second launch) all end in the invite preview.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QPaintEvent,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from afterword.core.storage.paths import APP_NAME
from afterword.gui.calendar_export import FeedKeeper
from afterword.gui.context import AppContext
from afterword.gui.icons import app_icon
from afterword.gui.invite_flow import (
    choose_invite_file,
    import_invite_file,
    import_invite_text,
    invite_paths,
    is_invite_text,
    warm_up,
)
from afterword.gui.navigation import Sidebar

if TYPE_CHECKING:  # imports SQLAlchemy: not before the first paint
    from afterword.core.checklist.items import ChecklistItem

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    """One entry of the navigation: the page class is imported when first shown."""

    key: str
    title: str
    icon: str
    module: str
    class_name: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("today", "Today", "today", "afterword.gui.pages.today", "TodayPage"),
    PageSpec(
        "applications",
        "Applications",
        "applications",
        "afterword.gui.pages.applications",
        "ApplicationsPage",
    ),
    PageSpec("contacts", "Contacts", "contacts", "afterword.gui.pages.contacts", "ContactsPage"),
    PageSpec("outbox", "Outbox", "outbox", "afterword.gui.pages.outbox", "OutboxPage"),
    PageSpec("settings", "Settings", "settings", "afterword.gui.pages.settings", "SettingsPage"),
)

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
PAGE_KEY = "main_window/page"
DEFAULT_SIZE = QSize(1180, 760)
# Narrower than this, the navigation shows icons only.
COMPACT_BELOW = 1000


class MainWindow(QMainWindow):
    # A thank-you item's "Write thank-you" (from any page): interview id, contact id or None.
    write_thank_you_requested = Signal(int, object)
    # Once, just after the window was first painted (the frame is on screen).
    first_painted = Signal()

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        start_page: str | None = None,
        pages: tuple[PageSpec, ...] = PAGES,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.specs = {spec.key: spec for spec in pages}
        self.pages: dict[str, QWidget] = {}
        self._painted = False
        self._waiting_for: str | None = None  # a page asked for before the database opened
        self._waiting_files: list[Path] = []  # files opened before the database was
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setObjectName("main_window")  # saveState() needs a name
        self.setMinimumSize(760, 480)

        central = QWidget(self)
        # The navigation and, under it, the Import button, on the sidebar's colour.
        self.side = Sidebar(self, central)
        self.nav = self.side.nav
        self.stack = QStackedWidget(self)
        self._placeholders: dict[str, QWidget] = {}
        for number, spec in enumerate(pages, start=1):
            shortcut = f"Ctrl+{number}" if number < 10 else ""
            tooltip = f"{spec.title} ({shortcut})" if shortcut else spec.title
            self.side.add_page(spec.title, spec.icon, tooltip, spec.key)
            placeholder = QLabel("Loading…", self.stack)
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._placeholders[spec.key] = placeholder
            self.stack.addWidget(placeholder)
            if shortcut:
                QShortcut(QKeySequence(shortcut), self, lambda key=spec.key: self.show_page(key))
        self.nav.currentRowChanged.connect(self._on_nav_row)

        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        QShortcut(QKeySequence.StandardKey.New, self, self.new_application)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+Shift+I"), self, self.import_invite)
        # Text fields handle their own Ctrl+V first; this one sees pastes elsewhere.
        QShortcut(QKeySequence.StandardKey.Paste, self, self.paste_invite)
        self.setAcceptDrops(True)
        self.feed_keeper = FeedKeeper(context, self)  # the calendar feed follows every change
        QShortcut(QKeySequence("Ctrl+Q"), self, self.quit_app)

        self.write_thank_you_requested.connect(self.write_thank_you)

        self._restore_geometry()
        self._home = next(iter(self.specs))
        if start_page is not None:
            self.show_page(start_page)
        elif context.has_database:
            self.show_page(self.remembered_page())
        else:
            self.show_page(self._home)

    def remembered_page(self) -> str:
        """The page shown when the window was last closed (the first page if unknown)."""
        remembered = str(self.context.settings.value(PAGE_KEY, self._home))
        return remembered if remembered in self.specs else self._home

    def database_ready(self, *, restore_last_page: bool = True) -> None:
        """The database is open: show the page asked for meanwhile, or the last one used."""
        key = self._waiting_for or (self.remembered_page() if restore_last_page else None)
        self._waiting_for = None
        if key is not None:
            self.show_page(key)
        warm_up(self.context)
        waiting, self._waiting_files = self._waiting_files, []
        for path in waiting:
            self.open_file(path)

    # -- pages ---------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page called ``key``, built now if it was not yet."""
        if key not in self.pages:
            self.pages[key] = self._build(self.specs[key])
            placeholder = self._placeholders.pop(key)
            index = self.stack.indexOf(placeholder)
            self.stack.insertWidget(index, self.pages[key])
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        return self.pages[key]

    def _build(self, spec: PageSpec) -> QWidget:
        module = importlib.import_module(spec.module)
        page: QWidget = getattr(module, spec.class_name)(self.context, self.stack)
        page.setAccessibleName(spec.title)
        # Optional page signals, connected when a page has them.
        self._connect(page, "open_requested", self.open_item)
        self._connect(page, "new_application_requested", self.new_application)
        self._connect(page, "write_thank_you_requested", self.write_thank_you_requested.emit)
        self._connect(page, "write_message_requested", self.write_message)
        return page

    @staticmethod
    def _connect(page: QWidget, signal_name: str, slot: Any) -> None:
        signal = getattr(page, signal_name, None)
        if signal is not None:
            signal.connect(slot)

    def show_page(self, key: str) -> QWidget:
        """Switch to page ``key`` (building it if needed) and return it.

        Before the database is open, a page other than the first is only
        selected; it is built and shown by :meth:`database_ready`.
        """
        if key != self._home and not self.context.has_database:
            self._waiting_for = key
            page = self._placeholders[key]
        else:
            page = self.page(key)
        self.stack.setCurrentWidget(page)
        row = list(self.specs).index(key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        return page

    def current_key(self) -> str:
        item = self.nav.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def _on_nav_row(self, row: int) -> None:
        if row < 0:
            return
        try:
            self.show_page(self.nav.item(row).data(Qt.ItemDataRole.UserRole))
        except Exception:
            # The page failed to build (the exception hook reports it): keep the
            # navigation showing the page that is really on screen.
            shown = self.stack.currentWidget()
            key = next((k for k, page in self.pages.items() if page is shown), None)
            if key is not None:
                self.show_page(key)
            raise

    # -- routing -------------------------------------------------------------------------------

    def open_application(self, application_id: int) -> None:
        self._call_page("applications", "show_application", application_id)

    def open_contact(self, contact_id: int) -> None:
        self._call_page("contacts", "show_contact", contact_id)

    def open_item(self, item: ChecklistItem) -> None:
        """Open what a checklist item is about: its application, else its contact."""
        if item.application_id is not None:
            self.open_application(item.application_id)
        elif item.contact_id is not None:
            self.open_contact(item.contact_id)

    def write_thank_you(self, interview_id: int, contact_id: int | None) -> None:
        """One thank-you note per interviewer, ``contact_id``'s shown first."""
        # Imported on first use: the mail modules are not needed for the first paint.
        from afterword.gui.mail_flow import open_thank_you_composer

        open_thank_you_composer(self.context, interview_id, contact_id, self)

    def write_message(self, item: ChecklistItem) -> None:
        """The follow-up, rejection reply or check-in a checklist item asks for."""
        from afterword.gui.mail_flow import open_composer_for_item

        open_composer_for_item(self.context, item, self)

    # -- getting data in -----------------------------------------------------------------------

    def open_file(self, path: Path) -> None:
        """A calendar file to import (from the command line or another launch)."""
        if not self.context.has_database:
            self._waiting_files.append(path)
            return
        import_invite_file(self.context, path, self)

    def import_invite(self) -> None:
        if self.context.has_database:
            choose_invite_file(self.context, self)

    def paste_invite(self) -> None:
        """Ctrl+V outside a text field: a copied .ics file or invite text is imported."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not self.context.has_database:
            return
        paths = invite_paths(mime)
        if paths:
            self.open_file(paths[0])
        elif mime.hasText() and is_invite_text(mime.text()):
            import_invite_text(self.context, mime.text(), self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        mime = event.mimeData()
        if invite_paths(mime) or (mime.hasText() and is_invite_text(mime.text())):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        mime = event.mimeData()
        paths = invite_paths(mime)
        if paths:
            event.acceptProposedAction()
            for path in paths:
                self.open_file(path)
        elif mime.hasText() and is_invite_text(mime.text()) and self.context.has_database:
            event.acceptProposedAction()
            import_invite_text(self.context, mime.text(), self)

    def new_application(self) -> None:
        self._call_page("applications", "new_application")

    def focus_search(self) -> None:
        method = getattr(self.stack.currentWidget(), "focus_search", None)
        if method is not None:
            method()

    def _call_page(self, key: str, method: str, *args: object) -> None:
        if key not in self.specs:
            return
        page = self.show_page(key)
        if key in self.pages:  # not merely waiting for the database
            getattr(page, method)(*args)

    def bring_to_front(self) -> None:
        """Raise the window above others (a second launch asked for it)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Emitted after this paint returns, when the frame has been flushed.
            QTimer.singleShot(0, self.first_painted.emit)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        # Narrow, the pages need the room more than the navigation needs its names.
        self.side.set_compact(event.size().width() < COMPACT_BELOW)
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # The system switched light/dark (once built: Qt may ask during construction).
        if event.type() == QEvent.Type.PaletteChange and self.centralWidget() is not None:
            self.side.restyle()
        super().changeEvent(event)

    # -- closing and remembering -----------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for page in self.pages.values():
            can_close = getattr(page, "can_close", None)
            if can_close is not None and not can_close():
                event.ignore()
                return
        self.save_window_state()
        event.accept()
        from afterword.gui.reminders.lifecycle import window_closed

        window_closed(self)

    def quit_app(self) -> None:
        """Quit: close the window (asking about unsaved edits), then end reminders too."""
        from afterword.gui.reminders.lifecycle import request_quit

        request_quit(self)

    def save_window_state(self) -> None:
        settings = self.context.settings
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(STATE_KEY, self.saveState())
        settings.setValue(PAGE_KEY, self.current_key())
        settings.sync()

    def _restore_geometry(self) -> None:
        settings = self.context.settings
        geometry = settings.value(GEOMETRY_KEY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(DEFAULT_SIZE)
        state = settings.value(STATE_KEY)
        if isinstance(state, QByteArray):
            self.restoreState(state)
