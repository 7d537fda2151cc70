"""Applications from a spreadsheet (CSV): read, map columns, check, import, undo.

The steps, each a plain function so the dialog can show every one:

1. :func:`read_table` decodes the file (UTF-8 with or without BOM, else
   Windows-1252), finds the delimiter (comma, semicolon, tab) and reads
   rows, quoted newlines included.
2. :func:`guess_mapping` maps its columns to Afterword's fields by their
   names, including the exports of Huntr and Teal (see :data:`ALIASES`).
3. :func:`check_import` is the dry run: every row is validated, dates are
   read in the person's order (day-month-year or month-day-year), and rows
   that repeat an application (same company and role, or the same posting
   link) are marked as duplicates. A status is read as a whole phrase (see
   :mod:`afterword.core.imports.status_words`); one it does not know keeps
   Applied with a note. Line breaks in single-line fields become spaces.
   Nothing is written.
4. :func:`run_import` writes the good rows in one transaction;
   :func:`undo_import` deletes them again (one undo for the whole import).
"""

from __future__ import annotations

import csv
import enum
import io
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from sqlalchemy import select

from afterword.core.applications import validate_application
from afterword.core.errors import AfterwordError, ValidationError
from afterword.core.imports.status_words import plain_words, read_status
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application
from afterword.core.storage.records import ApplicationFields
from afterword.core.storage.text import fold
from afterword.core.storage.validation import long_text, single_line
from afterword.core.storage.values import DECIDED_STATUSES, ApplicationStatus

logger = logging.getLogger(__name__)

MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000


class SpreadsheetError(AfterwordError):
    """A spreadsheet that cannot be read; the message says why."""


class Column(enum.StrEnum):
    """The fields a spreadsheet column can fill."""

    COMPANY = "company"
    ROLE = "role"
    POSTING_URL = "posting_url"
    STATUS = "status"
    DATE_APPLIED = "date_applied"
    LOCATION = "location"
    SALARY = "salary"
    SALARY_MIN = "salary_min"
    SALARY_MAX = "salary_max"
    DATE_POSTED = "date_posted"
    DESCRIPTION = "description"
    NOTES = "notes"


COLUMN_LABELS: dict[Column, str] = {
    Column.COMPANY: "Company",
    Column.ROLE: "Role",
    Column.POSTING_URL: "Posting link",
    Column.STATUS: "Status",
    Column.DATE_APPLIED: "Date applied",
    Column.LOCATION: "Location",
    Column.SALARY: "Salary",
    Column.SALARY_MIN: "Salary from",
    Column.SALARY_MAX: "Salary to",
    Column.DATE_POSTED: "Date posted",
    Column.DESCRIPTION: "Job description",
    Column.NOTES: "Notes",
}

# Column names recognised for each field, compared folded and without
# punctuation. Besides plain spreadsheet names they cover the CSV exports of
# Huntr ("Job Title", "Company", "URL", "List", "Date Applied") and Teal
# ("Job Position", "Job Posting URL", "Date Saved", "Min Salary", "Max Salary").
ALIASES: dict[Column, tuple[str, ...]] = {
    Column.COMPANY: ("company", "company name", "employer", "organization", "organisation"),
    Column.ROLE: ("role", "position", "job position", "job title", "title", "job", "job name"),
    Column.POSTING_URL: (
        "url",
        "link",
        "job url",
        "job link",
        "posting url",
        "posting link",
        "job posting url",
        "job posting",
        "listing url",
    ),
    Column.STATUS: ("status", "stage", "list", "application status", "state"),
    Column.DATE_APPLIED: (
        "date applied",
        "applied date",
        "applied",
        "applied on",
        "application date",
        "date",
    ),
    Column.LOCATION: ("location", "city", "job location"),
    Column.SALARY: ("salary", "salary range", "compensation", "pay"),
    Column.SALARY_MIN: ("min salary", "salary min", "minimum salary", "salary from"),
    Column.SALARY_MAX: ("max salary", "salary max", "maximum salary", "salary to"),
    Column.DATE_POSTED: ("date posted", "posted", "posted date", "posted on"),
    Column.DESCRIPTION: ("description", "job description"),
    Column.NOTES: ("notes", "note", "comments", "comment"),
}

# Fields a line break inside a quoted cell is folded out of (notes and the
# description keep theirs): "Munich<newline>Germany" becomes "Munich Germany".
_SINGLE_LINE = frozenset(Column) - {Column.NOTES, Column.DESCRIPTION}
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x85]+\s*")


