"""The line under a list after a change: what happened, an Undo button, a close button.

Shared by the record lists (after a delete) and the checklists (after a
mark). The owner says what to show with :meth:`UndoBar.show_message` and
takes the change back when :attr:`UndoBar.undo_requested` fires.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from afterword.gui.icons import icon

logger = logging.getLogger(__name__)


class UndoBar(QFrame):
    """What just changed, with Undo; hidden until the first message.

    ``hide_after_ms``: hide a message again after this long (the owner's
    Ctrl+Z keeps working after); None keeps it until closed.
    """

    undo_requested = Signal()

    def __init__(
        self,
        name: str,
        undo_tip: str,
        parent: QWidget | None = None,
        *,
        hide_after_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(name)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.button = QPushButton("Undo")
        self.button.setAccessibleName("Undo")
        self.button.setToolTip(f"{undo_tip} (Ctrl+Z)")
        self.button.clicked.connect(self.undo_requested)
        close = QToolButton()
        close.setIcon(icon("dismiss"))
        close.setAutoRaise(True)
        close.setAccessibleName("Hide this message")
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(close)
        self._timer: QTimer | None = None
        if hide_after_ms is not None:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.setInterval(hide_after_ms)
            self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str, *, undo: bool) -> None:
        """Show ``text``, with the Undo button when there is something to take back."""
        self.label.setText(text)
        self.button.setEnabled(undo)
        self.button.setVisible(undo)
        self.show()
        if self._timer is not None:
            self._timer.start()
