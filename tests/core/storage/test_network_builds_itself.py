"""People met in interviews join the network: the company, a stay-in-touch cadence."""

from __future__ import annotations

from datetime import datetime

import pytest

from afterword.core.contacts import get_contact, list_contacts
from afterword.core.errors import ValidationError
from afterword.core.settings import (
    DEFAULT_STAY_IN_TOUCH_DAYS,
    get_stay_in_touch_days,
    set_stay_in_touch_days,
)
from afterword.core.storage.db import Database
from afterword.core.storage.models import Setting
from afterword.core.storage.records import ContactFields, ParticipantFields
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


def test_a_known_person_without_a_company_gets_this_one_and_keeps_their_cadence(
    db: Database, now: datetime
) -> None:
    app = application(db, now, company="Lumen Robotics")
    known = contact(db, now, "Aiko Tanaka")
    elsewhere = contact(db, now, "Jonas Weber", company="Freelance")
    interview(
        db,
        now,
        app.id,
        ParticipantFields(contact_id=known.id),
        ParticipantFields(contact_id=elsewhere.id),
    )
    assert get_contact(db, known.id).company == "Lumen Robotics"
    assert get_contact(db, known.id).cadence_days is None  # "no reminders" stays a choice
    assert get_contact(db, elsewhere.id).company == "Freelance"


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
