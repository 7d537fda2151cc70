"""Save a job from its posting: paste a link or the page's HTML, check, save.

Reading (and fetching, with a timeout and a size limit) runs off the GUI
thread through ``context.ops``. What the page says fills the fields; a
field the page says nothing about keeps what the person typed, and a page
that yields nothing says so. The description is kept with the application.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from afterword.core.imports.posting import Posting, posting_from, save_posting
from afterword.gui.context import AppContext
from afterword.gui.forms import TextBox, form_layout
from afterword.gui.lifetime import failure_if_alive, if_alive
from afterword.gui.validator import error_color
from afterword.gui.widgets.date_fields import OptionalDateEdit

logger = logging.getLogger(__name__)


class PostingDialog(QDialog):
    """Read a posting into editable fields; ``saved`` carries the new application."""

    saved = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Save a job from its posting")
        self.setObjectName("posting_import")
        self.setSizeGripEnabled(True)
        self.resize(680, 640)
        layout = QVBoxLayout(self)
        self.source = QPlainTextEdit()
        self.source.setAccessibleName("Link or page HTML")
        self.source.setPlaceholderText("Paste the posting's link (https://…) or the page's HTML")
        self.source.setMaximumHeight(70)
        self.read_button = QPushButton("Read posting")
        self.read_button.setAccessibleName("Read posting")
        self.read_button.clicked.connect(self.read)
        row = QHBoxLayout()
        row.addWidget(self.source, 1)
        row.addWidget(self.read_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        self.status = QLabel("Nothing is saved until you press Save.")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Reading status")
        layout.addWidget(self.status)
        box = QGroupBox("Application")
        form = form_layout()
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(form)
        self.company = QLineEdit()
        self.role = QLineEdit()
        self.url = QLineEdit()
        self.location = QLineEdit()
        self.salary = QLineEdit()
        self.date_posted = OptionalDateEdit("Date posted", context.now().date())
        self.description = TextBox("Job description", 8)
        for label, widget in (
            ("&Company", self.company),
            ("&Role", self.role),
            ("&Link", self.url),
            ("L&ocation", self.location),
            ("&Salary", self.salary),
        ):
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(label, widget)
        form.addRow("Date &posted", self.date_posted)
        # The description takes the room the dialog has: postings are long.
        caption = QLabel("&Description (kept with the application)")
        caption.setBuddy(self.description)
        box_layout.addWidget(caption)
        box_layout.addWidget(self.description, 1)
        layout.addWidget(box, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {error_color(self.palette())};" if problem else "")

    def read(self) -> None:
        """Fetch or parse off the GUI thread; the fields fill in when it is done."""
        text = self.source.toPlainText().strip()
        if not text:
            self._say("Paste a link or the page's HTML first.", problem=True)
            return
        self.read_button.setEnabled(False)
        self._say("Reading the posting…")
        self.context.ops.read(
            "posting-read",
            posting_from,
            text,
            on_success=if_alive(self, self._read),
            on_failure=if_alive(self, self._read_failed),
        )

    def _read(self, posting: Posting) -> None:
        self.read_button.setEnabled(True)
        if posting.url and not self.url.text().strip():
            self.url.setText(posting.url)
        if not posting.found_anything:
            self._say(
                "This page holds no job posting Afterword can read. What you typed is kept; "
                "fill in the rest by hand.",
                problem=True,
            )
            return
        for edit, value in (
            (self.company, posting.company),
            (self.role, posting.role),
            (self.url, posting.url),
            (self.location, posting.location),
            (self.salary, posting.salary),
        ):
            if value:  # what the page does not say leaves the field as typed
                edit.setText(value)
                edit.setCursorPosition(0)
        if posting.date_posted:
            self.date_posted.set_value(posting.date_posted)
        if posting.description:
            self.description.setPlainText(posting.description)
        self._say(f"Read from the page ({posting.source}). Check the fields, then save.")

    def _read_failed(self, error: BaseException) -> None:
        self.read_button.setEnabled(True)
        problem = getattr(error, "problem", None) or str(error)
        self._say(f"{problem} What you typed is kept.", problem=True)

    def values(self) -> Posting:
        posted: date | None = self.date_posted.value()
        return Posting(
            company=self.company.text(),
            role=self.role.text(),
            url=self.url.text().strip(),
            location=self.location.text(),
            salary=self.salary.text(),
            date_posted=posted,
            description=self.description.text(),
        )

    def save(self) -> None:
        self.save_button.setEnabled(False)
        self.context.ops.write(
            save_posting,
            self.context.db,
            self.values(),
            now=self.context.now(),
            initiator=self,
            on_success=if_alive(self, self._saved),
            on_failure=failure_if_alive(self, self._save_failed, "The job could not be saved"),
        )

    def _saved(self, record: object) -> None:
        self.saved.emit(record)
        self.accept()

    def _save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        field = getattr(error, "field", "")
        problem = getattr(error, "problem", None) or str(error)
        where = f"{field.replace('_', ' ').capitalize()}: " if field else ""
        self._say(f"Not saved. {where}{problem}", problem=True)
