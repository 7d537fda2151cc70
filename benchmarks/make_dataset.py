"""Fill an empty data folder with a realistic Afterword database, for benchmarks.

    .venv/bin/python -m benchmarks.make_dataset --data-dir /tmp/aw10k --applications 10000

N applications over the two years around today, about 3N interviews (two
interviewers each, drawn from 2N contacts), the touchpoints a diligent job
seeker leaves behind (thank-yous, status follow-ups, rejection replies,
LinkedIn connections, stay-in-touch check-ins), a few sent messages and a few
hand-made checklist marks. Most past steps are done; a realistic minority is
still open, more of them among recent interviews. A folder that already holds
a database is refused: this script only ever creates one.

:func:`fill` is also what the checklist tests use to get a varied dataset.
"""

from __future__ import annotations

import argparse
import enum
import logging
import random
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from afterword.core.checklist.rules import add_business_days
from afterword.core.checklist.service import rebuild
from afterword.core.storage import search_index
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.models import (
    Application,
    ChecklistState,
    Contact,
    Interview,
    Message,
    Participant,
    Touchpoint,
)
from afterword.core.storage.paths import database_path
from afterword.core.storage.values import (
    DECIDED_STATUSES,
    ApplicationStatus,
    ChecklistMark,
    InterviewFormat,
    InterviewOutcome,
    MessageStatus,
    Purpose,
    TouchpointKind,
)

logger = logging.getLogger(__name__)

HOME_ZONE = "Europe/Berlin"
OTHER_ZONES = (
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Pacific/Auckland",
)
SENT_MESSAGES = 200

_FIRST = [
    "Anna",
    "Ben",
    "Chloe",
    "David",
    "Elif",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemi",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
    "Vera",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoe",
]
_LAST = [
    "Okafor",
    "Schmidt",
    "Tanaka",
    "Rossi",
    "Novak",
    "Haddad",
    "Larsen",
    "Dubois",
    "Silva",
    "Kowalski",
    "Nguyen",
    "Patel",
    "Fischer",
    "Moreau",
    "Jensen",
    "Costa",
    "Yilmaz",
    "Murphy",
    "Berg",
    "Ivanova",
]
_COMPANY_A = [
    "Blue",
    "Bright",
    "North",
    "Quiet",
    "Swift",
    "Silver",
    "Open",
    "Clear",
    "Green",
    "Iron",
    "Lumen",
    "Nova",
]
_COMPANY_B = [
    "Harbor",
    "Field",
    "Stone",
    "River",
    "Peak",
    "Forge",
    "Cloud",
    "Bridge",
    "Orbit",
    "Grove",
    "Signal",
    "Works",
]
_COMPANY_C = ("Labs", "GmbH", "Ltd", "Systems", "Health", "Analytics", "Software", "AG")
_ROLES = (
    "Senior Developer",
    "Backend Engineer",
    "Data Engineer",
    "Product Manager",
    "UX Designer",
    "Engineering Manager",
    "QA Engineer",
    "Site Reliability Engineer",
)
_TITLES = ("Hiring Manager", "Team Lead", "Recruiter", "CTO", "Senior Engineer", "HR Partner")
_ROUNDS = ("Phone screen", "1st round", "2nd round", "Technical interview", "Final round")


def open_share(age: timedelta) -> float:
    """How likely a step is still undone, by how long ago it became due."""
    if age < timedelta(days=3):
        return 0.5
    if age < timedelta(days=30):
        return 0.15
    return 0.02


@dataclass
class _Rows:
    applications: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    interviews: list[dict[str, Any]] = field(default_factory=list)
    participants: list[dict[str, Any]] = field(default_factory=list)
    touchpoints: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    marks: list[dict[str, Any]] = field(default_factory=list)
    last_touch: dict[int, datetime] = field(default_factory=dict)


