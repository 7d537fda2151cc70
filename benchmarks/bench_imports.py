"""Time getting data in: an invite read, matched and previewed; a 5,000-row CSV imported.

    .venv/bin/python -m benchmarks.bench_imports

Targets (issue 12): importing an invite and showing its preview under 100 ms;
a 5,000-row CSV imported (read, checked, written) under 5 s. Each figure is
printed next to a baseline measured in the same run on the same machine:
icalendar's bare parse plus an empty dialog shown, and Python's csv module
reading the same file. The first invite (which imports icalendar and the
dialog's modules) is reported separately from the warm median. The database
is a real file holding 1,000 applications and 2,000 contacts, so matching
and duplicate detection have something to look through.
"""

from __future__ import annotations

import csv
import io
import os
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout

from afterword.core.storage.db import Database, open_database
from afterword.core.storage.models import Application, Contact
from afterword.core.storage.values import ApplicationStatus

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "core" / "calendar" / "fixtures"
INVITES = ("outlook_teams_custom_tz.ics", "google_meet.ics", "teams_windows_zone.ics")
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
REPEAT = 15


def _filled_database(folder: Path) -> Database:
    db = open_database(folder / "bench.sqlite3")
    rng = random.Random(12)
    with db.session() as session:
        for number in range(1000):
            session.add(
                Application(
                    company=f"Company {number}",
                    role=rng.choice(["Engineer", "Analyst", "Designer"]),
                    status=ApplicationStatus.APPLIED,
                    created_at=NOW - timedelta(days=number % 90),
                    updated_at=NOW - timedelta(days=number % 90),
                )
            )
        for number in range(2000):
            session.add(
                Contact(
                    name=f"Person {number}",
                    email=f"p{number}@c{number % 1000}.example",
                    created_at=NOW,
                )
            )
    return db


def _ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:7.1f} ms, max {max(seconds) * 1000:7.1f} ms"


def bench_invites(app: QApplication, db: Database, folder: Path) -> None:
    from afterword.gui.context import AppContext

    context = AppContext.create(db, folder, clock=lambda: NOW)

    def import_and_preview(name: str) -> float:
        started = time.perf_counter()
        from afterword.core.calendar.importing import plan_invite
        from afterword.core.calendar.invites import read_invite_file
        from afterword.gui.dialogs.invite_preview import InvitePreviewDialog

        plan = plan_invite(db, read_invite_file(FIXTURES / name, local_zone="Europe/Berlin"))
        dialog = InvitePreviewDialog(context, plan)
        dialog.show()
        app.processEvents()
        elapsed = time.perf_counter() - started
        dialog.close()
        dialog.deleteLater()
        app.processEvents()
        return elapsed

    def baseline(name: str) -> float:
        from icalendar import Calendar

        started = time.perf_counter()
        Calendar.from_ical((FIXTURES / name).read_bytes())
        dialog = QDialog()
        QVBoxLayout(dialog).addWidget(QLabel("baseline"))
        dialog.show()
        app.processEvents()
        elapsed = time.perf_counter() - started
        dialog.close()
        dialog.deleteLater()
        return elapsed

    first = import_and_preview(INVITES[0])
    print(f"invite: first import + preview (loads icalendar):   {first * 1000:7.1f} ms")
    for name in INVITES:
        runs = [import_and_preview(name) for _ in range(REPEAT)]
        base = [baseline(name) for _ in range(REPEAT)]
        print(f"invite {name:30} {_ms(runs)}  (target < 100 ms)")
        print(f"  baseline: bare parse + empty dialog    {_ms(base)}")


def _csv_bytes(rows: int) -> bytes:
    rng = random.Random(5)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Company", "Position", "Status", "Date Applied", "Location", "Notes", "Link"])
    for number in range(rows):
        writer.writerow(
            [
                f"Firm {number}",
                rng.choice(["Engineer", "Analyst", "Designer"]),
                rng.choice(["Applied", "Interviewing", "Rejected", "Offer"]),
                f"{rng.randint(1, 28):02}.{rng.randint(1, 12):02}.2026",
                "Berlin",
                "Line one\nline two" if number % 10 == 0 else "",
                f"https://jobs.example/{number}",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def bench_csv(db: Database) -> None:
    from afterword.core.imports.spreadsheet import (
        DateOrder,
        check_import,
        guess_mapping,
        read_table,
        run_import,
        undo_import,
    )

    data = _csv_bytes(5000)
    started = time.perf_counter()
    list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    base = time.perf_counter() - started
    times = []
    for _ in range(3):
        started = time.perf_counter()
        table = read_table(data)
        check = check_import(db, table, guess_mapping(table.headers), DateOrder.DMY)
        result = run_import(db, check, now=NOW)
        times.append(time.perf_counter() - started)
        assert len(result.application_ids) == 5000, check.problems
        undo_import(db, result)
    print(
        f"csv: 5,000 rows read, checked, written   median {statistics.median(times):6.2f} s, "
        f"max {max(times):6.2f} s  (target < 5 s)"
    )
    print(f"  baseline: csv module reading the file  {base * 1000:7.1f} ms")


def main() -> None:
    # Real widgets, offscreen unless the person asked for a platform.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = _filled_database(folder)
        try:
            bench_invites(app, db, folder)  # type: ignore[arg-type]
            bench_csv(db)
        finally:
            db.close()


if __name__ == "__main__":
    main()
