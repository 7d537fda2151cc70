"""The composer window: one tab per message, each a :class:`DraftEditor`.

The window is built from :class:`~afterword.core.mail.composing.ComposerDraft`
values its opener prepared off the GUI thread (see :mod:`afterword.gui.mail_flow`):
it reads nothing while it is built.

A ``notice`` above the tabs says what the window leaves out (the people
already thanked); with no message at all, it is all the window says.

While the person types, every tab's personal-note check runs against the
other tabs' text (one note can be "nearly the same" as another). The window
reloads its tabs when a change set touches messages, and closing it saves
every tab first: a tab whose edits cannot be saved keeps it open.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from afterword.core.mail.composing import ComposerDraft
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.values import MessageStatus
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer.editor import DraftEditor
from afterword.gui.icons import icon
from afterword.gui.mail_flow import send_tracker
from afterword.gui.theme import scaled_font

logger = logging.getLogger(__name__)

HEADING_SCALE = 1.3


class ComposerDialog(QDialog):
    """The composer window: one :class:`DraftEditor` tab per message."""

    closed = Signal()

    def __init__(
        self,
        context: AppContext,
        drafts: Sequence[ComposerDraft],
        *,
        title: str,
        parent: QWidget | None = None,
        notice: str = "",
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._closed = False
        self._closing = False  # saving every tab before closing
        self.setWindowTitle(title)
        self.setModal(False)
        self.setSizeGripEnabled(True)
        self.resize(QSize(1000, 760))

        heading = QLabel(title, self)
        heading.setFont(scaled_font(heading, HEADING_SCALE))
        intro = QLabel(
            "Each note goes to one person. Read it through, make it yours, then click Send.",
            self,
        )
        intro.setWordWrap(True)
        intro.setVisible(bool(drafts))
        self.notice = QLabel(notice, self)
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setAccessibleName("Already thanked")
        self.notice.setVisible(bool(notice))
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.editors: list[DraftEditor] = []
        for draft in drafts:
            editor = DraftEditor(context, draft, self.tabs)
            editor.edited.connect(self.recheck)
            editor.state_changed.connect(self._update_tabs)
            editor.state_changed.connect(self._after_state_change)
            self.editors.append(editor)
            self.tabs.addTab(editor, editor.tab_title())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        # Enter in the subject or a name must never send (or close): no button is a default.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        self.tabs.setVisible(bool(drafts))
        if not drafts:
            layout.addStretch(1)
            self.resize(QSize(560, 200))
        layout.addWidget(close)
        context.ops.changed.connect(self._on_changed)
        send_tracker().changed.connect(self._on_sending_changed)
        self.recheck()
        self._update_tabs()

    def message_ids(self) -> list[int]:
        return [editor.record.id for editor in self.editors]

    def editor_for(self, message_id: int) -> DraftEditor:
        for editor in self.editors:
            if editor.record.id == message_id:
                return editor
        raise KeyError(message_id)

    def select_message(self, message_id: int) -> None:
        self.tabs.setCurrentWidget(self.editor_for(message_id))

    def recheck(self) -> None:
        """Re-run every tab's check: one note's text decides whether another is "the same"."""
        live = {editor.record.id: editor.current_record() for editor in self.editors}
        for editor in self.editors:
            editor.recheck(live)
        self._update_tabs()

    def _after_state_change(self) -> None:
        if self._closed:
            self._release_when_idle()

    def _update_tabs(self) -> None:
        for index, editor in enumerate(self.editors):
            self.tabs.setTabText(index, editor.tab_title())
            sent = editor.record.status is MessageStatus.SENT
            self.tabs.setTabIcon(index, icon("done") if sent else icon("mail"))

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        # The mail account's name signs a printed letter: a new one is read too.
        if changes.touches(Kind.MESSAGES, Kind.ACCOUNTS) and self.isVisible():
            for editor in self.editors:
                if not editor.is_busy():
                    editor.reload()  # off the GUI thread; a reloaded tab re-runs the check

    def _on_sending_changed(self, message_id: int) -> None:
        # Another window of this app started or finished sending one of these notes.
        if self.isVisible() and message_id in self.message_ids():
            for editor in self.editors:
                editor.apply_state()
            self._update_tabs()

    def done(self, result: int) -> None:
        # Closing saves every tab first; a tab whose edits can't be saved keeps the window open.
        if self._closing:
            return
        editable = [editor for editor in self.editors if editor.is_editable()]
        if not editable:
            self._finish(result)
            return
        self._closing = True
        unsaved: list[DraftEditor] = []
        waiting = set(editable)

        def settled(editor: DraftEditor, saved: bool) -> None:
            waiting.discard(editor)
            if not saved:
                unsaved.append(editor)
            if waiting:
                return
            self._closing = False
            if unsaved:
                self.tabs.setCurrentWidget(unsaved[0])
                unsaved[0].discard_button.show()
            else:
                self._finish(result)

        for editor in editable:
            editor.save_edits(then=lambda saved, editor=editor: settled(editor, saved))

    def _finish(self, result: int) -> None:
        super().done(result)
        self._closed = True
        self.closed.emit()
        self._release_when_idle()

    def _release_when_idle(self) -> None:
        # A closed window is deleted once no send of its own is still running:
        # that send reports back to its widgets.
        if self.isHidden() and not any(editor.is_busy() for editor in self.editors):
            self.deleteLater()
