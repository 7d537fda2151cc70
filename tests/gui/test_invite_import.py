"""Calendar invites in the running window: preview, drag and drop, paste, opening a file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from afterword.core.contacts import list_contacts
from afterword.core.mail.accounts import save_mail_account
from afterword.core.storage.db import Database
from afterword.core.storage.models import Interview
from afterword.core.storage.records import MailAccountFields
from afterword.core.storage.values import MailSecurity
from afterword.gui import crash
from afterword.gui.app import parse_args
from afterword.gui.context import AppContext
from afterword.gui.dialogs.invite_preview import InvitePreviewDialog
from afterword.gui.main_window import MainWindow
from afterword.gui.single_instance import Outcome, SingleInstance
from tests.core.calendar.helpers import FIXTURES, OWN
from tests.core.storage.helpers import row_counts
from tests.gui.helpers import ROOT, type_into


@pytest.fixture(autouse=True)
def _own_mail_account(db: Database) -> None:
    """The person's own address, which every invite to them lists."""
    save_mail_account(
        db,
        MailAccountFields(
            display_name="Alex Candidate",
            email=OWN,
            smtp_host="smtp.example.org",
            smtp_port=587,
            security=MailSecurity.STARTTLS,
            username=OWN,
        ),
    )


def _preview(qtbot: QtBot, window: MainWindow) -> InvitePreviewDialog:
    qtbot.waitUntil(lambda: window.findChild(InvitePreviewDialog) is not None, timeout=10_000)
    dialog = window.findChild(InvitePreviewDialog)
    assert isinstance(dialog, InvitePreviewDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _interviews(db: Database) -> list[tuple[str, int, bool]]:
    with db.reading() as session:
        return [
            (row.ical_uid, row.ical_sequence, row.cancelled)
            for row in session.query(Interview).order_by(Interview.id)
        ]


def _drop(window: MainWindow, mime: QMimeData) -> bool:
    point = QPoint(200, 200)
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        point.toPointF(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        point.toPointF(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, drop)
    return True


def test_a_dropped_invite_is_previewed_edited_and_saved(
    qtbot: QtBot, main_window: MainWindow, context: AppContext, db: Database
) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(FIXTURES / "google_meet.ics"))])
    assert _drop(main_window, mime)
    dialog = _preview(qtbot, main_window)
    assert dialog.headline.text().startswith("New interview from")
    assert dialog.company.text() == "Northwind" and dialog.role.text() == "Backend Engineer"
    assert dialog.zone.currentText() == "America/New_York"
    assert dialog.video_link.text() == "https://meet.google.com/abc-defg-hij"
    assert dialog.service.text() == "Google Meet"
    assert dialog.people.rowCount() == 2  # the person's own address is left out
    assert dialog.people.item(0, 3).text() == "Recruiter (organizer)"
    # Every field can be changed before saving: the role, and leave Marcus out.
    type_into(qtbot, dialog.role, "Senior Backend Engineer")
    dialog.people.item(1, 0).setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    record = saved.args[0]
    assert record.role == "Senior Backend Engineer"
    assert [p.contact_name for p in record.participants] == ["Priya Raman"]
    assert _interviews(db) == [("7kq1v2d3e4f5g6h7j8k9l0@google.com", 0, False)]


def test_an_update_then_a_cancellation_change_the_same_interview(
    qtbot: QtBot, main_window: MainWindow, db: Database
) -> None:
    for name, button_text in (
        ("outlook_teams_custom_tz.ics", "Save interview"),
        ("outlook_teams_update.ics", "Save interview"),
        ("outlook_teams_cancel.ics", "Mark as cancelled"),
    ):
        main_window.open_file(FIXTURES / name)
        dialog = _preview(qtbot, main_window)
        assert dialog.save_button.text() == button_text
        if name == "outlook_teams_update.ics":
            assert "moves from Tue 24 Mar 10:30 to Wed 25 Mar 14:00" in dialog.headline.text()
        with qtbot.waitSignal(dialog.saved, timeout=10_000):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: main_window.findChild(InvitePreviewDialog) is None)
    uid = _interviews(db)[0][0]
    assert _interviews(db) == [(uid, 2, True)]
    assert len(list_contacts(db)) == 2
    # The application's detail says so.
    with db.reading() as session:
        application_id = session.query(Interview.application_id).scalar()
    main_window.open_application(application_id)
    detail = main_window.pages["applications"].detail
    qtbot.waitUntil(lambda: detail.interview_list.count() == 1, timeout=10_000)
    qtbot.waitUntil(
        lambda: detail.interview_list.item(0).text().startswith("Cancelled"), timeout=10_000
    )


