"""A check box whose text wraps onto more lines when the box is narrow.

Qt's check box keeps its text on one line, so a long one ("Keep reminders
running when the window is closed") sets how narrow a whole settings page can
be: with a big font, the page then scrolls sideways and its paragraphs are cut
at the edge. This one is a :class:`QCheckBox` in every other way (its text,
mnemonic, keyboard and accessible name); wide enough, it looks the same.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QStylePainter,
    QWidget,
)

logger = logging.getLogger(__name__)

_FLAGS = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic


class WrappingCheckBox(QCheckBox):
    """A :class:`QCheckBox` whose text wraps (see the module docstring)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _text_left(self) -> int:
        """Where the text starts: after the indicator and the style's gap."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return self.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, self).x()

    def _text_rect(self, width: int) -> QRect:
        """The text's rectangle, wrapped at ``width`` (the whole box's width)."""
        left = self._text_left()
        room = max(width - left, 1)
        return self.fontMetrics().boundingRect(QRect(0, 0, room, 100000), _FLAGS, self.text())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # As narrow as the longest word, whole.
        metrics = self.fontMetrics()
        words = self.text().replace("&", "").split()
        widest = max((metrics.horizontalAdvance(word) for word in words), default=0)
        return QSize(self._text_left() + widest, super().minimumSizeHint().height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        # One line's height (as Qt's own box), and the height of each line more.
        line = super().sizeHint().height()
        return line - self.fontMetrics().height() + self._text_rect(width).height()

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802
        # The indicator and every line of the text, not only the first one.
        return self.rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        line = super().sizeHint().height()  # one line's height, as Qt's own box is
        if self.height() <= line:
            super().paintEvent(event)  # on one line: exactly as Qt's own box
            return
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        text = option.text  # type: ignore[attr-defined]
        option.text = ""  # type: ignore[attr-defined]
        # The indicator where a one-line box has it, beside the first line.
        option.rect = QRect(0, 0, self.width(), line)  # type: ignore[attr-defined]
        indicator = self.style().subElementRect(
            QStyle.SubElement.SE_CheckBoxIndicator, option, self
        )
        option.rect = indicator  # type: ignore[attr-defined]
        painter.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorCheckBox, option)
        left = self._text_left()
        top = (line - self.fontMetrics().height()) // 2
        area = QRect(left, top, self.width() - left, self.height() - top)
        painter.drawItemText(
            area, int(_FLAGS), self.palette(), self.isEnabled(), text, QPalette.ColorRole.WindowText
        )
        if self.hasFocus():
            focus = QStyleOptionFocusRect()
            focus.initFrom(self)
            text_rect = self._text_rect(self.width()).translated(left, top)
            focus.rect = text_rect.adjusted(-2, 0, 2, 0)  # type: ignore[attr-defined]
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus)
