"""Qt item models that adapt the core's plain records for the views, and their loading.

Loading a model's content can take a while on a large database (all 10,000
applications, or every application's checklist), so pages load through a
:class:`BackgroundLoad`: the core call runs on the task runner's thread and
the model is filled on the GUI thread when it returns.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from afterword.gui.crash import show_error
from afterword.gui.tasks import TaskRunner

logger = logging.getLogger(__name__)

T = TypeVar("T")


def settle_heap() -> None:
    """Take what is alive now out of the cyclic garbage collector's full scans.

    A model's rows (10,000 applications, 20,000 contacts) live until the next
    load. Left to the collector, every full collection walks them all: while
    a background search allocated thousands of objects, such a collection
    held the GIL for about 100 ms and froze the window (measured with a
    heartbeat timer; ``gc.freeze()`` after loading made those stalls vanish).
    Frozen objects are still freed by reference counting when a later load
    replaces them (rows hold no reference cycles); the young generations are
    collected first so fresh cyclic garbage is not kept.
    """
    gc.collect(1)
    gc.freeze()


class BackgroundLoad(Generic[T]):
    """Runs ``load`` off the GUI thread and hands the result to ``apply`` on it.

    Requests made while a load runs coalesce into one more load after it, so
    a burst of changes costs at most two loads and the last one always wins.
    """

    def __init__(self, tasks: TaskRunner, load: Callable[[], T], apply: Callable[[T], Any]) -> None:
        self._tasks = tasks
        self._load = load
        self._apply = apply
        self._running = False
        self._again = False

    @property
    def busy(self) -> bool:
        return self._running

    def request(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        self._tasks.run(self._load, on_success=self._done, on_error=self._failed)

    def _done(self, result: T) -> None:
        self._running = False
        if self._again:
            # What was loaded is already stale: load again, skip the repaint.
            self._again = False
            self.request()
            return
        self._apply(result)
        settle_heap()

    def _failed(self, error: BaseException) -> None:
        self._running = False
        self._again = False
        show_error("The list could not be loaded", error)
