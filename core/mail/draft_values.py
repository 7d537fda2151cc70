"""What a draft's placeholders become: names, days, sentences, which variant fits.

:func:`draft_values` turns the application, interview and person into the
values :func:`afterword.core.mail.templates.fill` puts into a template;
:func:`thank_you_variant` picks the built-in thank-you that fits the
conversation (one-to-one, panel, phone screen, after a rejection), and
:func:`wording_seed` which of a template's wordings a person gets.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from afterword.core.mail.sentences import (
    long_date,
    natural_day,
    note_sentence,
    on_day,
    reason_sentence,
)
from afterword.core.storage.models import Application, Contact, Interview, Participant
from afterword.core.storage.text import speaking_order
from afterword.core.storage.validation import UNKNOWN_ZONE
from afterword.core.storage.values import ApplicationStatus, InterviewFormat

logger = logging.getLogger(__name__)

_HONORIFICS = frozenset({"dr", "prof", "mr", "mrs", "ms", "mx", "miss", "sir", "dame"})
# Last words of a round's name that make "the <name>" read as an event.
_EVENT_NOUNS = frozenset(
    [
        "interview",
        "call",
        "review",
        "loop",
        "round",
        "screen",
        "screening",
        "conversation",
        "session",
        "chat",
        "meeting",
        "presentation",
        "exercise",
        "case",
        "lunch",
        "visit",
        "onsite",
        "on-site",
        "debrief",
        "panel",
        "test",
        "assessment",
    ]
)
# Words in a round's name or a person's title that make a call a recruiter's screen.
_SCREEN_WORDS = ("screen", "recruit", "talent", "sourc")


def first_name(full_name: str) -> str:
    """The first word of a name as said, after titles such as "Dr." or "Prof.".

    A name stored in directory order ("Oyelaran, Marcus") gives the part
    after the comma ("Marcus"), never "Oyelaran,".
    """
    words = speaking_order(full_name).split()
    while len(words) > 1 and words[0].rstrip(".").casefold() in _HONORIFICS:
        words.pop(0)
    return words[0].rstrip(",") if words else ""


def thank_you_variant(application: Application, interview: Interview) -> str:
    """Which thank-you fits: after a rejection, a phone screen, a panel, or one-to-one ("")."""
    if application.status == ApplicationStatus.REJECTED:
        return "after_rejection"
    words = " ".join(
        [interview.round_name, *(person.contact.title for person in interview.participants)]
    ).casefold()
    if interview.format == InterviewFormat.PHONE or any(word in words for word in _SCREEN_WORDS):
        return "phone_screen"
    return "panel" if len(interview.participants) > 1 else ""


def wording_seed(interview: Interview | None, contact: Contact | None) -> tuple[int, int]:
    """The seed and position that choose a draft's wording (see ``templates.wording_choices``).

    In an interview: the interview's id, and the person's place among its
    people in the order they were added, so the notes of one panel differ from
    each other and stay the same when made again. Without one: the contact's id.
    """
    if interview is None:
        return (contact.id if contact else 0, 0)
    people = [person.contact_id for person in sorted(interview.participants, key=_by_id)]
    position = people.index(contact.id) if contact and contact.id in people else 0
    return interview.id, position


def draft_values(
    *,
    application: Application | None,
    interview: Interview | None,
    contact: Contact | None,
    notes: str,
    my_name: str,
    today: date,
    requests: frozenset[str],
) -> dict[str, str]:
    company = application.company if application else (contact.company if contact else "")
    decision = application.decision_expected if application else None
    reason = reason_sentence(application.why_interested).text if application else ""
    still_interested = (
        application is not None and application.still_interested and "still_interested" in requests
    )
    interest = f"I am still very interested in {company}. {reason}".strip() if company else ""
    return {
        "first_name": first_name(contact.name) if contact else "",
        "name": contact.name if contact else "",
        "company": company,
        "role": application.role if application else "",
        "why_interested": application.why_interested if application else "",
        "conversation_notes": notes,
        "interview_date": long_date(interview_day(interview)) if interview else "",
        "round_name": interview.round_name if interview else "",
        "my_name": my_name,
        "decision_date": long_date(decision) if decision else "",
        "decision_day": natural_day(decision, today) if decision else "",
        "when": on_day(interview_day(interview), today) if interview else "",
        "conversation": _conversation(interview),
        "conversation_sentence": note_sentence(notes).text,
        "reason_sentence": reason,
        "interest_sentence": interest if still_interested else "",
        "if_feedback": "yes" if "feedback" in requests else "",
        "if_referral": "yes" if "referral" in requests else "",
        "if_stay_in_touch": "yes" if "stay_in_touch" in requests else "",
    }


def _by_id(participant: Participant) -> int:
    return participant.id


def _conversation(interview: Interview | None) -> str:
    """The round for a subject line: "the technical interview", else "our conversation"."""
    if interview is None or not interview.round_name.strip():
        return "our conversation"
    name = " ".join(interview.round_name.split())
    if name.split()[-1].casefold() not in _EVENT_NOUNS:
        # "Meet the team" or "System design": "the meet the team" would not read.
        return "our conversation"
    first, _, rest = name.partition(" ")
    # "Technical interview" reads "the technical interview"; "SQL screen" keeps its capitals.
    if first[1:].islower() and first.isascii():
        name = f"{first.lower()} {rest}".strip()
    return name if name.casefold().startswith(("the ", "our ", "a ")) else f"the {name}"


def local_today(now: datetime, interview: Interview | None) -> date:
    """Today where the interview took place, which is what "yesterday" is counted from."""
    return now.astimezone(interview_zone(interview)).date()


def interview_day(interview: Interview) -> date:
    """The interview's day where it took place (late evening in Berlin is not tomorrow)."""
    return interview.starts_at.astimezone(interview_zone(interview)).date()


def interview_zone(interview: Interview | None) -> tzinfo:
    """Where the interview took place (UTC without one): what "today" is counted from."""
    if interview is None:
        return UTC
    try:
        return ZoneInfo(interview.timezone)
    except UNKNOWN_ZONE:
        return UTC
