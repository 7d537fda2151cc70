"""How the default drafts read: pasted fragments, near-duplicates, unnatural dates, placeholders.

Builds every draft Afterword offers from the ``--demo`` data (thank-yous,
replies to rejections, status follow-ups, check-ins, the note after
withdrawing) and the thank-yous for the note styles in
``tests/support/note_styles.py``, then counts per set:

- pasted fragments: a note or reason that is not a sentence, found word for
  word at the start of a sentence or after a colon in the draft;
- near-duplicates: pairs of drafts to one interview, or to one company, at or
  above the similarity limit of :mod:`afterword.core.mail.draft_checks`;
- unnatural dates: the full formal date ("Tuesday, 10 March 2026") for a day
  within six days of writing, where "yesterday" or "Tuesday" is what people say;
- unfilled placeholders: a ``{name}`` left in the subject or the body.

It also prints how many notes were left out and flagged for the person to
write themselves (that is the builder working, not a fault). The target is 0
in each of the four columns. ``--show`` prints every draft.

    .venv/bin/python -m benchmarks.draft_report [--show]
"""

from __future__ import annotations

import argparse
import itertools
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from afterword.core.demo import fill_demo
from afterword.core.mail.draft_checks import is_near_duplicate
from afterword.core.mail.drafts import check_message, prepare_draft, prepare_thank_you_drafts
from afterword.core.mail.sentences import long_date, note_sentence, reason_sentence
from afterword.core.mail.templates import render
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.models import Application, Contact, Interview, Participant
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.values import DECIDED_STATUSES, ApplicationStatus, Purpose
from tests.support.note_styles import MEETINGS, Meeting, note_count

MOMENT = datetime(2026, 3, 11, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
MY_NAME = "Jo Example"
_FULL_DATE = re.compile(
    r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{1,2}) (\w+) (\d{4})"
)


@dataclass(frozen=True)
class Written:
    """A draft with what it was made from."""

    draft: MessageRecord
    # The notes and the reason, each with the sentence the builder made of it.
    sources: tuple[tuple[str, str], ...]
    company: str


@dataclass
class Figures:
    drafts: int = 0
    pasted_fragments: list[str] = field(default_factory=list)
    near_duplicates: list[str] = field(default_factory=list)
    unnatural_dates: list[str] = field(default_factory=list)
    unfilled: list[str] = field(default_factory=list)
    flagged: int = 0

    def row(self, label: str) -> str:
        return (
            f"{label:<14}{self.drafts:>7}{len(self.pasted_fragments):>10}"
            f"{len(self.near_duplicates):>11}{len(self.unnatural_dates):>10}"
            f"{len(self.unfilled):>10}{self.flagged:>9}"
        )


def pasted_fragments(body: str, sources: Iterable[tuple[str, str]]) -> list[str]:
    """The sources the builder did not keep as sentences that sit in ``body`` as if they were.

    A source is kept as a sentence when the builder's sentence is the source
    itself (give or take a capital and a full stop); anything else found word
    for word after a colon or at the start of a sentence was pasted.
    """
    found: list[str] = []
    for source, made in sources:
        clean = " ".join(source.split()).rstrip(".!")
        kept = made.rstrip(".!?").casefold() == clean.casefold()
        if not clean or kept:
            continue
        flat = " ".join(body.split())
        for match in re.finditer(re.escape(clean), flat):
            before = flat[: match.start()].rstrip()
            if not before or before.endswith((":", ".", "!", "?")):
                found.append(clean)
                break
    return found


def unnatural_dates(body: str, today: date) -> list[str]:
    """Full formal dates for days close enough to say "yesterday" or the weekday."""
    found: list[str] = []
    for match in _FULL_DATE.finditer(body):
        for offset in range(-6, 7):
            day = today + timedelta(days=offset)
            if long_date(day) == match.group(0):
                found.append(match.group(0))
    return found


def measure(written: Sequence[Written], today: date, db: Database) -> Figures:
    figures = Figures(drafts=len(written))
    for item in written:
        draft = item.draft
        text = f"{draft.subject}\n{draft.body}"
        for fragment in pasted_fragments(draft.body, item.sources):
            figures.pasted_fragments.append(f"{draft.to_name}: {fragment}")
        for phrase in unnatural_dates(text, today):
            figures.unnatural_dates.append(f"{draft.to_name}: {phrase}")
        unfilled = render(draft.subject, {}).unfilled + render(draft.body, {}).unfilled
        figures.unfilled.extend(f"{draft.to_name}: {{{name}}}" for name in unfilled)
        check = check_message(db, draft.id)
        figures.flagged += sum("left out of the draft" in w for w in check.warnings)
    for first, second in itertools.combinations(written, 2):
        same_purpose = first.draft.purpose == second.draft.purpose
        one_interview = first.draft.interview_id is not None and (
            first.draft.interview_id == second.draft.interview_id
        )
        one_company = bool(first.company) and first.company.casefold() == second.company.casefold()
        related = one_interview or one_company
        if same_purpose and related and is_near_duplicate(first.draft, second.draft):
            figures.near_duplicates.append(f"{first.draft.to_name} / {second.draft.to_name}")
    return figures


