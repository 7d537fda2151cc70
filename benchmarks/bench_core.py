"""Time the core's hot paths on a generated dataset; print the figures next to their targets.

    .venv/bin/python -m benchmarks.bench_core --data-dir /tmp/aw10k

The data folder comes from ``benchmarks.make_dataset``.

Measures, each as median, 95th percentile, min and max over ``--repeat``
runs after a warm-up: Today right after each single write the target names
(creating and editing an interview, logging a touchpoint, sending a message,
a check-off; each write's own time, the checklist keeper included, is
printed too); the Today list and the applications table's "next due" column,
each right after a hand-made mark (the checklist reads the marks again),
right after another write (it reads everything again) and with nothing
written since the last call (it reuses what it read), a text search, one
application's full checklist, and opening a database that needs no
migration (in a fresh interpreter each time, after SQLAlchemy is imported,
which is not counted). The writes go to a scratch copy of the database (the
mark checks the most urgent item off, then undoes that; the other write
renames that item's application back and forth). The dataset itself is only
migrated if it needs to be. The machine's load average is printed too: on a
shared machine it explains a good part of the spread.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from afterword.core.applications import list_applications
from afterword.core.checklist import service
from afterword.core.checklist.items import ChecklistItem
from afterword.core.interviews import save_interview
from afterword.core.mail.outbox import mark_sent_from_mail_app
from afterword.core.search import search
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.models import Application, Contact, Message
from afterword.core.storage.paths import database_path
from afterword.core.storage.records import InterviewFields, ParticipantFields, TouchpointFields
from afterword.core.storage.search_index import query_key
from afterword.core.storage.values import Purpose, TouchpointKind
from afterword.core.touchpoints import log_touchpoint

SEARCH_TEXTS = ("harbor", "okafor", "data eng", "grace", "labs", "nova", "site rel", "ivanova")

# Run in a fresh interpreter, from before importing the database module to a
# first read: what the app's start-up pays. The standard library modules every
# start has loaded by then (the GUI imports them first) are imported before
# the clock starts, as SQLAlchemy was before; SQLAlchemy must not be imported.
OPEN_SCRIPT = """
import contextvars, dataclasses, datetime, logging, sqlite3, sys, threading, time, typing
from pathlib import Path
started = time.perf_counter()
from afterword.core.storage.db import open_database
db = open_database(Path(sys.argv[1]))
connection = db.connect()
connection.execute("SELECT count(*) FROM applications").fetchone()
connection.close()
print(time.perf_counter() - started)
assert "sqlalchemy" not in sys.modules
"""
# The same with the module already imported: the opening itself.
OPEN_ONLY_SCRIPT = OPEN_SCRIPT.replace(
    "started = time.perf_counter()\nfrom afterword.core.storage.db import open_database\n",
    "from afterword.core.storage.db import open_database\nstarted = time.perf_counter()\n",
)
# The floor: the standard library opening the same file and running the same query.
BARE_OPEN_SCRIPT = """
import contextvars, dataclasses, datetime, logging, sqlite3, sys, threading, time, typing
started = time.perf_counter()
connection = sqlite3.connect(sys.argv[1])
connection.execute("SELECT count(*) FROM applications").fetchone()
connection.close()
print(time.perf_counter() - started)
"""


@dataclass(frozen=True)
class Figure:
    name: str
    median_ms: float
    p95_ms: float
    target_ms: float | None
    note: str = ""
    min_ms: float = 0.0
    max_ms: float = 0.0

    def line(self) -> str:
        text = (
            f"{self.name:<44} median {self.median_ms:7.1f} ms  (min {self.min_ms:.1f},"
            f" max {self.max_ms:.1f})  p95 {self.p95_ms:7.1f} ms"
        )
        if self.target_ms is not None:
            verdict = "meets target" if self.median_ms <= self.target_ms else "MISSES target"
            text += f"   target <= {self.target_ms:g} ms: {verdict}"
        return f"{text}\n{'':<44} ({self.note})" if self.note else text


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _figure(name: str, samples: list[float], target_ms: float | None, note: str = "") -> Figure:
    return Figure(
        name,
        statistics.median(samples) * 1000,
        _percentile(samples, 0.95) * 1000,
        target_ms,
        note,
        min(samples) * 1000,
        max(samples) * 1000,
    )


def _time(
    call: Callable[[int], object],
    repeat: int,
    warm_up: int = 2,
    before: Callable[[int], object] | None = None,
) -> list[float]:
    """Seconds per ``call``; ``before`` (not timed) runs ahead of each."""
    samples = []
    for run in range(warm_up + repeat):
        if before is not None:
            before(run)
        started = time.perf_counter()
        call(run)
        if run >= warm_up:
            samples.append(time.perf_counter() - started)
    return samples


def _checklist_figures(path: Path, now: datetime, repeat: int) -> list[Figure]:
    """Today and the applications table right after a mark, after another write, and warm.

    On a scratch copy of the database (SQLite's backup API, so a WAL is
    included).
    """
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        source, target = sqlite3.connect(path), sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        db = open_database(copy)
        try:
            first = next(item for item in service.today(db, now) if item.application_id)

            def mark(run: int) -> None:
                if run % 2 == 0:
                    service.mark_done(db, first.key, now)
                else:
                    service.clear_mark(db, first.key)

            def other_write(run: int) -> None:
                with db.session() as session:
                    application = session.get_one(Application, first.application_id)
                    application.role = application.role.removesuffix(" (lead)")
                    if run % 2 == 0:
                        application.role += " (lead)"

            def today(run: int) -> object:
                return service.today(db, now)

            def next_due(run: int) -> object:
                return service.next_due_by_application(db, now)

            writes = _writes(db, first, now)
            return [
                *(
                    _figure(f"Today, right after {name}", _time(today, repeat, before=write), 15)
                    for name, write in writes.items()
                ),
                *(
                    _figure(f"the write: {name}", _time(write, repeat), None, "keeper included")
                    for name, write in writes.items()
                ),
                _figure("Today, right after a mark", _time(today, repeat, before=mark), 50),
                _figure(
                    "Today, right after another write", _time(today, repeat, before=other_write), 50
                ),
                _figure("Today, nothing written since", _time(today, repeat), 50),
                _figure(
                    "applications table, after a mark",
                    _time(next_due, repeat, before=mark),
                    None,
                    "each application's most urgent item: service.next_due_by_application",
                ),
                _figure(
                    "applications table, after other write",
                    _time(next_due, repeat, before=other_write),
                    None,
                ),
                _figure("applications table, nothing written", _time(next_due, repeat), None),
            ]
        finally:
            db.close()


def _writes(
    db: Database, first: ChecklistItem, now: datetime
) -> dict[str, Callable[[int], object]]:
    """One single write of each kind the Today target names, each undone or varied run by run."""
    app_id = first.application_id or 1
    with db.reading() as session:
        contact_id = session.scalars(select(Contact.id).limit(1)).one()
    zone = "Europe/Berlin"
    starts = now + timedelta(days=3)
    made = save_interview(
        db,
        InterviewFields(application_id=app_id, starts_at=starts, timezone=zone),
        [ParticipantFields(contact_id=contact_id)],
        now=now,
    )

    def create_interview(run: int) -> None:
        save_interview(
            db,
            InterviewFields(
                application_id=app_id, starts_at=starts + timedelta(hours=run), timezone=zone
            ),
            [ParticipantFields(contact_id=contact_id)],
            now=now,
        )

    def edit_interview(run: int) -> None:
        save_interview(
            db,
            InterviewFields(
                application_id=app_id,
                starts_at=starts,
                timezone=zone,
                round_name=f"Round {run}",
            ),
            [ParticipantFields(contact_id=contact_id)],
            now=now,
            interview_id=made.id,
        )

    def log(run: int) -> None:
        log_touchpoint(
            db,
            TouchpointFields(
                contact_id=contact_id,
                kind=TouchpointKind.CALL,
                occurred_at=now - timedelta(minutes=run),
                application_id=app_id,
            ),
            now=now,
        )

    def send(run: int) -> None:
        with db.session() as session:
            draft = Message(
                contact_id=contact_id,
                application_id=app_id,
                purpose=Purpose.STATUS_FOLLOW_UP,
                subject="Following up",
                body="Hello",
                created_at=now,
                updated_at=now,
            )
            session.add(draft)
            session.flush()
            message_id = draft.id
        mark_sent_from_mail_app(db, message_id, now)

    def check_off(run: int) -> None:
        if run % 2 == 0:
            service.mark_done(db, first.key, now)
        else:
            service.clear_mark(db, first.key)

    return {
        "creating an interview": create_interview,
        "editing an interview": edit_interview,
        "logging a touchpoint": log,
        "sending a message": send,
        "a check-off": check_off,
    }


def _search_figures(db: Database, now: datetime, repeat: int) -> list[Figure]:
    """The core's search, the Applications table's query, and the table's in-memory filter."""
    summaries = list_applications(db, now=now)

    def text(run: int) -> str:
        return SEARCH_TEXTS[run % len(SEARCH_TEXTS)]

    def in_memory(run: int) -> object:
        needle = query_key(text(run))
        return [row for row in summaries if needle is not None and needle in row.search_text]

    return [
        _figure(
            "text search (FTS5 trigram)",
            _time(lambda run: search(db, text(run)), repeat),
            20,
            "afterword.core.search.search: applications and contacts, notes included",
        ),
        _figure(
            "text search, 1-2 characters",
            _time(lambda run: search(db, text(run)[: 1 + run % 2]), repeat),
            None,
            "shorter than a trigram: scans the folded text",
        ),
        _figure(
            "applications table: list_applications(query)",
            _time(lambda run: list_applications(db, now=now, query=text(run)), repeat),
            None,
        ),
        _figure(
            "applications table: filter in memory",
            _time(in_memory, repeat),
            20,
            "query_key(q) in summary.search_text over every summary (the table's own filter)",
        ),
    ]


