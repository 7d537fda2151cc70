"""Today's seven-day horizon across a daylight-saving change: kept items and plain rules agree.

The sequence the equivalence state machine found: Today read in Los Angeles
(the kept items are wanted for that zone), a write that makes them for it,
then Today a week earlier, before the US clocks went forward on 8 March
2026. Items that came due seven days of elapsed time later (the rejected
application's follow-ups) were on the kept Today but not on the plain rules'
one, which added seven wall-clock days (an hour less) to ``now``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from afterword.core.checklist import service
from afterword.core.checklist.rules import UPCOMING, today_horizon
from afterword.core.checklist.start import read_today
from tests.core.checklist.test_equivalence import KeptEqualsPlain
from tests.core.checklist.test_fast_path import assert_fast_is_plain, plain_items

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def machine() -> Iterator[KeptEqualsPlain]:
    machine = KeptEqualsPlain()
    machine.seed()
    yield machine
    machine.teardown()


def test_the_horizon_is_seven_days_of_elapsed_time_in_any_zone() -> None:
    before_the_change = datetime(2026, 3, 4, 2, 0, tzinfo=LOS_ANGELES)
    assert today_horizon(before_the_change) == datetime(2026, 3, 11, 10, 0, tzinfo=UTC)
    assert today_horizon(before_the_change) - before_the_change == UPCOMING


def test_kept_today_equals_the_rules_a_week_before_the_clocks_change(
    machine: KeptEqualsPlain,
) -> None:
    machine.kept_equals_plain()
    machine.move_the_clock(timedelta(0), LOS_ANGELES)
    machine.kept_equals_plain()
    machine.change_follow_up_delay(days=1)  # a write: makes the kept items for Los Angeles
    machine.kept_equals_plain()
    machine.move_the_clock(timedelta(hours=-167), LOS_ANGELES)
    moment = machine.clock
    assert moment.utcoffset() == timedelta(hours=-8)  # still standard time
    assert service.make_kept(machine.db, moment) is False  # the kept items are read
    assert_fast_is_plain(machine.db, moment)
    # Due an hour inside the elapsed week (but after seven wall-clock days):
    # the rejected application's follow-ups are on Today, on every path.
    today = service.today(machine.db, moment)
    assert "ask_feedback:a1" in {item.key for item in today}
    assert read_today(machine.db.path, moment) == today
    assert {item.key for item in today} <= {item.key for item in plain_items(machine.db, moment)}
