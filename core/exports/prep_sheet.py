"""The "Before you go in" sheet as text: shown on screen, printed, saved as PDF, mailed.

:func:`prep_sheet_sections` lays a :class:`afterword.core.prepare.PrepSheet`
out as headed sections of paragraphs (the screen and the printout render
these); :func:`prep_sheet_text` is the same as plain text, for the note to
oneself. Pure functions of the sheet and ``now``: dates are written out in
full, in English, as the sheet may be read on another day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from afterword.core.mail.sentences import long_date
from afterword.core.people import ROLE_WORDS, linkedin_search_url
from afterword.core.storage.values import (
    InterviewFormat,
    ParticipantRole,
    Purpose,
    ReferralOutcome,
    TouchpointKind,
)
from afterword.core.touchpoints import KIND_WORDS

if TYPE_CHECKING:
    from afterword.core.prepare import PersonToMeet, PrepSheet

FORMAT_WORDS = {
    InterviewFormat.VIDEO: "Video call",
    InterviewFormat.PHONE: "Phone",
    InterviewFormat.ONSITE: "On-site",
}
REFERRAL_WORDS = {
    ReferralOutcome.ASKED: "waiting to hear",
    ReferralOutcome.REFERRED: "they referred you",
    ReferralOutcome.DECLINED: "they could not",
    ReferralOutcome.INTERVIEW: "it led to an interview",
}
PURPOSE_WORDS = {
    Purpose.THANK_YOU: "thank-you",
    Purpose.STATUS_FOLLOW_UP: "follow-up",
    Purpose.REJECTION_REPLY: "reply to a rejection",
    Purpose.CHECK_IN: "check-in",
    Purpose.OTHER: "",
}
NO_REASON = (
    "Not written yet. Write a sentence on the application: it is what you will say "
    "when they ask why you want this job."
)
NOBODY = "Nobody recorded yet. Add the people to the interview as you learn their names."


@dataclass(frozen=True)
class Section:
    """A heading and its paragraphs; a person (level 2) has a line per fact."""

    heading: str
    paragraphs: tuple[str, ...]
    level: int = 1


def prep_sheet_title(sheet: PrepSheet) -> str:
    return f"Before you go in: {sheet.role} at {sheet.company}"


def prep_sheet_subject(sheet: PrepSheet) -> str:
    """The subject of the note to oneself: the sheet's title and the day."""
    day = sheet.starts_at.astimezone(ZoneInfo(sheet.timezone)).date()
    return f"{prep_sheet_title(sheet)}, {long_date(day)}"


def when_line(sheet: PrepSheet) -> str:
    """ "Thursday, 12 March 2026, 14:00–15:00 (Europe/Berlin) · Video call"."""
    start = sheet.starts_at.astimezone(ZoneInfo(sheet.timezone))
    end = start + timedelta(minutes=sheet.duration_minutes)
    parts = [
        f"{long_date(start.date())}, {start:%H:%M}–{end:%H:%M} ({sheet.timezone})",
        FORMAT_WORDS[InterviewFormat(sheet.format)],
    ]
    if sheet.round_name:
        parts.insert(0, sheet.round_name)
    return " · ".join(parts)


def _person(person: PersonToMeet, company: str, zone: ZoneInfo) -> Section:
    role = ROLE_WORDS[ParticipantRole(person.role)]
    lines = [f"{person.title} ({role.lower()})" if person.title else role]
    if person.linkedin_url:
        lines.append(f"LinkedIn: {person.linkedin_url}")
    else:
        lines.append(f"Look them up on LinkedIn: {linkedin_search_url(person.name, company)}")
    if person.email:
        lines.append(f"Email: {person.email}")
    if person.notes_here.strip():
        lines.append(f"Your notes for this interview: {person.notes_here.strip()}")
    if person.contact_notes.strip():
        lines.append(f"Your notes on them: {person.contact_notes.strip()}")
    for earlier in person.earlier:
        day = long_date(earlier.starts_at.astimezone(zone).date())
        what = earlier.round_name or "Interview"
        noted = earlier.notes.strip() or "no notes"
        lines.append(f"Earlier: {what} at {earlier.company}, {day}: {noted}")
    for touchpoint in person.touchpoints:
        day = long_date(touchpoint.occurred_at.astimezone(zone).date())
        what = KIND_WORDS[TouchpointKind(touchpoint.kind)]
        purpose = PURPOSE_WORDS[Purpose(touchpoint.purpose)]
        if touchpoint.referral_outcome is not None:
            purpose = REFERRAL_WORDS[ReferralOutcome(touchpoint.referral_outcome)]
        if purpose:
            what = f"{what} ({purpose})"
        note = f": {touchpoint.note.strip()}" if touchpoint.note.strip() else ""
        lines.append(f"{what}, {day}{note}")
    if not person.earlier and not person.touchpoints:
        lines.append("You have not met or written to them before.")
    return Section(person.name, tuple(lines), level=2)


def prep_sheet_sections(sheet: PrepSheet) -> list[Section]:
    """The sheet as sections, in the order they are read before going in."""
    zone = ZoneInfo(sheet.timezone)
    where = [when_line(sheet)]
    for place in (sheet.location, sheet.video_link):
        if place and place not in where:
            where.append(place)
    sections = [
        Section("When and where", tuple(where)),
        Section("Why you want this job", (sheet.why_interested.strip() or NO_REASON,)),
    ]
    if sheet.people:
        sections.append(Section("The people you will meet", ()))
        sections.extend(_person(person, sheet.company, zone) for person in sheet.people)
    else:
        sections.append(Section("The people you will meet", (NOBODY,)))
    closing = list(sheet.closing_questions)
    if sheet.next_steps_known.strip():
        closing.append(f"What you were told so far: {sheet.next_steps_known.strip()}")
    sections.append(Section("Before you leave, ask", tuple(closing)))
    sections.append(Section("If the conversation stalls", (sheet.pause_tip,)))
    return sections


def prep_sheet_text(sheet: PrepSheet, now: datetime) -> str:
    """The sheet as plain text, dated ``now`` (the day it was made)."""
    title = prep_sheet_title(sheet)
    blocks = [f"{title}\n{'=' * len(title)}"]
    for section in prep_sheet_sections(sheet):
        if section.level == 1:
            lines = [section.heading, "-" * len(section.heading)]
            lines.extend(section.paragraphs)
        else:
            lines = [f"* {section.heading}"]
            lines.extend(f"  {paragraph}" for paragraph in section.paragraphs)
        blocks.append("\n".join(lines))
    blocks.append(f"Made by Afterword on {long_date(now.date())}.")
    return "\n\n".join(blocks) + "\n"
