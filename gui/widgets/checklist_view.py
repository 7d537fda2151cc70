"""The checklist list: check, dismiss and snooze items in place, with undo.

Used on Today (grouped Overdue / Today / Next 7 days) and in an application's
or contact's detail pane (grouped To do / Snoozed / Done). The page loads the
items from :mod:`afterword.core.checklist.service` and calls :meth:`ChecklistView.set_items`;
the view does the marking itself (through the core, then
``context.notify("checklist")``) so every page refreshes, and keeps the last
mark for :meth:`ChecklistView.undo`.

Signals for the page: ``open_requested(ChecklistItem)`` (double-click, Enter,
"Open") and ``write_thank_you_requested(interview_id, contact_id)``.

Keyboard: Space marks done (or undoes a hand-made mark), Delete dismisses,
Enter opens, Ctrl+Z (while focus is in the view) undoes the last mark.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from afterword.core.checklist import service
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState
from afterword.core.errors import AfterwordError
from afterword.gui.context import CHECKLIST, AppContext
from afterword.gui.icons import icon
from afterword.gui.theme import is_dark
from afterword.gui.widgets.snooze_menu import SnoozeMenu

logger = logging.getLogger(__name__)

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# How long the "Marked done · Undo" bar stays up; Ctrl+Z keeps working after.
UNDO_BAR_MS = 15_000

Groups = list[tuple[str, list[ChecklistItem]]]


# --- texts and grouping ------------------------------------------------------------------------


def day_text(day: date, today: date) -> str:
    """ "Thu 14 Mar" (with the year when it is not this year's)."""
    text = f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def due_text(item: ChecklistItem, now: datetime) -> str:
    """When an item is due, in words: "overdue by 2 days", "today", "Thu 14 Mar"..."""
    today = now.date()
    due_day = item.due_at.astimezone(now.tzinfo).date()
    if item.state == ItemState.DONE:
        return "done automatically" if item.done_automatically else "done"
    if item.state == ItemState.DISMISSED:
        return "dismissed"
    if item.state == ItemState.SNOOZED and item.snoozed_until is not None:
        until = item.snoozed_until.astimezone(now.tzinfo).date()
        return f"snoozed until {day_text(until, today)}"
    if item.state == ItemState.OVERDUE:
        late = (today - item.overdue_at.astimezone(now.tzinfo).date()).days
        return "overdue since today" if late <= 0 else f"overdue by {_days(late)}"
    if due_day <= today:
        return "today"
    if (due_day - today).days == 1:
        return "tomorrow"
    return day_text(due_day, today)


def today_groups(items: Sequence[ChecklistItem], now: datetime) -> Groups:
    """Overdue / Today / Next 7 days (empty groups left out), keeping the given order.

    Only items still to do are listed: one just marked leaves at once.
    """
    overdue: list[ChecklistItem] = []
    due: list[ChecklistItem] = []
    upcoming: list[ChecklistItem] = []
    for item in items:
        if not item.is_actionable:
            continue
        if item.state == ItemState.OVERDUE:
            overdue.append(item)
        elif item.state == ItemState.DUE or item.due_at.astimezone(now.tzinfo).date() <= now.date():
            due.append(item)
        else:
            upcoming.append(item)
    groups = (("Overdue", overdue), ("Today", due), ("Next 7 days", upcoming))
    return [(title, group) for title, group in groups if group]


def today_summary(items: Sequence[ChecklistItem], now: datetime) -> str:
    """ "2 overdue · 3 for today · 4 coming up" (only the parts that are not zero)."""
    counts = {title: len(group) for title, group in today_groups(items, now)}
    words = (("Overdue", "overdue"), ("Today", "for today"), ("Next 7 days", "coming up"))
    return " · ".join(f"{counts[title]} {text}" for title, text in words if counts.get(title))


def next_change(items: Sequence[ChecklistItem], now: datetime) -> datetime:
    """When the list must be rebuilt even if no data changes: midnight or the next deadline."""
    moments = [datetime.combine(now.date() + timedelta(days=1), time(0), now.tzinfo)]
    for item in items:
        if item.state == ItemState.OPEN:
            moments.append(item.due_at)
        if item.state in (ItemState.OPEN, ItemState.DUE):
            moments.append(item.overdue_at)
    return min(moment for moment in moments if moment > now)


def progress_groups(items: Sequence[ChecklistItem], now: datetime) -> Groups:
    """To do / Snoozed / Done (done and dismissed), for a detail pane."""
    todo = [i for i in items if i.is_actionable]
    snoozed = [i for i in items if i.state == ItemState.SNOOZED]
    done = [i for i in items if i.state in (ItemState.DONE, ItemState.DISMISSED)]
    groups = (("To do", todo), ("Snoozed", snoozed), ("Done", done))
    return [(title, group) for title, group in groups if group]


def is_hand_marked(item: ChecklistItem) -> bool:
    """Done, dismissed or snoozed by the person (so the mark can be taken back)."""
    return not item.done_automatically and item.state in (
        ItemState.DONE,
        ItemState.DISMISSED,
        ItemState.SNOOZED,
    )


# --- the model ----------------------------------------------------------------------------------

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the ChecklistItem (None on a group header)
DUE_TEXT_ROLE = Qt.ItemDataRole.UserRole + 2
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3


@dataclass(frozen=True)
class _Row:
    header: str
    item: ChecklistItem | None
    due: str = ""


class ChecklistModel(QAbstractListModel):
    """Group headers and items as one flat list (headers are disabled rows)."""

    # (item, checked): the person clicked the box; the view decides what it means.
    check_requested = Signal(object, bool)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []

    def set_groups(self, groups: Groups, now: datetime) -> None:
        self.beginResetModel()
        self._rows = []
        for title, items in groups:
            self._rows.append(_Row(header=f"{title} ({len(items)})", item=None))
            self._rows.extend(_Row(header="", item=i, due=due_text(i, now)) for i in items)
        self.endResetModel()

    def items(self) -> list[ChecklistItem]:
        return [row.item for row in self._rows if row.item is not None]

    def row_of(self, key: str) -> int:
        """The row showing the item with ``key``, or -1."""
        for number, row in enumerate(self._rows):
            if row.item is not None and row.item.key == key:
                return number
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        item = self._rows[index.row()].item
        if item is None:
            return Qt.ItemFlag.NoItemFlags  # headers are skipped by keyboard navigation
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not item.done_automatically:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        item = row.item
        if role == ITEM_ROLE:
            return item
        if item is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return row.header
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == DETAIL_ROLE:
            return item.detail
        if role == DUE_TEXT_ROLE:
            return row.due
        if role == Qt.ItemDataRole.CheckStateRole:
            done = item.state == ItemState.DONE
            return Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.title}\n{item.detail}\n{row.due}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.title}. {item.detail}. {row.due}."
        return None

    def setData(  # noqa: N802
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = 0
    ) -> bool:
        item = self._rows[index.row()].item
        if role != Qt.ItemDataRole.CheckStateRole or item is None:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self.check_requested.emit(item, checked)
        return True


