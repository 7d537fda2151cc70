"""The follow-up delay: how many business days after the decision date a follow-up is due."""

import logging

import pytest
from sqlalchemy import select

from afterword.core.checklist.facts import RuleSettings
from afterword.core.errors import ValidationError
from afterword.core.settings import get_rule_settings, set_follow_up_business_days
from afterword.core.storage.db import Database
from afterword.core.storage.models import Setting


def test_two_business_days_unless_the_user_says_otherwise(db: Database) -> None:
    assert get_rule_settings(db) == RuleSettings(follow_up_business_days=2)


def test_the_users_choice_is_kept(db: Database) -> None:
    returned = set_follow_up_business_days(db, 5)

    assert returned.follow_up_business_days == 5
    assert get_rule_settings(db).follow_up_business_days == 5
    assert set_follow_up_business_days(db, 3).follow_up_business_days == 3


@pytest.mark.parametrize("days", [0, -1, 31, 1000])
def test_only_1_to_30_business_days_are_accepted(db: Database, days: int) -> None:
    set_follow_up_business_days(db, 4)

    with pytest.raises(ValidationError) as refused:
        set_follow_up_business_days(db, days)

    assert refused.value.field == "follow_up_business_days"
    assert "between 1 and 30" in refused.value.problem
    assert get_rule_settings(db).follow_up_business_days == 4


@pytest.mark.parametrize("days", [True, 2.5, "3"])
def test_only_whole_numbers_are_accepted(db: Database, days: object) -> None:
    with pytest.raises(ValidationError):
        set_follow_up_business_days(db, days)  # type: ignore[arg-type]

    with db.reading() as session:
        assert session.scalars(select(Setting)).all() == []


def test_a_damaged_stored_value_falls_back_to_the_default(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with db.session() as session:
        session.add(Setting(key="follow_up_business_days", value="soon"))

    with caplog.at_level(logging.WARNING):
        assert get_rule_settings(db).follow_up_business_days == 2

    assert "follow_up_business_days" in caplog.text
