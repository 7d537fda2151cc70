"""What every form shares: a Save that runs through the operations layer, dirty
tracking, the save/discard/cancel prompt, and the small widgets and questions forms use.

Checks as the person types live in :mod:`afterword.gui.validator`; a form's
:attr:`FormDialog.validator` shows them. Saving hands the core write to
``context.ops`` (off the GUI thread): the form closes once the write
succeeded, and a :class:`afterword.core.errors.ValidationError` the core raises on
save is shown at the field it names while the form stays open, nothing lost.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEventLoop, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from afterword.core.errors import EditConflictError, ValidationError
from afterword.gui.operations import show_failure
from afterword.gui.validator import FormValidator, error_color

if TYPE_CHECKING:
    from afterword.gui.context import AppContext

logger = logging.getLogger(__name__)

# What the forms' callers import from here too.
__all__ = [
    "Choice",
    "FormDialog",
    "FormValidator",
    "TextBox",
    "ask_unsaved_changes",
    "confirm",
    "error_color",
    "fill_combo",
    "form_layout",
    "select_data",
]


class Choice(enum.Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_unsaved_changes(parent: QWidget, what: str) -> Choice:
    """Ask whether to save, discard or keep editing ``what``."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"Save your changes to {what}?")
    box.setInformativeText("If you don’t save, what you typed is lost.")
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    box.setAccessibleName("Unsaved changes")
    answer = box.exec()
    return {
        QMessageBox.StandardButton.Save: Choice.SAVE,
        QMessageBox.StandardButton.Discard: Choice.DISCARD,
    }.get(QMessageBox.StandardButton(answer), Choice.CANCEL)


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask before something destructive; ``action`` labels the button that goes ahead."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    box.setAccessibleName(title)
    box.exec()
    return box.clickedButton() is go


