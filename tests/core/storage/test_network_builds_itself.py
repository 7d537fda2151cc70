"""People met in interviews join the network: the company, a stay-in-touch cadence."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from afterword.core.contacts import get_contact, list_contacts, update_contact
from afterword.core.errors import ValidationError
from afterword.core.interviews import save_interview
from afterword.core.settings import (
    DEFAULT_STAY_IN_TOUCH_DAYS,
    get_stay_in_touch_days,
    set_stay_in_touch_days,
)
from afterword.core.storage.db import Database
from afterword.core.storage.models import Setting
from afterword.core.storage.records import (
    ContactFields,
    InterviewFields,
    ParticipantFields,
    editable,
)
from tests.core.storage.helpers import application, contact, interview


def test_someone_met_in_an_interview_gets_the_company_and_the_default_cadence(
    db: Database, now: datetime
) -> None:
    app = application(db, now, company="Quarry Logistics")
    interview(db, now, app.id, ParticipantFields(new_contact=ContactFields(name="Ravi Shah")))
    (ravi,) = list_contacts(db)
    assert (ravi.company, ravi.cadence_days) == ("Quarry Logistics", DEFAULT_STAY_IN_TOUCH_DAYS)
    assert DEFAULT_STAY_IN_TOUCH_DAYS == 90


def test_what_the_form_says_wins_over_the_defaults(db: Database, now: datetime) -> None:
    app = application(db, now, company="Quarry Logistics")
    typed = ContactFields(name="Olivia Brown", company="Quarry Group", cadence_days=30)
    interview(db, now, app.id, ParticipantFields(new_contact=typed))
    (olivia,) = list_contacts(db)
    assert (olivia.company, olivia.cadence_days) == ("Quarry Group", 30)


def test_a_known_person_met_here_gets_the_company_and_a_cadence_if_they_have_none(
    db: Database, now: datetime
) -> None:
    app = application(db, now, company="Lumen Robotics")
    known = contact(db, now, "Aiko Tanaka")
    elsewhere = contact(db, now, "Jonas Weber", company="Freelance", cadence_days=30)
    interview(
        db,
        now,
        app.id,
        ParticipantFields(contact_id=known.id),
        ParticipantFields(contact_id=elsewhere.id),
    )
    aiko, jonas = get_contact(db, known.id), get_contact(db, elsewhere.id)
    assert (aiko.company, aiko.cadence_days) == ("Lumen Robotics", DEFAULT_STAY_IN_TOUCH_DAYS)
    assert (jonas.company, jonas.cadence_days) == ("Freelance", 30)  # their own stays


def test_turning_reminders_off_for_someone_met_stays_off_when_the_interview_is_saved_again(
    db: Database, now: datetime
) -> None:
    app = application(db, now)
    known = contact(db, now, "Aiko Tanaka")
    first = interview(db, now, app.id, ParticipantFields(contact_id=known.id))
    aiko = get_contact(db, known.id)
    values = editable(aiko, ContactFields)
    update_contact(db, known.id, replace(values, cadence_days=None))

    save_interview(
        db,
        InterviewFields(
            application_id=app.id,
            starts_at=first.starts_at,
            timezone=first.timezone,
            round_name="First round",
        ),
        [ParticipantFields(contact_id=known.id, notes="Kind.")],
        now=now,
        interview_id=first.id,
    )

    assert get_contact(db, known.id).cadence_days is None


def test_the_default_cadence_is_a_setting(db: Database, now: datetime) -> None:
    assert set_stay_in_touch_days(db, 60) == 60
    assert get_stay_in_touch_days(db) == 60
    app = application(db, now)
    interview(db, now, app.id, ParticipantFields(new_contact=ContactFields(name="Cy Park")))
    assert list_contacts(db)[0].cadence_days == 60


@pytest.mark.parametrize("days", [0, 6, 366, True, 1.5])
def test_a_cadence_out_of_range_is_refused_and_nothing_changes(db: Database, days: object) -> None:
    with pytest.raises(ValidationError) as caught:
        set_stay_in_touch_days(db, days)  # type: ignore[arg-type]
    assert caught.value.field == "stay_in_touch_days"
    assert get_stay_in_touch_days(db) == DEFAULT_STAY_IN_TOUCH_DAYS


def test_a_damaged_stored_cadence_falls_back_to_the_default(db: Database) -> None:
    with db.session() as session:
        session.merge(Setting(key="stay_in_touch_days", value="soon"))
    assert get_stay_in_touch_days(db) == DEFAULT_STAY_IN_TOUCH_DAYS
