"""The CSV export reads right in a spreadsheet: times with their offset, the person's
tables only (the app's bookkeeping stays in the JSON export)."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from afterword.core.checklist.service import make_kept
from afterword.core.exports.tables import CSV_TABLES, csv_files, export_csv, export_json
from afterword.core.interviews import save_interview
from afterword.core.storage.db import Database
from afterword.core.storage.records import InterviewFields
from tests.core.storage.helpers import application, interview

BERLIN = ZoneInfo("Europe/Berlin")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_times_carry_their_utc_offset_and_an_interview_its_own_zone(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    job = application(db, now, company="Brightline")
    interview(db, now, job.id, starts_in=timedelta(hours=4))  # 14:00 in Berlin
    new_york = InterviewFields(
        application_id=job.id,
        starts_at=datetime(2026, 3, 20, 9, 30, tzinfo=ZoneInfo("America/New_York")),
        timezone="America/New_York",
        round_name="Panel",
    )
    save_interview(db, new_york, [], now=now)
    export_csv(db, tmp_path, zone=BERLIN)

    starts = [row["starts_at"] for row in _rows(tmp_path / "interviews.csv")]
    assert starts == ["2026-03-11T14:00:00+01:00", "2026-03-20T09:30:00-04:00"]
    [row] = _rows(tmp_path / "applications.csv")
    assert row["created_at"] == "2026-03-11T10:00:00+01:00"  # the export's zone
    assert row["decided_at"] == ""  # no time: left empty
    # Read back, each is the moment that was stored.
    assert datetime.fromisoformat(starts[0]) == now + timedelta(hours=4)


def test_the_apps_bookkeeping_is_left_out_of_the_csv_but_not_the_json(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    job = application(db, now)
    interview(db, now, job.id)
    make_kept(db, now)  # fills the kept checklist items and their bookkeeping
    written = export_csv(db, tmp_path / "csv", zone=BERLIN)
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in csv_files(tmp_path / "csv"))
    assert names == sorted(p.name for p in (tmp_path / "csv").iterdir())
    for internal in (
        "checklist_items",
        "checklist_kept",
        "checklist_changes",
        "calendar_sequences",
        "reminder_log",
        "alembic_version",
    ):
        assert f"{internal}.csv" not in names
    assert {"applications", "interviews", "contacts", "checklist_states"} <= set(CSV_TABLES)
    tables = json.loads(export_json(db, tmp_path / "all.json", now=now).read_text())["tables"]
    assert tables["checklist_kept"]["rows"]  # everything, for a restore into Afterword
