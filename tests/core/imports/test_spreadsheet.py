"""Applications from real-shaped spreadsheets: Excel (BOM, semicolons), Huntr, Teal."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from afterword.core.applications import create_application, list_applications
from afterword.core.errors import ValidationError
from afterword.core.imports.spreadsheet import (
    Column,
    DateOrder,
    SpreadsheetError,
    Table,
    check_import,
    guess_mapping,
    parse_date,
    read_table,
    run_import,
    undo_import,
)
from afterword.core.imports.status_words import read_status
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application
from afterword.core.storage.records import ApplicationFields
from afterword.core.storage.values import ApplicationStatus
from tests.core.storage.helpers import row_counts

FIXTURES = Path(__file__).parent / "fixtures"


def _table(name: str) -> Table:
    return read_table((FIXTURES / name).read_bytes())


def test_an_excel_file_with_bom_semicolons_and_quoted_newlines(db: Database, now: datetime) -> None:
    table = _table("german_excel.csv")
    assert table.delimiter == ";"
    assert table.headers[0] == "Company"  # the BOM is not part of the name
    mapping = guess_mapping(table.headers)
    assert mapping[Column.ROLE] == 1 and mapping[Column.POSTING_URL] == 6
    check = check_import(db, table, mapping, DateOrder.DMY)
    by_line = {r.line: r for r in check.rows}
    assert by_line[2].values is not None
    assert by_line[2].values.notes == "Spoke to Anna;\nshe liked the portfolio"
    assert by_line[2].values.status == ApplicationStatus.INTERVIEWING
    assert by_line[2].applied_on == date(2026, 3, 5)
    assert by_line[3].values is not None and by_line[3].values.status == ApplicationStatus.REJECTED
    assert "Company" in by_line[4].problem
    assert "31.02.2026" in by_line[5].problem
    assert by_line[6].duplicate
    assert (check.to_import, check.duplicates, check.problems) == (2, 1, 2)


def test_the_dry_run_writes_nothing_and_the_import_writes_the_good_rows(
    db: Database, now: datetime
) -> None:
    table = _table("german_excel.csv")
    counts = row_counts(db)
    check = check_import(db, table, guess_mapping(table.headers), DateOrder.DMY)
    assert row_counts(db) == counts
    seen: list[tuple[int, int]] = []
    result = run_import(db, check, now=now, progress=lambda done, total: seen.append((done, total)))
    assert len(result.application_ids) == 2 and result.skipped == 3
    assert seen[-1] == (2, 2)
    with db.reading() as session:
        row = session.get(Application, result.application_ids[0])
        assert row is not None
        assert (row.company, row.location) == ("Müller & Söhne GmbH", "Berlin")
        assert row.created_at.date() == date(2026, 3, 5)
    # Importing the same file again finds every row a duplicate.
    again = check_import(db, table, guess_mapping(table.headers), DateOrder.DMY)
    assert again.to_import == 0 and again.duplicates == 3


def test_one_undo_removes_the_whole_import(db: Database, now: datetime) -> None:
    mine = create_application(db, ApplicationFields(company="Kept", role="Mine"), now=now)
    table = _table("huntr_export.csv")
    check = check_import(db, table, guess_mapping(table.headers), DateOrder.MDY)
    result = run_import(db, check, now=now)
    assert len(list_applications(db, now=now)) == 4
    assert undo_import(db, result) == 3
    assert [a.id for a in list_applications(db, now=now)] == [mine.id]


def test_huntr_columns_and_us_dates(db: Database, now: datetime) -> None:
    table = _table("huntr_export.csv")
    mapping = guess_mapping(table.headers)
    assert {Column.COMPANY, Column.ROLE, Column.POSTING_URL, Column.STATUS, Column.SALARY} <= set(
        mapping
    )
    check = check_import(db, table, mapping, DateOrder.MDY)
    first, _second, third = check.rows
    assert first.applied_on == date(2026, 3, 5)
    assert first.extras["salary"] == "$150,000 - $180,000"
    assert first.extras["location"] == "New York, NY"
    assert third.values is not None and third.values.status == ApplicationStatus.OFFER
    assert third.applied_on == date(2026, 2, 20)


def test_teal_columns_with_a_salary_range(db: Database, now: datetime) -> None:
    table = _table("teal_export.csv")
    check = check_import(db, table, guess_mapping(table.headers), DateOrder.YMD)
    assert check.rows[0].extras["salary"] == "50000 – 60000"
    assert check.rows[0].applied_on == date(2026, 3, 2)
    assert check.to_import == 2


def test_without_company_and_role_columns_nothing_is_checked(db: Database) -> None:
    table = read_table(b"Name,Email\nAna,ana@example.org\n")
    with pytest.raises(ValidationError, match="company and the role"):
        check_import(db, table, guess_mapping(table.headers), DateOrder.DMY)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Company,Role\n", "no rows"),
        (b"\x00\x01\x02PK binary", "binary"),
        (b"x" * (20 * 1024 * 1024 + 1), "over 20 MB"),
    ],
)
def test_unreadable_files_are_explained(data: bytes, message: str) -> None:
    with pytest.raises(SpreadsheetError, match=message):
        read_table(data)


def test_dates_in_each_order_and_with_month_names() -> None:
    assert parse_date("03/04/2026", DateOrder.MDY) == date(2026, 3, 4)
    assert parse_date("03/04/2026", DateOrder.DMY) == date(2026, 4, 3)
    assert parse_date("2026-03-04T10:00:00Z", DateOrder.DMY) == date(2026, 3, 4)
    assert parse_date("4 Mar 26", DateOrder.DMY) is None or parse_date(
        "4 March 2026", DateOrder.DMY
    ) == date(2026, 3, 4)
    assert parse_date("March 4, 2026", DateOrder.MDY) == date(2026, 3, 4)
    assert parse_date("", DateOrder.MDY) is None


def test_rows_with_problems_say_what_they_held(db: Database) -> None:
    """The tester's file: each problem row still shows its company and role."""
    table = _table("bad_rows.csv")
    check = check_import(db, table, guess_mapping(table.headers), DateOrder.DMY)
    by_line = {r.line: r for r in check.rows}
    no_company, no_role, bad_link = by_line[3], by_line[4], by_line[5]
    assert "Company" in no_company.problem and no_company.role == "Frontend Engineer"
    assert "Role" in no_role.problem and no_role.company == "Beta AG"
    assert "Posting link" in bad_link.problem
    assert (bad_link.company, bad_link.role) == ("Gamma Ltd", "Data Scientist")
    assert (by_line[6].company, by_line[6].role) == ("Delta Inc", "SRE")


