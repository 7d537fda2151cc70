"""The detail pane of a list page: a placeholder until a record is selected, then the
record as loaded off the GUI thread.

A subclass builds its widgets into :attr:`RecordDetail.content`, says how to load
what it shows (:meth:`RecordDetail.fetch`, a core read run by ``context.ops``)
and fills its widgets from that (:meth:`RecordDetail.fill`). A record deleted
meanwhile shows the placeholder again. In a window too short for all of it, the
content scrolls (:class:`ScrollWhenShort`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
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


class ScrollWhenShort(QScrollArea):
    """Holds a detail pane's content at the pane's size, or taller when its sections
    need more (in a window at its smallest): the pane then scrolls rather than
    squeezing the sections until their rows overlap.

    Not QScrollArea's own resizing: for a layout with word-wrapped text it sizes
    the content at its preferred height, and would scroll at any size.
    """

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        content.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # Scrolls up and down, never sideways: no narrower than the content can be.
        width = (
            self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        )
        return QSize(width, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Size the content for the space there is: its width, and the height it needs
        there or all of it."""
        content = self.widget()
        room = self.maximumViewportSize()  # without scroll bars
        width = room.width()
        height = self._needed(content, width)
        if height > room.height():  # it scrolls: the scroll bar takes some width
            width -= self.verticalScrollBar().sizeHint().width()
            height = self._needed(content, width)
        content.resize(width, max(height, room.height()))

    @staticmethod
    def _needed(content: QWidget, width: int) -> int:
        layout = content.layout()
        if layout is None or not layout.hasHeightForWidth():
            return content.minimumSizeHint().height()
        return layout.minimumHeightForWidth(width)


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
        self.content = QWidget()
        self.stack.addWidget(ScrollWhenShort(self.content, self.stack))
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
