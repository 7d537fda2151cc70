"""The detail pane of a list page: a placeholder until a record is selected, then the
record as loaded off the GUI thread.

A subclass builds its widgets into :attr:`RecordDetail.content`, says how to load
what it shows (:meth:`RecordDetail.fetch`, a core read run by ``context.ops``)
and fills its widgets from that (:meth:`RecordDetail.fill`). A record deleted
meanwhile shows the placeholder again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from afterword.core.checklist.items import ChecklistItem
from afterword.core.errors import NotFoundError
from afterword.core.storage.records import InterviewRecord, TouchpointRecord
from afterword.gui.icons import icon
from afterword.gui.models.records_model import HasId
from afterword.gui.theme import scaled_font

if TYPE_CHECKING:
    from afterword.gui.context import AppContext
    from afterword.gui.widgets.checklist.view import ChecklistView

logger = logging.getLogger(__name__)

# The selected item's heading: a step below the page title.
DETAIL_HEADING_SCALE = 1.15


T = TypeVar("T", bound=HasId)


@dataclass(frozen=True)
class Details(Generic[T]):
    """A record and what its detail pane lists with it."""

    record: T
    interviews: list[InterviewRecord]
    items: list[ChecklistItem]
    touchpoints: list[TouchpointRecord] = field(default_factory=list)


def _load(record_id: int, fetch: Callable[[], Details[T]]) -> tuple[int, Details[T] | None]:
    """Run ``fetch`` (on a worker thread); None when the record is gone."""
    try:
        return record_id, fetch()
    except NotFoundError:
        return record_id, None


class RecordDetail(QWidget, Generic[T]):
    """The selected record's detail (see the module docstring)."""

    edit_requested = Signal()
    # The detail shows what was last asked for (a record, or the placeholder).
    shown = Signal()

    # What one record is ("application"), and what the pane says while none is selected.
    noun: ClassVar[str]
    prompt: ClassVar[str]
    checklist: ChecklistView

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.loaded: Details[T] | None = None
        self._wanted: int | None = None
        self._key = f"detail-{id(self):x}"

        self.stack = QStackedWidget(self)
        self.placeholder = QLabel(self.prompt, self.stack)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack.addWidget(self.placeholder)
        self.content = QWidget(self.stack)
        self.stack.addWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.heading = QLabel()
        self.heading.setFont(scaled_font(self, DETAIL_HEADING_SCALE))
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_button = QPushButton(icon("edit"), "Edit…")
        self.edit_button.setAccessibleName(f"Edit {self.noun}")
        self.edit_button.clicked.connect(self.edit_requested)

    @staticmethod
    def add_value(layout: QFormLayout, caption: str, name: str = "") -> QLabel:
        """A field's value under a bold ``caption``: plain text a person can select,
        named ``name`` (else the caption) for screen readers."""
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(name or caption)
        layout.addRow(f"<b>{caption}</b>", label)
        return label

    # -- for subclasses ---------------------------------------------------------------------

    def fetch(self, record_id: int) -> Callable[[], Details[T]]:
        """The core reads for ``record_id``, ready to run off the GUI thread."""
        raise NotImplementedError

    def fill(self, loaded: Details[T]) -> None:
        """Show ``loaded`` (:attr:`loaded` still holds what was shown before)."""
        raise NotImplementedError

    # -- content ------------------------------------------------------------------------------

    @property
    def record(self) -> T | None:
        return self.loaded.record if self.loaded is not None else None

    @property
    def interviews(self) -> list[InterviewRecord]:
        return self.loaded.interviews if self.loaded is not None else []

    def show_record(self, record_id: int | None) -> None:
        """Show ``record_id`` once loaded (None, or one that is gone: the placeholder)."""
        self._wanted = record_id
        if record_id is None:
            self._clear()
            return
        self.context.ops.read(
            self._key,
            _load,
            record_id,
            self.fetch(record_id),
            on_success=self._arrived,
            failure_title="The details could not be loaded",
        )

    def reload(self) -> None:
        self.show_record(self._wanted)

    def _arrived(self, result: tuple[int, Details[T] | None]) -> None:
        record_id, loaded = result
        if record_id != self._wanted:
            return  # another record (or none) was asked for meanwhile
        if loaded is None:
            self._clear()
            return
        self.fill(loaded)
        self.loaded = loaded
        self.stack.setCurrentIndex(1)
        self.shown.emit()

    def _clear(self) -> None:
        self.loaded = None
        self.checklist.set_items([])
        self.stack.setCurrentIndex(0)
        self.shown.emit()