def test_pasted_invite_text_opens_the_preview(qtbot: QtBot, main_window: MainWindow) -> None:
    QApplication.clipboard().setText((FIXTURES / "zoom_utc.ics").read_text())
    main_window.nav.setFocus()
    qtbot.keyClick(main_window.nav, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    dialog = _preview(qtbot, main_window)
    assert dialog.zone.currentText() == "Europe/Berlin"
    assert dialog.starts.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-03-20 17:00"
    assert dialog.duration.value() == 30


def test_a_floating_invite_asks_for_the_zone(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.open_file(FIXTURES / "webex_floating.ics")
    dialog = _preview(qtbot, main_window)
    assert "choose the zone" in dialog.notice.text()
    assert dialog.notice.isVisible()


def test_a_bad_file_is_explained_and_nothing_is_written(
    qtbot: QtBot, main_window: MainWindow, db: Database, tmp_path: Path
) -> None:
    counts = row_counts(db)
    big = tmp_path / "huge.ics"
    big.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X" * (5 * 1024 * 1024 + 10))
    for path, words in (
        (FIXTURES / "no_attendees.ics", "no organizer and no attendees"),
        (FIXTURES / "unknown_zone.ics", "Mars/Olympus_Mons"),
        (big, "over 5 MB"),
    ):
        main_window.open_file(path)
        qtbot.waitUntil(lambda: bool(crash.open_dialogs()), timeout=10_000)
        box = crash.open_dialogs()[-1]
        assert words in box.text()
        box.close()
        qtbot.waitUntil(lambda: not crash.open_dialogs())
    assert main_window.findChild(InvitePreviewDialog) is None
    assert row_counts(db) == counts


def test_a_drop_of_something_else_is_refused(main_window: MainWindow) -> None:
    mime = QMimeData()
    mime.setText("just some text")
    assert not _drop(main_window, mime)


def test_the_command_line_takes_calendar_files_and_keeps_qt_flags() -> None:
    args, qt_args = parse_args(["-platform", "offscreen", "/tmp/invite.ics"])
    assert args.files == [Path("/tmp/invite.ics")]
    assert qt_args == ["-platform", "offscreen"]


def test_a_second_launch_with_a_file_hands_it_to_the_running_window(
    qtbot: QtBot, data_dir: Path, main_window: MainWindow
) -> None:
    first = SingleInstance(data_dir)
    assert first.claim().outcome == Outcome.PRIMARY
    assert first.listen()
    first.open_requested.connect(main_window.open_file)
    try:
        second = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "afterword.gui.app",
                "--data-dir",
                str(data_dir),
                str(FIXTURES / "zoom_utc.ics"),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with qtbot.waitSignal(first.open_requested, timeout=30_000) as opened:
            pass
        assert opened.args == [FIXTURES / "zoom_utc.ics"]
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)
        assert second.returncode == 0, second.stderr.read() if second.stderr else ""
        dialog = _preview(qtbot, main_window)
        assert "Tailspin" in dialog.headline.text()
    finally:
        first.release()


def test_a_file_opened_at_start_up_waits_for_the_database(
    qtbot: QtBot, db: Database, data_dir: Path, clock: object
) -> None:
    """``afterword FILE.ics``: the window is up before the database is open."""
    context = AppContext.create(None, data_dir, clock=clock)  # type: ignore[arg-type]
    window = MainWindow(context, start_page="today")
    qtbot.addWidget(window)
    window.show()
    window.open_file(FIXTURES / "teams_windows_zone.ics")
    assert window.findChild(InvitePreviewDialog) is None
    context.attach_database(db)
    window.database_ready()
    dialog = _preview(qtbot, window)
    assert "Fabrikam" in dialog.headline.text()
    assert dialog.zone.currentText() == "Europe/London"
    context.ops.wait_for_idle()


def test_the_desktop_entry_opens_calendar_files() -> None:
    from afterword.core.storage.paths import APP_ID, resource

    entry = resource("linux", f"{APP_ID}.desktop").read_text()
    assert "MimeType=text/calendar;" in entry.splitlines()
    assert "Exec=afterword %f" in entry.splitlines()


def test_the_import_menu_opens_each_dialog(qtbot: QtBot, main_window: MainWindow) -> None:
    from PySide6.QtWidgets import QMenu, QToolButton

    from afterword.gui.dialogs.calendar_feed import FeedDialog
    from afterword.gui.dialogs.csv_import import CsvImportDialog
    from afterword.gui.dialogs.posting import PostingDialog

    button = main_window.findChild(QToolButton, None)
    menus = [m for m in main_window.findChildren(QMenu) if m.objectName() == "import_menu"]
    assert button is not None and len(menus) == 1
    actions = {a.text().split("\t")[0]: a for a in menus[0].actions() if a.text()}
    assert list(actions) == [
        "Import calendar invite…",
        "Import applications from a spreadsheet (CSV)…",
        "Save a job from its posting…",
        "Calendar feed…",
    ]
    for text, kind in (
        ("Import applications from a spreadsheet (CSV)…", CsvImportDialog),
        ("Save a job from its posting…", PostingDialog),
        ("Calendar feed…", FeedDialog),
    ):
        actions[text].trigger()
        qtbot.waitUntil(lambda kind=kind: main_window.findChild(kind) is not None)
        dialog = main_window.findChild(kind)
        dialog.close()
        qtbot.waitUntil(lambda kind=kind: main_window.findChild(kind) is None)
