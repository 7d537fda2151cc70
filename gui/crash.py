"""Errors never vanish: an exception hook that logs and shows what happened.

:func:`install` replaces ``sys.excepthook`` and ``threading.excepthook``. An
unhandled exception (in a slot, a timer, a worker thread) is written with its
traceback to the log file, echoed to stderr, and shown in a dialog saying
what happened and where the log is. Tracebacks are formatted without local
variables so no password or message body ends up in the log or the dialog.

:func:`show_error` is the same dialog for errors caught elsewhere (failed
background tasks). Dialogs are opened non-modally (``show()``), so nothing
ever blocks the event loop, including in tests.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from afterword.core.errors import AfterwordError

logger = logging.getLogger(__name__)

# More dialogs than this at once means an error is repeating: log, don't pile up.
MAX_OPEN_DIALOGS = 3

_log_file: Path | None = None
_open_dialogs: list[QMessageBox] = []
_unhandled = 0


class _Relay(QObject):
    """Carries an exception from another thread to the GUI thread (queued signal)."""

    raised = Signal(object)


_relay: _Relay | None = None


def install(log_file: Path) -> None:
    """Route every unhandled exception to the log and a dialog (call once, after QApplication)."""
    global _log_file, _relay
    _log_file = log_file
    _relay = _Relay()
    _relay.raised.connect(_show_unhandled)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


def unhandled_count() -> int:
    """How many unhandled exceptions the hook saw (``--self-test`` fails on any)."""
    return _unhandled


def open_dialogs() -> list[QMessageBox]:
    """The error dialogs currently shown (tests close them)."""
    return list(_open_dialogs)


def _excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    global _unhandled
    _unhandled += 1
    logger.critical("Unhandled exception", exc_info=(kind, error, tb))
    if sys.stderr is not None:  # None under pythonw / a frozen windowed app
        traceback.print_exception(kind, error, tb, file=sys.stderr)
    app = QApplication.instance()
    if app is None or _relay is None:
        return
    if QThread.currentThread() is app.thread():
        _show_unhandled(error)
    else:
        _relay.raised.emit(error)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    _excepthook(args.exc_type, args.exc_value, args.exc_traceback)


def _show_unhandled(error: BaseException) -> None:
    show_error(
        "Afterword hit an unexpected problem",
        error,
        advice="What you were doing just now may not have been saved.",
    )


def show_error(title: str, error: BaseException, *, advice: str = "") -> QMessageBox | None:
    """Show ``error`` in a non-blocking dialog; returns it (None if too many are open)."""
    if len(_open_dialogs) >= MAX_OPEN_DIALOGS:
        logger.warning("Not showing another error dialog for: %s", error)
        return None
    if isinstance(error, AfterwordError):
        text = str(error)
    else:
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    where = f"The details are in the log file:\n{_log_file}" if _log_file else ""
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText("\n\n".join(part for part in (advice, where) if part))
    box.setDetailedText("".join(traceback.format_exception(error)))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAccessibleName(title)
    if _log_file is not None:
        folder = _log_file.parent
        show_log = box.addButton("Show log folder", QMessageBox.ButtonRole.ActionRole)
        # An action button would close the box; open the folder and keep it open.
        show_log.clicked.disconnect()
        show_log.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _result: _open_dialogs.remove(box))
    _open_dialogs.append(box)
    box.show()
    return box
