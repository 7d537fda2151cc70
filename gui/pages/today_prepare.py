"""Today's "Before you go in" banner: one line per interview of the day, each
with a button that opens its sheet (:mod:`afterword.gui.dialogs.prep_sheet`).

Like Today itself, this module loads nothing that imports SQLAlchemy: the
interviews arrive as plain records from the page's background read.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from afterword.core.interviews_today import InterviewToPrepare

logger = logging.getLogger(__name__)


def banner_text(interview: InterviewToPrepare, now: datetime) -> str:
    """ "Interview today at 14:00 (your time 14:00): Data Engineer at Quarry, Panel"."""
    own = interview.starts_at.astimezone(ZoneInfo(interview.timezone))
    mine = interview.starts_at.astimezone(now.tzinfo)
    at = f"{own:%H:%M}"
    if mine.utcoffset() != own.utcoffset():
        at += f" {interview.timezone} ({mine:%H:%M} your time)"
    what = f"{interview.role} at {interview.company}"
    if interview.round_name:
        what += f", {interview.round_name}"
    return f"Interview today at {at}: {what}"


class PrepareBanner(QFrame):
    """The day's interviews, each with "Before you go in…"; hidden when there are none."""

    open_requested = Signal(int)  # interview id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Interviews today")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 10, 6)
        self.buttons: dict[int, QPushButton] = {}
        self.labels: list[QLabel] = []
        self.hide()

    def show_interviews(self, interviews: list[InterviewToPrepare], now: datetime) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            row = item.layout()
            if row is not None:
                while row.count():
                    widget = row.takeAt(0).widget()
                    if widget is not None:
                        widget.deleteLater()
        self.buttons.clear()
        self.labels.clear()
        for interview in interviews:
            label = QLabel(banner_text(interview, now))
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            button = QPushButton("Before you go in…")
            button.setAccessibleName(f"Before you go in: {interview.role} at {interview.company}")
            button.setToolTip("The people you will meet, your reason, what to ask at the end")
            button.clicked.connect(
                lambda _checked=False, id_=interview.interview_id: self.open_requested.emit(id_)
            )
            row = QHBoxLayout()
            row.addWidget(label, 1)
            row.addWidget(button)
            self._layout.addLayout(row)
            self.buttons[interview.interview_id] = button
            self.labels.append(label)
        self.setVisible(bool(interviews))