def _open_samples(path: Path, repeat: int, script: str = OPEN_SCRIPT) -> list[float]:
    samples = []
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, "-c", script, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(float(result.stdout.strip()))
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, required=True, help="a folder make_dataset.py filled"
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per figure (default 30)")
    parser.add_argument("--zone", default="Europe/Berlin", help="the user's time zone")
    args = parser.parse_args(argv)
    path = database_path(args.data_dir)
    if not path.exists():
        print(f"no database at {path}; fill it with benchmarks.make_dataset first", file=sys.stderr)
        return 2

    db = open_database(path)
    try:
        now = datetime.now(ZoneInfo(args.zone))
        with db.reading() as session:
            applications = session.scalar(select(func.count()).select_from(Application)) or 0
            application_ids = session.scalars(select(Application.id)).all()
        today_size = len(service.today(db, now))
        print(f"dataset: {path} ({applications:,} applications); Today lists {today_size:,} items")
        print(f"load average before: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")

        figures = _checklist_figures(path, now, args.repeat)
        figures += _search_figures(db, now, args.repeat)
        picker = random.Random(1)
        picks = [picker.choice(application_ids) for _ in range(args.repeat + 2)]
        figures.append(
            _figure(
                "one application's full checklist",
                _time(
                    lambda run: service.checklist_for_application(db, picks[run], now),
                    args.repeat,
                ),
                5,
            )
        )
    finally:
        db.close()
    figures.append(
        _figure(
            "opening (no migration needed)",
            _open_samples(path, max(7, args.repeat // 2)),
            10,
            "fresh interpreter: import afterword.core.storage.db, open, one plain read",
        )
    )
    figures.append(
        _figure(
            "  of which opening and the read",
            _open_samples(path, max(7, args.repeat // 2), OPEN_ONLY_SCRIPT),
            None,
            "the module imported before the clock starts",
        )
    )
    figures.append(
        _figure(
            "  baseline: sqlite3.connect + the same read",
            _open_samples(path, max(7, args.repeat // 2), BARE_OPEN_SCRIPT),
            None,
        )
    )
    for figure in figures:
        print(figure.line())
    print(f"load average after: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
