"""Message templates: the built-in ones, the user's own, and filling in placeholders.

A placeholder is a name in braces, such as ``{first_name}``; :data:`PLACEHOLDERS`
lists them with what each becomes (``docs/templates.md`` says the same for
people). Rendering never fails: a placeholder without a value, or one we do not
know, stays visible in the text and is reported with its position, so the
composer can highlight it and refuse to send until it is filled.

Built-in templates come from ``resources/templates/<purpose>.txt``: header lines
``Name: ...`` and ``Subject: ...``, a blank line, then the body. They are copied
into the database once; the user may edit them or reset them to the shipped
text, but not delete them.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.mail.compose import SUBJECT_LIMIT
from afterword.core.storage.db import Database
from afterword.core.storage.models import Template
from afterword.core.storage.paths import resource
from afterword.core.storage.records import TemplateRecord
from afterword.core.storage.text import fold
from afterword.core.storage.validation import long_text, no_encoded_words, required_text
from afterword.core.storage.values import Purpose

logger = logging.getLogger(__name__)

TEMPLATES_FOLDER = "templates"

PLACEHOLDERS: dict[str, str] = {
    "first_name": "The person's first name (their name without a title such as Dr.).",
    "name": "The person's full name as saved in their contact.",
    "company": "The company of the application (for a check-in without one: the person's).",
    "role": "The job title you applied for.",
    "why_interested": "Your “why I'm interested” text from the application.",
    "conversation_notes": (
        "Your notes about this person from the interview (for a check-in: your notes on "
        "the contact)."
    ),
    "interview_date": "The day of the interview, like “Tuesday, 10 March 2026”.",
    "when": (
        "The day of the interview as you would say it in the note: “today”, “yesterday”, "
        "“on Monday”, or “on 10 March” when it is more than six days away."
    ),
    "conversation": (
        "What the conversation was, for a subject line: the round's name (“the technical "
        "interview”), else “our conversation”."
    ),
    "conversation_sentence": (
        "Your notes about this person made into a sentence (“Asked about X” becomes “I was "
        "glad you asked about X.”). A note that can't be made into one is left out, its "
        "paragraph with it, and the check before sending tells you why."
    ),
    "reason_sentence": (
        "Your “why I'm interested” text as a sentence. Left out, with its paragraph, "
        "when the application has none, or when it can't be made into one (the check "
        "before sending says why)."
    ),
    "interest_sentence": (
        "“I am still very interested in <company>.” and your reason, only when the "
        "application says you are still interested; otherwise its paragraph is left out."
    ),
    "round_name": "The interview round's name, like “Technical interview”.",
    "my_name": "Your name, as in the mail account settings.",
    "decision_date": "The date the company expected to decide by, like “Friday, 13 March 2026”.",
    "decision_day": (
        "The date the company expected to decide by, as you would say it: “Friday” within "
        "six days, else “13 March”."
    ),
}
PLACEHOLDERS.update(
    {
        "if_feedback": (
            "Put at the start of a paragraph: it stays only when you ask for feedback "
            "(a reply to a rejection), and this mark itself never shows."
        ),
        "if_referral": "Like {if_feedback}, for asking to be referred to other openings.",
        "if_stay_in_touch": "Like {if_feedback}, for asking to stay in touch.",
    }
)
# Conditions: the paragraph holding one stays only when it is "yes"; the mark goes.
CONDITIONS = frozenset({"if_feedback", "if_referral", "if_stay_in_touch"})
# Placeholders whose paragraph is left out when they have nothing to say.
OPTIONAL_PLACEHOLDERS = (
    frozenset({"conversation_sentence", "reason_sentence", "interest_sentence"}) | CONDITIONS
)

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# "[[one || two || three]]": wording that changes from one recipient to the next.
_ALTERNATIVES = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


@dataclass(frozen=True)
class Rendered:
    """Filled-in text and what is still missing from it.

    ``unfilled`` names each placeholder left in ``text`` once, in order;
    ``spans`` gives the (start, end) of every one of them in ``text``, as
    Python string indices (Qt counts UTF-16 units: convert before
    highlighting text with characters outside the Basic Multilingual Plane).
    """

    text: str
    unfilled: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


def render(template_text: str, values: Mapping[str, str]) -> Rendered:
    """Fill in ``template_text``; what has no (non-blank) value stays as ``{name}``.

    Values are inserted as they are, never scanned again, so braces inside a
    value are just text.
    """
    pieces: list[str] = []
    unfilled: dict[str, None] = {}
    spans: list[tuple[int, int]] = []
    length = 0
    position = 0
    for match in _PLACEHOLDER.finditer(template_text):
        pieces.append(template_text[position : match.start()])
        length += match.start() - position
        value = values.get(match.group(1), "").strip()
        if value:
            pieces.append(value)
            length += len(value)
        else:
            pieces.append(match.group(0))
            spans.append((length, length + len(match.group(0))))
            unfilled[match.group(1)] = None
            length += len(match.group(0))
        position = match.end()
    pieces.append(template_text[position:])
    return Rendered("".join(pieces), tuple(unfilled), tuple(spans))


def choose_wording(template_text: str, seed: int, position: int = 0) -> str:
    """Pick one option of each ``[[a || b || c]]`` group, the same ones for the same arguments.

    ``position`` is the recipient's place among the people of one interview
    (0, 1, 2, ... in the order they were added) and ``seed`` varies the wording
    from one interview, or one person, to the next: see :func:`wording_choices`.
    """
    sizes = [len(match.group(1).split("||")) for match in _ALTERNATIVES.finditer(template_text)]
    picks = iter(wording_choices(sizes, seed, position))

    def pick(match: re.Match[str]) -> str:
        options = [option.strip() for option in match.group(1).split("||")]
        return options[next(picks)]

    return _ALTERNATIVES.sub(pick, template_text)


def wording_choices(sizes: Sequence[int], seed: int, position: int) -> tuple[int, ...]:
    """Which option of each group (of ``sizes`` options) the person at ``position`` gets.

    The first people take the options in turn in every group (option = (seed +
    position + the group's number) modulo its size), so any two of them, up to
    the smallest number of options, differ in every choice. When more people
    share the interview, each further round steps the groups on at other rates
    (group g by g × round), and a combination already given to someone earlier
    in the interview is passed over while unused ones remain: no two notes of
    one interview are the same in all their choices.
    """
    if not sizes:
        return ()
    total = math.prod(sizes)
    given: set[tuple[int, ...]] = set()
    choice: tuple[int, ...] = ()
    for place in range(position + 1):
        row, lap = place % min(sizes), place // min(sizes)
        choice = tuple((seed + row + group * (lap + 1)) % size for group, size in enumerate(sizes))
        while choice in given and len(given) < total:
            choice = _next_choice(choice, sizes)
        given.add(choice)
    return choice


def _next_choice(choice: tuple[int, ...], sizes: Sequence[int]) -> tuple[int, ...]:
    """The next combination, counting with the last group as the fastest digit."""
    digits = list(choice)
    for group in reversed(range(len(digits))):
        digits[group] = (digits[group] + 1) % sizes[group]
        if digits[group]:
            break
    return tuple(digits)


def fill(template_text: str, values: Mapping[str, str], *, seed: int, position: int = 0) -> str:
    """A draft's text: wording chosen for ``seed`` and ``position``, placeholders filled.

    A paragraph holding an optional placeholder with nothing to say is left
    out whole, so no dangling "It also confirmed why I want to join X:" stays.
    """
    chosen = choose_wording(template_text, seed, position)
    kept: list[str] = []
    for paragraph in chosen.split("\n\n"):
        names = {match.group(1) for match in _PLACEHOLDER.finditer(paragraph)}
        if any(not values.get(name, "").strip() for name in names & OPTIONAL_PLACEHOLDERS):
            continue
        for condition in names & CONDITIONS:
            paragraph = paragraph.replace(f"{{{condition}}}", "")
        kept.append(paragraph)
    return render("\n\n".join(kept), values).text


def ensure_default_templates(db: Database) -> list[TemplateRecord]:
    """Copy each shipped template whose purpose has no built-in yet; returns what was added."""
    added: list[TemplateRecord] = []
    with db.session() as session:
        present = set(
            session.execute(select(Template.purpose, Template.variant).where(Template.builtin))
        )
        for (purpose, variant), shipped in _shipped_templates().items():
            if (purpose, variant) in present:
                continue
            name = shipped.name
            # A user's own template may already use the name a newer version ships.
            if _name_taken(session, name, exclude_id=None):
                name = f"{name} (built-in)"
            row = Template(
                purpose=purpose,
                variant=variant,
                name=name,
                subject=shipped.subject,
                body=shipped.body,
                builtin=True,
            )
            session.add(row)
            session.flush()
            added.append(to_record(row))
    if added:
        logger.info("Added built-in templates: %s", ", ".join(t.name for t in added))
    return added


def list_templates(db: Database, purpose: Purpose | None = None) -> list[TemplateRecord]:
    """Templates, built-in ones first, then by name."""
    query = select(Template).order_by(Template.builtin.desc(), func.af_fold(Template.name))
    if purpose is not None:
        query = query.where(Template.purpose == purpose)
    with db.reading() as session:
        return [to_record(row) for row in session.scalars(query)]


def get_template(db: Database, template_id: int) -> TemplateRecord:
    with db.reading() as session:
        return to_record(_get(session, template_id))


def template_for(db: Database, purpose: Purpose, variant: str = "") -> TemplateRecord:
    """The template a new draft of ``purpose`` starts from.

    The built-in one for ``variant`` (a panel, a phone screen, after a
    rejection...), else the built-in one for the purpose, else the oldest.
    """
    query = (
        select(Template)
        .where(Template.purpose == purpose)
        .order_by(
            Template.builtin.desc(),
            (Template.builtin & (Template.variant == variant)).desc(),
            (Template.variant == "").desc(),
            Template.id,
        )
        .limit(1)
    )
    with db.reading() as session:
        row = session.scalars(query).first()
        if row is not None:
            return to_record(row)
    # Seeding is normally done at start-up; a database that missed it still works.
    ensure_default_templates(db)
    with db.reading() as session:
        row = session.scalars(query).first()
        if row is None:
            raise ValidationError("template", f"There is no template for {purpose.value}.")
        return to_record(row)


def save_template(
    db: Database,
    *,
    purpose: Purpose,
    name: str,
    subject: str,
    body: str,
    template_id: int | None = None,
) -> TemplateRecord:
    """Create a template, or update ``template_id``; writes nothing if anything is wrong."""
    clean_name = required_text("name", name)
    clean_subject = no_encoded_words(
        "subject", required_text("subject", subject, limit=SUBJECT_LIMIT), label="The subject"
    )
    clean_body = long_text("body", body)
    if not clean_body:
        raise ValidationError("body", "The message text is empty.")
    _known_placeholders_only("subject", clean_subject)
    _known_placeholders_only("body", clean_body)
    try:
        purpose = Purpose(purpose)
    except ValueError:
        raise ValidationError("purpose", "Choose what the template is for.") from None
    with db.session() as session:
        if _name_taken(session, clean_name, exclude_id=template_id):
            raise ValidationError("name", f"There is already a template called “{clean_name}”.")
        if template_id is None:
            row = Template(builtin=False)
            session.add(row)
        else:
            row = _get(session, template_id)
            if row.builtin and row.purpose != purpose:
                raise ValidationError(
                    "purpose",
                    "A built-in template keeps its purpose. Save it under a new name to "
                    "make your own copy for another purpose.",
                )
        row.purpose = purpose
        row.name = clean_name
        row.subject = clean_subject
        row.body = clean_body
        session.flush()
        return to_record(row)


def delete_template(db: Database, template_id: int) -> None:
    with db.session() as session:
        row = _get(session, template_id)
        if row.builtin:
            raise ValidationError(
                "template",
                "Built-in templates can't be deleted. Use Reset to bring back the original text.",
            )
        session.delete(row)


def reset_template(db: Database, template_id: int) -> TemplateRecord:
    """Put a built-in template back to the text Afterword ships."""
    with db.session() as session:
        row = _get(session, template_id)
        if not row.builtin:
            raise ValidationError("template", "Only built-in templates can be reset.")
        shipped = _shipped_templates()[(row.purpose, row.variant)]
        name = shipped.name
        if _name_taken(session, name, exclude_id=row.id):
            name = f"{name} (built-in)"
        row.name = name
        row.subject = shipped.subject
        row.body = shipped.body
        session.flush()
        return to_record(row)


def to_record(row: Template) -> TemplateRecord:
    return TemplateRecord(
        id=row.id,
        purpose=row.purpose,
        name=row.name,
        subject=row.subject,
        body=row.body,
        builtin=row.builtin,
        variant=row.variant,
    )


@dataclass(frozen=True)
class _Shipped:
    name: str
    subject: str
    body: str


def _shipped_templates() -> dict[tuple[Purpose, str], _Shipped]:
    """Keyed by purpose and variant: ``thank_you.panel.txt`` is the panel thank-you."""
    folder = resource(TEMPLATES_FOLDER)
    shipped: dict[tuple[Purpose, str], _Shipped] = {}
    for path in sorted(folder.glob("*.txt")):
        purpose, _, variant = path.stem.partition(".")
        shipped[(Purpose(purpose), variant)] = _parse_template_file(path)
    return shipped


def _parse_template_file(path: Path) -> _Shipped:
    head, separator, body = path.read_text(encoding="utf-8").partition("\n\n")
    headers: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if not colon:
            raise ValueError(f"{path}: header line without a colon: {line!r}")
        headers[key.strip().casefold()] = value.strip()
    if not separator or "name" not in headers or "subject" not in headers:
        raise ValueError(f"{path}: needs Name: and Subject: lines, a blank line, then the body")
    return _Shipped(name=headers["name"], subject=headers["subject"], body=body.strip())


def _known_placeholders_only(field: str, text: str) -> None:
    unknown = [name for name in render(text, {}).unfilled if name not in PLACEHOLDERS]
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise ValidationError(
            field, f"Unknown placeholder {{{unknown[0]}}}. The placeholders are: {known}."
        )


def _name_taken(session: Session, name: str, *, exclude_id: int | None) -> bool:
    # Case-insensitive for every script, through the fold function that
    # afterword.core.storage.db registers.
    query = select(Template.id).where(func.af_fold(Template.name) == fold(name))
    if exclude_id is not None:
        query = query.where(Template.id != exclude_id)
    return session.scalars(query).first() is not None


def _get(session: Session, template_id: int) -> Template:
    row = session.get(Template, template_id)
    if row is None:
        raise NotFoundError("Template", template_id)
    return row
