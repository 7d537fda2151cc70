"""Settings → Reminders, clicked like a person would, saved to the real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTimeEdit
from pytestqt.qtbot import QtBot

from afterword.core.reminders.settings import (
    NoticeKind,
    ReminderSettings,
    get_reminder_settings,
    save_reminder_settings,
)
from afterword.core.storage.db import Database
from afterword.gui.context import AppContext
from afterword.gui.main_window import MainWindow
from afterword.gui.pages.reminder_settings import ReminderSection
from afterword.gui.reminders.service import ReminderService
from tests.gui.conftest import Clock


@pytest.fixture
def section(qtbot: QtBot, context: AppContext) -> ReminderSection:
    shown = ReminderSection(context)
    qtbot.addWidget(shown)
    with qtbot.waitExposed(shown):
        shown.show()
    context.ops.wait_for_idle()
    return shown


def _saved(qtbot: QtBot, context: AppContext, section: ReminderSection) -> None:
    qtbot.waitUntil(lambda: not section.has_pending_save(), timeout=3000)
    context.ops.wait_for_idle()


def test_switching_a_kind_off_and_setting_quiet_hours_is_saved(
    qtbot: QtBot, db: Database, context: AppContext, section: ReminderSection
) -> None:
    assert section.kinds[NoticeKind.CHECK_INS].isChecked()
    qtbot.mouseClick(section.kinds[NoticeKind.CHECK_INS], Qt.MouseButton.LeftButton)
    section.quiet_start.setTime(section.quiet_start.time().addSecs(3600))  # 22:00
    _saved(qtbot, context, section)
    stored = get_reminder_settings(db)
    assert NoticeKind.CHECK_INS not in stored.enabled
    assert stored.quiet_start == time(22) and stored.quiet_end == time(8)
    qtbot.mouseClick(section.quiet, Qt.MouseButton.LeftButton)
    _saved(qtbot, context, section)
    assert get_reminder_settings(db).quiet_start is None


def test_pause_for_an_hour_then_resume(
    qtbot: QtBot, db: Database, clock: Clock, context: AppContext, section: ReminderSection
) -> None:
    qtbot.mouseClick(section.pause_hour, Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()
    assert get_reminder_settings(db).paused_until == clock.current + timedelta(hours=1)
    assert section.pause_state.text() == "Paused until Wed 11:00"
    qtbot.mouseClick(section.resume, Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()
    assert get_reminder_settings(db).paused_until is None


def test_start_at_login_writes_and_removes_the_autostart_entry(
    qtbot: QtBot,
    context: AppContext,
    section: ReminderSection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    entry = tmp_path / "config" / "autostart" / "io.github.afterword.Afterword.desktop"
    qtbot.mouseClick(section.login, Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()
    text = entry.read_text()
    assert "--background" in text
    assert f"--data-dir {context.data_dir}" in text  # a non-default folder is passed on
    qtbot.mouseClick(section.login, Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()
    assert not entry.exists()


@pytest.fixture
def running(context: AppContext, main_window: MainWindow) -> Iterator[ReminderService]:
    service = ReminderService(context, main_window)
    service.start()
    context.ops.wait_for_idle()
    yield service
    service.stop()


def test_a_line_says_when_notifications_are_unavailable_and_why(
    qtbot: QtBot, context: AppContext, running: ReminderService
) -> None:
    section = ReminderSection(context)
    qtbot.addWidget(section)
    # No notification daemon on the bus in this test.
    assert section.status.text().startswith(
        "Desktop notifications are unavailable: no notification service answers"
    )
    assert "still show in Today and in the tray" in section.status.text()


def test_a_line_says_notifications_are_on(
    qtbot: QtBot, notification_daemon: Any, context: AppContext, running: ReminderService
) -> None:
    section = ReminderSection(context)
    qtbot.addWidget(section)
    assert section.status.text() == "Desktop notifications are on."


def test_the_first_close_asks_once_and_keeps_reminders_running(
    qtbot: QtBot,
    db: Database,
    context: AppContext,
    main_window: MainWindow,
    running: ReminderService,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.gui.helpers import answer_next_box

    asked = answer_next_box(QMessageBox.StandardButton.Yes)
    main_window.close()
    assert asked and asked[0].startswith("Keep reminders running when the window is closed?")
    assert not main_window.isVisible()
    context.ops.wait_for_idle()
    assert get_reminder_settings(db).keep_running_when_closed is True
    running.check()
    context.ops.wait_for_idle()
    # Shown again (a second launch), closed again: not asked again.
    main_window.bring_to_front()
    main_window.close()
    assert not main_window.isVisible()


def test_ctrl_q_closes_the_window_without_asking_and_ends_the_app(
    qtbot: QtBot,
    main_window: MainWindow,
    running: ReminderService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ending the test process is not an option: QApplication.quit is recorded instead."""
    from afterword.gui.reminders import lifecycle

    quits: list[bool] = []
    monkeypatch.setattr(lifecycle.QApplication, "quit", lambda: quits.append(True))
    monkeypatch.setattr(lifecycle, "_quitting", False)
    qtbot.keyClick(main_window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not main_window.isVisible()  # closed, and the keep-running question never came
    assert quits == [True]


def _type_time(qtbot: QtBot, edit: QTimeEdit, hhmm: str) -> None:
    """Type a time as a person would: into the hours, then into the minutes."""
    hours, minutes = QTimeEdit.Section.HourSection, QTimeEdit.Section.MinuteSection
    for section, digits in ((hours, hhmm[:2]), (minutes, hhmm[2:])):
        edit.setSelectedSection(section)  # where a click (or Tab) puts the cursor
        qtbot.keyClicks(edit, digits)


def test_changing_a_reminder_setting_leaves_the_first_close_question_to_the_person(
    qtbot: QtBot,
    db: Database,
    context: AppContext,
    main_window: MainWindow,
    running: ReminderService,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.gui.helpers import answer_next_box

    section = ReminderSection(context)
    qtbot.addWidget(section)
    section.show()
    context.ops.wait_for_idle()
    assert get_reminder_settings(db).keep_running_when_closed is None
    assert not section.keep_running.isChecked()

    section.lead.setFocus()
    qtbot.keyClick(section.lead, Qt.Key.Key_Up)
    _saved(qtbot, context, section)
    stored = get_reminder_settings(db)
    assert stored.minutes_before_interview == 31
    assert stored.keep_running_when_closed is None  # still not asked
    running.check()
    context.ops.wait_for_idle()

    asked = answer_next_box(QMessageBox.StandardButton.No)
    main_window.close()
    assert asked and asked[0].startswith("Keep reminders running when the window is closed?")
    context.ops.wait_for_idle()
    assert get_reminder_settings(db).keep_running_when_closed is False


def test_ticking_keep_running_is_the_persons_answer(
    qtbot: QtBot, db: Database, context: AppContext, section: ReminderSection
) -> None:
    qtbot.mouseClick(section.keep_running, Qt.MouseButton.LeftButton)
    _saved(qtbot, context, section)
    assert get_reminder_settings(db).keep_running_when_closed is True
    qtbot.mouseClick(section.keep_running, Qt.MouseButton.LeftButton)
    _saved(qtbot, context, section)
    assert get_reminder_settings(db).keep_running_when_closed is False


def test_equal_quiet_hours_are_refused_at_the_row_and_later_saves_still_work(
    qtbot: QtBot, db: Database, clock: Clock, context: AppContext, section: ReminderSection
) -> None:
    from afterword.gui import crash

    _type_time(qtbot, section.quiet_end, "2100")
    assert section.quiet_end.time().toString("HH:mm") == "21:00"
    _saved(qtbot, context, section)

    assert section.quiet_problem.isVisible()
    assert section.quiet_problem.text() == "Quiet hours must start and end at different times."
    assert crash.open_dialogs() == []
    stored = get_reminder_settings(db)
    assert (stored.quiet_start, stored.quiet_end) == (time(21), time(8))  # unchanged

    # Other choices and a pause are saved meanwhile; the refused times stay on screen.
    section.lead.setFocus()
    qtbot.keyClick(section.lead, Qt.Key.Key_Up)
    _saved(qtbot, context, section)
    qtbot.mouseClick(section.pause_tomorrow, Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()
    stored = get_reminder_settings(db)
    assert stored.minutes_before_interview == 31
    assert stored.paused_until is not None
    assert section.pause_state.text() == (
        f"Paused until {stored.paused_until.astimezone(clock.current.tzinfo):%a %H:%M}"
    )
    assert section.quiet_end.time().toString("HH:mm") == "21:00"
    assert crash.open_dialogs() == []

    # Fixed, they are saved and the message goes.
    _type_time(qtbot, section.quiet_end, "0700")
    _saved(qtbot, context, section)
    assert not section.quiet_problem.isVisible()
    assert get_reminder_settings(db).quiet_end == time(7)
    assert get_reminder_settings(db).paused_until == stored.paused_until


def test_the_page_says_paused_only_once_the_pause_is_stored(
    qtbot: QtBot, db: Database, context: AppContext, section: ReminderSection
) -> None:
    qtbot.mouseClick(section.pause_hour, Qt.MouseButton.LeftButton)
    assert section.pause_state.text() == ""  # not stored yet
    context.ops.wait_for_idle()
    assert get_reminder_settings(db).paused_until is not None
    assert section.pause_state.text().startswith("Paused until")


def test_the_morning_digest_needs_a_mail_account_and_says_so(
    qtbot: QtBot, db: Database, context: AppContext, section: ReminderSection
) -> None:
    from afterword.core.mail.accounts import save_mail_account
    from afterword.core.storage.records import MailAccountFields
    from afterword.core.storage.values import MailSecurity

    assert not section.digest.isEnabled()
    assert section.digest_note.isVisible()
    assert "set up your mail account" in section.digest_note.text()

    # The Mail account section saves an account: the digest can be chosen now.
    account = MailAccountFields(
        display_name="Ada", email="ada@fastmail.com", smtp_host="smtp.fastmail.com",
        smtp_port=465, security=MailSecurity.SSL, username="ada@fastmail.com",
    )  # fmt: skip
    context.ops.write(save_mail_account, db, account)
    context.ops.wait_for_idle()
    assert section.digest.isEnabled() and not section.digest_note.isVisible()
    qtbot.mouseClick(section.digest, Qt.MouseButton.LeftButton)
    _saved(qtbot, context, section)
    assert get_reminder_settings(db).digest_at == time(7, 30)


def test_a_digest_chosen_without_an_account_is_flagged_and_can_be_switched_off(
    qtbot: QtBot, db: Database, context: AppContext
) -> None:
    save_reminder_settings(db, ReminderSettings(digest_at=time(7, 30)))
    section = ReminderSection(context)
    qtbot.addWidget(section)
    section.show()
    context.ops.wait_for_idle()

    assert section.digest.isChecked() and section.digest.isEnabled()
    assert section.digest_note.isVisible() and section.digest_note.property("problem") is True
    qtbot.mouseClick(section.digest, Qt.MouseButton.LeftButton)
    _saved(qtbot, context, section)
    assert get_reminder_settings(db).digest_at is None
    assert not section.digest.isEnabled()  # off now, and nothing to send from


def test_a_digest_due_without_an_account_says_why_nothing_was_sent(
    qtbot: QtBot, db: Database, context: AppContext, running: ReminderService
) -> None:
    save_reminder_settings(db, ReminderSettings(digest_at=time(7, 30)))
    running.check()  # it is 10:00: this morning's digest is due
    context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: running.digest_problem != "")

    section = ReminderSection(context)
    qtbot.addWidget(section)
    section.show()
    context.ops.wait_for_idle()
    assert section.digest_note.isVisible()
    assert section.digest_note.text() == running.digest_problem
    assert "no mail account" in section.digest_note.text()
