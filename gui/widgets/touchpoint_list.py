"""A contact's touchpoints, newest first, where a referral's outcome is updated as it goes.

A referral is logged as "asked"; later they refer you, cannot, or it leads to
an interview. Right-click (or the menu key) on a referral's row, or Enter or
a double-click on it, offers the outcomes; the choice is a core write
through ``context.ops``, whose change set reloads the contact.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMenu, QWidget

from afterword.core.storage.records import TouchpointRecord
from afterword.core.storage.values import ReferralOutcome
from afterword.core.touchpoints import KIND_WORDS, set_referral_outcome
from afterword.gui.context import AppContext
from afterword.gui.dialogs.touchpoint_dialog import PURPOSE_LABELS, REFERRAL_LABELS
from afterword.gui.widgets.checklist.text import day_text

logger = logging.getLogger(__name__)

_TOUCHPOINT_ROLE = Qt.ItemDataRole.UserRole


class TouchpointList(QListWidget):
    """The touchpoints of one contact (see the module docstring)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setAccessibleName("Touchpoints")
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu_at)
        self.itemActivated.connect(self._activated)
        self.outcome_menu: QMenu | None = None

    def show_touchpoints(self, touchpoints: Sequence[TouchpointRecord], now: datetime) -> None:
        self.clear()
        today = now.date()
        for touchpoint in touchpoints:
            moment = touchpoint.occurred_at.astimezone(now.tzinfo)
            text = (
                f"{day_text(moment.date(), today)}, {moment:%H:%M} · "
                f"{KIND_WORDS[touchpoint.kind]} · {PURPOSE_LABELS[touchpoint.purpose]}"
            )
            if touchpoint.referral_outcome is not None:
                text += f" · {REFERRAL_LABELS[touchpoint.referral_outcome]}"
            if touchpoint.note:
                text += f"\n{touchpoint.note}"
            item = QListWidgetItem(text)
            item.setData(_TOUCHPOINT_ROLE, touchpoint)
            if touchpoint.referral_outcome is not None:
                item.setToolTip("How did the referral go? Enter or right-click to update it")
            self.addItem(item)
        if not touchpoints:
            empty = QListWidgetItem(
                "No touchpoints yet. “Log a touchpoint…” records an email, call or letter."
            )
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(empty)

    def _activated(self, item: QListWidgetItem) -> None:
        self._offer_outcomes(item, self.visualItemRect(item).bottomLeft())

    def _menu_at(self, position: QPoint) -> None:
        item = self.itemAt(position)
        if item is not None:
            self._offer_outcomes(item, position)

    def _offer_outcomes(self, item: QListWidgetItem, position: QPoint) -> None:
        touchpoint = item.data(_TOUCHPOINT_ROLE)
        if not isinstance(touchpoint, TouchpointRecord) or touchpoint.referral_outcome is None:
            return
        self.setCurrentItem(item)
        menu = QMenu(self)
        menu.setAccessibleName("Referral outcome")
        menu.addSection("How did the referral go?")
        for outcome, label in REFERRAL_LABELS.items():
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(outcome == touchpoint.referral_outcome)
            action.triggered.connect(
                lambda _checked=False, chosen=outcome: self.set_outcome(touchpoint.id, chosen)
            )
        self.outcome_menu = menu
        menu.popup(self.viewport().mapToGlobal(position))

    def set_outcome(self, touchpoint_id: int, outcome: ReferralOutcome) -> None:
        self._context.ops.write(
            set_referral_outcome,
            self._context.db,
            touchpoint_id,
            outcome,
            initiator=self,
            failure_title="The referral could not be updated",
        )
