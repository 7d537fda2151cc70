"""Callbacks that outlive their widget: results of background work for a closed dialog.

A dialog may close (and be deleted) while its read or write still runs on a
worker thread. :func:`if_alive` wraps the callback so that it only runs
while the widget exists; a failure for a widget that is gone is still shown
the standard way, so nothing goes unsaid; :func:`alive_or_none` picks a
parent for a dialog opened once the work is done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject

from afterword.gui.operations import show_failure

W = TypeVar("W", bound=QObject)


def if_alive(widget: QObject, callback: Callable[[Any], object]) -> Callable[[Any], None]:
    """``callback``, run only while ``widget``'s C++ object still exists."""

    def run(value: Any) -> None:
        if shiboken6.isValid(widget):
            callback(value)

    return run


def failure_if_alive(
    widget: QObject, callback: Callable[[BaseException], object], title: str
) -> Callable[[BaseException], None]:
    """A failure handler: ``callback`` while ``widget`` exists, else the standard dialog."""

    def run(error: BaseException) -> None:
        if shiboken6.isValid(widget):
            callback(error)
        else:
            show_failure(error, title)

    return run


def alive_or_none(widget: W | None) -> W | None:
    """``widget`` if it still exists, else None (a parent for a dialog opened later)."""
    return widget if widget is not None and shiboken6.isValid(widget) else None
