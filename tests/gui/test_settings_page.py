"""Settings: the follow-up delay is saved, paths are shown and open, the version is there."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QGroupBox, QLabel
from pytestqt.qtbot import QtBot

from afterword.core import __version__
from afterword.core.settings import (
    get_rule_settings,
    get_stay_in_touch_days,
    set_follow_up_business_days,
)
from afterword.core.storage.changes import Kind, collect_changes
from afterword.core.storage.db import Database
from afterword.gui.context import AppContext
from afterword.gui.pages.settings import SettingsPage


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> SettingsPage:
    settings = SettingsPage(context)
    qtbot.addWidget(settings)
    with qtbot.waitExposed(settings):
        settings.show()
    qtbot.waitUntil(context.ops.is_idle)  # the built-in templates are added in the background
    return settings


def test_follow_up_days_are_saved_and_announced(
    qtbot: QtBot, db: Database, context: AppContext, page: SettingsPage
) -> None:
    days = page.follow_ups.days
    assert days.value() == 2
    days.setFocus()
    with qtbot.waitSignal(context.ops.changed, timeout=3000) as changed:
        qtbot.keyClick(days, Qt.Key.Key_Up)
        qtbot.keyClick(days, Qt.Key.Key_Up)
    changes, initiator = changed.args
    assert changes.touches(Kind.SETTINGS) and initiator is page.follow_ups
    assert get_rule_settings(db).follow_up_business_days == 4
    assert days.text() == "4 business days"


def test_the_stay_in_touch_cadence_is_a_setting_people_from_interviews_get(
    qtbot: QtBot, db: Database, context: AppContext, page: SettingsPage
) -> None:
    spin = page.follow_ups.check_in_days
    assert spin.value() == 90
    spin.setFocus()
    spin.selectAll()
    with qtbot.waitSignal(context.ops.changed, timeout=3000) as changed:
        qtbot.keyClicks(spin, "60")
    changes, initiator = changed.args
    assert changes.touches(Kind.SETTINGS) and initiator is page.follow_ups
    assert get_stay_in_touch_days(db) == 60
    assert spin.text() == "60 days"
    assert get_rule_settings(db).follow_up_business_days == 2  # the other setting untouched


def test_a_value_not_yet_saved_is_saved_before_closing(
    qtbot: QtBot, db: Database, context: AppContext, page: SettingsPage
) -> None:
    page.follow_ups.days.setFocus()
    qtbot.keyClick(page.follow_ups.days, Qt.Key.Key_Up)
    assert get_rule_settings(db).follow_up_business_days == 2  # still waiting for more typing
    assert page.can_close()
    qtbot.waitUntil(context.ops.is_idle)  # the write runs off the GUI thread
    assert get_rule_settings(db).follow_up_business_days == 3


def test_a_change_made_elsewhere_shows_up(
    db: Database, context: AppContext, page: SettingsPage
) -> None:
    with collect_changes() as collected:  # what another window's write would announce
        set_follow_up_business_days(db, 7)
    context.ops.announce(collected.changes)
    assert page.follow_ups.days.value() == 7


def test_shows_where_data_and_logs_live_and_opens_them(
    qtbot: QtBot, data_dir: Path, page: SettingsPage, opened_urls: list[QUrl]
) -> None:
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert str(data_dir) in texts
    assert str(data_dir / "logs" / "afterword.log") in texts
    assert f"Afterword {__version__}" in texts

    qtbot.mouseClick(page.data.open_data, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.data.open_logs, Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened_urls] == [data_dir, data_dir / "logs"]


def test_sections_are_a_column_new_ones_can_join(qtbot: QtBot, page: SettingsPage) -> None:
    page.add_section("Backups", QLabel("backup settings"))
    titles = [box.title() for box in page.findChildren(QGroupBox)]
    assert titles == [
        "Follow-ups",
        "Mail account",
        "Incoming mail: copy in Sent, replies",
        "Message templates",
        "Reminders",
        "Data and logs",
        "Your data",
        "Backups",
    ]
