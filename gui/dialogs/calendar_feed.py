"""Where the calendar feed is kept: choose a file, or stop updating it."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from afterword.gui.calendar_export import feed_path_of, set_feed_path_of
from afterword.gui.context import AppContext
from afterword.gui.lifetime import if_alive


class FeedDialog(QDialog):
    """Choose where the calendar feed is kept, or stop it."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Calendar feed")
        self.setObjectName("calendar_feed")
        layout = QVBoxLayout(self)
        explain = QLabel(
            "Afterword can keep one calendar file (.ics) up to date with your interviews "
            "and follow-up dates. Subscribe to it in your calendar app (or import it "
            "again): events are updated, never duplicated. Put it in a synced folder to "
            "see it on your phone."
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setAccessibleName("Feed file")
        layout.addWidget(self.where)
        row = QHBoxLayout()
        self.choose = QPushButton("Choose file…")
        self.choose.setAccessibleName("Choose the feed file")
        self.choose.clicked.connect(self._choose)
        self.stop = QPushButton("Stop updating")
        self.stop.setAccessibleName("Stop updating the feed")
        self.stop.clicked.connect(lambda: self.set_path(None))
        row.addWidget(self.choose)
        row.addWidget(self.stop)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show(None)
        context.ops.read(
            "calendar-feed-dialog", feed_path_of, context.db, on_success=if_alive(self, self._show)
        )

    def _show(self, path: Path | None) -> None:
        self.path = path
        self.where.setText(f"Kept at: {path}" if path else "No feed yet.")
        self.stop.setEnabled(path is not None)

    def _choose(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            "Keep the calendar feed in",
            str(Path.home() / "afterword.ics"),
            "Calendar files (*.ics)",
        )
        if name:
            self.set_path(
                Path(name if re.search(r"\.ics$", name, re.IGNORECASE) else f"{name}.ics")
            )

    def set_path(self, path: Path | None) -> None:
        """Keep the feed at ``path`` (None: stop); written at once, so a bad folder shows now."""
        self.context.ops.write(
            set_feed_path_of,
            self.context.db,
            path,
            self.context.now(),
            initiator=self,
            on_success=if_alive(self, self._show),
            failure_title="The calendar feed could not be kept there",
        )
