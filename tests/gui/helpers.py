"""Helpers the GUI tests share: driving question boxes, typing, starting the app.

:func:`answer_next_box` clicks through the question boxes (confirmations,
"unsaved changes") that open with ``exec()``: a timer finds the box once it
is up and clicks the button, so no modal dialog can block the run.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from afterword.gui.forms import FormDialog
from afterword.gui.widgets.checklist.model import DUE_TEXT_ROLE, ITEM_ROLE
from afterword.gui.widgets.checklist.view import ChecklistView

ROOT = Path(__file__).resolve().parents[2]


def run_app(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m afterword.gui.app ARGS`` from the checkout, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "afterword.gui.app", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def answer_next_box(answer: QMessageBox.StandardButton | str, *, attempts: int = 200) -> list[str]:
    """Click ``answer`` (a standard button, or a button's text) in the next question box.

    Returns a list that receives the box's text once it was answered, so the
    test can assert what was asked. Gives up after ``attempts`` tries (10 ms
    apart) so a box that never opens cannot hang the run.
    """
    asked: list[str] = []

    def attempt(left: int) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if left > 0:
                QTimer.singleShot(10, lambda: attempt(left - 1))
            return
        if isinstance(answer, str):
            button: QAbstractButton | None = next(
                (b for b in box.buttons() if b.text().replace("&", "") == answer), None
            )
        else:
            button = box.button(answer)
        assert button is not None, f"no {answer!r} button in {box.text()!r}"
        asked.append(box.text())
        button.click()

    QTimer.singleShot(0, lambda: attempt(attempts))
    return asked


def open_form(qtbot: QtBot, form: FormDialog) -> FormDialog:
    """Open ``form`` as the app does (window-modal, non-blocking).

    At the end of the test it is closed without asking: a question about
    unsaved changes during clean-up would block the run.
    """
    qtbot.addWidget(form, before_close_func=lambda w: QDialog.done(w, 0))
    form.open()
    qtbot.waitExposed(form)
    return form


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Make ``window`` the active window (a window manager's job; offscreen has none).

    Keyboard shortcuts (Ctrl+S, Ctrl+F) only reach the active window.
    """
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def checklist_rows(view: ChecklistView) -> list[str]:
    """A checklist as a person reads it: group headers, then "title | when" per item."""
    result = []
    for row in range(view.model.rowCount()):
        index = view.model.index(row)
        item = index.data(ITEM_ROLE)
        result.append(
            index.data() if item is None else f"{item.title} | {index.data(DUE_TEXT_ROLE)}"
        )
    return result


def paste_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Paste ``text`` at the cursor with Ctrl+V (QTest cannot type characters beyond the BMP)."""
    QApplication.clipboard().setText(text)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Replace a field's text by typing, as a person would (select all, then type).

    QTest can only type ASCII; other letters arrive the way an input method
    delivers them, committed text at a time, here by pasting each run of them.
    """
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if not text:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if run.isascii():
            qtbot.keyClicks(widget, run)
        else:
            paste_into(qtbot, widget, run)


def unnamed_controls(window: QWidget) -> list[str]:
    """Visible controls a screen reader could not name (no accessible name, no text)."""
    controls = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(
            w,
            QAbstractButton
            | QLineEdit
            | QPlainTextEdit
            | QComboBox
            | QAbstractSpinBox
            | QAbstractItemView,
        )
        and w.isVisibleTo(window)
        # The parts of a combo, a date edit or a search box (its clear button)
        # belong to that control, which has the name.
        and not isinstance(w.parent(), QComboBox | QAbstractSpinBox | QLineEdit)
    ]
    assert controls
    return [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for w in controls
        if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))
    ]
