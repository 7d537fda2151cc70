"""What every form shares: errors at the field, a Save button that says why it is
disabled, dirty tracking, and the save/discard/cancel prompt.

The checks themselves are the core's (:mod:`afterword.core.storage.validation` and the
``validate_*`` functions): a form registers, per field, a callable that runs the
core check on what is typed, plus whole-record checks. Whatever they raise is
shown next to the field the :class:`afterword.core.errors.ValidationError` names, so the
message a person sees while typing is the one the core would give on save.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QObject, QSize, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from afterword.core.errors import NotFoundError, ValidationError
from afterword.gui.crash import show_error
from afterword.gui.icons import icon

logger = logging.getLogger(__name__)

Check = Callable[[], object]


def plain_label(text: str) -> str:
    """A label without its mnemonic marker: "&Company" -> "Company"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def error_color(palette: QPalette) -> str:
    """A red that reads well on ``palette`` (light or dark)."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return "#ff8a80" if dark else "#b3261e"


class FieldError(QLabel):
    """The plain message under a field; hidden while the field is fine."""

    def __init__(self, field_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(f"{field_label}: problem")
        self.setStyleSheet(f"color: {error_color(self.palette())};")
        self.hide()

    def show_problem(self, problem: str) -> None:
        self.setText(problem)
        self.setVisible(bool(problem))


@dataclass
class _Field:
    name: str
    label: str
    widget: QWidget
    error: FieldError
    check: Check | None
    touched: bool = False
    # A problem the core reported on save: it stays until the field changes.
    reported: str = ""


class FormValidator(QObject):
    """Runs a form's checks as the person types and shows what they find.

    Fields are registered under the name the core uses for them (``email``,
    ``participants[1].email``). A field's problem shows once the person has
    changed that field, or when the core reported it on save; the Save button
    is disabled while any problem exists and says why, in its tooltip and in a
    visible line, even for fields not touched yet (an empty required field).
    """

    def __init__(self, save_button: QAbstractButton, reason: QLabel, parent: QObject) -> None:
        super().__init__(parent)
        self._save = save_button
        self._reason = reason
        self._fields: dict[str, _Field] = {}
        self._rules: list[Check] = []
        self._problems: dict[str, str] = {}
        self._suspended = 0

    # -- registering ------------------------------------------------------------

    def add_row(
        self,
        layout: QFormLayout,
        name: str,
        label: str,
        widget: QWidget,
        check: Check | None = None,
        *,
        placed: QWidget | None = None,
    ) -> FieldError:
        """Add the field ``widget`` to ``layout`` under ``label``, its error line below it.

        ``placed`` is what goes into the layout when the field sits in a row
        with other controls (a line edit and its "Open" button).
        """
        caption = QLabel(label)
        caption.setBuddy(widget)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(placed or widget)
        shown = plain_label(label) or _button_text(widget)
        error = FieldError(shown, holder)
        column.addWidget(error)
        layout.addRow(caption, holder)
        self.add(name, shown, widget, error, check)
        return error

    def add(
        self,
        name: str,
        label: str,
        widget: QWidget,
        error: FieldError,
        check: Check | None = None,
    ) -> None:
        """Register an already placed field; its changes re-run the checks."""
        widget.setAccessibleName(widget.accessibleName() or label)
        entry = _Field(name, label, widget, error, check)
        self._fields[name] = entry
        for signal in change_signals(widget):
            signal.connect(lambda *_args, entry=entry: self._on_edit(entry))
        self.revalidate()

    def remove(self, prefix: str) -> None:
        """Forget every field whose name starts with ``prefix`` (a removed row)."""
        for name in [n for n in self._fields if n.startswith(prefix)]:
            del self._fields[name]
        self.revalidate()

    def add_rule(self, rule: Check) -> None:
        """A whole-record check (e.g. the core's ``validate_contact``)."""
        self._rules.append(rule)
        self.revalidate()

    def rename(self, old_prefix: str, new_prefix: str) -> None:
        """Re-key fields after a row moved (``participants[2].`` became ``[1].``)."""
        moved = {n: f for n, f in self._fields.items() if n.startswith(old_prefix)}
        for name, entry in moved.items():
            del self._fields[name]
            entry.name = new_prefix + name[len(old_prefix) :]
            self._fields[entry.name] = entry

    # -- checking -----------------------------------------------------------------

    def _on_edit(self, entry: _Field) -> None:
        if self._suspended:
            return
        entry.touched = True
        entry.reported = ""
        self.revalidate()

    @contextmanager
    def suspend(self) -> Iterator[None]:
        """``with validator.suspend():`` fill fields without marking them touched."""
        self._suspended += 1
        try:
            yield
        finally:
            self._suspended -= 1
            self.revalidate()

    def mark_untouched(self) -> None:
        for entry in self._fields.values():
            entry.touched = False
            entry.reported = ""
        self.revalidate()

    def problems(self) -> dict[str, str]:
        """Field name -> problem, for every check that fails now."""
        return dict(self._problems)

    def is_valid(self) -> bool:
        return not self._problems

    def revalidate(self) -> None:
        if self._suspended:
            return
        problems: dict[str, str] = {}
        for entry in list(self._fields.values()):
            if entry.check is not None:
                _collect(problems, entry.check, default_field=entry.name)
            if entry.reported:
                problems.setdefault(entry.name, entry.reported)
        for rule in self._rules:
            _collect(problems, rule, default_field="")
        self._problems = problems
        self._show(problems)

    def show_problem(self, error: ValidationError) -> None:
        """Show a problem the core raised on save at the field it names."""
        entry = self._fields.get(error.field)
        if entry is not None:
            entry.reported = error.problem
            entry.touched = True
            entry.widget.setFocus()
        self._problems.setdefault(error.field, error.problem)
        self._show(self._problems)
        logger.info("Save refused: %s", error)

    def reveal_all(self) -> None:
        """Show every problem, touched or not (the person tried to save anyway)."""
        for entry in self._fields.values():
            entry.touched = True
        self._show(self._problems)

    def _show(self, problems: dict[str, str]) -> None:
        for entry in self._fields.values():
            problem = problems.get(entry.name, "") if entry.touched else ""
            entry.error.show_problem(problem)
            entry.widget.setAccessibleDescription(problem)
            if entry.widget.property("invalid") != bool(problem):
                entry.widget.setProperty("invalid", bool(problem))
                entry.widget.style().unpolish(entry.widget)
                entry.widget.style().polish(entry.widget)
        reason = self._reason_text(problems)
        self._save.setEnabled(not problems)
        self._save.setToolTip(reason)
        self._reason.setText(reason)
        self._reason.setVisible(bool(reason))

    def _reason_text(self, problems: dict[str, str]) -> str:
        if not problems:
            return ""
        name, problem = next(iter(problems.items()))
        entry = self._fields.get(name)
        where = f"{entry.label}: " if entry else ""
        more = len(problems) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return f"Can’t save yet. {where}{problem}{extra}"


def _button_text(widget: QWidget) -> str:
    return plain_label(widget.text()) if isinstance(widget, QAbstractButton) else ""


def _collect(problems: dict[str, str], check: Check, *, default_field: str) -> None:
    try:
        check()
    except ValidationError as exc:
        problems.setdefault(exc.field or default_field, exc.problem)


def change_signals(widget: QWidget) -> list[Signal]:
    """The signals that mean "the person changed this widget's value"."""
    if isinstance(widget, OptionalDateEdit):
        return [widget.changed]
    if isinstance(widget, QLineEdit):
        return [widget.textChanged]
    if isinstance(widget, QPlainTextEdit):
        return [widget.textChanged]
    if isinstance(widget, QComboBox):
        signals = [widget.currentIndexChanged]
        if widget.isEditable():
            signals.append(widget.editTextChanged)
        return signals
    if isinstance(widget, QDateTimeEdit):  # also QDateEdit
        return [widget.dateTimeChanged]
    if isinstance(widget, QSpinBox):
        return [widget.valueChanged]
    if isinstance(widget, QCheckBox):
        return [widget.toggled]
    return []


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


class UndoBar(QFrame):
    """The line under a list after a delete: what went, an Undo button, a close button."""

    undo_requested = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Last deleted {what}")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.button = QPushButton("Undo")
        self.button.setAccessibleName("Undo the delete")
        self.button.setToolTip(f"Bring the {what} back (Ctrl+Z)")
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
        self.hide()

    def deleted(self, label: str) -> None:
        self.label.setText(f"Deleted “{label}”. You can undo this until you close Afterword.")
        self.button.setEnabled(True)
        self.show()

    def restored(self, label: str) -> None:
        self.label.setText(f"“{label}” is back.")
        self.button.setEnabled(False)
        self.show()


class FormDialog(QDialog):
    """A dialog that edits one thing: Save/Cancel, Ctrl+S, Esc, and no silent loss.

    Subclasses build their fields into :attr:`body` (usually a
    :func:`form_layout`), register them with
    :attr:`validator`, then call :meth:`ready` once the initial values are in.
    They implement :meth:`snapshot` (the current values, for dirty tracking)
    and :meth:`write` (the core calls; may raise ``ValidationError``).
    """

    saved = Signal(object)

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what = what
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

    def write(self) -> object:
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

    def commit(self) -> bool:
        """Check and write; True when saved. Problems are shown, nothing is lost."""
        self.validator.revalidate()
        if not self.validator.is_valid():
            self.validator.reveal_all()
            return False
        try:
            record = self.write()
        except ValidationError as exc:
            self.validator.show_problem(exc)
            return False
        except NotFoundError as exc:
            show_error("Cannot save", exc)
            return False
        self._baseline = self.snapshot()
        self.saved.emit(record)
        return True

    def save(self) -> None:
        if self.commit():
            QDialog.accept(self)

    def accept(self) -> None:
        # Enter on the default button ends up here: it must save, never just close.
        self.save()

    def confirm_close(self) -> bool:
        """True when the form may close: nothing changed, saved, or discarded."""
        if not self.is_dirty():
            return True
        choice = ask_unsaved_changes(self, self.what)
        if choice is Choice.SAVE:
            return self.commit()
        return choice is Choice.DISCARD

    def try_close(self) -> bool:
        """Close unless the person chose to keep editing; used by Esc, Cancel and quit."""
        if not self.confirm_close():
            return False
        QDialog.reject(self)
        return True

    def reject(self) -> None:
        self.try_close()


def _zone(zone: str | tzinfo) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def wall_clock(moment: datetime, zone: str | tzinfo) -> QDateTime:
    """``moment`` as the wall-clock time in ``zone``, for a date-time edit kept in UTC.

    The edit holds plain wall-clock values (its own zone is UTC, which has no
    gaps), and the chosen IANA zone gives them their meaning.
    """
    local = moment.astimezone(_zone(zone))
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute),
        QTimeZone.utc(),
    )


