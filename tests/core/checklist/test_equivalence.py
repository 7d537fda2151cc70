"""Equivalence, property-tested: after any sequence of writes, Today from the kept items equals
the plain rules run over everything, at any moment.

A Hypothesis state machine writes through the core's own services, as the
app does: applications, interviews (with their participants), contacts,
touchpoints and sent messages (replies to a rejection asking for all, some
or none of what they can) are created, edited, deleted and restored; items
are checked off, dismissed, snoozed and unmarked; the follow-up delay
and contacts' cadences change. After every step, at a moment and in a zone
Hypothesis picks, the Today list and the applications table must be
exactly what the rules make of every row (``plain_items``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    rule,
)
from sqlalchemy.exc import IntegrityError

from afterword.core.applications import (
    create_application,
    delete_application,
    record_outcome,
    restore_application,
    update_application,
)
from afterword.core.checklist import service
from afterword.core.contacts import create_contact, delete_contact, restore_contact, update_contact
from afterword.core.errors import AfterwordError
from afterword.core.interviews import delete_interview, save_interview
from afterword.core.mail.outbox import mark_sent_by_post
from afterword.core.settings import set_follow_up_business_days
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.models import Message
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    ParticipantFields,
    TouchpointFields,
)
from afterword.core.storage.values import (
    ApplicationStatus,
    InterviewOutcome,
    Purpose,
    ReplyRequest,
    TouchpointKind,
)
from afterword.core.touchpoints import delete_touchpoint, log_touchpoint
from tests.core.checklist.test_fast_path import assert_fast_is_plain

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 11, 10, 0, tzinfo=BERLIN)
ZONES = (BERLIN, ZoneInfo("America/Los_Angeles"), ZoneInfo("Pacific/Auckland"))

_TEMPLATE: list[Path] = []


def _fresh_database() -> Database:
    """A migrated database file of its own (copied: migrating each time would be slow)."""
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="afterword-template-")) / "template.sqlite3"
        open_database(template).close()
        _TEMPLATE.append(template)
    folder = Path(tempfile.mkdtemp(prefix="afterword-equivalence-"))
    path = folder / "afterword.sqlite3"
    shutil.copyfile(_TEMPLATE[0], path)
    return open_database(path)


offsets = st.integers(min_value=-30 * 24, max_value=30 * 24).map(lambda h: timedelta(hours=h))
days = st.integers(min_value=-20, max_value=20).map(lambda d: START.date() + timedelta(days=d))
statuses = st.sampled_from(list(ApplicationStatus))
purposes = st.sampled_from(
    [Purpose.THANK_YOU, Purpose.STATUS_FOLLOW_UP, Purpose.REJECTION_REPLY, Purpose.CHECK_IN]
)
kinds = st.sampled_from(list(TouchpointKind))
cadences = st.one_of(st.none(), st.sampled_from([1, 7, 30, 90]))
# What a reply to a rejection asked for: often only some of it (None: everything).
reply_requests = st.one_of(st.none(), st.frozensets(st.sampled_from(list(ReplyRequest))))


class KeptEqualsPlain(RuleBasedStateMachine):
    applications = Bundle("applications")
    contacts = Bundle("contacts")
    interviews = Bundle("interviews")
    touchpoints = Bundle("touchpoints")
    deleted_applications = Bundle("deleted_applications")
    deleted_contacts = Bundle("deleted_contacts")
    deleted_touchpoints = Bundle("deleted_touchpoints")

    def __init__(self) -> None:
        super().__init__()
        self.db = _fresh_database()
        self.clock = START
        self.step = 0

    @initialize(target=contacts)
    def seed(self) -> MultipleResults[int]:
        """A small history every run starts from, so that few steps reach every rule."""
        now = self._now()
        people = [
            create_contact(
                self.db, ContactFields(name=name, email=email, cadence_days=cadence), now=now
            ).id
            for name, email, cadence in (
                ("Ann", "ann@example.com", None),
                ("Ben", "", 30),
                ("Cem", "cem@example.com", None),
            )
        ]
        for status, decision, when in (
            (ApplicationStatus.REJECTED, None, timedelta(days=-9)),
            (ApplicationStatus.INTERVIEWING, START.date() - timedelta(days=3), timedelta(days=-6)),
            (ApplicationStatus.INTERVIEWING, None, timedelta(days=2)),
        ):
            app = create_application(
                self.db,
                ApplicationFields(company="Seed", role="Dev", decision_expected=decision),
                now=now,
            ).id
            save_interview(
                self.db,
                InterviewFields(
                    application_id=app, starts_at=START + when, timezone="Europe/Berlin"
                ),
                [ParticipantFields(contact_id=c) for c in people[:2]],
                now=now,
            )
            if status == ApplicationStatus.REJECTED:
                fields = ApplicationFields(company="Seed", role="Dev", status=status)
                update_application(self.db, app, fields, now=now)
        return multiple(*people)

    def teardown(self) -> None:
        self.db.close()
        shutil.rmtree(self.db.path.parent, ignore_errors=True)

    def _now(self) -> datetime:
        # Every write happens a little later than the one before.
        self.step += 1
        return START + timedelta(minutes=self.step)

    def _try(self, write: Callable[[], Any]) -> Any:
        """A write the core may refuse (a row deleted meanwhile): refused, it changes nothing."""
        try:
            return write()
        except AfterwordError:
            return None
        except IntegrityError:
            # A known bug outside the checklist: touchpoint ids are reused
            # (no AUTOINCREMENT), so undoing a contact's deletion can collide
            # with a touchpoint logged since. The write is rolled back whole.
            return None

    # --- applications ---------------------------------------------------------------------------

    @rule(
        target=applications,
        status=statuses,
        decision=st.one_of(st.none(), days),
        next_steps=st.sampled_from(["", "They call on Friday."]),
    )
    def create_application(
        self, status: ApplicationStatus, decision: date | None, next_steps: str
    ) -> int:
        fields = ApplicationFields(
            company="Acme",
            role="Dev",
            status=status,
            decision_expected=decision,
            next_steps=next_steps,
        )
        return create_application(self.db, fields, now=self._now()).id

    @rule(
        app=applications,
        status=statuses,
        decision=st.one_of(st.none(), days),
        interested=st.booleans(),
    )
    def edit_application(
        self, app: int, status: ApplicationStatus, decision: date | None, interested: bool
    ) -> None:
        fields = ApplicationFields(
            company="Acme Corp",
            role="Dev",
            status=status,
            decision_expected=decision,
            still_interested=interested,
        )
        self._try(lambda: update_application(self.db, app, fields, now=self._now()))

    @rule(target=deleted_applications, app=consumes(applications))
    def delete_application(self, app: int) -> object:
        return self._try(lambda: delete_application(self.db, app))

    @rule(target=applications, deleted=consumes(deleted_applications))
    def restore_application(self, deleted: Any) -> int:
        if deleted is not None:
            self._try(lambda: restore_application(self.db, deleted))
            return int(deleted.application_id)
        return 0

    # --- contacts -------------------------------------------------------------------------------

    @rule(target=contacts, email=st.booleans(), cadence=cadences)
    def create_contact(self, email: bool, cadence: int | None) -> int:
        fields = ContactFields(
            name="Kim", email="kim@example.com" if email else "", cadence_days=cadence
        )
        return create_contact(self.db, fields, now=self._now()).id

    @rule(contact=contacts, email=st.booleans(), cadence=cadences)
    def edit_contact(self, contact: int, email: bool, cadence: int | None) -> None:
        fields = ContactFields(
            name="Kim Lee", email="kim@example.com" if email else "", cadence_days=cadence
        )
        self._try(lambda: update_contact(self.db, contact, fields))

    @rule(target=deleted_contacts, contact=consumes(contacts))
    def delete_contact(self, contact: int) -> object:
        return self._try(lambda: delete_contact(self.db, contact))

    @rule(target=contacts, deleted=consumes(deleted_contacts))
    def restore_contact(self, deleted: Any) -> int:
        if deleted is not None:
            self._try(lambda: restore_contact(self.db, deleted))
            return int(deleted.contact_id)
        return 0

    # --- interviews and their participants ------------------------------------------------------

    @rule(
        target=interviews,
        app=applications,
        people=st.lists(contacts, max_size=3, unique=True),
        when=offsets,
    )
    def create_interview(self, app: int, people: list[int], when: timedelta) -> int:
        record = self._try(
            lambda: save_interview(
                self.db,
                InterviewFields(
                    application_id=app, starts_at=START + when, timezone="Europe/Berlin"
                ),
                [ParticipantFields(contact_id=c) for c in people],
                now=self._now(),
            )
        )
        return 0 if record is None else int(record.id)

    @rule(
        interview=interviews,
        app=applications,
        people=st.lists(contacts, max_size=3, unique=True),
        when=offsets,
    )
    def edit_interview(self, interview: int, app: int, people: list[int], when: timedelta) -> None:
        self._try(
            lambda: save_interview(
                self.db,
                InterviewFields(
                    application_id=app,
                    starts_at=START + when,
                    timezone="America/New_York",
                    round_name="Final",
                ),
                [ParticipantFields(contact_id=c) for c in people],
                now=self._now(),
                interview_id=interview,
            )
        )

    @rule(interview=interviews, outcome=st.one_of(st.none(), st.sampled_from(InterviewOutcome)))
    def record_outcome(self, interview: int, outcome: InterviewOutcome | None) -> None:
        self._try(lambda: record_outcome(self.db, interview, outcome, now=self._now()))

    @rule(interview=consumes(interviews))
    def delete_interview(self, interview: int) -> None:
        self._try(lambda: delete_interview(self.db, interview))

    # --- touchpoints and messages ---------------------------------------------------------------

    @rule(
        target=touchpoints,
        contact=contacts,
        app=st.one_of(st.none(), applications),
        interview=st.one_of(st.none(), interviews),
        kind=kinds,
        purpose=purposes,
        ago=st.integers(min_value=0, max_value=40 * 24),
    )
    def log_touchpoint(
        self,
        contact: int,
        app: int | None,
        interview: int | None,
        kind: TouchpointKind,
        purpose: Purpose,
        ago: int,
    ) -> int:
        now = self._now()
        fields = TouchpointFields(
            contact_id=contact,
            kind=kind,
            purpose=purpose,
            occurred_at=now - timedelta(hours=ago),
            application_id=app,
            interview_id=interview,
        )
        record = self._try(lambda: log_touchpoint(self.db, fields, now=now))
        return 0 if record is None else int(record.id)

    @rule(target=deleted_touchpoints, touchpoint=consumes(touchpoints))
    def delete_touchpoint(self, touchpoint: int) -> object:
        return self._try(lambda: delete_touchpoint(self.db, touchpoint))

    @rule(target=touchpoints, deleted=consumes(deleted_touchpoints))
    def undo_touchpoint_delete(self, deleted: Any) -> int:
        if deleted is None:
            return 0
        fields = TouchpointFields(
            contact_id=deleted.contact_id,
            kind=deleted.kind,
            purpose=deleted.purpose,
            occurred_at=deleted.occurred_at,
            application_id=deleted.application_id,
            interview_id=deleted.interview_id,
        )
        record = self._try(lambda: log_touchpoint(self.db, fields, now=self._now()))
        return 0 if record is None else int(record.id)

    @rule(
        contact=contacts,
        app=st.one_of(st.none(), applications),
        purpose=purposes,
        requests=reply_requests,
    )
    def send_a_letter(
        self, contact: int, app: int | None, purpose: Purpose, requests: frozenset[str] | None
    ) -> None:
        now = self._now()
        try:
            with self.db.session() as session:
                draft = Message(
                    contact_id=contact,
                    application_id=app,
                    purpose=purpose,
                    subject="Hi",
                    body="Hello",
                    created_at=now,
                    updated_at=now,
                    # What a reply asks for travels to its touchpoint (None: as before 0014).
                    requests=requests,
                )
                session.add(draft)
                session.flush()
                message_id = draft.id
        except Exception:  # a contact or application deleted meanwhile: no draft
            return
        mark_sent_by_post(self.db, message_id, now)

    # --- marks and settings ---------------------------------------------------------------------

    @rule(
        pick=st.integers(min_value=0, max_value=50),
        how=st.sampled_from(["done", "dismiss", "snooze", "clear"]),
        hours=st.integers(min_value=1, max_value=24 * 10),
    )
    def mark(self, pick: int, how: str, hours: int) -> None:
        items = service.today(self.db, self.clock) + list(
            service.next_due_by_application(self.db, self.clock).values()
        )
        if not items:
            return
        key = items[pick % len(items)].key
        now = self._now()
        if how == "done":
            service.mark_done(self.db, key, now)
        elif how == "dismiss":
            service.dismiss(self.db, key, now)
        elif how == "snooze":
            service.snooze(self.db, key, now + timedelta(hours=hours), now)
        else:
            service.clear_mark(self.db, key)

    @rule(days=st.integers(min_value=1, max_value=30))
    def change_follow_up_delay(self, days: int) -> None:
        set_follow_up_business_days(self.db, days)

    # --- the clock, and the check -----------------------------------------------------------------

    @rule(shift=offsets, zone=st.sampled_from(ZONES))
    def move_the_clock(self, shift: timedelta, zone: ZoneInfo) -> None:
        self.clock = (START + shift).astimezone(zone)

    @invariant()
    def kept_equals_plain(self) -> None:
        assert_fast_is_plain(self.db, self.clock)


KeptEqualsPlain.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    # No shrinking: a replay of this machine takes a fraction of a second, so
    # shrinking a failure runs for minutes, past the suite's 120 s timeout,
    # which then ends it as a misleading FlakyStrategyDefinition. A failure
    # prints its steps as they ran (at most 25) and a blob to replay it; to
    # shrink it, run this file with Phase.shrink added and `-o timeout=0`.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    report_multiple_bugs=False,
    print_blob=True,
)
TestKeptItemsEqualThePlainRules = KeptEqualsPlain.TestCase
