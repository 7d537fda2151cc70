"""People around applications: roles, who gets the reply to a rejection, who you know at
a company, LinkedIn searches, and referrals as touchpoints with an outcome."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from afterword.core.applications import create_application
from afterword.core.contacts import create_contact
from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.interviews import list_interviews, save_interview
from afterword.core.people import (
    linkedin_search_url,
    people_at_company,
    rejection_reply_choices,
)
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ContactFields,
    InterviewFields,
    InterviewRecord,
    ParticipantFields,
    TouchpointFields,
)
from afterword.core.storage.values import (
    ApplicationStatus,
    ParticipantRole,
    ReferralOutcome,
    TouchpointKind,
)
from afterword.core.touchpoints import list_touchpoints, log_touchpoint, set_referral_outcome


def _person(name: str, role: ParticipantRole, *, told: bool = False) -> ParticipantFields:
    email = f"{name.split()[0].lower()}@acme.example"
    return ParticipantFields(
        new_contact=ContactFields(name=name, email=email), role=role, delivered_outcome=told
    )


def _interview(
    db: Database, application_id: int, at: datetime, people: list[ParticipantFields]
) -> InterviewRecord:
    return save_interview(
        db,
        InterviewFields(application_id=application_id, starts_at=at, timezone="UTC"),
        people,
        now=at,
    )


def test_the_reply_goes_first_to_who_told_you_then_by_role(db: Database, now: datetime) -> None:
    app = create_application(db, ApplicationFields(company="Acme", role="Engineer"), now=now)
    _interview(
        db,
        app.id,
        now - timedelta(days=9),
        [_person("Ana Ruiz", ParticipantRole.INTERVIEWER)],
    )
    second = _interview(
        db,
        app.id,
        now - timedelta(days=2),
        [
            _person("Ben Ode", ParticipantRole.INTERVIEWER),
            _person("Cy Park", ParticipantRole.HIRING_MANAGER),
            _person("Di Lee", ParticipantRole.RECRUITER),
        ],
    )
    order = [p.name for p in rejection_reply_choices(db, app.id).people]
    assert order == ["Di Lee", "Cy Park", "Ben Ode", "Ana Ruiz"]  # recruiter, manager, latest

    # Ben told you: he comes first, marked, with the interview he was in.
    people = list(second.participants)
    marked = [
        ParticipantFields(
            contact_id=p.contact_id, role=p.role, delivered_outcome=p.contact_name == "Ben Ode"
        )
        for p in people
    ]
    save_interview(
        db,
        InterviewFields(application_id=app.id, starts_at=second.starts_at, timezone="UTC"),
        marked,
        now=now,
        interview_id=second.id,
    )
    first = rejection_reply_choices(db, app.id).people[0]
    assert (first.name, first.delivered_outcome, first.interview_id) == ("Ben Ode", True, second.id)


def test_only_one_person_can_have_told_you(db: Database, now: datetime) -> None:
    app = create_application(db, ApplicationFields(company="Acme", role="Engineer"), now=now)
    with pytest.raises(ValidationError) as raised:
        _interview(
            db,
            app.id,
            now,
            [
                _person("Ana Ruiz", ParticipantRole.RECRUITER, told=True),
                _person("Ben Ode", ParticipantRole.INTERVIEWER, told=True),
            ],
        )
    assert raised.value.field == "outcome_from"
    assert list_interviews(db, app.id) == []  # nothing written


def test_an_unknown_role_is_refused_at_its_row(db: Database, now: datetime) -> None:
    app = create_application(db, ApplicationFields(company="Acme", role="Engineer"), now=now)
    with pytest.raises(ValidationError) as raised:
        _interview(db, app.id, now, [_person("Ana Ruiz", "boss")])  # type: ignore[arg-type]
    assert raised.value.field == "participants[0].role"


def test_people_at_a_company_across_applications(db: Database, now: datetime) -> None:
    old = create_application(
        db,
        ApplicationFields(company="Acme", role="Analyst", status=ApplicationStatus.REJECTED),
        now=now - timedelta(days=200),
    )
    _interview(
        db, old.id, now - timedelta(days=190), [_person("Ana Ruiz", ParticipantRole.RECRUITER)]
    )
    create_contact(db, ContactFields(name="Émile Roux", company="ACME "), now=now)
    create_contact(db, ContactFields(name="Zed Other", company="Other Co"), now=now)

    people = people_at_company(db, "acme", now=now)

    assert [p.name for p in people] == ["Ana Ruiz", "Émile Roux"]
    assert people[0].met_on == ("Recruiter on Analyst (rejected)",)
    assert people[0].last_met_at == now - timedelta(days=190)
    assert people[0].next_meeting_at is None
    assert people[1].met_on == () and people[1].last_met_at is None
    assert people_at_company(db, "  ", now=now) == []


def test_an_interview_still_to_come_is_the_next_meeting_not_the_last(
    db: Database, now: datetime
) -> None:
    old = create_application(db, ApplicationFields(company="Acme", role="Analyst"), now=now)
    ana = _interview(
        db, old.id, now - timedelta(days=30), [_person("Ana Ruiz", ParticipantRole.RECRUITER)]
    ).participants[0]
    new = create_application(db, ApplicationFields(company="Acme", role="Engineer"), now=now)
    # Tomorrow: Ana again, and Bo for the first time.
    _interview(
        db,
        new.id,
        now + timedelta(days=1),
        [
            ParticipantFields(contact_id=ana.contact_id, role=ParticipantRole.RECRUITER),
            _person("Bo Lind", ParticipantRole.HIRING_MANAGER),
        ],
    )
    _interview(db, new.id, now + timedelta(days=8), [ParticipantFields(contact_id=ana.contact_id)])

    people = {p.name: p for p in people_at_company(db, "Acme", now=now)}

    assert people["Ana Ruiz"].last_met_at == now - timedelta(days=30)
    assert people["Ana Ruiz"].next_meeting_at == now + timedelta(days=1)
    assert people["Bo Lind"].last_met_at is None
    assert people["Bo Lind"].next_meeting_at == now + timedelta(days=1)
    # A day later the interview has begun: it is the last meeting, and the next is a week on.
    later = {p.name: p for p in people_at_company(db, "Acme", now=now + timedelta(days=1))}
    assert later["Bo Lind"].last_met_at == now + timedelta(days=1)
    assert later["Bo Lind"].next_meeting_at is None
    assert later["Ana Ruiz"].next_meeting_at == now + timedelta(days=8)


def test_linkedin_search_for_a_name_at_a_company() -> None:
    assert linkedin_search_url("Chloé Martin", "Acme & Co") == (
        "https://www.linkedin.com/search/results/people/?keywords=Chlo%C3%A9+Martin+Acme+%26+Co"
    )
    assert linkedin_search_url("Ana", "") == (
        "https://www.linkedin.com/search/results/people/?keywords=Ana"
    )


def test_a_referral_is_a_touchpoint_with_an_outcome(db: Database, now: datetime) -> None:
    ana = create_contact(db, ContactFields(name="Ana Ruiz"), now=now)
    asked = log_touchpoint(
        db,
        TouchpointFields(contact_id=ana.id, kind=TouchpointKind.REFERRAL, occurred_at=now),
        now=now,
    )
    assert asked.referral_outcome is ReferralOutcome.ASKED  # where every referral starts
    log_touchpoint(
        db,
        TouchpointFields(
            contact_id=ana.id,
            kind=TouchpointKind.REFERRAL,
            occurred_at=now,
            referral_outcome=ReferralOutcome.INTERVIEW,
        ),
        now=now,
    )
    assert {t.referral_outcome for t in list_touchpoints(db, ana.id)} == {
        ReferralOutcome.ASKED,
        ReferralOutcome.INTERVIEW,
    }
    with pytest.raises(ValidationError, match="Only a referral has an outcome"):
        log_touchpoint(
            db,
            TouchpointFields(
                contact_id=ana.id,
                kind=TouchpointKind.EMAIL,
                occurred_at=now,
                referral_outcome=ReferralOutcome.REFERRED,
            ),
            now=now,
        )


def test_a_referrals_outcome_is_updated_as_it_goes(db: Database, now: datetime) -> None:
    ana = create_contact(db, ContactFields(name="Ana Ruiz"), now=now)
    asked = log_touchpoint(
        db,
        TouchpointFields(contact_id=ana.id, kind=TouchpointKind.REFERRAL, occurred_at=now),
        now=now,
    )
    call = log_touchpoint(
        db,
        TouchpointFields(contact_id=ana.id, kind=TouchpointKind.CALL, occurred_at=now),
        now=now,
    )

    updated = set_referral_outcome(db, asked.id, ReferralOutcome.INTERVIEW)

    assert updated == replace(asked, referral_outcome=ReferralOutcome.INTERVIEW)
    assert [t.referral_outcome for t in list_touchpoints(db, ana.id) if t.id == asked.id] == [
        ReferralOutcome.INTERVIEW
    ]
    with pytest.raises(ValidationError, match="Only a referral has an outcome"):
        set_referral_outcome(db, call.id, ReferralOutcome.REFERRED)
    with pytest.raises(ValidationError):
        set_referral_outcome(db, asked.id, "maybe")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        set_referral_outcome(db, asked.id + 100, ReferralOutcome.DECLINED)
    assert {t.id: t.referral_outcome for t in list_touchpoints(db, ana.id)} == {
        asked.id: ReferralOutcome.INTERVIEW,
        call.id: None,
    }


def test_saving_without_roles_keeps_the_roles_set(db: Database, now: datetime) -> None:
    """Callers that know nothing of roles (an updated calendar invite) leave them alone."""
    app = create_application(db, ApplicationFields(company="Acme", role="Engineer"), now=now)
    first = _interview(db, app.id, now, [_person("Ana Ruiz", ParticipantRole.RECRUITER, told=True)])
    ana = first.participants[0].contact_id
    again = save_interview(
        db,
        InterviewFields(application_id=app.id, starts_at=now, timezone="UTC"),
        [ParticipantFields(contact_id=ana, notes="Kind.")],
        now=now,
        interview_id=first.id,
    )
    [person] = again.participants
    assert (person.role, person.delivered_outcome, person.notes) == (
        ParticipantRole.RECRUITER,
        True,
        "Kind.",
    )