class _Maker:
    def __init__(self, now: datetime, seed: int) -> None:
        self.now = now.astimezone(UTC)
        self.home = ZoneInfo(HOME_ZONE)
        self.rng = random.Random(seed)
        self.rows = _Rows()

    def still_open(self, due: datetime) -> bool:
        return self.rng.random() < open_share(self.now - due)

    def did(self, due: datetime, *keys: str) -> bool:
        """Whether the user did a step that came due at ``due`` (its items have ``keys``).

        Most steps left undone for over a month were dismissed from the list.
        """
        if not self.still_open(due):
            return True
        if self.now - due > timedelta(days=30) and self.rng.random() < 0.8:
            for key in keys:
                self.mark(key, ChecklistMark.DISMISSED)
        return False

    def touch(
        self,
        contact_id: int,
        kind: TouchpointKind,
        purpose: Purpose,
        at: datetime,
        *,
        application_id: int | None = None,
        interview_id: int | None = None,
    ) -> None:
        self.rows.touchpoints.append(
            {
                "id": len(self.rows.touchpoints) + 1,
                "contact_id": contact_id,
                "application_id": application_id,
                "interview_id": interview_id,
                "kind": kind,
                "purpose": purpose,
                "occurred_at": at,
                "note": "",
                "message_id": None,
            }
        )
        last = self.rows.last_touch
        if contact_id not in last or at > last[contact_id]:
            last[contact_id] = at

    def mark(self, key: str, mark: ChecklistMark, *, until: datetime | None = None) -> None:
        self.rows.marks.append(
            {"key": key, "mark": mark, "snoozed_until": until, "updated_at": self.now}
        )

    def local_moment(self, day: date, zone: ZoneInfo) -> datetime:
        hour = self.rng.choice((9, 10, 11, 13, 14, 15, 16, 17))
        minute = self.rng.choice((0, 0, 15, 30, 45))
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)

    def application(self, app_id: int) -> None:
        rng, now, rows = self.rng, self.now, self.rows
        company = f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)} {rng.choice(_COMPANY_C)}"
        role = rng.choice(_ROLES)
        created = now - timedelta(days=rng.uniform(1, 730))
        contact_ids = []
        for _ in range(2):
            contact_id = len(rows.contacts) + 1
            contact_ids.append(contact_id)
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            rows.contacts.append(
                {
                    "id": contact_id,
                    "name": f"{first} {last}",
                    "email": f"{first}.{last}{contact_id}@example.com".lower(),
                    "phone": "",
                    "title": rng.choice(_TITLES),
                    "company": company,
                    "linkedin_url": "",
                    "notes": "",
                    "cadence_days": rng.choice((60, 90, 180)) if rng.random() < 0.1 else None,
                    "created_at": created,
                }
            )

        count = rng.choices((1, 2, 3, 4, 5), weights=(15, 20, 30, 20, 15))[0]
        starts = []
        day = (created + timedelta(days=rng.randint(5, 15))).astimezone(self.home).date()
        for _ in range(count):
            zone = self.home if rng.random() < 0.8 else ZoneInfo(rng.choice(OTHER_ZONES))
            starts.append((self.local_moment(day, zone), zone))
            day += timedelta(days=rng.randint(5, 20))
        past = [(s, z) for s, z in starts if s < now]
        status, decision, decided_at = self.outcome(past, len(starts) > len(past))
        next_steps = "They will get back to us after the final round." if rng.random() < 0.6 else ""
        if past and not decision and not next_steps and not self.still_open(past[-1][0]):
            next_steps = "Recruiter will call."
        updated = min(now, max([created, *(s for s, _ in past), decided_at or created]))
        rows.applications.append(
            {
                "id": app_id,
                "company": company,
                "role": role,
                "posting_url": "",
                "status": status,
                "why_interested": "I like how the team ships small and often.",
                "next_steps": next_steps,
                "decision_expected": decision,
                "still_interested": rng.random() < 0.7,
                "notes": "",
                "created_at": created,
                "updated_at": updated,
                "decided_at": decided_at,
            }
        )
        # A call with the recruiter before the first interview.
        self.touch(
            contact_ids[0],
            TouchpointKind.CALL,
            Purpose.OTHER,
            min(now, created + timedelta(days=2)),
            application_id=app_id,
        )

        # Now and then an interviewer never gave an email address (thanked by post).
        no_email = bool(past) and self.still_open(past[-1][0]) and rng.random() < 0.5
        if no_email:
            rows.contacts[contact_ids[-1] - 1]["email"] = ""
        for start, zone in starts:
            self.interview(app_id, start, zone, contact_ids, status, no_email=no_email)
        if decision is not None and status not in DECIDED_STATUSES:
            self.follow_ups(app_id, decision, contact_ids)
        if status == ApplicationStatus.REJECTED and decided_at is not None:
            self.after_rejection(app_id, decided_at, contact_ids)

    def outcome(
        self, past: list[tuple[datetime, ZoneInfo]], more_to_come: bool
    ) -> tuple[ApplicationStatus, date | None, datetime | None]:
        rng, now = self.rng, self.now
        if not past:
            return ApplicationStatus.APPLIED, None, None
        last = past[-1][0]
        decision = None
        if rng.random() < 0.8:
            decision = (last + timedelta(days=rng.randint(5, 14))).astimezone(self.home).date()
        if more_to_come or now - last < timedelta(days=14):
            return ApplicationStatus.INTERVIEWING, decision, None
        status = rng.choices(
            (
                ApplicationStatus.REJECTED,
                ApplicationStatus.WITHDRAWN,
                ApplicationStatus.OFFER,
                ApplicationStatus.ACCEPTED,
                ApplicationStatus.INTERVIEWING,
            ),
            weights=(55, 10, 3, 2, 30),
        )[0]
        if status == ApplicationStatus.INTERVIEWING:
            return status, decision, None
        return status, decision, min(now, last + timedelta(days=rng.uniform(3, 30)))

    def interview(
        self,
        app_id: int,
        start: datetime,
        zone: ZoneInfo,
        contact_ids: list[int],
        status: ApplicationStatus,
        *,
        no_email: bool,
    ) -> None:
        rng, rows = self.rng, self.rows
        interview_id = len(rows.interviews) + 1
        duration = rng.choice((30, 45, 60, 60, 90))
        end = start + timedelta(minutes=duration)
        finished = end < self.now
        outcome = None
        if finished and status in DECIDED_STATUSES and rng.random() < 0.5:
            outcome = InterviewOutcome.ADVANCED
        rows.interviews.append(
            {
                "id": interview_id,
                "application_id": app_id,
                "round_name": rng.choice(_ROUNDS),
                "starts_at": start,
                "timezone": zone.key,
                "duration_minutes": duration,
                "format": rng.choice(list(InterviewFormat)),
                "location": "",
                "notes": "",
                "outcome": outcome,
            }
        )
        for contact_id in contact_ids:
            rows.participants.append(
                {"interview_id": interview_id, "contact_id": contact_id, "notes": "Asked about CI."}
            )
            if not finished:
                continue
            key = f"thank_you:i{interview_id}:c{contact_id}"
            if not self.did(end, key):
                if self.now - end < timedelta(days=30) and rng.random() < 0.2:
                    # The user saw the item and put it off for a day or two.
                    until = self.now + timedelta(days=rng.randint(1, 3))
                    self.mark(key, ChecklistMark.SNOOZED, until=until)
                continue
            by_post = rng.random() < 0.15 or (no_email and contact_id == contact_ids[-1])
            kind = TouchpointKind.LETTER if by_post else TouchpointKind.EMAIL
            self.touch(
                contact_id,
                kind,
                Purpose.THANK_YOU,
                end + timedelta(hours=rng.uniform(1, 20)),
                application_id=app_id,
                interview_id=interview_id,
            )
        if no_email and self.now - end > timedelta(days=30):
            self.mark(f"collect_details:i{interview_id}", ChecklistMark.DISMISSED)

    def follow_ups(self, app_id: int, decision: date, contact_ids: list[int]) -> None:
        rng = self.rng
        base, spacing = decision, 2
        for number in (1, 2):
            due_day = add_business_days(base, spacing)
            due = datetime(due_day.year, due_day.month, due_day.day, tzinfo=self.home)
            if due > self.now or not self.did(due, f"status_follow_up:a{app_id}:{number}"):
                return
            at = self.local_moment(due_day, self.home)
            if at > self.now:
                return
            people = contact_ids if rng.random() < 0.3 else contact_ids[:1]
            for contact_id in people:
                self.touch(
                    contact_id,
                    TouchpointKind.EMAIL,
                    Purpose.STATUS_FOLLOW_UP,
                    at,
                    application_id=app_id,
                )
            base, spacing = due_day, 5
        quiet_day = add_business_days(base, 5)
        quiet = datetime(quiet_day.year, quiet_day.month, quiet_day.day, tzinfo=self.home)
        key = f"gone_quiet:a{app_id}"
        if quiet < self.now and self.did(quiet, key):
            self.mark(key, ChecklistMark.DONE)

    def after_rejection(self, app_id: int, decided_at: datetime, contact_ids: list[int]) -> None:
        rng, rows = self.rng, self.rows
        replies = ("ask_feedback", "say_still_interested", "ask_referral")
        if self.did(decided_at, *(f"{kind}:a{app_id}" for kind in replies)):
            at = min(self.now, decided_at + timedelta(hours=rng.uniform(2, 48)))
            self.touch(
                contact_ids[0],
                TouchpointKind.EMAIL,
                Purpose.REJECTION_REPLY,
                at,
                application_id=app_id,
            )
        if self.did(decided_at, f"connect_linkedin:a{app_id}"):
            at = min(self.now, decided_at + timedelta(days=rng.uniform(1, 6)))
            self.touch(rng.choice(contact_ids), TouchpointKind.LINKEDIN, Purpose.OTHER, at)
        # Not everyone is worth a reminder: often the step is dismissed instead.
        key = f"schedule_stay_in_touch:a{app_id}"
        keep_in_touch = rng.random() < 0.45
        if not keep_in_touch and self.now - decided_at > timedelta(days=7):
            self.mark(key, ChecklistMark.DISMISSED)
        if keep_in_touch and self.did(decided_at, key):
            for contact_id in contact_ids:
                contact = rows.contacts[contact_id - 1]
                contact["cadence_days"] = contact["cadence_days"] or rng.choice((60, 90, 90, 180))

    def check_ins(self) -> None:
        """Stay-in-touch check-ins, roughly on cadence, for every contact that has one."""
        rng, now = self.rng, self.now
        for contact in self.rows.contacts:
            cadence = contact["cadence_days"]
            if cadence is None:
                continue
            last = self.rows.last_touch.get(contact["id"], contact["created_at"])
            while True:
                due = last + timedelta(days=cadence)
                if due > now or (now - due < timedelta(days=30) and self.still_open(due)):
                    break
                # Now and then a check-in is weeks late, but it happens.
                late = rng.random() < 0.1
                last = min(
                    now, due + timedelta(days=rng.uniform(5, 40) if late else rng.uniform(-10, 5))
                )
                kind = rng.choice(
                    (TouchpointKind.EMAIL, TouchpointKind.LINKEDIN, TouchpointKind.CALL)
                )
                self.touch(contact["id"], kind, Purpose.CHECK_IN, last)

    def sent_messages(self) -> None:
        """The latest emailed thank-yous went out through the app: give them their message."""
        emailed = [
            t
            for t in self.rows.touchpoints
            if t["purpose"] == Purpose.THANK_YOU and t["kind"] == TouchpointKind.EMAIL
        ]
        for touchpoint in sorted(emailed, key=lambda t: t["occurred_at"])[-SENT_MESSAGES:]:
            contact = self.rows.contacts[touchpoint["contact_id"] - 1]
            message_id = len(self.rows.messages) + 1
            at = touchpoint["occurred_at"]
            self.rows.messages.append(
                {
                    "id": message_id,
                    "contact_id": contact["id"],
                    "application_id": touchpoint["application_id"],
                    "interview_id": touchpoint["interview_id"],
                    "account_id": None,
                    "purpose": Purpose.THANK_YOU,
                    "to_name": contact["name"],
                    "to_address": contact["email"],
                    "subject": "Thank you for today's conversation",
                    "body": f"Dear {contact['name']},\n\nthank you for your time today.\n",
                    "bcc_self": False,
                    "status": MessageStatus.SENT,
                    "message_id_header": f"<bench-{message_id}@example.com>",
                    "error": "",
                    "created_at": at,
                    "updated_at": at,
                    "sent_at": at,
                }
            )
            touchpoint["message_id"] = message_id


