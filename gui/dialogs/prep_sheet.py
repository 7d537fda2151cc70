"""The "Before you go in" window for one interview: read it, print it, save it as
PDF, or send it to yourself.

The sheet comes from :func:`afterword.core.prepare.prepare_sheet` and is laid
out by :func:`afterword.core.exports.prep_sheet.prep_sheet_sections`; this
window renders those sections as one rich-text document, the same one that
is printed and saved. Sending puts a draft to the person's own address in the
Outbox and opens it in the composer, where it is sent like any other note.
"""

from __future__ import annotations

import logging
import re
from html import escape
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QFont, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from afterword.core.errors import ValidationError
from afterword.core.exports.prep_sheet import Section, prep_sheet_sections, prep_sheet_title
from afterword.core.mail.composing import ComposerDraft
from afterword.core.prepare import PrepSheet, prepare_sheet, send_sheet_to_self
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer import printing
from afterword.gui.icons import icon

logger = logging.getLogger(__name__)

SHEET_FONT = QFont("sans-serif", 11)
_URL = re.compile(r"https?://[^\s<>\"]+")
_open: dict[int, PrepSheetDialog] = {}


def _linked(text: str) -> str:
    """``text`` escaped for rich text, its web addresses made into links."""
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        parts.append(escape(text[last : match.start()]))
        url = escape(match.group(0))
        parts.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def sheet_html(title: str, sections: list[Section]) -> str:
    """The sections as one HTML page: headings, and a line per fact for each person."""
    html = [f"<h2>{escape(title)}</h2>"]
    for section in sections:
        if section.level == 1:
            html.append(f"<h3>{escape(section.heading)}</h3>")
            html.extend(f"<p>{_linked(p)}</p>" for p in section.paragraphs)
        else:
            lines = "<br>".join(_linked(p) for p in section.paragraphs)
            html.append(f"<p><b>{escape(section.heading)}</b><br>{lines}</p>")
    return "\n".join(html)


class PrepSheetDialog(QDialog):
    """Before you go in, for interview ``interview_id`` (see the module docstring)."""

    def __init__(
        self, context: AppContext, interview_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Before you go in")
        self.resize(720, 760)
        self.context = context
        self.interview_id = interview_id
        self.sheet: PrepSheet | None = None

        self.view = QTextBrowser(self)
        self.view.setAccessibleName("Before you go in")
        self.view.setOpenLinks(False)
        self.view.anchorClicked.connect(QDesktopServices.openUrl)
        self.view.document().setDefaultFont(SHEET_FONT)
        self.view.setPlainText("Loading…")
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("What happened")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.hide()

        self.print_button = QPushButton(icon("print"), "Print…")
        self.print_button.clicked.connect(self.print_sheet)
        self.pdf_button = QPushButton(icon("print"), "Save as PDF…")
        self.pdf_button.clicked.connect(self.choose_pdf_file)
        self.send_button = QPushButton(icon("send"), "Send to myself")
        self.send_button.setToolTip("Put the sheet in the Outbox as a note to your own address")
        self.send_button.clicked.connect(self.send_to_myself)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.pdf_button, self.send_button):
            button.setEnabled(False)  # until the sheet is there
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.context.ops.read(
            None, prepare_sheet, self.context.db, self.interview_id, on_success=self._show
        )

    def _show(self, sheet: PrepSheet) -> None:
        if not shiboken6.isValid(self):
            return  # closed before the sheet arrived
        self.sheet = sheet
        title = prep_sheet_title(sheet)
        self.setWindowTitle(title)
        self.view.setHtml(sheet_html(title, prep_sheet_sections(sheet)))
        for button in (self.print_button, self.pdf_button, self.send_button):
            button.setEnabled(True)

    def text(self) -> str:
        return self.view.toPlainText()

    def document(self) -> QTextDocument:
        """The sheet as a document for paper (a copy: printing must not touch the view)."""
        document = self.view.document().clone(self)
        document.setDefaultFont(SHEET_FONT)
        return document

    def _file_title(self) -> str:
        return self.windowTitle().replace(":", " -").replace("/", "-")

    def save_pdf(self, path: Path) -> None:
        printing.write_pdf(self.document(), path, self.windowTitle())
        self._say(f"Saved as {path}.")

    def choose_pdf_file(self) -> QFileDialog:
        return printing.ask_for_pdf_file(
            self,
            "",
            self.save_pdf,
            caption="Save the sheet as PDF",
            file_name=f"{self._file_title()}.pdf",
        )

    def print_sheet(self) -> QPrintDialog:
        return printing.ask_to_print(self, self.document, lambda: self._say("Sent to the printer."))

    def send_to_myself(self) -> None:
        from afterword.gui.mail_flow import for_composer

        self.send_button.setEnabled(False)
        self.context.ops.write(
            for_composer(send_sheet_to_self),
            self.context.db,
            self.interview_id,
            now=self.context.now(),
            initiator=self,
            on_success=self._sent,
            on_failure=self._not_sent,
        )

    def _sent(self, draft: ComposerDraft) -> None:
        from afterword.gui.mail_flow import open_message_composer

        if not shiboken6.isValid(self):
            return
        self.send_button.setEnabled(True)
        self._say(
            f"A note to {draft.record.to_address} is in the Outbox; send it from the window opened."
        )
        open_message_composer(self.context, draft, self)

    def _not_sent(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.send_button.setEnabled(True)
        self._say(error.problem if isinstance(error, ValidationError) else str(error))

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()


def open_prep_sheet(
    context: AppContext, interview_id: int, parent: QWidget | None = None
) -> PrepSheetDialog:
    """Show the sheet for ``interview_id``; one window per interview, raised if open."""
    dialog = _open.get(interview_id)
    if dialog is not None and shiboken6.isValid(dialog):
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    dialog = PrepSheetDialog(context, interview_id, parent)
    _open[interview_id] = dialog
    dialog.destroyed.connect(lambda: _open.pop(interview_id, None))
    dialog.show()
    return dialog
