"""The note as a letter: laid out on A4, printed or saved as a PDF.

The text itself comes from :func:`afterword.core.exports.messages.letter_text`
(the home of every export format); this module only puts it on paper.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QObject
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from afterword.core.exports.messages import letter_text
from afterword.core.storage.records import MessageRecord

logger = logging.getLogger(__name__)

LETTER_FONT = QFont("serif", 11)
LETTER_MARGINS_MM = QMarginsF(25, 25, 25, 25)


def letter_document(
    record: MessageRecord, sender_name: str, now: datetime, parent: QObject | None = None
) -> QTextDocument:
    """The note laid out as a letter: sender, date, recipient, subject, text."""
    document = QTextDocument(parent)
    document.setDefaultFont(LETTER_FONT)
    document.setPlainText(letter_text(record, sender_name, "", now))
    return document


def write_pdf(document: QTextDocument, path: Path, title: str) -> None:
    """Write ``document`` as an A4 PDF to ``path``."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(LETTER_MARGINS_MM, QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setCreator("Afterword")
    document.print_(writer)
    logger.info("Document saved as a PDF")


def ask_for_pdf_file(
    parent: QWidget,
    recipient: str,
    on_chosen: Callable[[Path], object],
    *,
    caption: str = "Save the letter as PDF",
    file_name: str = "",
) -> QFileDialog:
    """Ask where to save the PDF (opened without blocking); ``on_chosen`` gets the path.

    ``file_name`` is the suggested name (default: "Letter to <recipient>.pdf").
    """
    suggested = Path.home() / (file_name or f"Letter to {recipient or 'recipient'}.pdf")
    dialog = QFileDialog(parent, caption, str(suggested), "PDF (*.pdf)")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("pdf")
    dialog.fileSelected.connect(lambda name: on_chosen(Path(name)))
    dialog.open()
    return dialog


def ask_to_print(
    parent: QWidget, document: Callable[[], QTextDocument], on_printed: Callable[[], object]
) -> QPrintDialog:
    """The print dialog (opened without blocking); prints ``document()`` on A4 if accepted."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintDialog(printer, parent)

    def print_it() -> None:
        document().print_(printer)
        on_printed()

    dialog.accepted.connect(print_it)
    # QPrintDialog.open() is the (receiver, member) overload in PySide6; the plain
    # QDialog.open() shows it without blocking.
    QDialog.open(dialog)
    return dialog
