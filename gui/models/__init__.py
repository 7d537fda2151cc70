"""Qt item models that adapt the core's plain records for the views.

The list pages fill them with what :meth:`afterword.gui.operations.Operations.read`
loaded off the GUI thread (all 10,000 applications, or every application's
next due item), then call :func:`settle_heap` once the rows are in.
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)


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
