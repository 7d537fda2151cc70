"""The placeholders still to fill in a composer tab, marked where the person sees them.

The body marks each ``{placeholder}`` span; a line edit cannot colour part of
its text, so a subject with one gets a red border instead. The Outbox marks its
gaps with the same colour (:mod:`afterword.gui.pages.outbox_gaps`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit

from afterword.core.mail.templates import render
from afterword.gui.forms import error_color

logger = logging.getLogger(__name__)

PLACEHOLDER_BACKGROUND = QColor("#ffd54f")


def utf16_offset(text: str, index: int) -> int:
    """Qt's position (UTF-16 code units) of the Python string index ``index`` in ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def mark_spans(
    edit: QPlainTextEdit,
    text: str,
    spans: Sequence[tuple[int, int]],
    *,
    underline: str | None = None,
) -> None:
    """Mark ``spans`` of ``text`` (the edit's text) in the placeholders' colour,
    with a wavy ``underline`` colour if given."""
    mark = QTextCharFormat()
    mark.setBackground(PLACEHOLDER_BACKGROUND)
    mark.setForeground(QColor("#000000"))
    if underline is not None:
        mark.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        mark.setUnderlineColor(QColor(underline))
    selections = []
    for start, end in spans:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(edit.document())
        cursor.setPosition(utf16_offset(text, start))
        cursor.setPosition(utf16_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor  # type: ignore[attr-defined]
        selection.format = mark  # type: ignore[attr-defined]
        selections.append(selection)
    edit.setExtraSelections(selections)


def highlight_placeholders(body_edit: QPlainTextEdit, subject_edit: QLineEdit) -> None:
    """Mark the unfilled placeholders in ``body_edit`` and ``subject_edit``."""
    body = body_edit.toPlainText()
    error = error_color(body_edit.palette())
    mark_spans(body_edit, body, render(body, {}).spans, underline=error)
    in_subject = bool(render(subject_edit.text(), {}).unfilled)
    subject_edit.setStyleSheet(f"border: 2px solid {error};" if in_subject else "")


def highlighted_placeholders(body_edit: QPlainTextEdit) -> list[str]:
    """The text of every highlighted span in the body (what the person sees marked)."""
    return [selection.cursor.selectedText() for selection in body_edit.extraSelections()]
