"""The personal-note check run before a message is sent.

Warnings (no reason for interest, nothing specific to the person, a note that
could not be made into a sentence, nearly the same as another interviewer's
note or an earlier note to the same company, and what no longer fits the facts:
see :mod:`afterword.core.mail.draft_fit`) never block; blockers (an
unfilled placeholder, no recipient, an empty subject, a field the message
builder would refuse) do. Pure functions of plain records.

Near-duplicates: :func:`similarity` is the Jaccard index of the two bodies'
sets of word trigrams (three words in a row), after folding case and accents
and masking each recipient's names; two notes at or above
:data:`SIMILARITY_LIMIT` read as one text sent twice. ``docs/templates.md``
explains the choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from afterword.core.errors import ValidationError
from afterword.core.mail.compose import SUBJECT_LIMIT, header_text
from afterword.core.mail.draft_fit import DraftFacts, outdated
from afterword.core.mail.sentences import note_sentence, reason_sentence
from afterword.core.mail.templates import render
from afterword.core.storage.records import MessageRecord
from afterword.core.storage.text import fold
from afterword.core.storage.validation import email_address, long_text
from afterword.core.storage.values import Purpose

# At or above this share of shared word trigrams two notes read as one text sent twice.
SIMILARITY_LIMIT = 0.5
# Share of the longer words of "why I'm interested" (or of the notes) that must
# appear in the body for it to count as mentioned after the user reworded it.
MENTION_SHARE = 0.6

# Which personal-note warnings make sense for which purpose: a check-in is not
# about a job, a status follow-up is not about one conversation. After a no
# (a reply to it, a thank-you anyway) a reason is asked for only when the note
# says you are still interested: see _wants_reason.
_NEEDS_REASON = frozenset({Purpose.THANK_YOU, Purpose.STATUS_FOLLOW_UP, Purpose.REJECTION_REPLY})
_NEEDS_PERSONAL = frozenset({Purpose.THANK_YOU, Purpose.CHECK_IN})
_WORD = re.compile(r"\w+")
_STILL_INTERESTED = re.compile(r"\binterested\b")


@dataclass(frozen=True)
class DraftCheck:
    """What the personal-note check found. Only ``blockers`` stop a send."""

    warnings: tuple[str, ...]
    blockers: tuple[str, ...]
    unfilled: tuple[str, ...]
    # The warnings (also in ``warnings``) that say the draft no longer fits the facts.
    outdated: tuple[str, ...] = ()

    @property
    def can_send(self) -> bool:
        return not self.blockers


def check_draft(
    draft: MessageRecord,
    siblings: Sequence[MessageRecord],
    why_interested: str,
    conversation_notes: str,
    earlier: Sequence[MessageRecord] = (),
    *,
    facts: DraftFacts | None = None,
    now: datetime | None = None,
) -> DraftCheck:
    """The personal-note check.

    ``siblings`` are the drafts to the other interviewers of the same
    interview; ``earlier`` the notes of the same purpose to other people at the
    same company. With ``facts`` and ``now``, what no longer fits them (a stale
    "today", a note written before a no) comes first among the warnings.
    """
    stale = outdated(draft, facts, now) if facts is not None and now is not None else ()
    warnings: list[str] = list(stale)
    person = draft.to_name.strip() or "this person"
    made = note_sentence(conversation_notes)
    if draft.purpose in _NEEDS_PERSONAL and made.flagged:
        warnings.append(
            f"Your note about {person} (“{_shortened(conversation_notes).rstrip('.')}”) was "
            f"left out of the draft because {made.problem}. Write one sentence about your "
            "conversation with them."
        )
    if _wants_reason(draft, facts):
        if not why_interested.strip():
            warnings.append(
                "Your application has no “why I'm interested” yet. Saying why you want this "
                "job is what makes a note stand out: add it to the application or write it here."
            )
        elif not _mentions(draft.body, why_interested):
            warnings.append(_reason_missing(why_interested))
    if draft.purpose in _NEEDS_PERSONAL:
        if not conversation_notes.strip():
            warnings.append(
                f"You have no notes about {person}. Mention something specific from your "
                "conversation so the note could only have been written to them."
            )
        elif not made.flagged and not _mentions(draft.body, conversation_notes):
            warnings.append(
                f"The note says nothing specific to {person}. Add something from your "
                "conversation with them."
            )
    for sibling in siblings:
        if sibling.id != draft.id and is_near_duplicate(draft, sibling):
            other = sibling.to_name.strip() or "another interviewer"
            warnings.append(
                f"This note is nearly the same as the one to {other}. Interviewers compare "
                "notes: make each one personal."
            )
    for message in earlier:
        if message.id != draft.id and is_near_duplicate(draft, message):
            other = message.to_name.strip() or "someone else"
            warnings.append(
                f"This note is nearly the same as an earlier one to {other} at the same "
                "company. People there may compare: write this one afresh."
            )
    unfilled = tuple(
        dict.fromkeys(render(draft.subject, {}).unfilled + render(draft.body, {}).unfilled)
    )
    return DraftCheck(tuple(warnings), tuple(_blockers(draft, unfilled)), unfilled, stale)


def _wants_reason(draft: MessageRecord, facts: DraftFacts | None) -> bool:
    """Whether the note should say why you want the job.

    After a no, only when it says you are still interested: a reply that only
    asks for feedback, or a thank-you anyway, has no job left to want.
    """
    if draft.purpose not in _NEEDS_REASON:
        return False
    after_a_no = draft.purpose is Purpose.REJECTION_REPLY or (
        facts is not None and facts.rejected_at is not None
    )
    return not after_a_no or _STILL_INTERESTED.search(fold(draft.body)) is not None


def _reason_missing(why_interested: str) -> str:
    """The warning for a note without the reason: left out by the builder, or by the person."""
    made = reason_sentence(why_interested)
    if made.flagged:
        return (
            f"Your reason for wanting this job (“{_shortened(why_interested).rstrip('.')}”) "
            f"was left out of the draft because {made.problem}. Write it as a sentence, here "
            "or in the application."
        )
    return "The note doesn't say why you want this job. Add a sentence about what draws you to it."


def _blockers(draft: MessageRecord, unfilled: tuple[str, ...]) -> list[str]:
    blockers: list[str] = []
    if "my_name" in unfilled:
        blockers.append(
            "Your name is missing from the signature. Set up your mail account under "
            "Settings → Mail account (your name goes there), or type your name here."
        )
    others = [name for name in unfilled if name != "my_name"]
    if others:
        names = ", ".join(f"{{{name}}}" for name in others)
        blockers.append(f"Fill in or remove the highlighted placeholders: {names}.")
    if not draft.to_address.strip():
        blockers.append("Add the recipient's email address.")
    if not draft.subject.strip():
        blockers.append("Add a subject.")
    if not draft.body.strip():
        blockers.append("The message is empty.")
    checks: tuple[tuple[str, Callable[[], object]], ...] = (
        ("Name", lambda: header_text("to_name", draft.to_name)),
        ("To", lambda: email_address("to_address", draft.to_address)),
        ("Subject", lambda: header_text("subject", draft.subject, limit=SUBJECT_LIMIT)),
        ("Message", lambda: long_text("body", draft.body)),
    )
    for label, check in checks:
        try:
            check()
        except ValidationError as exc:
            blockers.append(f"{label}: {exc.problem}")
    return blockers


def _normalized(text: str) -> str:
    return " ".join(fold(text).split())


def _mentions(body: str, text: str) -> bool:
    """Whether ``body`` contains ``text``, word for word or reworded a little."""
    needle = _normalized(text)
    haystack = _normalized(body)
    if needle in haystack:
        return True
    words = {word for word in _WORD.findall(needle) if len(word) >= 4}
    if not words:
        return False
    present = set(_WORD.findall(haystack))
    return len(words & present) / len(words) >= MENTION_SHARE


def similarity(first: MessageRecord, second: MessageRecord) -> float:
    """Jaccard index of the bodies' word trigrams, each recipient's names masked (0 to 1)."""
    one = _trigrams(first.body, first.to_name)
    two = _trigrams(second.body, second.to_name)
    if not one or not two:
        return 0.0
    return len(one & two) / len(one | two)


def is_near_duplicate(first: MessageRecord, second: MessageRecord) -> bool:
    return similarity(first, second) >= SIMILARITY_LIMIT


def _trigrams(body: str, to_name: str) -> set[tuple[str, ...]]:
    # "Dear Anna" and "Dear Ben" differ by a name only: masked, they count as the same.
    names = set(_WORD.findall(fold(to_name)))
    words = ["<name>" if word in names else word for word in _WORD.findall(fold(body))]
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _shortened(text: str, limit: int = 60) -> str:
    clean = " ".join(text.split())
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"
