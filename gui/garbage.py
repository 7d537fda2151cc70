"""Python's garbage collector, run on the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate,
so a worker thread can end up destroying Qt objects that belong to the GUI
thread, which crashes the process (seen in our suite as a segfault during a
background load). PyQt and PySide document the cure that Anki uses: turn
automatic collection off and collect from a GUI-thread timer, generation by
generation, with the interpreter's own thresholds.
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication

logger = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 500
# With no window shown (reminders in the background) little allocates: check
# once a minute, so an idle process is not woken twice a second.
IDLE_INTERVAL_MS = 60_000


class GuiThreadGarbageCollector(QObject):
    """While it lives, garbage is collected by its timer on the GUI thread only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        # Set by the reminders, which keep the app running with no window.
        self.slow_when_hidden = False
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds."""
        counts = gc.get_count()
        generation = -1
        for level, (count, threshold) in enumerate(zip(counts, self.thresholds, strict=True)):
            if count <= threshold:
                break
            generation = level
        if generation >= 0:
            gc.collect(generation)
        if self.slow_when_hidden:
            shown = any(window.isVisible() for window in QGuiApplication.topLevelWindows())
            self.timer.setInterval(CHECK_INTERVAL_MS if shown else IDLE_INTERVAL_MS)

    def stop(self) -> None:
        """Hand collection back to the interpreter (tests, shutdown)."""
        self.timer.stop()
        gc.enable()