def ask_without_blocking(
    parent: QWidget,
    *,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    details: str,
    go: str,
    stay: str,
    on_confirmed: Callable[[], object],
) -> QMessageBox:
    """Ask a yes/no question in a window-modal box that does not block; ``stay`` is the
    default (Enter and Esc take it), ``on_confirmed`` runs only if ``go`` is clicked."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(details)
    yes = box.addButton(go, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton(stay, QMessageBox.ButtonRole.RejectRole))
    box.setAccessibleName(title)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.buttonClicked.connect(lambda button: on_confirmed() if button is yes else None)
    box.open()
    return box


# How a text document separates blocks and soft line breaks in its raw text.
_PARAGRAPH_SEPARATOR = "\u2029"
_LINE_SEPARATOR = "\u2028"


class TextBox(QPlainTextEdit):
    """A multi-line text field sized for ``lines`` lines, where Tab moves on.

    A form is not a text editor: Tab goes to the next field, and the box asks
    for the room its lines need instead of taking every spare pixel.
    """

    def __init__(self, name: str, lines: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setAccessibleName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        margins = self.contentsMargins()
        self._height = (
            self.fontMetrics().lineSpacing() * lines
            + 2 * int(self.document().documentMargin())
            + margins.top()
            + margins.bottom()
        )
        self.setMinimumHeight(self._height)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), self._height)

    def text(self) -> str:
        """The text as typed. ``toPlainText()`` would turn no-break spaces into spaces."""
        raw = self.document().toRawText()
        return raw.replace(_PARAGRAPH_SEPARATOR, "\n").replace(_LINE_SEPARATOR, "\n")


def form_layout() -> QFormLayout:
    """A form layout that looks the same on every platform: labels right, fields growing."""
    layout = QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    return layout


def add_field_row(form: QFormLayout, field: QWidget) -> None:
    """Put ``field`` in the field column of a new row with no label.

    Not ``form.addRow("", field)``: a row without a label item gets the
    field's size-hint height, not the height its width needs, so wrapped
    text beside nothing was cut off in a narrow window and floated in empty
    space in a wide one. An empty widget as the label keeps it sized right.
    """
    form.addRow(QWidget(field.parentWidget()), field)


class FormDialog(QDialog):
    """A dialog that edits one thing: Save/Cancel, Ctrl+S, Esc, and no silent loss.

    Subclasses build their fields into :attr:`body` (usually a
    :func:`form_layout`), register them with
    :attr:`validator`, then call :meth:`ready` once the initial values are in.
    They implement :meth:`snapshot` (the current values, for dirty tracking)
    and :meth:`core_write` (the core call that saves them).
    """

    saved = Signal(object)
    # Emitted when a save started by the form ended (True: written).
    write_finished = Signal(bool)

    def __init__(self, context: AppContext, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.what = what
        self._writing = False
        self.setSizeGripEnabled(True)
        outer = QVBoxLayout(self)
        # The fields scroll (long notes, many people, small screens); the
        # buttons and the reason Save is unavailable always stay in view.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, not their frame
        content = QWidget(scroll)
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 0, 4, 0)
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Why Save is unavailable")
        self.reason.hide()
        outer.addWidget(self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.validator = FormValidator(self.save_button, self.reason, self)
        red = error_color(self.palette())
        self.setStyleSheet(f'*[invalid="true"] {{ border: 1px solid {red}; border-radius: 3px; }}')
        # Ctrl+S everywhere in the form, even inside a multi-line text box.
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._baseline: Hashable = None

    # -- for subclasses -----------------------------------------------------------

    def snapshot(self) -> Hashable:
        raise NotImplementedError

    def core_write(self) -> Callable[[], object]:
        """The core call that saves what the form holds now, ready to run.

        Built on the GUI thread from the fields (read them here, never in the
        call), run off it by ``context.ops``; it may raise ``ValidationError``.
        """
        raise NotImplementedError

    def ready(self) -> None:
        """The initial values are in: this is the state "unchanged" compares to."""
        self.validator.mark_untouched()
        self._baseline = self.snapshot()
        self._focus_first_field()

    def _focus_first_field(self) -> None:
        """Open with the first field focused, not a button.

        Tab order is creation order, and the buttons are made before the
        fields; in the ring that makes, the last field is followed by Save and
        Cancel, then the first field again, which is the order wanted.
        """
        widget = self.nextInFocusChain()
        while widget is not self:
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and not self.buttons.isAncestorOf(
                widget
            ):
                widget.setFocus()
                return
            widget = widget.nextInFocusChain()

    # -- behaviour ------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.snapshot() != self._baseline

    def save(self) -> None:
        """Save (Save, Ctrl+S, Enter): the form closes once the core has written it."""
        self._start_write(close=True)

    def accept(self) -> None:
        # Enter on the default button ends up here: it must save, never just close.
        self.save()

    def _start_write(self, *, close: bool) -> bool:
        """Check, then hand the write to the operations layer; False if it cannot start."""
        if self._writing:
            return False  # a second click while the first save runs
        self.validator.revalidate()
        if not self.validator.is_valid():
            self.validator.reveal_all()
            return False
        try:
            write = self.core_write()
        except ValidationError as exc:
            self.validator.show_problem(exc)
            return False
        self._writing = True
        self.context.ops.write(
            write,
            initiator=self,
            on_success=lambda record: self._write_succeeded(record, close=close),
            on_failure=self._write_failed,
        )
        return True

    def _write_succeeded(self, record: object, *, close: bool) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog went away meanwhile; the write itself is done
        self._writing = False
        self._baseline = self.snapshot()
        self.saved.emit(record)
        self.write_finished.emit(True)
        if close:
            QDialog.accept(self)

    def _write_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            show_failure(error, "Cannot save")
            return
        self._writing = False
        self.write_finished.emit(False)
        if isinstance(error, ValidationError):
            self.validator.show_problem(error)
        elif not (isinstance(error, EditConflictError) and self.offer_reload(error)):
            show_failure(error, "Cannot save")

    def offer_reload(self, error: EditConflictError) -> bool:
        """A form that can reload after a refused stale save does so (returns True)."""
        return False

    def _wait_for_write(self) -> bool:
        """Wait (the window stays live) for a save under way; True if it wrote."""
        outcome: list[bool] = []
        if self._writing:
            loop = QEventLoop(self)
            self.write_finished.connect(outcome.append)
            self.write_finished.connect(loop.quit)
            loop.exec()
            self.write_finished.disconnect(loop.quit)
            self.write_finished.disconnect(outcome.append)
        return bool(outcome) and outcome[0]

    def confirm_close(self) -> bool:
        """True when the form may close: nothing changed, saved, or discarded.

        Closing needs the answer now (the window may be quitting), so a save
        chosen here is waited for.
        """
        self._wait_for_write()
        if not self.is_dirty():
            return True
        choice = ask_unsaved_changes(self, self.what)
        if choice is Choice.SAVE:
            return self._start_write(close=False) and self._wait_for_write()
        return choice is Choice.DISCARD

    def try_close(self) -> bool:
        """Close unless the person chose to keep editing; used by Esc, Cancel and quit."""
        if not self.confirm_close():
            return False
        if self.isVisible():  # a save it waited for may have closed it already
            QDialog.reject(self)
        return True

    def reject(self) -> None:
        self.try_close()


def fill_combo(combo: QComboBox, choices: Mapping[object, str]) -> None:
    """Fill ``combo`` with ``choices`` (value -> words shown); values go in the item data."""
    for value, text in choices.items():
        combo.addItem(text, value)


def select_data(combo: QComboBox, value: object) -> None:
    """Select the item whose data is ``value`` (left alone if there is none)."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
