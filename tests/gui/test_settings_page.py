"""Settings: the follow-up delay is saved, paths are shown and open, the version is there.

The sections read what they show off the GUI thread: a test waits for the
screen to fill in (``context.ops.wait_for_idle()``), as a person would.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from afterword.core import __version__
from afterword.core.mail.accounts import get_mail_account, save_imap_settings, save_mail_account
from afterword.core.mail.templates import ensure_default_templates, list_templates, save_template
from afterword.core.reminders.settings import (
    NoticeKind,
    ReminderSettings,
    get_reminder_settings,
    save_reminder_settings,
)
from afterword.core.settings import (
    get_rule_settings,
    get_stay_in_touch_days,
    set_follow_up_business_days,
    set_stay_in_touch_days,
)
from afterword.core.storage.changes import Kind, collect_changes
from afterword.core.storage.db import Database
from afterword.core.storage.records import ImapFields, MailAccountFields
from afterword.core.storage.values import MailSecurity, Purpose
from afterword.gui.context import AppContext
from afterword.gui.pages.settings import SettingsPage
from afterword.gui.validator import FieldError

ACCOUNT = MailAccountFields(
    display_name="Ada Lovelace",
    email="ada@fastmail.com",
    smtp_host="smtp.fastmail.com",
    smtp_port=465,
    security=MailSecurity.SSL,
    username="ada@fastmail.com",
    bcc_self=True,
)


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
    context.ops.wait_for_idle()  # read again off the GUI thread
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


def _sections(page: SettingsPage) -> list[QWidget]:
    """The sections that show what the database holds."""
    return [page.follow_ups, page.mail_account, page.incoming_mail, page.templates, page.reminders]


def test_the_sections_fill_in_from_the_database_once_it_is_read(
    qtbot: QtBot, db: Database, context: AppContext
) -> None:
    set_follow_up_business_days(db, 5)
    set_stay_in_touch_days(db, 60)
    save_mail_account(db, ACCOUNT)
    save_imap_settings(db, ImapFields(sent_folder="Sent Items", watch_replies=True))
    ensure_default_templates(db)
    save_reminder_settings(db, ReminderSettings(minutes_before_interview=45))

    page = SettingsPage(context)
    qtbot.addWidget(page)
    page.show()
    # Nothing is read on the GUI thread: until the data arrives, nothing can be changed.
    assert [section.isEnabled() for section in _sections(page)] == [False] * 5
    assert page.mail_account.email.text() == ""
    context.ops.wait_for_idle()

    assert all(section.isEnabled() for section in _sections(page))
    assert page.follow_ups.days.text() == "5 business days"
    assert page.follow_ups.check_in_days.text() == "60 days"
    account = page.mail_account
    assert (account.display_name.text(), account.email.text()) == ("Ada Lovelace", ACCOUNT.email)
    assert account.smtp_host.text() == "smtp.fastmail.com" and account.bcc_self.isChecked()
    assert "Fastmail" in account.provider_note.text()
    # Filled in quietly: the saved account raises no problem and Save is there to press.
    assert not [error for error in account.findChildren(FieldError) if error.isVisible()]
    assert account.save_button.isEnabled() and not account.reason.isVisible()
    assert page.incoming_mail.sent_folder.text() == "Sent Items"
    assert page.incoming_mail.watch_replies.isChecked()
    templates = page.templates
    assert templates.list.count() == len(list_templates(db))
    assert templates.current is not None and templates.name.text() == templates.current.name
    assert page.reminders.lead.value() == 45
    # Nothing was written by filling in the screen.
    assert get_rule_settings(db).follow_up_business_days == 5
    assert get_mail_account(db) is not None and get_mail_account(db).display_name == "Ada Lovelace"


def test_edits_made_before_a_late_reload_are_kept(
    qtbot: QtBot, db: Database, context: AppContext, page: SettingsPage
) -> None:
    save_mail_account(db, ACCOUNT)
    for reload in (page.mail_account.load, page.incoming_mail.load):
        reload()
    context.ops.wait_for_idle()
    shown_template = page.templates.current
    assert shown_template is not None

    # Another window changes things, and the reloads are asked for; before they
    # arrive the person changes something in every section.
    with collect_changes() as collected:
        set_stay_in_touch_days(db, 30)
        save_mail_account(db, replace(ACCOUNT, bcc_self=False))
        save_template(db, purpose=Purpose.OTHER, name="From elsewhere", subject="Hi", body="Hi")
    context.ops.announce(collected.changes)
    page.mail_account.load()  # as the page does when shown
    page.templates.refresh()
    follow_ups = page.follow_ups
    follow_ups.days.setFocus()
    qtbot.keyClick(follow_ups.days, Qt.Key.Key_Up)  # 2 -> 3, saved once it settles
    page.mail_account.display_name.selectAll()
    qtbot.keyClicks(page.mail_account.display_name, "Ada King")
    qtbot.keyClicks(page.incoming_mail.sent_folder, "Gesendet")
    qtbot.keyClicks(page.templates.body, "P.S. typed before the list arrived")
    before_interview = page.reminders.kinds[NoticeKind.BEFORE_INTERVIEW]
    qtbot.mouseClick(before_interview, Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()

    assert follow_ups.days.value() == 3  # kept, while the value not touched follows
    assert follow_ups.check_in_days.value() == 30
    assert page.mail_account.display_name.text() == "Ada King"
    assert page.mail_account.is_dirty()  # Save not pressed yet
    assert page.incoming_mail.sent_folder.text() == "Gesendet"
    templates = page.templates
    assert templates.body.toPlainText().startswith("P.S. typed before the list arrived")
    assert templates.current == shown_template and templates.is_dirty()
    listed = [templates.list.item(row).text() for row in range(templates.list.count())]
    assert "From elsewhere" in listed  # the list is new, the editor untouched
    assert not before_interview.isChecked()

    # What was changed by hand is saved a moment later, over what was read.
    qtbot.waitUntil(
        lambda: not follow_ups.has_pending_save() and not page.reminders.has_pending_save()
    )
    context.ops.wait_for_idle()
    assert (get_rule_settings(db).follow_up_business_days, get_stay_in_touch_days(db)) == (3, 30)
    assert NoticeKind.BEFORE_INTERVIEW not in get_reminder_settings(db).enabled
    assert follow_ups.days.value() == 3 and not before_interview.isChecked()
