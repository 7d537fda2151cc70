"""The checklist list: check, dismiss and snooze items in place, with undo.

Used on Today (grouped Overdue / Today / Next 7 days) and in an application's
or contact's detail pane (grouped To do / Snoozed / Done). The page loads the
items from :mod:`afterword.core.checklist.service` and calls :meth:`ChecklistView.set_items`;
the view does the marking itself (a core write through ``context.ops``, off the
GUI thread, whose change set makes every page refresh), and keeps the last
mark for :meth:`ChecklistView.undo`.

Signals for the page: ``open_requested(ChecklistItem)`` ("Open", and
double-click or Enter on an item with nothing to write),
``write_thank_you_requested(interview_id, contact_id)`` and
``write_message_requested(ChecklistItem)`` ("Write thank-you", and
double-click or Enter on an item with a message to write). "Write thank-you"
is there without selecting anything: with no such item selected it writes the
first one on the list.

"Dismiss all thank-yous" dismisses, in one step, the selected thank-you and
the others still unsent for its interview (for an application that said no:
its every optional "thank you anyway"); one undo brings them all back.

Keyboard: Space marks done (or undoes a hand-made mark), Delete dismisses,
Shift+Delete dismisses all thank-yous, Enter opens, Ctrl+Z (while focus is in
the view) undoes the last mark.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from types import ModuleType
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState
from afterword.gui.context import AppContext
from afterword.gui.icons import icon
from afterword.gui.they_replied import can_reply, record_they_replied
from afterword.gui.widgets.checklist.delegate import ChecklistDelegate
from afterword.gui.widgets.checklist.model import ITEM_ROLE, ChecklistModel
from afterword.gui.widgets.checklist.text import (
    Groups,
    day_text,
    is_hand_marked,
    progress_groups,
    thank_yous_together,
    writable,
    writing_target,
)
from afterword.gui.widgets.flow_layout import FlowLayout
from afterword.gui.widgets.snooze_menu import SnoozeMenu
from afterword.gui.widgets.undo_bar import UndoBar

logger = logging.getLogger(__name__)

FAILURE_TITLE = "The checklist could not be changed"
# How long the "Marked done · Undo" bar stays up; Ctrl+Z keeps working after.
UNDO_BAR_MS = 15_000


def _marks() -> ModuleType:
    """The core's marks, imported on the first mark: Today is shown before
    anything loads SQLAlchemy (see ``afterword.core.checklist.start``)."""
    from afterword.core.checklist import marks

    return marks


@dataclass(frozen=True)
class LastMark:
    keys: tuple[str, ...]
    label: str  # "“Send a thank-you to Ana”", or "3 thank-yous" for several at once
    what: str  # "done", "dismissed", "snoozed until Thu 14 Mar"

    @property
    def back(self) -> str:
        return f"{self.label} {'is' if len(self.keys) == 1 else 'are'} back on the list."


class ChecklistView(QWidget):
    """A checklist with its action bar and an undo bar (see the module docstring).

    ``grouping`` turns the items into titled groups: :func:`today_groups` or
    :func:`progress_groups` (the default). ``compact`` shows the action bar's
    buttons as icons only, for narrow detail panes.
    """

    open_requested = Signal(object)  # ChecklistItem
    write_thank_you_requested = Signal(int, object)  # interview id, contact id or None
    # Any other item with a message to write (follow-up, rejection reply, check-in).
    write_message_requested = Signal(object)  # ChecklistItem

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        grouping: Callable[[Sequence[ChecklistItem], datetime], Groups] = progress_groups,
        compact: bool = False,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._grouping = grouping
        self.last_mark: LastMark | None = None

        self.model = ChecklistModel(self)
        self.model.check_requested.connect(self._on_check_requested)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.delegate = ChecklistDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setAccessibleName("Checklist")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setUniformItemSizes(False)
        # Rows wrap their text: laid out again when the width changes.
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.setMouseTracking(True)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_context_menu)
        # Double-click or Enter (or a single click where the desktop is set so):
        # an item with a message to write opens the composer, any other opens its record.
        self.list.activated.connect(lambda _index: self.activate_current())
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update_actions())
        self.list.installEventFilter(self)

        self.snooze_menu = SnoozeMenu(context.clock, self)
        self.snooze_menu.chosen.connect(self.snooze_current)
        self.open_action = self._action(
            "Open", "edit", "Open what this item is about", self.open_current
        )
        self.done_action = self._action(
            "Mark done", "done", "Mark the item done (Space)", self.mark_current_done
        )
        self.dismiss_action = self._action(
            "Dismiss", "dismiss", "Not needed (Delete)", self.dismiss_current
        )
        self.dismiss_thank_yous_action = self._action(
            "Dismiss all thank-yous",
            "dismiss",
            "Not needed: dismiss every unsent thank-you that goes with this one (Shift+Delete)",
            self.dismiss_thank_yous,
        )
        self.restore_action = self._action(
            "Restore", "today", "Take back the mark", self.restore_current
        )
        self.thank_you_action = self._action(
            "Write thank-you", "mail", "Write the thank-you note", self.write_thank_you
        )
        self.replied_action = self._action(
            "They replied", "mail", "They answered: record it, and what they said", self.replied
        )
        self.undo_action = QAction("Undo", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo)
        self.addAction(self.undo_action)

        # Wraps onto a second row in a narrow pane rather than cutting labels off.
        bar = FlowLayout(spacing=4)
        # Buttons for actions that come and go (QToolButton does not follow
        # its action's visibility by itself).
        self._buttons: dict[QAction, QToolButton] = {}
        for action in (
            self.open_action,
            self.done_action,
            self.dismiss_action,
            self.dismiss_thank_yous_action,
        ):
            bar.addWidget(self._button(action, compact))
        self.snooze_button = self.snooze_menu.button(self)
        self._style_button(self.snooze_button, compact)
        bar.addWidget(self.snooze_button)
        bar.addWidget(self._button(self.restore_action, compact))
        # The main action keeps its words even in a narrow pane.
        bar.addWidget(self._button(self.thank_you_action, compact=False))
        bar.addWidget(self._button(self.replied_action, compact=False))

        self.undo_bar = UndoBar(
            "Last change", "Take back the last change", self, hide_after_ms=UNDO_BAR_MS
        )
        self.undo_bar.undo_requested.connect(self.undo)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.undo_bar)
        # Tab goes top to bottom as the controls are laid out: actions, list, undo.
        # No focus proxy on the view itself: Tab would land on the proxy (the
        # list) and skip the actions above it. A page that puts the view after
        # its own controls continues its tab order with ``tab_chain[0]``.
        self.tab_chain: list[QWidget] = [
            self._buttons[self.open_action],
            self._buttons[self.done_action],
            self._buttons[self.dismiss_action],
            self._buttons[self.dismiss_thank_yous_action],
            self.snooze_button,
            self._buttons[self.restore_action],
            self._buttons[self.thank_you_action],
            self._buttons[self.replied_action],
            self.list,
            self.undo_bar.button,
        ]
        for first, second in itertools.pairwise(self.tab_chain):
            QWidget.setTabOrder(first, second)
        self._update_actions()

    # -- building ---------------------------------------------------------------------------

    def _action(self, text: str, icon_name: str, tip: str, slot: Callable[[], None]) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _button(self, action: QAction, compact: bool) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAccessibleName(action.text())
        self._style_button(button, compact)
        self._buttons[action] = button
        return button

    @staticmethod
    def _style_button(button: QToolButton, compact: bool) -> None:
        button.setAutoRaise(True)
        button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonIconOnly
            if compact
            else Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        )

    # -- content ----------------------------------------------------------------------------

    def set_items(self, items: Sequence[ChecklistItem]) -> None:
        """Show ``items`` (grouped), keeping the selected item selected if it is still there."""
        current = self.current_item()
        self.model.set_groups(self._grouping(items, self._context.now()), self._context.now())
        row = self.model.row_of(current.key) if current else -1
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))
        self._update_actions()

    def items(self) -> list[ChecklistItem]:
        return self.model.items()

    def current_item(self) -> ChecklistItem | None:
        index = self.list.currentIndex()
        return index.data(ITEM_ROLE) if index.isValid() else None

    def select_key(self, key: str) -> bool:
        row = self.model.row_of(key)
        if row < 0:
            return False
        self.list.setCurrentIndex(self.model.index(row))
        return True

    def check_box_rect(self, key: str) -> QRect:
        """The check box of item ``key`` in viewport coordinates (empty if not shown)."""
        row = self.model.row_of(key)
        if row < 0:
            return QRect()
        option = QStyleOptionViewItem()
        option.rect = self.list.visualRect(self.model.index(row))
        option.widget = self.list
        return self.delegate.indicator_rect(option)

    def _update_actions(self) -> None:
        item = self.current_item()
        actionable = item is not None and item.is_actionable
        self.open_action.setEnabled(item is not None)
        self.done_action.setEnabled(actionable)
        self.dismiss_action.setEnabled(actionable)
        self.snooze_button.setEnabled(actionable)
        hand_marked = item is not None and is_hand_marked(item)
        self._set_visible(self.restore_action, hand_marked)
        together = len(thank_yous_together(item, self.items()))
        if together > 1:
            self.dismiss_thank_yous_action.setText(f"Dismiss all {together} thank-yous")
        self._set_visible(self.dismiss_thank_yous_action, together > 1)
        target = self.writing_target()
        if target is not None:
            thank_you = target.kind == ItemKind.THANK_YOU
            text = "Write thank-you" if thank_you else "Write message"
            self.thank_you_action.setText(text)
            self.thank_you_action.setToolTip(f"{text}: {target.title}")
            self._buttons[self.thank_you_action].setAccessibleName(text)
        self._set_visible(self.thank_you_action, target is not None)
        self._set_visible(self.replied_action, can_reply(item))

    def _set_visible(self, action: QAction, visible: bool) -> None:
        action.setVisible(visible)
        self._buttons[action].setVisible(visible)

    # -- actions ----------------------------------------------------------------------------

    def open_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self.open_requested.emit(item)

    def activate_current(self) -> None:
        """Double-click or Enter: write the item's message if it has one, else open it."""
        item = self.current_item()
        if item is not None and writable(item):
            self.write_thank_you()
        else:
            self.open_current()

    def writing_target(self) -> ChecklistItem | None:
        """What "Write thank-you" writes: the selected item, else the first with a message."""
        return writing_target(self.current_item(), self.items())

    def write_thank_you(self) -> None:
        """Open the composer for the target item: its thank-you, or its other message."""
        item = self.writing_target()
        if item is None:
            return
        if item.kind == ItemKind.THANK_YOU and item.interview_id is not None:
            self.write_thank_you_requested.emit(item.interview_id, item.contact_id)
        else:
            self.write_message_requested.emit(item)

    def replied(self) -> None:
        """They replied to the selected follow-up: record it and ask what they said."""
        item = self.current_item()
        if can_reply(item):
            assert item is not None
            record_they_replied(self._context, item, self)

    def mark_current_done(self) -> None:
        item = self.current_item()
        if item is not None and item.is_actionable:
            self._mark(item, "done", {"state": ItemState.DONE}, _marks().mark_done)

    def dismiss_current(self) -> None:
        item = self.current_item()
        if item is not None and item.is_actionable:
            self._mark(item, "dismissed", {"state": ItemState.DISMISSED}, _marks().dismiss)

    def dismiss_thank_yous(self) -> None:
        """Dismiss the selected thank-you and every unsent one that goes with it, at once."""
        together = thank_yous_together(self.current_item(), self.items())
        if len(together) > 1:
            self._mark(together, "dismissed", {"state": ItemState.DISMISSED}, _marks().dismiss_all)

    def snooze_current(self, until: datetime) -> None:
        item = self.current_item()
        if item is None or not item.is_actionable:
            return
        what = f"snoozed until {day_text(until.date(), self._context.now().date())}"
        marked = {"state": ItemState.SNOOZED, "snoozed_until": until}
        self._mark(item, what, marked, _marks().snooze, until=until)

    def restore_current(self) -> None:
        """Take back a hand-made mark (done, dismissed, snoozed) on the selected item."""
        item = self.current_item()
        if item is not None and is_hand_marked(item):
            self._context.ops.write(
                _marks().clear_mark,
                self._context.db,
                item.key,
                initiator=self,
                on_success=lambda _result: self._show_message(
                    f"“{item.title}” is back on the list.", undo=False
                ),
                failure_title=FAILURE_TITLE,
            )

    def undo(self) -> None:
        """Take back the last mark made in this view."""
        last = self.last_mark
        if last is None:
            return
        self.last_mark = None

        def undone(_result: object) -> None:
            self._show_message(last.back, undo=False)
            self.select_key(last.keys[0])

        self._context.ops.write(
            _marks().clear_marks,
            self._context.db,
            last.keys,
            initiator=self,
            on_success=undone,
            failure_title=FAILURE_TITLE,
        )

    def _on_check_requested(self, item: ChecklistItem, checked: bool) -> None:
        self.select_key(item.key)
        if checked and item.is_actionable:
            self.mark_current_done()
        elif not checked and is_hand_marked(item):
            self.restore_current()

    def _mark(
        self,
        target: ChecklistItem | Sequence[ChecklistItem],
        what: str,
        marked: dict[str, Any],
        write: Callable[..., object],
        **kwargs: Any,
    ) -> None:
        """Run the mark ``write(db, key or keys, now=..., **kwargs)``; show it once saved.

        ``target`` is one item (``write`` takes its key) or several (``write``
        takes their keys); ``marked`` is what the mark changes on each item.
        """
        several = not isinstance(target, ChecklistItem)
        items = list(target) if several else [target]
        keys = tuple(item.key for item in items)
        label = f"{len(items)} thank-yous" if several else f"“{items[0].title}”"

        def saved(_result: object) -> None:
            # Show the result at once; the reload its change set starts confirms it.
            self.set_items([replace(i, **marked) if i.key in keys else i for i in self.items()])
            self.last_mark = LastMark(keys=keys, label=label, what=what)
            self._show_message(f"{label} {what}.", undo=True)

        self._context.ops.write(
            write,
            self._context.db,
            keys if several else keys[0],
            now=self._context.now(),
            initiator=self,
            on_success=saved,
            failure_title=FAILURE_TITLE,
            **kwargs,
        )

    def _show_message(self, text: str, *, undo: bool) -> None:
        self.undo_bar.show_message(text, undo=undo)

    # -- keyboard and context menu -------------------------------------------------------------

    def eventFilter(self, watched: Any, event: QEvent) -> bool:  # noqa: N802
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Space:
                item = self.current_item()
                if item is not None and item.is_actionable:
                    self.mark_current_done()
                elif item is not None and is_hand_marked(item):
                    self.restore_current()
                return True
            if key == Qt.Key.Key_Delete:
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.dismiss_thank_yous()
                else:
                    self.dismiss_current()
                return True
        return super().eventFilter(watched, event)

    def _show_context_menu(self, position: QPoint) -> None:
        index = self.list.indexAt(position)
        if not index.isValid() or index.data(ITEM_ROLE) is None:
            return
        self.list.setCurrentIndex(index)
        menu = QMenu(self)
        for action in (
            self.open_action,
            self.thank_you_action,
            self.replied_action,
            self.done_action,
            self.dismiss_action,
            self.dismiss_thank_yous_action,
        ):
            if action.isVisible():
                menu.addAction(action)
        if self.snooze_button.isEnabled():
            menu.addMenu(self.snooze_menu)
        if self.restore_action.isVisible():
            menu.addAction(self.restore_action)
        menu.popup(self.list.viewport().mapToGlobal(position))
