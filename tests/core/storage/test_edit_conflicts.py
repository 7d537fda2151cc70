"""Lost updates: an edit made from an older version of a row is refused, not silently applied.

Two windows (or two programs) opened the same application; the first saves;
the second's save, based on what it read before, used to win silently.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from afterword.core.applications import get_application, record_outcome, update_application
from afterword.core.contacts import get_contact, update_contact
from afterword.core.errors import EditConflictError
from afterword.core.interviews import get_interview, save_interview, save_interview_with_application
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.records import ApplicationFields, ContactFields, InterviewFields
from afterword.core.storage.values import ApplicationStatus, InterviewOutcome
from tests.core.storage.helpers import application, contact, interview, raw_rows, row_counts


def test_a_stale_application_edit_is_refused(db: Database, now: datetime) -> None:
    opened = application(db, now)  # both windows read this
    first = update_application(
        db,
        opened.id,
        ApplicationFields(company="Acme", role="Staff Engineer"),
        now=now,
        expected_version=opened.version,
    )
    assert first.version == opened.version + 1
    counts = row_counts(db)
    with pytest.raises(EditConflictError) as refused:
        update_application(
            db,
            opened.id,
            ApplicationFields(company="Acme", role="Engineer", notes="second window"),
            now=now,
            expected_version=opened.version,
        )
    assert "changed elsewhere" in str(refused.value)
    assert "reload" in str(refused.value)
    assert (refused.value.what, refused.value.row_id) == ("application", opened.id)
    assert get_application(db, opened.id) == first  # the first save stands
    assert row_counts(db) == counts


def test_an_edit_from_the_current_version_is_saved(db: Database, now: datetime) -> None:
    opened = application(db, now)
    saved = update_application(
        db,
        opened.id,
        ApplicationFields(company="Acme", role="Lead"),
        now=now,
        expected_version=opened.version,
    )
    again = update_application(
        db,
        opened.id,
        ApplicationFields(company="Acme", role="Principal"),
        now=now,
        expected_version=saved.version,
    )
    assert again.role == "Principal"


def test_two_databases_on_one_file_cannot_lose_an_update(
    db: Database, now: datetime, data_dir: Path
) -> None:
    other_program = open_database(db.path)
    try:
        opened = application(db, now)
        update_application(
            other_program,
            opened.id,
            ApplicationFields(company="Acme", role="Changed elsewhere"),
            now=now,
            expected_version=opened.version,
        )
        with pytest.raises(EditConflictError):
            update_application(
                db,
                opened.id,
                ApplicationFields(company="Acme", role="Mine"),
                now=now,
                expected_version=opened.version,
            )
        assert get_application(db, opened.id).role == "Changed elsewhere"
    finally:
        other_program.close()


def test_an_outcome_recorded_meanwhile_makes_an_open_form_stale(
    db: Database, now: datetime
) -> None:
    opened = application(db, now)
    talk = interview(db, now, opened.id)
    form = get_application(db, opened.id)
    record_outcome(db, talk.id, InterviewOutcome.OFFER, now=now)
    with pytest.raises(EditConflictError):
        update_application(
            db,
            opened.id,
            ApplicationFields(company="Acme", role="Engineer", status=form.status),
            now=now,
            expected_version=form.version,
        )
    assert get_application(db, opened.id).status == ApplicationStatus.OFFER


def test_a_stale_contact_edit_is_refused(db: Database, now: datetime) -> None:
    opened = contact(db, now)
    update_contact(db, opened.id, ContactFields(name="Ada King"), expected_version=opened.version)
    with pytest.raises(EditConflictError, match="contact"):
        update_contact(
            db, opened.id, ContactFields(name="Ada Byron"), expected_version=opened.version
        )
    assert get_contact(db, opened.id).name == "Ada King"


def test_a_stale_interview_edit_is_refused(db: Database, now: datetime) -> None:
    app = application(db, now)
    opened = interview(db, now, app.id)

    def fields(round_name: str) -> InterviewFields:
        return InterviewFields(
            application_id=app.id,
            starts_at=now + timedelta(days=2),
            timezone="Europe/Berlin",
            round_name=round_name,
        )

    save_interview(
        db, fields("Onsite"), [], now=now, interview_id=opened.id, expected_version=opened.version
    )
    with pytest.raises(EditConflictError, match="interview"):
        save_interview(
            db,
            fields("Phone"),
            [],
            now=now,
            interview_id=opened.id,
            expected_version=opened.version,
        )
    assert get_interview(db, opened.id).round_name == "Onsite"


def test_rows_from_before_0008_start_at_version_1(data_dir: Path, now: datetime) -> None:
    path = data_dir / "afterword.sqlite3"
    open_database(path, upgrade_to="0005").close()
    with closing(sqlite3.connect(path)) as raw:
        raw.execute(
            "INSERT INTO applications (company, role, posting_url, status, why_interested,"
            " next_steps, still_interested, notes, created_at, updated_at)"
            " VALUES ('Acme', 'Engineer', '', 'applied', '', '', 1, '',"
            " '2026-03-01 10:00:00', '2026-03-01 10:00:00')"
        )
        raw.commit()
    db = open_database(path)
    try:
        [(row_id,)] = raw_rows(path, "SELECT id FROM applications")
        assert get_application(db, row_id).version == 1
        saved = update_application(
            db, row_id, ApplicationFields(company="Acme", role="Lead"), now=now, expected_version=1
        )
        assert saved.version == 2
    finally:
        db.close()


def test_a_stale_interview_form_writes_nothing_at_all(db: Database, now: datetime) -> None:
    app = application(db, now)
    opened = interview(db, now, app.id)
    values = InterviewFields(
        application_id=app.id, starts_at=now + timedelta(days=2), timezone="Europe/Berlin"
    )
    save_interview(db, values, [], now=now, interview_id=opened.id)  # another window
    counts = row_counts(db)
    with pytest.raises(EditConflictError, match="interview"):
        save_interview_with_application(
            db,
            replace(values, round_name="Mine"),
            [],
            next_steps="Call on Friday",
            decision_expected=None,
            now=now,
            interview_id=opened.id,
            expected_version=opened.version,
        )
    assert get_application(db, app.id).next_steps == ""  # the application was not written
    assert get_interview(db, opened.id).round_name == ""  # as the other window saved it
    assert row_counts(db) == counts
