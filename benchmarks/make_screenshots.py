"""Render the main screens from the demo data into ``docs/screenshots/*.png`` (1280x800).

    .venv/bin/python benchmarks/make_screenshots.py [--out docs/screenshots]

Runs offscreen unless a display is set. The data is the ``--demo`` sample in
a throwaway folder, seen at a fixed moment (Wednesday 11 March 2026, 10:00
Berlin) so the pictures do not change from run to run.

To add a screen, add one :class:`Shot` to :data:`SHOTS`: a file name and a
function that puts the window in the state to show and returns the widget
to grab (the window itself, or a dialog it opened). The composer and the
Outbox come last, from :mod:`benchmarks.mail_screenshots`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from afterword.core.demo import fill_demo  # noqa: E402
from afterword.core.storage.db import open_database  # noqa: E402
from afterword.core.storage.paths import APP_NAME, database_path  # noqa: E402
from afterword.gui.context import AppContext  # noqa: E402
from afterword.gui.main_window import MainWindow  # noqa: E402

SIZE = QSize(1280, 800)
MOMENT = datetime(2026, 3, 11, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@dataclass(frozen=True)
class Shot:
    filename: str
    prepare: Callable[[MainWindow], QWidget]


def _today(window: MainWindow) -> QWidget:
    page = window.show_page("today")
    # Select the first thank-you so its actions (incl. "Write thank-you") show.
    for item in page.checklist.items():  # type: ignore[attr-defined]
        if item.kind == "thank_you":
            page.checklist.select_key(item.key)  # type: ignore[attr-defined]
            break
    return window


def _applications(window: MainWindow) -> QWidget:
    from afterword.core.applications import list_applications

    page = window.show_page("applications")
    first = list_applications(window.context.db, now=window.context.now())[0]
    page.show_application(first.id)  # type: ignore[attr-defined]
    return window


def _interview_form(window: MainWindow) -> QWidget:
    from afterword.core.applications import get_application, list_applications
    from afterword.core.interviews import list_interviews
    from afterword.gui.dialogs.interview_form import InterviewForm

    db = window.context.db
    summary = next(
        a
        for a in list_applications(db, now=window.context.now())
        if a.company == "Northwind Analytics"
    )
    interview = list_interviews(db, summary.id)[0]
    form = InterviewForm(window.context, get_application(db, summary.id), interview, window)
    form.show()
    return form


def _contacts(window: MainWindow) -> QWidget:
    from afterword.core.contacts import list_contacts

    page = window.show_page("contacts")
    noah = next(c for c in list_contacts(window.context.db) if c.name == "Noah Fischer")
    page.show_contact(noah.id)  # type: ignore[attr-defined]
    return window


def _invite_preview(window: MainWindow) -> QWidget:
    from afterword.core.calendar.importing import plan_invite
    from afterword.core.calendar.invites import read_invite_file
    from afterword.gui.dialogs.invite_preview import InvitePreviewDialog

    invite = ROOT / "tests" / "core" / "calendar" / "fixtures" / "outlook_teams_custom_tz.ics"
    plan = plan_invite(
        window.context.db,
        read_invite_file(invite, local_zone="Europe/Berlin"),
        own=["alex.candidate@example.org"],
    )
    dialog = InvitePreviewDialog(window.context, plan, window)
    dialog.show()
    return dialog


def _prep_sheet(window: MainWindow) -> QWidget:
    """Before you go in, for the demo's interview this afternoon, opened from Today."""
    from afterword.core.interviews_today import interviews_to_prepare

    page = window.show_page("today")
    first = interviews_to_prepare(window.context.db, window.context.now())[0]
    dialog = page.open_prep_sheet(first.interview_id)  # type: ignore[attr-defined]
    dialog.resize(760, 800)
    return dialog


def _settings(window: MainWindow) -> QWidget:
    window.show_page("settings")
    return window


def _mail_sign_in(window: MainWindow) -> QWidget:
    """The mail account section for an Outlook.com address: its server, and how to sign in."""
    from PySide6.QtTest import QTest

    from afterword.gui.pages.settings import SettingsPage

    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    section = page.mail_account
    section.email.clear()
    QTest.keyClicks(section.email, "sam.rivera@outlook.com")
    # The provider is looked up once typing rests, then its rows are laid out.
    # A screen paints as that happens, which measures the wrapped text again;
    # offscreen nothing paints until the picture, so paint once here first.
    QTest.qWait(500)
    window.grab()
    QTest.qWait(500)
    section.email.setFocus()
    return window


SHOTS: tuple[Shot, ...] = (
    Shot("today.png", _today),
    Shot("applications.png", _applications),
    Shot("interview-form.png", _interview_form),
    Shot("before-you-go-in.png", _prep_sheet),
    Shot("contacts.png", _contacts),
    Shot("settings.png", _settings),
    Shot("invite-preview.png", _invite_preview),
    Shot("mail-sign-in.png", _mail_sign_in),
)


def _settle(app: QApplication, window: MainWindow) -> None:
    """Let background loads finish and the screen repaint."""
    for _ in range(3):
        window.context.ops.wait_for_idle()
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    with tempfile.TemporaryDirectory(prefix="afterword-screens-") as folder:
        data = Path(folder)
        db = open_database(database_path(data))
        fill_demo(db, MOMENT)
        context = AppContext.create(db, data, clock=lambda: MOMENT)
        window = MainWindow(context, start_page="today")
        window.resize(SIZE)
        window.show()
        _settle(app, window)
        for shot in SHOTS:
            widget = shot.prepare(window)
            _settle(app, window)
            target = args.out / shot.filename
            widget.grab().save(str(target))
            if widget is not window:
                widget.close()  # a dialog opened for the picture
            print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        # Last: it sends some of the demo's thank-yous to a local test server.
        from benchmarks.mail_screenshots import render_mail_screenshots

        for target in render_mail_screenshots(context, args.out):
            print(f"wrote {target}")
        window.hide()
        db.close()
    print(f"wrote {_first_run(app, args.out)}")
    return 0


def _first_run(app: QApplication, out: Path) -> Path:
    """Today as a new user first sees it: an empty database, the welcome text."""
    with tempfile.TemporaryDirectory(prefix="afterword-first-run-") as folder:
        data = Path(folder)
        db = open_database(database_path(data))
        context = AppContext.create(db, data, clock=lambda: MOMENT)
        window = MainWindow(context, start_page="today")
        window.resize(SIZE)
        window.show()
        _settle(app, window)
        target = out / "today-first-run.png"
        window.grab().save(str(target))
        window.hide()
        db.close()
    return target


if __name__ == "__main__":
    sys.exit(main())
