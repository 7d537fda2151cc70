"""The one way the GUI runs core calls: writes and reads off the GUI thread.

Modelled on Anki's ``CollectionOp`` and ``QueryOp``. A page never calls a
core write itself; it hands the call to :meth:`Operations.write`::

    context.ops.write(
        create_application, context.db, fields, now=context.now(),
        initiator=self,                  # who asked (pages may skip their own echo)
        on_success=self._created,        # GUI thread, with the core's result
    )

The write runs on a worker thread while its change set is collected (the
core declares what it changed, see :mod:`afterword.core.storage.changes`).
A failure is logged and shown one standard way, unless the caller passes
``on_failure``. After a success, :attr:`Operations.changed` carries the
change set and the initiator to every page, which reloads only what it
shows::

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.touches(Kind.APPLICATIONS, Kind.CHECKLIST):
            self.reload()

:meth:`Operations.read` runs a query (or any slow call that writes nothing,
such as a test connection) the same way, without broadcasting. Reads that
share a ``key`` form one stream: while one runs, a newer request waits, and
the running one's result is dropped because it is already stale. A burst of
requests costs at most two calls, and the last request always wins.

A write that failed because another program held the database past the
busy timeout (:class:`~afterword.core.errors.DatabaseBusyError`) is offered
again: a dialog says so and has **Try again**; **Cancel** hands the error
to the caller's ``on_failure`` (or the standard dialog) as any failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from afterword.core.errors import DatabaseBusyError
from afterword.core.storage.changes import Changes, collect_changes
from afterword.gui.tasks import TaskRunner

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

logger = logging.getLogger(__name__)

Callback = Callable[[Any], object]
FailureHandler = Callable[[BaseException], object]


def show_failure(error: BaseException, title: str = "Something could not be done") -> None:
    """The standard way a failed operation is shown: a non-blocking dialog."""
    from afterword.gui.crash import show_error  # the crash module loads QtWidgets dialogs

    show_error(title, error)


def _collecting(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, Changes]:
    """Call ``fn`` and return its result with the change set its writes committed."""
    with collect_changes() as collected:
        result = fn(*args, **kwargs)
    return result, collected.changes


@dataclass
class _Request:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    on_success: Callback | None
    on_failure: FailureHandler | None
    title: str


class Operations(QObject):
    """Runs core writes and reads off the GUI thread (see the module docstring)."""

    # (Changes, initiator): emitted on the GUI thread after a write succeeded.
    changed = Signal(object, object)

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._running: set[str] = set()
        self._waiting: dict[str, _Request] = {}
        self._retry_boxes: list[QMessageBox] = []

    def write(
        self,
        fn: Callable[..., Any],
        *args: Any,
        initiator: object = None,
        on_success: Callback | None = None,
        on_failure: FailureHandler | None = None,
        failure_title: str = "Your change could not be saved",
        **kwargs: Any,
    ) -> None:
        """Run the core write ``fn(*args, **kwargs)`` off the GUI thread, then broadcast."""

        def succeeded(outcome: tuple[Any, Changes]) -> None:
            result, changes = outcome
            try:
                if on_success is not None:
                    on_success(result)
            finally:
                self.announce(changes, initiator)

        def failed(error: BaseException) -> None:
            give_up = self._failure_handler(on_failure, failure_title)
            if not isinstance(error, DatabaseBusyError):
                give_up(error)
                return

            def again() -> None:
                self.write(
                    fn,
                    *args,
                    initiator=initiator,
                    on_success=on_success,
                    on_failure=on_failure,
                    failure_title=failure_title,
                    **kwargs,
                )

            self._offer_retry(error, again, give_up)

        self._tasks.run(_collecting, fn, *args, on_success=succeeded, on_error=failed, **kwargs)

    def retry_dialogs(self) -> list[QMessageBox]:
        """The "database is busy" questions open now (for tests)."""
        return list(self._retry_boxes)

    def _offer_retry(
        self, error: BaseException, again: Callable[[], None], give_up: FailureHandler
    ) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("The database is busy")
        box.setText(str(error))
        box.setStandardButtons(QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Retry).setText("Try again")
        box.setDefaultButton(QMessageBox.StandardButton.Retry)

        retry = box.button(QMessageBox.StandardButton.Retry)

        def answered(_result: int) -> None:
            self._retry_boxes.remove(box)
            box.deleteLater()
            if box.clickedButton() is retry:
                again()
            else:
                give_up(error)

        box.finished.connect(answered)
        self._retry_boxes.append(box)
        box.show()  # not exec(): nothing may block the event loop

    def read(
        self,
        key: str | None,
        fn: Callable[..., Any],
        *args: Any,
        on_success: Callback | None = None,
        on_failure: FailureHandler | None = None,
        failure_title: str = "Something could not be loaded",
        **kwargs: Any,
    ) -> None:
        """Run ``fn(*args, **kwargs)`` off the GUI thread; ``key`` drops stale results.

        ``key=None`` runs the call on its own, never stale (a one-off call
        such as testing a mail connection).
        """
        request = _Request(fn, args, kwargs, on_success, on_failure, title=failure_title)
        if key is None:
            self._start(None, request)
        elif key in self._running:
            self._waiting[key] = request  # replaces an older waiting request
        else:
            self._start(key, request)

    def announce(self, changes: Changes, initiator: object = None) -> None:
        """Tell every page that ``changes`` happened (for writes made outside :meth:`write`,
        such as opening or replacing the database)."""
        if changes:
            self.changed.emit(changes, initiator)

    def is_idle(self) -> bool:
        """True when no operation is running or waiting."""
        return self._tasks.is_idle() and not self._waiting

    def wait_for_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every operation was delivered (for tests and shutdown)."""
        return self._tasks.wait_for_idle(timeout_ms)

    def _start(self, key: str | None, request: _Request) -> None:
        if key is not None:
            self._running.add(key)

        def finished() -> bool:
            """Whether this result is current; starts the waiting request if not."""
            if key is None:
                return True
            self._running.discard(key)
            newer = self._waiting.pop(key, None)
            if newer is None:
                return True
            self._start(key, newer)
            return False

        def succeeded(result: Any) -> None:
            if finished() and request.on_success is not None:
                request.on_success(result)

        def failed(error: BaseException) -> None:
            if finished():
                self._failure_handler(request.on_failure, request.title)(error)

        self._tasks.run(
            request.fn, *request.args, on_success=succeeded, on_error=failed, **request.kwargs
        )

    @staticmethod
    def _failure_handler(on_failure: FailureHandler | None, title: str) -> FailureHandler:
        if on_failure is not None:
            return on_failure
        return lambda error: show_failure(error, title)
