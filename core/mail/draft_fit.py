"""Whether a saved draft still fits the facts: the day it names, a no that came after it.

A draft says "today" or "on Monday" as seen from the day it was written, and a
thank-you written before a rejection may still look forward to the next steps.
An unsent draft the person has not edited is simply written again when it is
asked for (:func:`afterword.core.mail.drafts.prepare_thank_you_drafts`); one
they edited is kept as they left it, and :func:`outdated` says what in it no
longer fits, so they can change it or start over. Pure functions of plain values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from afterword.core.mail.sentences import long_date, natural_day, on_day
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.text import fold
from afterword.core.storage.values import Purpose

# The notes that presume the job is still open, and name days relative to when they were written.
OUTDATED_PURPOSES = frozenset({Purpose.THANK_YOU, Purpose.STATUS_FOLLOW_UP})
# The composer's button that writes a draft afresh from today's facts.
START_OVER = "or click Start over"
# Words of the built-in thank-yous and follow-ups that look ahead to a job still open
# (compared folded, so case does not matter).
_LOOKING_AHEAD = (
    "next step",
    "next stage",
    "look forward",
    "hearing from you",
    "hear from you",
    "speak again soon",
    "keener",
    "want to join",
    "where i want to be",
    "confirmed my interest",
    "more interested than before",
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_QUOTE_LIMIT = 90


@dataclass(frozen=True)
class DraftFacts:
    """What a draft's words depend on, as the database has it now."""

    company: str = ""
    # When the no came, for a rejected application; None while it is open or went another way.
    rejected_at: datetime | None = None
    # The interview's day where it took place.
    interview_day: date | None = None
    decision_expected: date | None = None
    # Where the interview took place: what "today" in the draft is counted from.
    zone: tzinfo = UTC


def outdated(draft: MessageRecord, facts: DraftFacts, now: datetime) -> tuple[str, ...]:
    """What in ``draft`` no longer fits ``facts`` at ``now``, one sentence each (may be empty)."""
    if draft.purpose not in OUTDATED_PURPOSES:
        return ()
    return (*_stale_days(draft, facts, now), *_before_the_no(draft, facts))


def _stale_days(draft: MessageRecord, facts: DraftFacts, now: datetime) -> list[str]:
    """A "today" or "on Monday" that meant another day when the draft was written."""
    written = draft.created_at.astimezone(facts.zone).date()
    today = now.astimezone(facts.zone).date()
    if written == today:
        return []
    warnings: list[str] = []
    # The ways the built-in templates name these days: {when} and {decision_day}.
    for day, say in ((facts.interview_day, on_day), (facts.decision_expected, natural_day)):
        if day is None:
            continue
        then, now_said = say(day, written), say(day, today)
        if then != now_said and _says(draft.body, then):
            warnings.append(
                f"Says “{then}” but was written on {long_date(written)}; today it would say "
                f"“{now_said}”. Change it, {START_OVER}."
            )
    return warnings


def _before_the_no(draft: MessageRecord, facts: DraftFacts) -> list[str]:
    """A note written while the job was open, for an application that has since been turned down."""
    if facts.rejected_at is None or draft.created_at >= facts.rejected_at:
        return []
    who = facts.company.strip() or "they"
    sentence = _looking_ahead(draft.body)
    if sentence:
        return [
            f"Written before {who} said no: it still says “{sentence}”. Reword it, {START_OVER}."
        ]
    if draft.updated_at < facts.rejected_at:
        # Not touched since the no, and in words we do not recognise: worth a second look.
        return [
            f"Written before {who} said no: read it again so it doesn't sound as if the job "
            f"were still open, {START_OVER}."
        ]
    return []


def _says(body: str, phrase: str) -> bool:
    """Whether ``body`` holds ``phrase`` as whole words, whatever the case."""
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, fold(phrase).split())) + r"(?!\w)"
    return re.search(pattern, fold(body)) is not None


def _looking_ahead(body: str) -> str:
    """The first sentence of ``body`` that looks ahead to a job still open, else ""."""
    for match in _SENTENCE.finditer(body):
        sentence = " ".join(match.group(0).split()).rstrip(".!")
        if any(words in fold(sentence) for words in _LOOKING_AHEAD):
            if len(sentence) > _QUOTE_LIMIT:
                return sentence[: _QUOTE_LIMIT - 1].rstrip() + "…"
            return sentence
    return ""
