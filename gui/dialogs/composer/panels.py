"""The composer's boxes: a coloured panel for warnings, errors and progress, the
password prompt that appears where a send needed the password, and the question
before a note is started over."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from afterword.gui.forms import ask_without_blocking
from afterword.gui.icons import icon
from afterword.gui.theme import is_dark


def warning_color(palette: QPalette) -> str:
    """An amber that reads well on ``palette`` (light or dark), for advice that never blocks."""
    return "#ffcc80" if is_dark(palette) else "#8a5a00"


def ask_to_start_over(parent: QWidget, who: str, on_confirmed: Callable[[], object]) -> QMessageBox:
    """Ask before the note to ``who`` is written afresh (opened without blocking)."""
    return ask_without_blocking(
        parent,
        icon=QMessageBox.Icon.Question,
        title="Start over?",
        text=f"Write the note to {who} afresh?",
        details="Afterword writes it again from today's facts. What you changed in it is replaced.",
        go="Start over",
        stay="Keep my note",
        on_confirmed=on_confirmed,
    )


class Panel(QFrame):
    """A coloured box with a text and room for buttons (warnings, errors, progress)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(name)
        self.row = QHBoxLayout()
        self.row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.label)
        layout.addLayout(self.row)
        self.hide()

    def add_button(self, button: QPushButton) -> QPushButton:
        self.row.addWidget(button)
        button.hide()
        return button

    def show_text(self, html: str, color: str = "") -> None:
        self.label.setText(html)
        self.label.setStyleSheet(f"color: {color};" if color else "")
        self.setVisible(bool(html))


class PasswordPrompt(QFrame):
    """Asks for the mail password right where the send needed it."""

    submitted = Signal(str, bool)  # password, keep it in the keyring
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setAccessibleName("Why the password is needed")
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Mail password")
        self.field.setPlaceholderText("Your mail password or app password")
        self.keep = QCheckBox("Keep it in the system keyring", self)
        self.keep.setChecked(True)
        self._to_keyring = True
        self.ok = QPushButton(icon("send"), "Send with this password", self)
        self.ok.setEnabled(False)
        cancel = QPushButton("Cancel", self)
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(self.ok)
        row.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.explanation)
        layout.addLayout(row)
        layout.addWidget(self.keep)
        self.field.textChanged.connect(lambda text: self.ok.setEnabled(bool(text)))
        self.field.returnPressed.connect(self._submit)
        self.ok.clicked.connect(self._submit)
        cancel.clicked.connect(self._cancel)
        self.hide()

    def ask(self, explanation: str, *, keyring_available: bool, optional: bool) -> None:
        """Show the prompt; ``optional``: the person may keep it out of the keyring."""
        self.explanation.setText(explanation)
        self._to_keyring = keyring_available
        self.keep.setVisible(keyring_available and optional)
        self.keep.setChecked(True)
        self.field.clear()
        self.show()
        self.field.setFocus()

    def _submit(self) -> None:
        password = self.field.text()
        if not password:
            return
        in_keyring = self._to_keyring and (self.keep.isHidden() or self.keep.isChecked())
        self.field.clear()
        self.hide()
        self.submitted.emit(password, in_keyring)

    def _cancel(self) -> None:
        self.field.clear()
        self.hide()
        self.cancelled.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Esc here cancels the prompt only; left to the window, it would close it.
        if event.key() == Qt.Key.Key_Escape:
            self._cancel()
            event.accept()
            return
        super().keyPressEvent(event)