def _stored(value: object) -> object:
    """A value as the models store it (what their column types would bind)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _insert(cursor: sqlite3.Cursor, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert plain rows with the driver's executemany: converting each value through
    SQLAlchemy's column types costs more than writing them (100k applications are
    millions of values)."""
    if not rows:
        return
    columns = list(rows[0])
    cursor.executemany(
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        ([_stored(row[column]) for column in columns] for row in rows),
    )


def fill(db: Database, applications: int, now: datetime, seed: int = 1) -> dict[str, int]:
    """Add a realistic dataset of ``applications`` applications around ``now``; return counts.

    The database must be empty (ids are assigned here, from 1). The kept
    checklist items are made for ``now``'s time zone and year.
    """
    maker = _Maker(now, seed)
    for app_id in range(1, applications + 1):
        maker.application(app_id)
    maker.check_ins()
    maker.sent_messages()
    rows = maker.rows
    with db.engine.begin() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None  # a connection checked out of the pool is live
        cursor = driver.cursor()
        # Millions of index entries arrive in no useful order: a big page cache
        # keeps the index pages in memory instead of reading them back again.
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB, for this connection
        _insert(cursor, Application.__table__, rows.applications)
        _insert(cursor, Contact.__table__, rows.contacts)
        _insert(cursor, Interview.__table__, rows.interviews)
        _insert(cursor, Participant.__table__, rows.participants)
        _insert(cursor, Message.__table__, rows.messages)
        _insert(cursor, Touchpoint.__table__, rows.touchpoints)
        _insert(cursor, ChecklistState.__table__, rows.marks)
        cursor.close()
        # The triggers queued every row for the search index: index them now.
        search_index.refresh(driver)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    # Written behind the keeper's back (in bulk): the kept checklist items are made here.
    rebuild(db, now)
    return {
        "applications": len(rows.applications),
        "interviews": len(rows.interviews),
        "contacts": len(rows.contacts),
        "participants": len(rows.participants),
        "touchpoints": len(rows.touchpoints),
        "messages": len(rows.messages),
        "checklist marks": len(rows.marks),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="an empty data folder")
    parser.add_argument("--applications", type=int, required=True, help="how many (e.g. 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    path = database_path(args.data_dir)
    if path.exists():
        print(f"refusing: {path} already exists; give an empty data folder", file=sys.stderr)
        return 2
    if args.applications < 1:
        print("--applications must be at least 1", file=sys.stderr)
        return 2
    started = time.perf_counter()
    db = open_database(path)
    try:
        counts = fill(db, args.applications, datetime.now(ZoneInfo(HOME_ZONE)), args.seed)
    finally:
        db.close()
    for name, count in counts.items():
        print(f"{name:>16}: {count:,}")
    print(f"wrote {path} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
