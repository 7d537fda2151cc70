"""The template editor section of Settings: edit the built-in templates, add your own.

The list on the left holds every template (built-in ones first). The editor
shows the selected one; a built-in template can be edited and reset to the
text Afterword ships, but not deleted; "New" starts a copy of the selected
one. Beside the editor every placeholder is listed with what it becomes
(:data:`afterword.core.mail.templates.PLACEHOLDERS`, the same words as ``docs/templates.md``);
clicking one inserts it where the cursor is.

Switching to another template saves the one being edited when it is valid;
when it is not, the selection stays and the problem is shown at its field.

The list is read off the GUI thread (:meth:`TemplatesSection.refresh`); the
section stays disabled until it first arrives, and a list that arrives while
a template is being edited leaves the editor as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from afterword.core.errors import ValidationError
from afterword.core.mail.templates import (
    PLACEHOLDERS,
    delete_template,
    ensure_default_templates,
    list_templates,
    reset_template,
    save_template,
)
from afterword.core.storage.records import TemplateRecord
from afterword.core.storage.validation import long_text, required_text
from afterword.core.storage.values import Purpose
from afterword.gui.context import AppContext
from afterword.gui.forms import FormValidator, fill_combo, select_data
from afterword.gui.icons import icon
from afterword.gui.mail_flow import html_text
from afterword.gui.operations import show_failure

logger = logging.getLogger(__name__)

# The key of the list's reads: a newer one makes a running one stale.
TEMPLATES_KEY = "settings-templates"
# From this width of the section on, list, editor and placeholders stand side by side.
WIDE_LAYOUT_WIDTH = 880
NO_LIMIT = 16_777_215  # Qt's QWIDGETSIZE_MAX, which PySide6 does not export
PURPOSE_LABELS = {
    Purpose.THANK_YOU: "Thank-you after an interview",
    Purpose.STATUS_FOLLOW_UP: "Status follow-up",
    Purpose.REJECTION_REPLY: "Reply to a rejection",
    Purpose.CHECK_IN: "Stay-in-touch check-in",
    Purpose.OTHER: "Other",
}


def placeholder_help() -> str:
    """Every placeholder as a link (clicking inserts it) with what it becomes."""
    rows = "".join(
        f'<tr><td><a href="{name}"><code>{{{name}}}</code></a></td>'
        f"<td>{html_text(description)}</td></tr>"
        for name, description in PLACEHOLDERS.items()
    )
    return (
        "<b>Placeholders</b><br>Written in braces, they are filled in for each person. "
        "One that cannot be filled stays highlighted in the draft, and the draft can't be "
        "sent until you replace it. Click one to insert it.<br>"
        "Text such as [[Dear || Hello]] is a choice: each person gets one of the options, "
        "always the same one, so the notes to one panel differ."
        f'<table cellspacing="4">{rows}</table>'
    )


class TemplatesSection(QWidget):
    """Edit message templates (see the module docstring)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.current: TemplateRecord | None = None
        self._baseline: tuple[object, ...] = ()
        self._last_text_field: QLineEdit | QPlainTextEdit | None = None
        # What the next list that arrives selects, and what runs once it is shown.
        self._wanted: int | None = None
        self._after_refresh: list[Callable[[], object]] = []

        self.list = QListWidget(self)
        self.list.setAccessibleName("Templates")
        self.list.setMinimumWidth(220)
        self.list.setSpacing(2)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Above the editor (a narrow window) the list shows about eight templates.
        self._list_height_narrow = self.list.fontMetrics().lineSpacing() * 12
        self.new_button = QPushButton(icon("add"), "New", self)
        self.new_button.setToolTip("Start a new template from a copy of the selected one.")
        self.delete_button = QPushButton(icon("delete"), "Delete", self)
        self.delete_button.setAccessibleName("Delete template")
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.delete_button)
        list_buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(list_buttons)

        self.name = QLineEdit(self)
        self.purpose = QComboBox(self)
        fill_combo(self.purpose, PURPOSE_LABELS)
        self.subject = QLineEdit(self)
        self.body = QPlainTextEdit(self)
        self.body.setAccessibleName("Template text")
        self.body.setMinimumHeight(self.body.fontMetrics().lineSpacing() * 14)
        self.reset_button = QPushButton("Reset to default", self)
        self.reset_button.setToolTip("Bring back the text Afterword ships for this template.")
        self.save_button = QPushButton("Save template", self)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.reason.hide()
        self.status = QLabel(self)
        self.status.setAccessibleName("Template status")
        self.validator = FormValidator(self.save_button, self.reason, self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add = self.validator.add_row
        add(form, "name", "&Name", self.name, lambda: required_text("name", self.name.text()))
        add(form, "purpose", "&For", self.purpose)
        add(
            form, "subject", "&Subject", self.subject,
            lambda: required_text("subject", self.subject.text(), limit=998),
        )  # fmt: skip
        add(
            form, "body", "&Text", self.body,
            lambda: long_text("body", self.body.toPlainText()),
        )  # fmt: skip
        editor_buttons = QHBoxLayout()
        editor_buttons.addWidget(self.reset_button)
        editor_buttons.addWidget(self.status, 1)
        editor_buttons.addWidget(self.save_button)
        middle = QVBoxLayout()
        middle.addLayout(form, 1)
        middle.addWidget(self.reason)
        middle.addLayout(editor_buttons)

        self.help = QLabel(placeholder_help(), self)
        self.help.setWordWrap(True)
        self.help.setTextFormat(Qt.TextFormat.RichText)
        self.help.setAccessibleName("Placeholders")
        self.help.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.help.setMaximumWidth(360)

        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._left, self._middle = left, middle
        self._wide: bool | None = None
        self._arrange(wide=False)  # the first resize chooses

        self.list.currentItemChanged.connect(self._on_selected)
        self.new_button.clicked.connect(self.new_template)
        self.delete_button.clicked.connect(self.ask_to_delete)
        self.reset_button.clicked.connect(self.ask_to_reset)
        self.save_button.clicked.connect(lambda: self.save())
        self.help.linkActivated.connect(self.insert_placeholder)
        self.subject.selectionChanged.connect(lambda: self._remember_field(self.subject))
        self.subject.cursorPositionChanged.connect(lambda *_: self._remember_field(self.subject))
        self.body.cursorPositionChanged.connect(lambda: self._remember_field(self.body))
        self._baseline = self._values()  # the empty editor holds no edit
        self.setEnabled(False)  # until the list arrives: nothing stale is saved
        self.refresh()
        # Built-ins a newer version ships (or a fresh database lacks) are added in the background.
        context.ops.write(
            ensure_default_templates,
            context.db,
            initiator=self,
            on_success=lambda added: self.refresh() if added else None,
        )

    # -- the layout ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        wide = event.size().width() >= WIDE_LAYOUT_WIDTH
        if wide != self._wide:
            self._arrange(wide=wide)

    def _arrange(self, *, wide: bool) -> None:
        """Side by side (list, editor, placeholders) when there is room, else one below another.

        Side by side needs about 760 pixels: in a small window the page would
        scroll sideways. ``WIDE_LAYOUT_WIDTH`` is above that, so the wide
        arrangement never makes the section wider than it is.
        """
        self._wide = wide
        grid = self._grid
        grid.removeItem(self._left)
        grid.removeItem(self._middle)
        grid.removeWidget(self.help)
        for column in range(3):
            grid.setColumnStretch(column, 0)
        if wide:
            grid.addLayout(self._left, 0, 0)
            grid.addLayout(self._middle, 0, 1)
            grid.addWidget(self.help, 0, 2)
            grid.setColumnStretch(1, 1)
            self.help.setMaximumWidth(360)
        else:
            grid.addLayout(self._left, 0, 0)
            grid.addLayout(self._middle, 1, 0)
            grid.addWidget(self.help, 2, 0)
            grid.setColumnStretch(0, 1)
            self.help.setMaximumWidth(NO_LIMIT)
        self.list.setMaximumHeight(NO_LIMIT if wide else self._list_height_narrow)

    # -- the list --------------------------------------------------------------------------------

    def refresh(
        self, select_id: int | None = None, then: Callable[[], object] | None = None
    ) -> None:
        """Reload the list off the GUI thread, then select ``select_id`` (else the
        current one, else the first) and call ``then()``.

        A newer refresh makes an older one's read stale, so the wishes are kept
        here: the list that arrives selects ``select_id`` and calls every ``then``.
        """
        if select_id is not None:
            self._wanted = select_id
        if then is not None:
            self._after_refresh.append(then)
        self._context.ops.read(
            TEMPLATES_KEY, list_templates, self._context.db, on_success=self._listed
        )

    def _listed(self, records: list[TemplateRecord]) -> None:
        # A template being edited stays in the editor (a new one is in no row yet).
        editing = self.is_dirty()
        wanted, self._wanted = self._wanted, None
        if editing or wanted is None:
            wanted = self.current.id if self.current else None
        self.list.blockSignals(True)
        self.list.clear()
        for record in records:
            label = f"{record.name} · built-in" if record.builtin else record.name
            item = QListWidgetItem(label, self.list)
            item.setToolTip(f"For: {PURPOSE_LABELS[record.purpose]}")
            item.setData(Qt.ItemDataRole.UserRole, record)
            if record.id == wanted:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count() and not editing:
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self.setEnabled(True)
        if not editing:
            item = self.list.currentItem()
            self._show(item.data(Qt.ItemDataRole.UserRole) if item else None)
        then, self._after_refresh = self._after_refresh, []
        for step in then:
            step()

    def _on_selected(self, item: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if self.is_dirty():
            # The edit is saved first (or, if it cannot be, stays on screen rather than lost).
            self.list.blockSignals(True)
            self.list.setCurrentItem(previous)
            self.list.blockSignals(False)
            if item is not None:
                wanted = item.data(Qt.ItemDataRole.UserRole).id
                self.save(then=lambda: self.select_template(wanted))
            return
        if item is not None:
            self._show(item.data(Qt.ItemDataRole.UserRole))

    def select_template(self, template_id: int) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole).id == template_id:
                self.list.setCurrentRow(row)
                return True
        return False

    # -- the editor ------------------------------------------------------------------------------

    def _values(self) -> tuple[object, ...]:
        return (
            self.name.text(),
            self.purpose.currentData(),
            self.subject.text(),
            self.body.toPlainText(),
        )

    def is_dirty(self) -> bool:
        return self._values() != self._baseline

    def _show(self, record: TemplateRecord | None) -> None:
        self.current = record
        with self.validator.suspend():
            self.name.setText(record.name if record else "")
            select_data(self.purpose, record.purpose if record else Purpose.THANK_YOU)
            self.subject.setText(record.subject if record else "")
            self.body.setPlainText(record.body if record else "")
        self.validator.mark_untouched()
        self._baseline = self._values()
        builtin = record is not None and record.builtin
        # A built-in template keeps its purpose: it is the one drafts of that kind start from.
        self.purpose.setEnabled(not builtin)
        self.reset_button.setVisible(builtin)
        self.delete_button.setEnabled(record is not None and not builtin)
        self.delete_button.setToolTip(
            "Built-in templates can't be deleted; use Reset to default." if builtin else ""
        )
        self.status.clear()

    def new_template(self) -> None:
        """Start a new template from a copy of the selected one (saved on Save)."""
        if self.is_dirty():
            self.save(then=self.new_template)
            return
        base = self.current
        self.current = None
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        with self.validator.suspend():
            self.name.setText(f"My {PURPOSE_LABELS[base.purpose].lower()}" if base else "")
            self.purpose.setEnabled(True)
            self.reset_button.hide()
            self.delete_button.setEnabled(False)
        self._baseline = ()
        self.name.setFocus()
        self.name.selectAll()
        self.status.setText("New template: change it, then save.")

    def save(self, then: Callable[[], object] | None = None) -> bool:
        """Save the editor's template off the GUI thread, then ``then()``.

        False (problem shown at its field) if the form shows it cannot be saved;
        a problem the core finds is shown at its field too, and ``then`` is not called.
        """
        self.validator.revalidate()
        if not self.validator.is_valid():
            self.validator.reveal_all()
            return False

        def saved(record: TemplateRecord) -> None:
            self._show(record)

            def listed() -> None:
                self.status.setText("Saved.")
                if then is not None:
                    then()

            self.refresh(select_id=record.id, then=listed)

        self._context.ops.write(
            save_template,
            self._context.db,
            purpose=Purpose(self.purpose.currentData()),
            name=self.name.text(),
            subject=self.subject.text(),
            body=self.body.toPlainText(),
            template_id=self.current.id if self.current else None,
            initiator=self,
            on_success=saved,
            on_failure=self._refused,
        )
        return True

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, ValidationError):
            show_failure(error, "The template could not be saved")
            return
        self.validator.show_problem(error)

    def ask_to_delete(self) -> QMessageBox | None:
        record = self.current
        if record is None or record.builtin:
            return None
        return self._ask(
            f"Delete the template “{record.name}”?",
            "Drafts already written from it stay as they are.",
            "Delete",
            lambda: self._delete(record),
        )

    def _delete(self, record: TemplateRecord) -> None:
        def deleted(_result: object) -> None:
            self.current = None
            self._baseline = self._values()  # its edits went with it: the list shows the first
            self.refresh()

        def refused(error: BaseException) -> None:
            if not isinstance(error, ValidationError):
                show_failure(error, "The template could not be deleted")
                return
            self.status.setText(error.problem)

        self._context.ops.write(
            delete_template,
            self._context.db,
            record.id,
            initiator=self,
            on_success=deleted,
            on_failure=refused,
        )

    def ask_to_reset(self) -> QMessageBox | None:
        record = self.current
        if record is None or not record.builtin:
            return None
        return self._ask(
            f"Reset “{record.name}” to the text Afterword ships?",
            "Your changes to this template are replaced.",
            "Reset",
            lambda: self._reset(record),
        )

    def _reset(self, record: TemplateRecord) -> None:
        def reset(saved: TemplateRecord) -> None:
            self._show(saved)
            self.refresh(
                select_id=saved.id,
                then=lambda: self.status.setText("Reset to the original text."),
            )

        self._context.ops.write(
            reset_template,
            self._context.db,
            record.id,
            initiator=self,
            on_success=reset,
            failure_title="The template could not be reset",
        )

    def _ask(self, text: str, detail: str, action: str, then: Callable[[], object]) -> QMessageBox:
        # Opened without blocking (open(), not exec()): the event loop keeps running.
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(action)
        box.setText(text)
        box.setInformativeText(detail)
        go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: then() if button is go else None)
        box.open()
        return box

    # -- placeholders ----------------------------------------------------------------------------

    def _remember_field(self, field: QLineEdit | QPlainTextEdit) -> None:
        if field.hasFocus():
            self._last_text_field = field

    def insert_placeholder(self, name: str) -> None:
        """Put ``{name}`` where the cursor is (in the subject if that was last edited)."""
        text = f"{{{name}}}"
        if self._last_text_field is self.subject:
            self.subject.insert(text)
            self.subject.setFocus()
        else:
            self.body.insertPlainText(text)
            self.body.setFocus()