# --- the delegate (two lines per item: what, for whom; when on the right) ------------------------


class ChecklistDelegate(QStyledItemDelegate):
    PADDING = 8

    def indicator_rect(self, option: QStyleOptionViewItem) -> QRect:
        """Where the check box of the row at ``option.rect`` is painted."""
        style = option.widget.style() if option.widget else None
        size = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) if style else 16
        rect = option.rect
        return QRect(rect.left() + self.PADDING, rect.center().y() - size // 2, size, size)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        metrics = option.fontMetrics
        if index.data(ITEM_ROLE) is None:
            return QSize(200, metrics.height() + 2 * self.PADDING + 6)
        return QSize(200, 2 * metrics.lineSpacing() + 2 * self.PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        item: ChecklistItem | None = index.data(ITEM_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget else None
        painter.save()
        try:
            if item is None:
                self._paint_header(painter, opt, index)
            else:
                if style is not None:
                    style.drawPrimitive(
                        QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget
                    )
                self._paint_item(painter, opt, index, item)
        finally:
            painter.restore()

    def _paint_header(
        self, painter: QPainter, opt: QStyleOptionViewItem, index: QModelIndex
    ) -> None:
        font = QFont(opt.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(opt.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText))
        rect = opt.rect.adjusted(self.PADDING, self.PADDING + 6, -self.PADDING, 0)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, index.data())

    def _paint_item(
        self, painter: QPainter, opt: QStyleOptionViewItem, index: QModelIndex, item: ChecklistItem
    ) -> None:
        widget = opt.widget
        style = widget.style() if widget else None
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = opt.palette.color(group, text_role)
        dim = QColor(text_color)
        dim.setAlphaF(0.68)

        check = self.indicator_rect(opt)
        if style is not None:
            box = QStyleOptionButton()
            box.rect = check
            box.palette = QPalette(opt.palette)
            if is_dark(opt.palette):
                # Fusion outlines the box in a darker shade of Window: on a dark
                # palette that is black on black. Outline it in a text shade instead.
                box.palette.setColor(QPalette.ColorRole.Window, text_color)
            box.state = QStyle.StateFlag.State_Enabled
            if item.done_automatically:
                box.state = QStyle.StateFlag.State_None
            checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
            box.state |= QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off
            style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorCheckBox, box, painter, widget)

        due = index.data(DUE_TEXT_ROLE) or ""
        metrics = opt.fontMetrics
        left = check.right() + self.PADDING + 4
        due_width = metrics.horizontalAdvance(due) + self.PADDING
        right = opt.rect.right() - self.PADDING
        text_width = max(0, right - due_width - left - self.PADDING)
        top = opt.rect.top() + self.PADDING
        line = metrics.lineSpacing()

        title_font = QFont(opt.font)
        finished = item.state in (ItemState.DONE, ItemState.DISMISSED)
        title_font.setStrikeOut(finished)
        painter.setFont(title_font)
        painter.setPen(dim if finished else text_color)
        title = metrics.elidedText(item.title, Qt.TextElideMode.ElideRight, text_width)
        painter.drawText(QRect(left, top, text_width, line), Qt.AlignmentFlag.AlignVCenter, title)

        painter.setFont(opt.font)
        painter.setPen(dim)
        detail = metrics.elidedText(item.detail, Qt.TextElideMode.ElideRight, text_width)
        painter.drawText(
            QRect(left, top + line, text_width, line), Qt.AlignmentFlag.AlignVCenter, detail
        )

        if item.state == ItemState.OVERDUE and not selected:
            painter.setPen(_overdue_color(opt.palette))
        else:
            painter.setPen(dim)
        painter.drawText(
            QRect(right - due_width, top, due_width, line),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            due,
        )

    def editorEvent(  # noqa: N802
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: QModelIndex
    ) -> bool:
        # The check box is painted by hand, so its clicks are handled here too.
        if not index.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return False
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            return (
                self.indicator_rect(option)
                .adjusted(-4, -4, 4, 4)
                .contains(event.position().toPoint())
            )
        if event.type() == QEvent.Type.MouseButtonRelease:
            if (
                not self.indicator_rect(option)
                .adjusted(-4, -4, 4, 4)
                .contains(event.position().toPoint())
            ):
                return False
            checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
            new = Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked
            return bool(model.setData(index, new.value, Qt.ItemDataRole.CheckStateRole))
        return False


def _overdue_color(palette: QPalette) -> QColor:
    """A red that reads on both light and dark backgrounds."""
    return QColor("#ff7b72") if is_dark(palette) else QColor("#c62828")


# --- the view -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LastMark:
    key: str
    title: str
    what: str  # "done", "dismissed", "snoozed until Thu 14 Mar"


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
        self.list.setMouseTracking(True)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_context_menu)
        # Double-click or Enter (or a single click where the desktop is set so).
        self.list.activated.connect(lambda _index: self.open_current())
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
        self.restore_action = self._action(
            "Restore", "today", "Take back the mark", self.restore_current
        )
        self.thank_you_action = self._action(
            "Write thank-you", "mail", "Write the thank-you note", self.write_thank_you
        )
        self.undo_action = QAction("Undo", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo)
        self.addAction(self.undo_action)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        # Buttons for actions that come and go (QToolButton does not follow
        # its action's visibility by itself).
        self._buttons: dict[QAction, QToolButton] = {}
        for action in (self.open_action, self.done_action, self.dismiss_action):
            bar.addWidget(self._button(action, compact))
        self.snooze_button = QToolButton(self)
        # A small arrow in the text reads better than the style's menu indicator,
        # which Fusion draws below the text.
        self.snooze_button.setText("Snooze ▾")
        self.snooze_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.snooze_button.setIcon(icon("snooze"))
        self.snooze_button.setAccessibleName("Snooze")
        self.snooze_button.setToolTip("Bring the item back later")
        self.snooze_button.setMenu(self.snooze_menu)
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._style_button(self.snooze_button, compact)
        bar.addWidget(self.snooze_button)
        for action in (self.restore_action, self.thank_you_action):
            bar.addWidget(self._button(action, compact))
        bar.addStretch(1)

        self.undo_bar = QFrame(self)
        self.undo_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.undo_bar.setAccessibleName("Last change")
        self.undo_label = QLabel(self.undo_bar)
        self.undo_label.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.undo_button = QPushButton("Undo", self.undo_bar)
        self.undo_button.setAccessibleName("Undo the last change")
        self.undo_button.clicked.connect(self.undo)
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(10, 4, 4, 4)
        undo_layout.addWidget(self.undo_label)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_BAR_MS)
        self._undo_timer.timeout.connect(self.undo_bar.hide)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.undo_bar)
        self.setFocusProxy(self.list)
        # Tab goes top to bottom as the controls are laid out: actions, list, undo.
        chain = [
            self._buttons[self.open_action],
            self._buttons[self.done_action],
            self._buttons[self.dismiss_action],
            self.snooze_button,
            self._buttons[self.restore_action],
            self._buttons[self.thank_you_action],
            self.list,
            self.undo_button,
        ]
        for first, second in itertools.pairwise(chain):
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
        writable = actionable and item is not None and item.purpose is not None
        if writable:
            text = "Write thank-you" if item.kind == ItemKind.THANK_YOU else "Write message"
            self.thank_you_action.setText(text)
            self._buttons[self.thank_you_action].setAccessibleName(text)
        self._set_visible(self.thank_you_action, writable)

    def _set_visible(self, action: QAction, visible: bool) -> None:
        action.setVisible(visible)
        self._buttons[action].setVisible(visible)

    # -- actions ----------------------------------------------------------------------------

    def open_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self.open_requested.emit(item)

    def write_thank_you(self) -> None:
        """Open the composer for the current item: its thank-you, or its other message."""
        item = self.current_item()
        if item is None or item.purpose is None:
            return
        if item.kind == ItemKind.THANK_YOU and item.interview_id is not None:
            self.write_thank_you_requested.emit(item.interview_id, item.contact_id)
        else:
            self.write_message_requested.emit(item)

    def mark_current_done(self) -> None:
        item = self.current_item()
        if item is not None and item.is_actionable:
            self._mark(
                item,
                "done",
                lambda now: service.mark_done(self._context.db, item.key, now=now),
                replace(item, state=ItemState.DONE),
            )

    def dismiss_current(self) -> None:
        item = self.current_item()
        if item is not None and item.is_actionable:
            self._mark(
                item,
                "dismissed",
                lambda now: service.dismiss(self._context.db, item.key, now=now),
                replace(item, state=ItemState.DISMISSED),
            )

    def snooze_current(self, until: datetime) -> None:
        item = self.current_item()
        if item is None or not item.is_actionable:
            return
        what = f"snoozed until {day_text(until.date(), self._context.now().date())}"
        self._mark(
            item,
            what,
            lambda now: service.snooze(self._context.db, item.key, until=until, now=now),
            replace(item, state=ItemState.SNOOZED, snoozed_until=until),
        )

    def restore_current(self) -> None:
        """Take back a hand-made mark (done, dismissed, snoozed) on the selected item."""
        item = self.current_item()
        if item is not None and is_hand_marked(item):
            self._write(lambda _now: service.clear_mark(self._context.db, item.key))
            self._show_message(f"“{item.title}” is back on the list.", undo=False)

    def undo(self) -> None:
        """Take back the last mark made in this view."""
        last = self.last_mark
        if last is None:
            return
        self.last_mark = None
        if self._write(lambda _now: service.clear_mark(self._context.db, last.key)):
            self._show_message(f"“{last.title}” is back on the list.", undo=False)
            self.select_key(last.key)

    def _on_check_requested(self, item: ChecklistItem, checked: bool) -> None:
        self.select_key(item.key)
        if checked and item.is_actionable:
            self.mark_current_done()
        elif not checked and is_hand_marked(item):
            self.restore_current()

    def _mark(
        self,
        item: ChecklistItem,
        what: str,
        write: Callable[[datetime], object],
        marked: ChecklistItem,
    ) -> None:
        if self._write(write):
            # Show the result at once; the reload that ``notify`` starts confirms it.
            self.set_items([marked if i.key == item.key else i for i in self.items()])
            self.last_mark = LastMark(key=item.key, title=item.title, what=what)
            self._show_message(f"“{item.title}” {what}.", undo=True)

    def _write(self, write: Callable[[datetime], object]) -> bool:
        """Run one checklist write, then tell every page; errors are shown, never lost."""
        try:
            write(self._context.now())
        except AfterwordError as exc:
            logger.warning("Checklist change failed: %s", exc)
            from afterword.gui.crash import show_error

            show_error("The checklist could not be changed", exc)
            self._context.notify(CHECKLIST)  # the list may be stale: reload it
            return False
        self._context.notify(CHECKLIST)
        return True

    def _show_message(self, text: str, *, undo: bool) -> None:
        self.undo_label.setText(text)
        self.undo_button.setVisible(undo)
        self.undo_bar.show()
        self._undo_timer.start()

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
            self.done_action,
            self.dismiss_action,
        ):
            if action.isVisible():
                menu.addAction(action)
        if self.snooze_button.isEnabled():
            menu.addMenu(self.snooze_menu)
        if self.restore_action.isVisible():
            menu.addAction(self.restore_action)
        menu.popup(self.list.viewport().mapToGlobal(position))