def aware(value: QDateTime, zone: str | tzinfo) -> datetime:
    """The wall-clock ``value`` read in ``zone`` (an IANA id or a tzinfo), as an aware datetime."""
    day, time = value.date(), value.time()
    return datetime(
        day.year(), day.month(), day.day(), time.hour(), time.minute(), tzinfo=_zone(zone)
    )


def utc_wall_edit(edit: QDateTimeEdit | QDateEdit) -> None:
    """Make ``edit`` hold wall-clock values with no daylight-saving gaps (see wall_clock)."""
    edit.setTimeZone(QTimeZone.utc())


class OptionalDateEdit(QWidget):
    """A date that may be unknown: a check box "Known" enabling a calendar date edit."""

    changed = Signal()

    def __init__(self, label: str, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.known = QCheckBox("Known")
        self.known.setAccessibleName(f"{label} is known")
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("ddd d MMM yyyy")
        self.edit.setDate(QDate(default.year, default.month, default.day))
        self.edit.setAccessibleName(label)
        self.edit.setEnabled(False)
        row.addWidget(self.known)
        row.addWidget(self.edit, 1)
        self.setFocusProxy(self.known)
        self.known.toggled.connect(self.edit.setEnabled)
        self.known.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        if not self.known.isChecked():
            return None
        return self.edit.date().toPython()

    def set_value(self, value: date | None) -> None:
        self.known.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))


def fill_combo(combo: QComboBox, choices: Mapping[object, str]) -> None:
    """Fill ``combo`` with ``choices`` (value -> words shown); values go in the item data."""
    for value, text in choices.items():
        combo.addItem(text, value)


def select_data(combo: QComboBox, value: object) -> None:
    """Select the item whose data is ``value`` (left alone if there is none)."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
