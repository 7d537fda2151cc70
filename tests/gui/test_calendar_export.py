"""Calendar export in the running window: "Add to calendar" and the feed kept current."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from icalendar import Calendar
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.calendar.export import interview_uid
from afterword.core.interviews import save_interview
from afterword.core.storage.records import InterviewFields
from afterword.gui.calendar_export import save_interview_calendar
from afterword.gui.context import AppContext
from afterword.gui.dialogs.calendar_feed import FeedDialog
from afterword.gui.main_window import MainWindow


def _uids(path: Path) -> set[str]:
    return {str(e["UID"]) for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def test_add_to_calendar_writes_the_interview_and_says_where(
    qtbot: QtBot,
    main_window: MainWindow,
    context: AppContext,
    add_application,
    add_interview,
    now,
    tmp_path: Path,
) -> None:
    application = add_application()
    interview = add_interview(
        application.id, now + timedelta(days=2), people=[("Ana Ruiz", "ana@acme.example")]
    )
    target = tmp_path / "interview.ics"
    save_interview_calendar(context, interview.id, target, main_window)
    qtbot.waitUntil(lambda: main_window.findChild(QMessageBox) is not None, timeout=10_000)
    box = main_window.findChild(QMessageBox)
    assert "interview.ics" in box.text()
    box.close()
    event = Calendar.from_ical(target.read_bytes()).walk("VEVENT")[0]
    assert str(event["UID"]) == interview_uid(interview.id)
    assert event.walk("VALARM"), "the file carries a reminder"


def test_the_feed_follows_changes_once_chosen(
    qtbot: QtBot,
    main_window: MainWindow,
    context: AppContext,
    add_application,
    add_interview,
    now,
    tmp_path: Path,
) -> None:
    application = add_application()
    first = add_interview(application.id, now + timedelta(days=2))
    feed = tmp_path / "afterword.ics"
    dialog = FeedDialog(context, main_window)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.set_path(feed)
    qtbot.waitUntil(lambda: "afterword.ics" in dialog.where.text(), timeout=10_000)
    assert _uids(feed) >= {interview_uid(first.id)}
    qtbot.waitUntil(lambda: main_window.feed_keeper.path == feed, timeout=10_000)
    # A change made in the app: the feed is rewritten a moment later.
    values = InterviewFields(
        application_id=application.id, starts_at=now + timedelta(days=5), timezone="Europe/Berlin"
    )
    added: list[int] = []
    context.ops.write(
        save_interview, context.db, values, [], now=now, on_success=lambda r: added.append(r.id)
    )
    qtbot.waitUntil(lambda: bool(added), timeout=10_000)
    qtbot.waitUntil(lambda: interview_uid(added[0]) in _uids(feed), timeout=10_000)
    # Stopped: later changes leave the file alone.
    dialog.set_path(None)
    qtbot.waitUntil(lambda: main_window.feed_keeper.path is None, timeout=10_000)
    assert not dialog.stop.isEnabled()


def test_a_feed_in_a_folder_that_cannot_be_written_is_refused_and_not_kept(
    qtbot: QtBot, main_window: MainWindow, context: AppContext, tmp_path: Path
) -> None:
    from afterword.gui import crash

    blocker = tmp_path / "file"
    blocker.write_text("x")
    dialog = FeedDialog(context, main_window)
    qtbot.addWidget(dialog)
    dialog.set_path(blocker / "feed.ics")
    qtbot.waitUntil(lambda: bool(crash.open_dialogs()), timeout=10_000)
    assert "existing folder" in crash.open_dialogs()[-1].text()
    assert dialog.path is None
