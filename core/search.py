"""Text search across company, role and contact names.

SQLite's LIKE ignores case for ASCII letters only. Plain-ASCII queries (the
common case) use it directly and stay fast; a query with other letters
("Müller", "Łódź") compares case-folded text through the ``af_fold``
function that :mod:`afterword.core.storage.db` registers on every connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, false, func, or_, select, union

from afterword.core.errors import ValidationError
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application, Contact, Interview, Participant
from afterword.core.storage.text import fold
from afterword.core.storage.validation import long_text

LIKE_ESCAPE = "\\"
# A longer query is longer than any searchable field, so it cannot match
# (and SQLite refuses a LIKE pattern past 50,000 bytes as "too complex").
MAX_QUERY = 1000


def _matches(column: ColumnElement[str], query: str) -> ColumnElement[bool]:
    try:
        needle = long_text("query", query, limit=MAX_QUERY)
    except ValidationError:
        # Text the core never stores (NUL, which would also end the LIKE
        # pattern early; broken characters; more than any field holds) is in no row.
        return false()
    if not needle.isascii():
        needle = fold(needle)
        column = func.af_fold(column)
    escaped = needle.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", r"\%").replace("_", r"\_")
    return column.like(f"%{escaped}%", escape=LIKE_ESCAPE)


def matching_application_ids(query: str) -> Select[tuple[int]]:
    """Ids of applications whose company, role or a participant's name matches."""
    by_application = select(Application.id).where(
        or_(_matches(Application.company, query), _matches(Application.role, query))
    )
    by_person = (
        select(Interview.application_id)
        .join(Participant, Participant.interview_id == Interview.id)
        .join(Contact, Contact.id == Participant.contact_id)
        .where(_matches(Contact.name, query))
    )
    return select(union(by_application, by_person).subquery().c[0])


def contact_filter(query: str) -> ColumnElement[bool]:
    """Contacts whose name, email, company or title matches ``query``."""
    return or_(
        _matches(Contact.name, query),
        _matches(Contact.email, query),
        _matches(Contact.company, query),
        _matches(Contact.title, query),
    )


class HitKind(StrEnum):
    APPLICATION = "application"
    CONTACT = "contact"


@dataclass(frozen=True)
class SearchHit:
    kind: HitKind
    id: int
    title: str
    subtitle: str


def search(db: Database, text: str, *, limit: int = 50) -> list[SearchHit]:
    """Applications, then contacts, matching ``text``; at most ``limit`` of each."""
    if not text.strip():
        return []
    with db.reading() as session:
        applications = session.execute(
            select(Application.id, Application.company, Application.role)
            .where(Application.id.in_(matching_application_ids(text)))
            .order_by(Application.company, Application.role)
            .limit(limit)
        ).all()
        contacts = session.execute(
            select(Contact.id, Contact.name, Contact.title, Contact.company)
            .where(contact_filter(text))
            .order_by(Contact.name)
            .limit(limit)
        ).all()
    return [
        SearchHit(HitKind.APPLICATION, row.id, row.company, row.role) for row in applications
    ] + [
        SearchHit(
            HitKind.CONTACT, row.id, row.name, " at ".join(p for p in (row.title, row.company) if p)
        )
        for row in contacts
    ]
