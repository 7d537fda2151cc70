"""The list-and-detail screen the Applications and Contacts pages share.

A page shows a searchable table on the left (a bar with the search box, "New…"
and "Delete…", the undo bar, and the table or an empty-state note in a stack)
and the selected row's detail on the right, under a title row with a count.
:class:`ListDetailPage` (built from the parts in :mod:`afterword.gui.widgets.list_detail`)
does everything the two pages do alike:

- loading the rows with ``context.ops.read`` (off the GUI thread; a newer
  request makes an older result stale), again whenever a write changed a
  kind of data the page shows (:attr:`ListDetailPage.shown`), or when it is next
  shown if it was hidden then;
- keeping the selection across reloads, the detail following it once it rests;
- the forms (new, edit), whose saves run through ``context.ops``;
- delete, asked first, and its undo (the bar's Undo button, or Ctrl+Z in the
  list) for as long as the app runs, both as writes through ``context.ops``.

A page is a subclass that names what it lists (:attr:`ListDetailPage.title`,
:attr:`ListDetailPage.noun`), the kinds of data it shows, its model (whose
columns say how the table looks) and detail, and its core calls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from afterword.core.storage.changes import Changes, Kind
from afterword.gui.forms import FormDialog, confirm
from afterword.gui.icons import icon
from afterword.gui.models import settle_heap
from afterword.gui.models.records_model import HasId, RecordTableModel
from afterword.gui.operations import show_failure
from afterword.gui.theme import page_title
from afterword.gui.widgets.list_detail import ListBar, select_index, setup_table
from afterword.gui.widgets.record_detail import RecordDetail
from afterword.gui.widgets.undo_bar import UndoBar

if TYPE_CHECKING:
    from afterword.core.storage.db import Database
    from afterword.gui.context import AppContext

logger = logging.getLogger(__name__)

# The gap between the table and the detail pane (the splitter's handle).
SPLIT_GAP = 12
# Typing pauses this long before the core is asked (for matches, or the rows).
SEARCH_DELAY_MS = 150
# The detail follows the selection once it rests this long.
DETAIL_DELAY_MS = 40
# What both list pages show: people, their interviews and applications, what was
# said to them, and the checklist all of that feeds.
FOLLOW_UP_KINDS = (
    Kind.APPLICATIONS,
    Kind.INTERVIEWS,
    Kind.CONTACTS,
    Kind.TOUCHPOINTS,
    Kind.CHECKLIST,
    Kind.MESSAGES,
)


class _Deleted(Protocol):
    @property
    def label(self) -> str: ...


R = TypeVar("R", bound=HasId)


class ListDetailPage(QWidget, Generic[R]):
    """A searchable table of records beside the selected one (see the module docstring)."""

    write_thank_you_requested = Signal(int, object)  # interview id, contact id or None
    write_message_requested = Signal(object)  # ChecklistItem

    # What a page says: its title ("Applications"), and what one row is ("application")
    # in its buttons, the undo bar and the questions it asks.
    title: ClassVar[str]
    noun: ClassVar[str]
    # The table's and the detail's starting widths.
    sizes: ClassVar[tuple[int, int]]
    # The kinds of data the page shows: a write that changed one reloads it.
    shown: ClassVar[tuple[Kind, ...]]
    model_class: ClassVar[Callable[[Callable[[], datetime], QWidget], RecordTableModel[Any]]]
    detail_class: ClassVar[Callable[[AppContext], RecordDetail[Any]]]
    # The core's delete (returning what it removed, with a ``label``) and its undo.
    delete_call: ClassVar[Callable[[Database, int], _Deleted]]
    restore_call: ClassVar[Callable[[Database, Any], R]]

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.form: FormDialog | None = None
        self.last_deleted: _Deleted | None = None
        self._selected_id: int | None = None
        self._stale = True
        self._loading = False
        self._loaded_once = False
        self._focus_table = False  # put focus on the table once it shows (after a save)
        # What to do with the selected record (by id) once its detail has arrived.
        self._pending: tuple[int, Callable[[R], None]] | None = None
        self._key = f"{type(self).__name__}-{id(self):x}"
        self.model = type(self).model_class(context.clock, self)

        # -- the bar above the table
        self.search = QLineEdit()
        self.search.setAccessibleName(f"Search {self.title.lower()}")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._on_search_text)
        self.new_button = QPushButton(icon("add"), f"New {self.noun}…")
        self.new_button.setAccessibleName(f"New {self.noun}")
        self.new_button.clicked.connect(self.new_record)
        self.delete_button = QPushButton(icon("delete"), "Delete…")
        self.delete_button.setAccessibleName(f"Delete {self.noun}")
        self.delete_button.setToolTip(f"Delete the selected {self.noun} (Delete); you can undo it")
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_bar = UndoBar(f"Last deleted {self.noun}", f"Bring the {self.noun} back")
        self.undo_bar.undo_requested.connect(self.undo_delete)

        # -- the table, or a note when there is nothing at all
        self.table = QTableView()
        setup_table(self.table, self.model, self.title)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.model.modelReset.connect(self._after_reset)
        self.count = QLabel()
        self.count.setAccessibleName(f"How many {self.noun}s are shown")
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty)
        left = self._list_side()

        # -- the detail pane
        self.detail = type(self).detail_class(context)
        self.detail.edit_requested.connect(self.edit_selected)
        self.detail.shown.connect(self._on_detail_shown)
        self.detail.checklist.write_thank_you_requested.connect(self.write_thank_you_requested)
        self.detail.checklist.write_message_requested.connect(self.write_message_requested)
        self.splitter = self._lay_out(left)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.search_in_core)
        QWidget.setTabOrder(self.search, self.new_button)
        QWidget.setTabOrder(self.new_button, self.delete_button)
        QWidget.setTabOrder(self.delete_button, self.table)
        self.detail_timer = QTimer(self)
        self.detail_timer.setSingleShot(True)
        self.detail_timer.setInterval(DETAIL_DELAY_MS)
        self.detail_timer.timeout.connect(self._show_detail)
        context.ops.changed.connect(self._on_changed)
        self._update_actions()

    def _list_side(self) -> QWidget:
        """The search bar row, the undo bar and the table, with Delete and Ctrl+Z.

        Delete works on the table; Ctrl+Z ("Undo delete") anywhere in the list
        side (the detail's checklist has its own Ctrl+Z).
        """
        self.bar = ListBar(self.search, self.new_button, self.delete_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.bar)
        left_layout.addWidget(self.undo_bar)
        left_layout.addWidget(self.table_stack, 1)

        self.undo_action = QAction("Undo delete", left)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo_delete)
        left.addAction(self.undo_action)
        delete_action = QAction(f"Delete {self.noun}", self.table)
        delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(delete_action)
        return left

    def _lay_out(self, left: QWidget) -> QSplitter:
        """The title row (title, count) over the list side and the detail.

        The list gets three fifths of any width added later and neither side collapses.
        """
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(SPLIT_GAP)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes(list(self.sizes))

        title_row = QHBoxLayout()
        title_row.addWidget(page_title(self.title, self))
        title_row.addStretch(1)
        title_row.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addLayout(title_row)
        layout.addWidget(splitter, 1)
        return splitter

    # -- for subclasses ---------------------------------------------------------------------

    def rows_call(self) -> Callable[[], object]:
        """The core read for the table's rows, ready to run off the GUI thread."""
        raise NotImplementedError

    def apply_rows(self, rows: Any) -> None:
        """Put what :meth:`rows_call` returned into the model."""
        raise NotImplementedError

    def search_changed(self, text: str) -> None:
        """The search text changed (the core is asked once typing rests)."""

    def search_in_core(self) -> None:
        """Typing rested: ask the core what the search needs (nothing for a page
        whose model filters its rows in memory)."""

    def count_text(self) -> str:
        raise NotImplementedError

    def is_empty(self) -> bool:
        """True when there is nothing at all to list (the note replaces the table)."""
        raise NotImplementedError

    def edit_form(self, record: R | None) -> FormDialog:
        """The form that creates (``record`` None) or edits a record."""
        raise NotImplementedError

    def delete_question(self, record: R) -> str:
        raise NotImplementedError

    # -- hooks the main window calls --------------------------------------------------------

    def show_record(self, record_id: int) -> None:
        """Select ``record_id`` (clearing a search that hides it) and show its detail."""
        self._selected_id = record_id
        self.detail_timer.stop()
        if self.model.row_of(record_id) < 0 and self.search.text():
            self.search.clear()
            self.search_timer.stop()
            self.search_in_core()
        self._select_row()
        self.detail.show_record(record_id)
        self._update_actions()

    def new_record(self) -> None:
        self._open_form(self.edit_form(None), self._select_saved)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def can_close(self) -> bool:
        """False when the person chose to keep editing an open form."""
        if self.form is None or not self.form.isVisible():
            return True
        return self.form.try_close()

    # -- loading ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Load the table again (off the GUI thread) and refresh the detail pane."""
        self._stale = False
        self.load_rows()
        self.detail.reload()

    def load_rows(self) -> None:
        self._loading = True
        self.context.ops.read(
            f"{self._key}-rows",
            self.rows_call(),
            on_success=self._rows_arrived,
            on_failure=self._rows_failed,
        )

    def _rows_arrived(self, rows: object) -> None:
        self._loading = False
        self._loaded_once = True
        self.apply_rows(rows)
        settle_heap()

    def _rows_failed(self, error: BaseException) -> None:
        self._loading = False
        show_failure(error, "The list could not be loaded")

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if not changes.touches(*self.shown):
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def _on_search_text(self, text: str) -> None:
        self.search_changed(text)
        self.search_timer.start()

    # -- selection ----------------------------------------------------------------------------

    def _after_reset(self) -> None:
        self.count.setText(self.count_text())
        nothing = self._loaded_once and not self._loading and self.is_empty()
        self.table_stack.setCurrentIndex(1 if nothing else 0)
        self._select_row()
        self._update_actions()
        self._focus_table_if_wanted()

    def _select_row(self) -> None:
        if self._selected_id is None:
            return
        row = self.model.row_of(self._selected_id)
        if row < 0:
            return
        select_index(self.table, self.model.index(row, 0))

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        record_id = self.model.record_id(current.row())
        if record_id != self._selected_id:
            self._selected_id = record_id
            # Paging through the table must not load every row it passes.
            self.detail_timer.start()
        self._update_actions()

    def _show_detail(self) -> None:
        self.detail_timer.stop()
        self.detail.show_record(self._selected_id)

    def _with_selected(self, action: Callable[[R], None]) -> None:
        """Run ``action`` on the selected record once its detail is shown (now if it is)."""
        if self.detail_timer.isActive():
            self._show_detail()
        record = self.detail.record
        if record is not None and record.id == self._selected_id:
            action(record)  # type: ignore[arg-type]
        elif self._selected_id is not None:
            self._pending = (self._selected_id, action)

    def _on_detail_shown(self) -> None:
        pending, self._pending = self._pending, None
        record = self.detail.record
        if pending is None or record is None:
            return
        wanted, action = pending
        if record.id == wanted == self._selected_id:
            action(record)  # type: ignore[arg-type]

    def _update_actions(self) -> None:
        self.delete_button.setEnabled(self._selected_id is not None)

    # -- forms --------------------------------------------------------------------------------

    def _open_form(self, form: FormDialog, on_saved: Callable[[Any], None]) -> None:
        """Open ``form`` (window-modal, non-blocking); the page keeps it for can_close()."""
        self.form = form
        form.saved.connect(on_saved)
        form.finished.connect(partial(self._forget_form, form))
        form.open()

    def _forget_form(self, form: FormDialog, result: int) -> None:
        if self.form is form:
            self.form = None
        form.deleteLater()
        if result == QDialog.DialogCode.Accepted:
            # Back in the table on the saved row (the dialog gave focus back to
            # the button that opened it): Enter, Delete and Ctrl+Z work at once.
            # The first record's table only shows once the rows are loaded.
            self._focus_table = True
            self._focus_table_if_wanted()

    def _focus_table_if_wanted(self) -> None:
        if self._focus_table and self.table.isVisible():
            self._focus_table = False
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _select_saved(self, record: R) -> None:
        self.show_record(record.id)

    def edit_selected(self) -> None:
        self._with_selected(
            lambda record: self._open_form(self.edit_form(record), self._select_saved)
        )

    # -- delete and undo ----------------------------------------------------------------------

    def delete_selected(self) -> None:
        self._with_selected(self._delete)

    def _delete(self, record: R) -> None:
        title = f"Delete {self.noun}"
        if not confirm(self, title, self.delete_question(record), "Delete"):
            return
        self.context.ops.write(
            type(self).delete_call,
            self.context.db,
            record.id,
            initiator=self,
            on_success=self._deleted,
        )

    def _deleted(self, deleted: _Deleted) -> None:
        self.last_deleted = deleted
        self._selected_id = None
        self.detail.show_record(None)
        self.undo_bar.show_message(
            f"Deleted “{deleted.label}”. You can undo this until you close Afterword.", undo=True
        )
        self.table.setFocus()
        self._update_actions()

    def undo_delete(self) -> None:
        deleted = self.last_deleted
        if deleted is None:
            return
        self.last_deleted = None
        self.context.ops.write(
            type(self).restore_call,
            self.context.db,
            deleted,
            initiator=self,
            on_success=partial(self._restored, deleted.label),
            on_failure=partial(self._not_restored, deleted),
        )

    def _restored(self, label: str, record: R) -> None:
        self.undo_bar.show_message(f"“{label}” is back.", undo=False)
        self.show_record(record.id)

    def _not_restored(self, deleted: _Deleted, error: BaseException) -> None:
        self.last_deleted = deleted  # the undo stays possible
        show_failure(error, f"The {self.noun} could not be brought back")
