"""Settings → Reminders, clicked like a person would, saved to the real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from afterword.core.reminders.settings import NoticeKind, get_reminder_settings
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
