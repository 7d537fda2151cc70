"""Reading real-shaped invites from Google, Outlook/Teams, Zoom, iCloud and Webex."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from afterword.core.calendar.invites import MAX_INVITE_BYTES, InviteError, read_invite
from afterword.core.calendar.links import find_video_link, service_name
from tests.core.calendar.helpers import fixture


def test_a_google_invite_keeps_its_zone_meet_link_and_people() -> None:
    invite = read_invite(fixture("google_meet.ics"), local_zone="Europe/Berlin")
    assert invite.method == "REQUEST"
    assert invite.zone == "America/New_York"
    assert invite.start.astimezone(UTC) == datetime(2026, 3, 17, 18, 0, tzinfo=UTC)
    assert invite.duration_minutes == 45
    assert invite.video_link == "https://meet.google.com/abc-defg-hij"
    # The meeting room (CUTYPE=RESOURCE) is no person.
    assert [(p.name, p.email, p.organizer) for p in invite.people] == [
        ("Priya Raman", "priya.raman@northwind.io", True),
        ("Marcus Lee", "marcus.lee@northwind.io", False),
        ("alex.candidate@example.org", "alex.candidate@example.org", False),
    ]


def test_outlooks_custom_time_zone_becomes_an_iana_zone_and_names_read_first_last() -> None:
    invite = read_invite(fixture("outlook_teams_custom_tz.ics"), local_zone="America/Chicago")
    # No preference matches this block, so the zone is found by its offsets.
    assert invite.zone is not None
    assert invite.start.astimezone(UTC) == datetime(2026, 3, 24, 9, 30, tzinfo=UTC)
    assert _same_rules(invite.zone, "Europe/Berlin")
    # Quoted "Müller, Anna" (Outlook's directory order) is read whole, then said first-last.
    assert invite.people[0].name == "Anna Müller"
    assert invite.people[1].name == "Jonas Schmidt (HR)"
    # Folded X-MICROSOFT-SKYPETEAMSMEETINGURL, unfolded whole.
    assert invite.video_link.startswith("https://teams.microsoft.com/l/meetup-join/19%3ameeting_")
    assert invite.video_link.endswith("%22%7d")


def _same_rules(name: str | None, other: str) -> bool:
    assert name is not None
    instants = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=6 * n) for n in range(4 * 366)]
    return all(
        i.astimezone(ZoneInfo(name)).utcoffset() == i.astimezone(ZoneInfo(other)).utcoffset()
        for i in instants
    )


US_CUSTOM_ZONE = b"""BEGIN:VCALENDAR
METHOD:REQUEST
VERSION:2.0
BEGIN:VTIMEZONE
TZID:Custom Eastern
BEGIN:STANDARD
DTSTART:16011104T020000
RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010311T020000
RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:us-custom-1
DTSTART;TZID=Custom Eastern:20260305T100000
DTEND;TZID=Custom Eastern:20260305T110000
ORGANIZER;CN=Pat:mailto:pat@northwind.io
END:VEVENT
END:VCALENDAR
"""


def test_a_custom_us_zone_is_told_apart_from_zones_that_switch_on_other_dates() -> None:
    # Europe switches weeks later than the US: a match on a few dates is not enough.
    invite = read_invite(US_CUSTOM_ZONE, local_zone="America/Havana")
    assert _same_rules(invite.zone, "America/New_York")
    assert invite.start.astimezone(UTC) == datetime(2026, 3, 5, 15, 0, tzinfo=UTC)


def test_the_custom_zone_matches_the_persons_own_zone_first() -> None:
    invite = read_invite(fixture("outlook_teams_custom_tz.ics"), local_zone="Europe/Berlin")
    assert invite.zone == "Europe/Berlin"


def test_a_windows_zone_name_without_a_block_is_understood() -> None:
    invite = read_invite(fixture("teams_windows_zone.ics"))
    assert invite.zone == "Europe/London"
    assert invite.start.astimezone(UTC) == datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
    assert invite.people[0].name == "Siobhan O'Brien"


def test_utc_times_are_shown_in_the_persons_zone_and_zoom_links_are_found() -> None:
    invite = read_invite(fixture("zoom_utc.ics"), local_zone="Europe/Berlin")
    assert invite.method == "PUBLISH"
    assert invite.zone == "Europe/Berlin"
    assert invite.start == datetime(2026, 3, 20, 16, 0, tzinfo=UTC)
    assert invite.video_link.startswith("https://us02web.zoom.us/j/87654321098?pwd=")
    assert service_name(invite.video_link) == "Zoom"


def test_an_all_day_event_is_flagged_and_starts_at_nine_until_the_person_picks() -> None:
    invite = read_invite(fixture("icloud_all_day.ics"))
    assert invite.all_day and invite.zone is None
    assert invite.start == datetime(2026, 3, 27, 9, 0)
    assert invite.location == "Litware HQ, 1 Harbour Street, Dublin"


def test_floating_times_are_flagged_for_the_person_to_choose_a_zone() -> None:
    invite = read_invite(fixture("webex_floating.ics"))
    assert invite.floating and invite.zone is None
    assert invite.start == datetime(2026, 4, 1, 15, 0)
    assert invite.sequence == 3
    assert service_name(invite.video_link) == "Webex"
    assert invite.people[1].name == "Thi Nguyen, PhD"


def test_updates_and_cancellations_carry_their_sequence() -> None:
    update = read_invite(fixture("outlook_teams_update.ics"), local_zone="Europe/Berlin")
    cancel = read_invite(fixture("outlook_teams_cancel.ics"), local_zone="Europe/Berlin")
    assert (update.sequence, update.cancelled) == (1, False)
    assert (cancel.sequence, cancel.cancelled) == (2, True)
    assert update.uid == cancel.uid


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.ics", "cannot be read"),
        ("no_event.ics", "holds no event"),
        ("no_attendees.ics", "no organizer and no attendees"),
        ("unknown_zone.ics", "“Mars/Olympus_Mons”, which is unknown"),
    ],
)
def test_bad_invites_get_a_clear_message(name: str, message: str) -> None:
    with pytest.raises(InviteError, match=message):
        read_invite(fixture(name))


def test_text_that_is_no_calendar_and_files_over_5_mb_are_refused() -> None:
    with pytest.raises(InviteError, match="not a calendar file"):
        read_invite("Dear Alex, see you on Tuesday!")
    big = fixture("zoom_utc.ics").replace(
        b"END:VEVENT", b"X-PAD:" + b"x" * MAX_INVITE_BYTES + b"\r\nEND:VEVENT"
    )
    with pytest.raises(InviteError, match="over 5 MB"):
        read_invite(big)


def test_a_reply_is_not_an_invitation() -> None:
    reply = fixture("zoom_utc.ics").replace(b"METHOD:PUBLISH", b"METHOD:REPLY")
    with pytest.raises(InviteError, match="REPLY message"):
        read_invite(reply)


def test_video_links_from_each_service_and_not_other_links() -> None:
    assert (
        find_video_link(["see https://example.com/help", "https://meet.google.com/xyz-abcd-efg."])
        == "https://meet.google.com/xyz-abcd-efg"
    )
    assert (
        find_video_link(["<https://teams.live.com/meet/9876543210>"])
        == "https://teams.live.com/meet/9876543210"
    )
    assert (
        find_video_link(["https://acme.webex.com/meet/jane.doe"])
        == "https://acme.webex.com/meet/jane.doe"
    )
    assert find_video_link(["https://support.google.com/a/users/answer/9282720"]) == ""