def demo_drafts(db: Database, now: datetime) -> list[Written]:
    """Every draft the app offers for the demo data."""
    fill_demo(db, now)
    written: list[Written] = []
    with db.reading() as session:
        # Thank-yous are offered once an interview has started.
        interviews = [
            (i.id, i.application_id)
            for i in session.scalars(select(Interview).where(Interview.starts_at <= now))
        ]
        applications = {a.id: a for a in session.scalars(select(Application))}
        people = {
            i.id: [p.contact_id for p in i.participants] for i in session.scalars(select(Interview))
        }
        cadenced = [c.id for c in session.scalars(select(Contact)) if c.cadence_days]
    for interview_id, application_id in interviews:
        application = applications[application_id]
        for draft in prepare_thank_you_drafts(db, interview_id, now=now, my_name=MY_NAME):
            written.append(_written(db, draft, application))
        first = people[interview_id][:1]
        extra: list[tuple[Purpose, str | None]] = []
        if application.status == ApplicationStatus.REJECTED:
            extra.append((Purpose.REJECTION_REPLY, None))
        if application.status == ApplicationStatus.WITHDRAWN:
            extra.append((Purpose.OTHER, "withdrawn"))
        decision = application.decision_expected
        if decision and decision < now.date() and application.status not in DECIDED_STATUSES:
            extra.append((Purpose.STATUS_FOLLOW_UP, None))
        for purpose, variant in extra:
            for contact_id in first:
                draft = prepare_draft(
                    db,
                    purpose=purpose,
                    interview_id=interview_id,
                    contact_id=contact_id,
                    now=now,
                    my_name=MY_NAME,
                    variant=variant,
                )
                written.append(_written(db, draft, application))
    for contact_id in cadenced:
        draft = prepare_draft(
            db, purpose=Purpose.CHECK_IN, contact_id=contact_id, now=now, my_name=MY_NAME
        )
        written.append(_written(db, draft, None))
    return written


def fixture_drafts(db: Database, now: datetime) -> list[Written]:
    """The thank-yous for every meeting in the note-style set."""
    written: list[Written] = []
    for meeting in MEETINGS:
        interview_id, application = add_meeting(db, meeting, now)
        for draft in prepare_thank_you_drafts(db, interview_id, now=now, my_name=MY_NAME):
            written.append(_written(db, draft, application))
    return written


def _written(db: Database, draft: MessageRecord, application: Application | None) -> Written:
    with db.reading() as session:
        notes = ""
        if draft.interview_id is not None and draft.contact_id is not None:
            notes = (
                session.scalars(
                    select(Participant.notes).where(
                        Participant.interview_id == draft.interview_id,
                        Participant.contact_id == draft.contact_id,
                    )
                ).first()
                or ""
            )
        elif draft.contact_id is not None:
            contact = session.get(Contact, draft.contact_id)
            notes = contact.notes if contact else ""
        contact_company = ""
        if draft.contact_id is not None:
            person = session.get(Contact, draft.contact_id)
            contact_company = person.company if person else ""
    why = application.why_interested if application else ""
    company = application.company if application else contact_company
    made = (note_sentence(notes).text, reason_sentence(why).text)
    return Written(draft, tuple(zip((notes, why), made, strict=True)), company)


def add_meeting(db: Database, meeting: Meeting, now: datetime) -> tuple[int, Application]:
    """One meeting of the note-style set in ``db``: its interview's id and its application."""
    with db.session() as session:
        application = Application(
            company=meeting.company,
            role=meeting.role,
            why_interested=meeting.why,
            status=meeting.status,
            created_at=now,
            updated_at=now,
        )
        interview = Interview(
            application=application,
            round_name=meeting.round_name,
            starts_at=now - timedelta(days=meeting.days_ago, hours=1),
            timezone="Europe/Berlin",
            format=meeting.format,
        )
        session.add_all([application, interview])
        session.flush()
        for person in meeting.people:
            local = "".join(ch for ch in person.name.casefold() if ch.isascii() and ch.isalpha())
            contact = Contact(
                name=person.name,
                title=person.title,
                email=f"{local or 'person'}@example.com",
                company=meeting.company,
                created_at=now,
            )
            session.add(contact)
            session.flush()
            session.add(
                Participant(interview_id=interview.id, contact_id=contact.id, notes=person.note)
            )
        session.flush()
        session.expunge(application)
        return interview.id, application


def run(show: bool = False) -> dict[str, Figures]:
    results: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory() as folder:
        for label, build in (("demo data", demo_drafts), ("note styles", fixture_drafts)):
            db = open_database(Path(folder) / f"{label.replace(' ', '_')}.sqlite3")
            try:
                written = build(db, MOMENT)
                results[label] = measure(written, MOMENT.date(), db)
                if show:
                    for item in written:
                        print(f"--- To {item.draft.to_name} | {item.draft.subject}")
                        print(item.draft.body, end="\n\n")
            finally:
                db.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every draft")
    arguments = parser.parse_args()
    results = run(show=arguments.show)
    print(f"Note styles in the fixture set: {note_count()}")
    print(
        f"{'set':<14}{'drafts':>7}{'pasted':>10}{'near-dup':>11}{'dates':>10}{'{...}':>10}"
        f"{'flagged':>9}"
    )
    for label, figures in results.items():
        print(figures.row(label))
    for label, figures in results.items():
        for kind in ("pasted_fragments", "near_duplicates", "unnatural_dates", "unfilled"):
            for finding in getattr(figures, kind):
                print(f"  {label} / {kind}: {finding}")


if __name__ == "__main__":
    main()
