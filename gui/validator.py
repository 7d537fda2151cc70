"""Checks as the person types: errors at the field and a Save button that says why it
is disabled.

The checks themselves are the core's (:mod:`afterword.core.storage.validation` and the
``validate_*`` functions): a form registers, per field, a callable that runs the
core check on what is typed, plus whole-record checks. Whatever they raise is
shown next to the field the :class:`afterword.core.errors.ValidationError` names, so the
message a person sees while typing is the one the core would give on save.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from afterword.core.errors import ValidationError
from afterword.gui.widgets.date_fields import OptionalDateEdit

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
        self._pristine_hint = ""

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

    def set_pristine_hint(self, hint: str) -> None:
        """What the reason line says while nothing has been typed yet, instead of problems.

        An empty form that opens with "Can't save yet ... (and 2 more problems)"
        scolds before the person has done anything; a hint says what to fill in.
        """
        self._pristine_hint = hint
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
        pristine = not any(entry.touched or entry.reported for entry in self._fields.values())
        if pristine and self._pristine_hint:
            return self._pristine_hint
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
