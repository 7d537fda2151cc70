"""How a checklist row is painted: what, for whom, and when on the right.

The title and the line under it wrap to the width the list gives them rather
than being cut off with "…": in a narrow detail pane a row grows a line
instead of hiding what it asks for. The check box is painted by hand, so the
delegate handles its clicks too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
)

from afterword.core.checklist.items import ChecklistItem, ItemState
from afterword.gui.theme import is_dark
from afterword.gui.widgets.checklist.model import DUE_TEXT_ROLE, ITEM_ROLE


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
        item: ChecklistItem | None = index.data(ITEM_ROLE)
        if item is None:
            return QSize(200, metrics.height() + 2 * self.PADDING + 6)
        row = QRect(option.rect)
        view = option.widget
        if isinstance(view, QAbstractItemView):
            # The row is as wide as the list's viewport, whatever rect the caller passed.
            row.setWidth(view.viewport().width())
        text_width = self._text_width(option, row, index.data(DUE_TEXT_ROLE) or "")
        title = _wrapped_height(metrics, item.title, text_width)
        detail = _wrapped_height(metrics, item.detail, text_width) if item.detail else 0
        return QSize(200, title + detail + 2 * self.PADDING)

    def _text_width(self, option: QStyleOptionViewItem, row: QRect, due: str) -> int:
        # indicator_rect's arithmetic without copying the option: Today measures
        # every row (2,800 at 10k applications) before it shows.
        style = option.widget.style() if option.widget else None
        size = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) if style else 16
        left = row.left() + self.PADDING + size - 1 + self.PADDING + 4
        due_width = option.fontMetrics.horizontalAdvance(due) + self.PADDING
        right = row.right() - self.PADDING
        return max(40, right - due_width - left - self.PADDING)

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
        text_width = self._text_width(opt, opt.rect, due)
        top = opt.rect.top() + self.PADDING
        line = metrics.lineSpacing()
        wrap = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop

        title_font = QFont(opt.font)
        finished = item.state in (ItemState.DONE, ItemState.DISMISSED)
        title_font.setStrikeOut(finished)
        painter.setFont(title_font)
        painter.setPen(dim if finished else text_color)
        title_height = _wrapped_height(metrics, item.title, text_width)
        painter.drawText(QRect(left, top, text_width, title_height), wrap, item.title)

        painter.setFont(opt.font)
        painter.setPen(dim)
        detail_height = _wrapped_height(metrics, item.detail, text_width)
        painter.drawText(
            QRect(left, top + title_height, text_width, detail_height), wrap, item.detail
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


def _wrapped_height(metrics: QFontMetrics, text: str, width: int) -> int:
    """How tall ``text`` is once wrapped at ``width`` (at least one line)."""
    flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
    bound = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, text or " ")
    return max(metrics.lineSpacing(), bound.height())


def _overdue_color(palette: QPalette) -> QColor:
    """A red that reads on both light and dark backgrounds."""
    return QColor("#ff7b72") if is_dark(palette) else QColor("#c62828")
