"""Desktop notifications end to end on a real session bus, with the clock passed in.

The notification daemon is python-dbusmock's ``notification_daemon``
template, started by each test on the private bus ``./dev test`` provides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from afterword.core.reminders.planning import Action, Notice
from afterword.core.reminders.service import look
from afterword.core.reminders.settings import NoticeKind, ReminderSettings, save_reminder_settings
from afterword.core.storage.db import Database
from afterword.core.storage.records import ApplicationRecord, InterviewRecord
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer import ComposerDialog
from afterword.gui.main_window import MainWindow
from afterword.gui.reminders.notifier import DesktopNotifier
from afterword.gui.reminders.service import ReminderService
from tests.gui.conftest import Clock
from tests.gui.reminders.conftest import notify_calls


@pytest.fixture
def notifier(qapp: QApplication) -> Iterator[DesktopNotifier]:
    shown = DesktopNotifier()
    yield shown
    shown.stop()


def test_notify_carries_summary_body_and_actions(
    notification_daemon: Any, notifier: DesktopNotifier, qtbot: QtBot
) -> None:
    assert notifier.start(), notifier.problem
    assert notifier.problem == ""
    notice = Notice(
        summary="Send your thank-you notes to Dana Lee",
        body="A short note within a day makes a difference.",
        log_keys=("x",),
        kind=NoticeKind.AFTER_INTERVIEW,
        actions=(Action.WRITE_THANK_YOU, Action.SNOOZE_DAY, Action.DONE),
        interview_id=7,
    )
    assert notifier.show(notice)
    [call] = notify_calls(notification_daemon)
    app_name, replaces, icon, summary, body, actions, hints, timeout = call
    assert (app_name, replaces, icon) == ("Afterword", 0, "io.github.afterword.Afterword")
    assert summary == "Send your thank-you notes to Dana Lee"
    assert body == "A short note within a day makes a difference."
    assert actions == [
        "default", "Open",
        "write_thank_you", "Write thank-you",
        "snooze_1_day", "Snooze 1 day",
        "done", "Done",
    ]  # fmt: skip
    assert hints["desktop-entry"] == "io.github.afterword.Afterword"
    assert timeout == -1

    with qtbot.waitSignal(notifier.invoked, timeout=5000) as invoked:
        notification_daemon.EmitSignal(
            "org.freedesktop.Notifications", "ActionInvoked", "us", [1, "snooze_1_day"]
        )
    assert invoked.args == [notice, Action.SNOOZE_DAY]
    # Clicking the notification itself opens it.
    with qtbot.waitSignal(notifier.invoked, timeout=5000) as clicked:
        notification_daemon.EmitSignal(
            "org.freedesktop.Notifications", "ActionInvoked", "us", [1, "default"]
        )
    assert clicked.args == [notice, Action.OPEN]


def test_a_notification_offers_open_once_by_clicking_it_not_as_a_second_button(
    notification_daemon: Any,
    notifier: DesktopNotifier,
    qtbot: QtBot,
    db: Database,
    clock: Clock,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
) -> None:
    """The real thank-you notice (its actions include Open) as the daemon receives it."""
    save_reminder_settings(db, ReminderSettings(quiet_start=None, quiet_end=None))
    app = add_application(company="Brightline")
    starts = clock.current.replace(hour=14)
    add_interview(app.id, starts, people=[("Dana Lee", "d@x.example"), ("Marcus O", "m@x.example")])
    [notice] = look(db, starts + timedelta(hours=2, minutes=5)).plan.notices
    assert Action.OPEN in notice.actions
    assert notifier.start(), notifier.problem

    assert notifier.show(notice)

    [call] = notify_calls(notification_daemon)
    actions = call[5]
    keys, labels = actions[::2], actions[1::2]
    assert keys == ["default", "write_thank_you", "snooze_1_day", "done"]
    assert labels.count("Open") == 1
    with qtbot.waitSignal(notifier.invoked, timeout=5000) as clicked:
        notification_daemon.EmitSignal(
            "org.freedesktop.Notifications", "ActionInvoked", "us", [1, "default"]
        )
    assert clicked.args == [notice, Action.OPEN]


def test_without_a_notification_service_settings_can_say_why(notifier: DesktopNotifier) -> None:
    assert not notifier.start()
    assert notifier.problem.startswith("Desktop notifications are unavailable: no notification")
    assert not notifier.show(Notice(summary="s", body="b", log_keys=()))


def test_without_a_session_bus_settings_can_say_why(
    notifier: DesktopNotifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    assert not notifier.start()
    assert "there is no session bus" in notifier.problem


@pytest.fixture
def service(
    notification_daemon: Any, context: AppContext, main_window: MainWindow
) -> Iterator[ReminderService]:
    running = ReminderService(context, main_window)
    running.start()
    context.ops.wait_for_idle()
    yield running
    running.stop()


def _wait_for_notify(daemon: Any, qtbot: QtBot, count: int) -> list[list[Any]]:
    qtbot.waitUntil(lambda: len(notify_calls(daemon)) >= count, timeout=5000)
    return notify_calls(daemon)


def test_the_clock_passes_and_the_reminders_arrive_and_the_composer_opens(
    notification_daemon: Any,
    context: AppContext,
    clock: Clock,
    main_window: MainWindow,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    qtbot: QtBot,
) -> None:
    app = add_application(company="Brightline")
    starts = clock.current.replace(hour=14)
    interview = add_interview(
        app.id, starts, people=[("Dana Lee", "dana@x.example"), ("Marcus Oyelaran", "m@x.example")]
    )
    service = ReminderService(context, main_window)
    service.start()
    context.ops.wait_for_idle()
    try:
        assert notify_calls(notification_daemon) == []
        # The next moment is the reminder 30 minutes before 14:00; the one timer is armed
        # for it, but never further ahead than the coarse tick (10 minutes).
        assert service.outlook.plan.next_at == starts - timedelta(minutes=30)  # type: ignore[attr-defined]
        assert service.armed_for == clock.current + timedelta(minutes=10)

        clock.current = starts - timedelta(minutes=30)
        service._on_timer()  # the timer's moment came; the test does not sleep
        [before] = _wait_for_notify(notification_daemon, qtbot, 1)
        assert before[3] == "Interview with Brightline at 14:00"
        assert "Dana Lee and Marcus Oyelaran" in before[4]

        clock.current = starts + timedelta(hours=2)
        service._on_timer()
        after = _wait_for_notify(notification_daemon, qtbot, 2)[1]
        assert after[3] == "Send your thank-you notes to Dana Lee and Marcus Oyelaran"
        assert "write_thank_you" in after[5]

        notification_daemon.EmitSignal(
            "org.freedesktop.Notifications", "ActionInvoked", "us", [2, "write_thank_you"]
        )
        qtbot.waitUntil(
            lambda: any(
                isinstance(w, ComposerDialog) and w.isVisible()
                for w in QApplication.topLevelWidgets()
            ),
            timeout=5000,
        )
        composer = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ComposerDialog))
        assert "Brightline" in composer.windowTitle()
        assert interview.id
        composer.close()
    finally:
        service.stop()


def test_done_from_a_notification_checks_the_item_off(
    notification_daemon: Any,
    context: AppContext,
    clock: Clock,
    main_window: MainWindow,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    qtbot: QtBot,
) -> None:
    from afterword.core.checklist import service as checklist

    app = add_application(company="Brightline")
    add_interview(app.id, clock.current - timedelta(days=3), people=[("Dana Lee", "d@x.example")])
    service = ReminderService(context, main_window)
    service.start()
    try:
        [catch_up] = _wait_for_notify(notification_daemon, qtbot, 1)
        assert catch_up[3] == "2 overdue"  # grouped: the thank-you and asking about next steps
        thank_you = next(
            item for item in checklist.today(context.db, clock.current) if item.kind == "thank_you"
        )
        notice = Notice(
            summary="Overdue: " + thank_you.title,
            body=thank_you.detail,
            log_keys=(),
            actions=(Action.OPEN, Action.SNOOZE_DAY, Action.DONE),
            item_keys=(thank_you.key,),
        )
        assert service.notifier.show(notice)
        notification_daemon.EmitSignal(
            "org.freedesktop.Notifications", "ActionInvoked", "us", [2, "done"]
        )
        qtbot.waitUntil(
            lambda: (
                thank_you.key not in {i.key for i in checklist.today(context.db, clock.current)}
            ),
            timeout=5000,
        )
        [item] = [
            i
            for i in checklist.checklist_for_application(context.db, app.id, clock.current)
            if i.key == thank_you.key
        ]
        assert item.state == "done"
    finally:
        service.stop()


def test_snooze_from_a_notification_hides_the_item_for_a_day(
    notification_daemon: Any,
    context: AppContext,
    clock: Clock,
    main_window: MainWindow,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    qtbot: QtBot,
) -> None:
    from afterword.core.checklist import service as checklist

    app = add_application(company="Brightline")
    add_interview(app.id, clock.current - timedelta(days=3), people=[("Dana Lee", "d@x.example")])
    service = ReminderService(context, main_window)
    service.start()
    try:
        _wait_for_notify(notification_daemon, qtbot, 1)
        key = next(
            i.key for i in checklist.today(context.db, clock.current) if i.kind == "thank_you"
        )
        notice = Notice(summary="s", body="b", log_keys=(), item_keys=(key,))
        assert service.notifier.show(notice)
        notification_daemon.EmitSignal(
            "org.freedesktop.Notifications", "ActionInvoked", "us", [2, "snooze_1_day"]
        )
        qtbot.waitUntil(
            lambda: key not in {i.key for i in checklist.today(context.db, clock.current)},
            timeout=5000,
        )
        back = checklist.today(context.db, clock.current + timedelta(days=1, minutes=1))
        assert key in {i.key for i in back}
    finally:
        service.stop()


def test_a_time_zone_change_gives_the_context_a_clock_in_the_new_zone(
    context: AppContext, main_window: MainWindow
) -> None:
    zones = iter(["Europe/Berlin", "America/New_York"])
    service = ReminderService(context, main_window, zone_probe=lambda: next(zones))
    before = context.clock
    service._on_timer()  # the coarse tick: the zone is now another
    assert context.clock is not before
    assert service.wakeups == 1
    context.ops.wait_for_idle()
    service.stop()


def test_waking_from_sleep_looks_again_at_once(
    qtbot: QtBot, context: AppContext, main_window: MainWindow
) -> None:
    """A mocked logind on the test's session bus: the test has no system bus of its own.

    (dbusmock's logind template needs PyGObject; the bare mock object with
    the Manager interface is all the signal needs.)
    """
    import subprocess

    import dbus
    import dbusmock

    server = dbusmock.DBusTestCase.spawn_server(
        "org.freedesktop.login1",
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
        stdout=subprocess.DEVNULL,
    )
    service = ReminderService(context, main_window)
    try:
        assert service.wake.start("SESSION")
        logind = dbus.Interface(
            dbus.SessionBus().get_object("org.freedesktop.login1", "/org/freedesktop/login1"),
            dbusmock.MOCK_IFACE,
        )
        with qtbot.waitSignal(service.planned, timeout=5000):
            logind.EmitSignal(
                "org.freedesktop.login1.Manager", "PrepareForSleep", "b", [dbus.Boolean(False)]
            )
    finally:
        service.stop()
        server.terminate()
        server.wait()
