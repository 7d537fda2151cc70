"""Running a callable off the GUI thread and getting its answer back on it.

The layer under :mod:`afterword.gui.operations`: pages and dialogs use
``context.ops.write`` / ``context.ops.read``, which run here::

    tasks.run(
        fn, *args,
        on_success=deliver,                  # called on the GUI thread with the result
        on_error=report,                     # called on the GUI thread with the exception
    )

Every failure is logged with its traceback and handed to ``on_error`` (the
operations layer shows it one standard way): a failure is never swallowed.
Tests wait with ``qtbot.waitUntil(context.ops.is_idle)``.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from afterword.core.errors import AfterwordError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Callbacks:
    name: str
    on_success: Callable[[Any], object] | None
    on_error: Callable[[BaseException], object]


class TaskRunner(QObject):
    """Runs callables on a private thread pool; results come back through one signal."""

    # (task id, succeeded, result or exception); emitted from worker threads and
    # delivered on the GUI thread because this object lives there (queued).
    _finished = Signal(int, bool, object)
    # Emitted on the GUI thread after the last pending task was delivered.
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Callbacks] = {}
        self._finished.connect(self._deliver)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], object] | None = None,
        on_error: Callable[[BaseException], object],
        **kwargs: Any,
    ) -> int:
        """Call ``fn(*args, **kwargs)`` on a worker thread; returns the task's id."""
        task_id = next(self._ids)
        name = getattr(fn, "__qualname__", repr(fn))
        self._pending[task_id] = _Callbacks(name, on_success, on_error)

        def work() -> None:
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:
                self._finished.emit(task_id, False, exc)
            else:
                self._finished.emit(task_id, True, result)

        self._pool.start(work)
        return task_id

    def is_idle(self) -> bool:
        """True when no task is running or waiting to be delivered."""
        return not self._pending

    def wait_for_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every task was delivered; False if ``timeout_ms`` passed."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._pending:
            if time.monotonic() > deadline:
                return False
            self._pool.waitForDone(20)
            QCoreApplication.processEvents()
        return True

    def _deliver(self, task_id: int, succeeded: bool, result: object) -> None:
        callbacks = self._pending.pop(task_id)
        try:
            if succeeded:
                if callbacks.on_success is not None:
                    callbacks.on_success(result)
            else:
                assert isinstance(result, BaseException)
                self._report(callbacks, result)
        finally:
            if not self._pending:
                self.idle.emit()

    @staticmethod
    def _report(callbacks: _Callbacks, error: BaseException) -> None:
        # Errors the core raises on purpose are for the person to act on; the
        # rest are bugs. Both are logged with their traceback.
        level = logging.WARNING if isinstance(error, AfterwordError) else logging.ERROR
        logger.log(level, "Background task %s failed", callbacks.name, exc_info=error)
        callbacks.on_error(error)