def test_a_line_break_in_a_single_line_cell_becomes_a_space(db: Database) -> None:
    table = _table("bad_rows.csv")
    check = check_import(db, table, guess_mapping(table.headers), DateOrder.DMY)
    by_line = {r.line: r for r in check.rows}
    role_row, location_row = by_line[11], by_line[12]
    assert role_row.importable and role_row.values is not None
    assert role_row.values.role == "Multi line role"
    assert location_row.importable and location_row.extras["location"] == "Munich Germany"
    # Notes keep their line breaks (the Excel fixture's note has one).
    excel = _table("german_excel.csv")
    kept = check_import(db, excel, guess_mapping(excel.headers), DateOrder.DMY).rows[0]
    assert kept.values is not None and "\n" in kept.values.notes


def test_a_status_is_matched_as_a_whole_phrase(db: Database) -> None:
    table = _table("bad_rows.csv")
    check = check_import(db, table, guess_mapping(table.headers), DateOrder.DMY)
    eta = next(r for r in check.rows if r.company == "Eta")
    assert eta.values is not None and eta.values.status == ApplicationStatus.APPLIED
    assert "No offer yet" in eta.note and "Applied" in eta.note
    acme = next(r for r in check.rows if r.line == 2)
    assert acme.values is not None and acme.values.status == ApplicationStatus.APPLIED
    assert acme.note == ""


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("No offer yet", None),
        ("not rejected", None),
        ("Wishlist", None),
        ("Offer", ApplicationStatus.OFFER),
        ("OFFER ", ApplicationStatus.OFFER),
        ("Negotiating", ApplicationStatus.OFFER),
        ("Interview", ApplicationStatus.INTERVIEWING),
        ("phone-screen", ApplicationStatus.INTERVIEWING),
        ("I Withdrew", ApplicationStatus.WITHDRAWN),
        ("Not Selected", ApplicationStatus.REJECTED),
        ("accepted", ApplicationStatus.ACCEPTED),
        ("No Response", ApplicationStatus.APPLIED),
    ],
)
def test_status_words(text: str, status: ApplicationStatus | None) -> None:
    assert read_status(text) == status
