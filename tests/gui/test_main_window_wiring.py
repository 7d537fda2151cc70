"""The main window puts the mail pieces where a person looks for them.

Outbox is in the navigation, Settings has the mail account and template
sections, and a checklist item that asks for a message opens the composer
with a draft for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QToolButton
from pytestqt.qtbot import QtBot

from afterword.core.checklist.items import ItemKind
from afterword.core.storage.changes import collect_changes
from afterword.core.storage.values import Purpose
from afterword.gui.mail_flow import open_composers
from afterword.gui.main_window import MainWindow
from afterword.gui.pages.outbox import OutboxPage
from afterword.gui.pages.settings import SettingsPage
from afterword.gui.pages.today import TodayPage


@pytest.fixture
def close_composers() -> Iterator[None]:
    yield
    for composer in open_composers():
        composer.hide()
        composer.deleteLater()


def test_outbox_is_in_the_navigation_between_contacts_and_settings(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    titles = [main_window.nav.item(row).text() for row in range(main_window.nav.count())]
    assert titles == ["Today", "Applications", "Contacts", "Outbox", "Settings"]
    qtbot.keyClick(main_window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(main_window.stack.currentWidget(), OutboxPage)


def test_settings_has_the_mail_account_and_template_sections(
    main_window: MainWindow,
) -> None:
    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    sections = [box.title() for box in page.findChildren(QGroupBox)]
    assert "Mail account" in sections
    assert "Message templates" in sections


def test_an_overdue_status_follow_up_on_today_opens_a_follow_up_draft(
    main_window: MainWindow,
    qtbot: QtBot,
    now: datetime,
    add_application: Callable[..., object],
    add_interview: Callable[..., object],
    close_composers: None,
) -> None:
    # Decided "by Thursday 5 March"; two business days later (Monday) the
    # follow-up was due, so on Wednesday 11 March it is overdue.
    with collect_changes() as collected:  # what another window's write would announce
        app = add_application(
            company="Nordwind", role="Planner", decision_expected=date(2026, 3, 5)
        )
        people = [("Ana Ruiz", "ana@nordwind.example")]
        add_interview(app.id, now - timedelta(days=9), people=people)
    main_window.context.ops.announce(collected.changes)
    today = main_window.show_page("today")
    assert isinstance(today, TodayPage)
    qtbot.waitUntil(lambda: main_window.context.ops.is_idle())
    assert today.checklist is not None
    key = next(
        item.key for item in today.checklist.model.items() if item.kind is ItemKind.STATUS_FOLLOW_UP
    )
    assert today.checklist.select_key(key)
    button = next(
        b
        for b in today.checklist.findChildren(QToolButton)
        if b.accessibleName() == "Write message"
    )
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(open_composers()) == 1)  # the draft is prepared first

    (composer,) = open_composers()
    (message_id,) = composer.message_ids()
    editor = composer.editor_for(message_id)
    assert editor.record.purpose is Purpose.STATUS_FOLLOW_UP
    assert editor.to_address.text() == "ana@nordwind.example"
    assert "Planner" in editor.body.toPlainText()