class DateOrder(enum.StrEnum):
    DMY = "dmy"
    MDY = "mdy"
    YMD = "ymd"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    delimiter: str


def read_table(data: bytes) -> Table:
    """Decode and split a CSV file; raises :class:`SpreadsheetError` for what cannot be read."""
    if len(data) > MAX_CSV_BYTES:
        raise SpreadsheetError(
            f"This file is {len(data) / 1024 / 1024:.0f} MB; spreadsheets over 20 MB are not read."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text[:4096]:
        raise SpreadsheetError(
            "This is not a CSV file (it holds binary data). Save it as CSV first."
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SpreadsheetError(f"This CSV file cannot be read ({exc}).") from exc
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise SpreadsheetError("This file has no rows under its header line: nothing to import.")
    if len(rows) > MAX_ROWS + 1:
        raise SpreadsheetError(
            f"This file has {len(rows) - 1:,} rows; at most {MAX_ROWS:,} at once."
        )
    headers = tuple(cell.strip() for cell in rows[0])
    width = len(headers)
    # A spreadsheet's line breaks inside a cell come as CRLF from Windows.
    body = tuple(
        tuple(cell.replace("\r\n", "\n") for cell in (row + [""] * width)[:width])
        for row in rows[1:]
    )
    return Table(headers=headers, rows=body, delimiter=delimiter)


def guess_mapping(headers: Sequence[str]) -> dict[Column, int]:
    """Which column (by index) fills each field, judged by the column names."""
    mapping: dict[Column, int] = {}
    names = [plain_words(h) for h in headers]
    for target, aliases in ALIASES.items():
        for alias in aliases:
            if alias in names and names.index(alias) not in mapping.values():
                mapping[target] = names.index(alias)
                break
    return mapping


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def parse_date(text: str, order: DateOrder) -> date | None:
    """A date as people write it: ISO, numbers in ``order``, or with a month name."""
    text = text.strip()
    if not text:
        return None
    iso = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        return date(int(iso[1]), int(iso[2]), int(iso[3]))
    numbers = re.fullmatch(r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})(?:[ T].*)?", text)
    if numbers:
        a, b, c = (int(numbers[i]) for i in (1, 2, 3))
        if a > 31 or order is DateOrder.YMD:
            year, month, day = a, b, c
        elif order is DateOrder.MDY:
            month, day, year = a, b, c
        else:
            day, month, year = a, b, c
        year += 2000 if year < 100 else 0
        return date(year, month, day)
    words = re.findall(r"[a-z]+|\d+", fold(text))
    month = next((_MONTHS[w] for w in words if w in _MONTHS), None)
    digits = [int(w) for w in words if w.isdigit()]
    if month and len(digits) >= 2:
        day, year = (digits[0], digits[1]) if digits[0] <= 31 else (digits[1], digits[0])
        return date(year, month, day)
    raise ValueError(f"“{text}” is not a date")


@dataclass(frozen=True)
class RowResult:
    """One spreadsheet row after checking: what it becomes, or why it is left out.

    ``company`` and ``role`` are what the row's cells say, so a row with a
    problem can still be recognised; ``note`` tells about a row imported
    otherwise than its cells say (a status this import does not know).
    """

    line: int  # the row number a spreadsheet shows (the header is row 1)
    values: ApplicationFields | None
    extras: Mapping[str, object] = field(default_factory=dict)
    applied_on: date | None = None
    problem: str = ""
    duplicate: bool = False
    company: str = ""
    role: str = ""
    note: str = ""

    @property
    def importable(self) -> bool:
        return self.values is not None and not self.duplicate and not self.problem


@dataclass(frozen=True)
class ImportCheck:
    rows: tuple[RowResult, ...]

    @property
    def to_import(self) -> int:
        return sum(r.importable for r in self.rows)

    @property
    def duplicates(self) -> int:
        return sum(r.duplicate for r in self.rows)

    @property
    def problems(self) -> int:
        return sum(bool(r.problem) for r in self.rows)


def _row(
    line: int, cells: Sequence[str], mapping: Mapping[Column, int], order: DateOrder
) -> RowResult:
    def cell(column: Column) -> str:
        index = mapping.get(column)
        text = cells[index].strip() if index is not None and index < len(cells) else ""
        return _LINE_BREAKS.sub(" ", text) if column in _SINGLE_LINE else text

    shown = {"line": line, "company": cell(Column.COMPANY), "role": cell(Column.ROLE)}
    status_text = cell(Column.STATUS)
    status = read_status(status_text) if status_text else ApplicationStatus.APPLIED
    note = ""
    if status is None:
        status = ApplicationStatus.APPLIED
        note = f"status “{status_text}” is not one this import knows, so Applied"
    try:
        salary = cell(Column.SALARY) or " – ".join(
            v for v in (cell(Column.SALARY_MIN), cell(Column.SALARY_MAX)) if v
        )
        extras = {
            "location": single_line("location", cell(Column.LOCATION)),
            "salary": single_line("salary", salary),
            "description": long_text("description", cell(Column.DESCRIPTION)),
            "date_posted": _date("date_posted", cell(Column.DATE_POSTED), order),
        }
        values = validate_application(
            ApplicationFields(
                company=shown["company"],
                role=shown["role"],
                posting_url=cell(Column.POSTING_URL),
                status=status,
                notes=cell(Column.NOTES),
            )
        )
        applied_on = _date("date_applied", cell(Column.DATE_APPLIED), order)
    except ValidationError as exc:
        try:
            label = COLUMN_LABELS[Column(exc.field)]
        except ValueError:
            label = exc.field
        return RowResult(**shown, values=None, problem=f"{label}: {exc.problem}")
    return RowResult(**shown, values=values, extras=extras, applied_on=applied_on, note=note)


def _date(name: str, text: str, order: DateOrder) -> date | None:
    try:
        return parse_date(text, order)
    except ValueError as exc:
        raise ValidationError(name, f"“{text}” is not a date this import can read.") from exc


def check_import(
    db: Database, table: Table, mapping: Mapping[Column, int], order: DateOrder
) -> ImportCheck:
    """The dry run: what each row would become, duplicates and problems marked."""
    if Column.COMPANY not in mapping or Column.ROLE not in mapping:
        raise ValidationError("mapping", "Choose the columns for the company and the role.")
    with db.reading() as session:
        existing = session.execute(
            select(Application.company, Application.role, Application.posting_url)
        ).all()
    seen = {(fold(c).strip(), fold(r).strip()) for c, r, _u in existing}
    links = {u.strip().lower() for _c, _r, u in existing if u}
    results = []
    for number, cells in enumerate(table.rows, start=2):
        result = _row(number, cells, mapping, order)
        if result.values is not None:
            key = (fold(result.values.company), fold(result.values.role))
            link = result.values.posting_url.lower()
            if key in seen or (link and link in links):
                result = replace(result, duplicate=True)
            seen.add(key)
            if link:
                links.add(link)
        results.append(result)
    return ImportCheck(rows=tuple(results))


@dataclass(frozen=True)
class ImportResult:
    """What an import created: the undo deletes exactly these."""

    application_ids: tuple[int, ...]
    skipped: int


def run_import(
    db: Database,
    check: ImportCheck,
    *,
    now: datetime,
    progress: Callable[[int, int], object] | None = None,
) -> ImportResult:
    """Create the importable rows of ``check`` in one transaction (all or none)."""
    rows = [r for r in check.rows if r.importable]
    created: list[Application] = []
    with db.session() as session:
        for done, result in enumerate(rows, start=1):
            assert result.values is not None
            applied = (
                datetime.combine(result.applied_on, time(12, 0), tzinfo=now.tzinfo)
                if result.applied_on
                else now
            )
            row = Application(
                company=result.values.company,
                role=result.values.role,
                posting_url=result.values.posting_url,
                status=result.values.status,
                notes=result.values.notes,
                created_at=applied,
                updated_at=now,
                decided_at=now if result.values.status in DECIDED_STATUSES else None,
                **result.extras,
            )
            session.add(row)
            created.append(row)
            if progress is not None and (done % 250 == 0 or done == len(rows)):
                progress(done, len(rows))
        session.flush()
        ids = tuple(row.id for row in created)
    logger.info("Imported %d applications from a spreadsheet", len(ids))
    return ImportResult(application_ids=ids, skipped=len(check.rows) - len(ids))


def undo_import(db: Database, result: ImportResult) -> int:
    """Delete what :func:`run_import` created (and whatever was added to it since)."""
    with db.session() as session:
        # Removed row by row so each removal is recorded as a change.
        rows = session.scalars(
            select(Application).where(Application.id.in_(result.application_ids))
        ).all()
        for row in rows:
            session.delete(row)
    logger.info("Undid a spreadsheet import of %d applications", len(rows))
    return len(rows)
