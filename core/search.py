"""Text search: applications and contacts, through the full-text index.

The index (:mod:`afterword.core.storage.search_index`) holds folded text, so
matching ignores case, width and accents ("strasse" finds "Straße", "jose"
finds "José") and a query is one phrase found anywhere inside a field
("corp senior" does not match "Corp" and "Senior" in two fields). A query
of three characters or more is looked up through the trigram index; a
shorter one scans the folded text (still correct, and small: one row per
application or contact).

Applications match on their company, role, and the names and email
addresses of the people in their interviews (the ``key`` column, which the
Applications table also receives as ``ApplicationSummary.search_text``
to match in memory with
:func:`~afterword.core.storage.search_index.query_key`, which needs no ORM);
:func:`search` also looks in the notes. Contacts match on name, email, company and title, and in
:func:`search` their notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Integer, column, false, select, table, text

from afterword.core.errors import ValidationError
from afterword.core.storage import search_index
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application, Contact
from afterword.core.storage.search_index import query_key

# The trigram index answers a phrase of at least this many characters.
INDEXED_LENGTH = 3

application_index = table(search_index.APPLICATION_INDEX, column("rowid"), column("key"))


def _ids(index: str, needle: str, *, notes: bool) -> ColumnElement[bool]:
    """Rowids of ``index`` whose key (and, with ``notes``, notes) contain ``needle``."""
    if len(needle) >= INDEXED_LENGTH:
        phrase = '"' + needle.replace('"', '""') + '"'
        statement = text(f"SELECT rowid FROM {index} WHERE {index} MATCH :phrase").bindparams(
            phrase=phrase if notes else f"key : {phrase}"
        )
    else:
        where = "instr(key, :needle) > 0" + (" OR instr(notes, :needle) > 0" if notes else "")
        statement = text(f"SELECT rowid FROM {index} WHERE {where}").bindparams(needle=needle)
    return statement.columns(column("rowid", Integer))


def matching_application_ids(query: str, *, notes: bool = False) -> ColumnElement[bool]:
    """Whether an application matches ``query`` (company, role, people; ``notes`` too)."""
    needle = query_key(query)
    if needle is None:
        return false()
    return Application.id.in_(_ids(search_index.APPLICATION_INDEX, needle, notes=notes))


def contact_filter(query: str, *, notes: bool = False) -> ColumnElement[bool]:
    """Contacts whose name, email, company or title (``notes`` too) match ``query``."""
    needle = query_key(query)
    if needle is None:
        return false()
    return Contact.id.in_(_ids(search_index.CONTACT_INDEX, needle, notes=notes))


def ensure_indexed(db: Database) -> None:
    """Index what another program wrote since (the app's own writes index themselves)."""
    if db.writes_refused:
        return
    connection = db.connect()
    try:
        waiting = search_index.pending(connection)
    finally:
        connection.close()
    if waiting:
        with db.session() as session:
            driver = session.connection().connection.driver_connection
            assert driver is not None  # a connection in a transaction is live
            search_index.refresh(driver)


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
    """Applications, then contacts, matching ``text`` (notes included); at most ``limit`` each."""
    if not isinstance(text, str):
        raise ValidationError("query", "Must be text.")
    if query_key(text) is None:
        return []
    ensure_indexed(db)
    with db.reading() as session:
        applications = session.execute(
            select(Application.id, Application.company, Application.role)
            .where(matching_application_ids(text, notes=True))
            .order_by(Application.company, Application.role, Application.id)
            .limit(limit)
        ).all()
        contacts = session.execute(
            select(Contact.id, Contact.name, Contact.title, Contact.company)
            .where(contact_filter(text, notes=True))
            .order_by(Contact.name, Contact.id)
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
