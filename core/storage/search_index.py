"""The full-text search index: what it holds and how it is kept current.

Two SQLite FTS5 tables with the trigram tokenizer (migration 0007) hold
each application's and each contact's searchable text, folded with
:func:`~afterword.core.storage.text.search_fold` (so case, width and
accents are ignored: "strasse" finds "Straße"):

- ``application_search`` (rowid = application id): ``key`` is the company,
  the role, and the names and email addresses of everyone in its
  interviews; ``notes`` the application's, its interviews' and its
  participants' notes.
- ``contact_search`` (rowid = contact id): ``key`` is the name, email,
  company and title; ``notes`` the notes.

Keeping it current takes two parts, both inside the writing transaction.
SQLite triggers (plain SQL, so they work for every writer, cascades
included) put the id of each application or contact whose text may have
changed into ``search_queue``; :func:`refresh` then indexes those again
from the tables, in Python, because folding needs Unicode data SQLite does
not have. The database layer calls :func:`refresh` before every commit of
a write session; a write from another program leaves its queue for the
next write or search to work off.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from afterword.core.errors import ValidationError
from afterword.core.storage.text import search_fold
from afterword.core.storage.validation import long_text

logger = logging.getLogger(__name__)

# Joins the fields of one column. Validation refuses control characters in
# every field, so a query can never match across two of them.
SEPARATOR = "\x1f"
APPLICATION_INDEX = "application_search"
CONTACT_INDEX = "contact_search"
QUEUE = "search_queue"
# Queue kinds: an application's or a contact's text.
APPLICATION = "a"
CONTACT = "c"
# A longer query is longer than any searchable field, so it cannot match.
MAX_QUERY = 1000


def query_key(query: str) -> str | None:
    """``query`` as the index compares it (folded, trimmed); ``None`` if it cannot match.

    A row matches when this is a substring of its key:
    ``query_key(q) in summary.search_text``.
    """
    try:
        needle = long_text("query", query.strip(), limit=MAX_QUERY)
    except ValidationError:
        # Text the core never stores (NUL, broken characters, more than any
        # field holds) is in no row.
        return None
    return search_fold(needle) or None


def pending(connection: sqlite3.Connection) -> bool:
    """True if some writes have not been indexed yet."""
    return connection.execute(f"SELECT EXISTS (SELECT 1 FROM {QUEUE})").fetchone()[0] == 1


def refresh(connection: sqlite3.Connection) -> int:
    """Index again every queued application and contact; returns how many.

    Runs inside the caller's write transaction.
    """
    if not pending(connection):
        return 0
    applications = _queued(connection, APPLICATION)
    contacts = _queued(connection, CONTACT)
    _replace(connection, APPLICATION_INDEX, applications, _application_texts(connection))
    _replace(connection, CONTACT_INDEX, contacts, _contact_texts(connection))
    connection.execute(f"DELETE FROM {QUEUE}")
    return len(applications) + len(contacts)


def queue_everything(connection: sqlite3.Connection) -> None:
    """Queue every application and contact (building the index for existing data)."""
    connection.execute(
        f"INSERT OR IGNORE INTO {QUEUE} SELECT '{APPLICATION}', id FROM applications"
    )
    connection.execute(f"INSERT OR IGNORE INTO {QUEUE} SELECT '{CONTACT}', id FROM contacts")


def _queued(connection: sqlite3.Connection, kind: str) -> list[int]:
    return [row[0] for row in connection.execute(f"SELECT id FROM {QUEUE} WHERE kind = ?", (kind,))]


def _replace(
    connection: sqlite3.Connection,
    index: str,
    ids: list[int],
    texts: Iterable[tuple[int, str, str]],
) -> None:
    if not ids:
        return
    connection.execute(
        f"DELETE FROM {index} WHERE rowid IN (SELECT id FROM {QUEUE} WHERE kind = ?)",
        (APPLICATION if index == APPLICATION_INDEX else CONTACT,),
    )
    connection.executemany(f"INSERT INTO {index} (rowid, key, notes) VALUES (?, ?, ?)", texts)


def _join(parts: Iterable[str]) -> str:
    return search_fold(SEPARATOR.join(part for part in parts if part))


def _application_texts(connection: sqlite3.Connection) -> list[tuple[int, str, str]]:
    queued = f"(SELECT id FROM {QUEUE} WHERE kind = '{APPLICATION}')"
    people: defaultdict[int, dict[str, None]] = defaultdict(dict)  # ordered, without repeats
    notes: defaultdict[int, list[str]] = defaultdict(list)
    for application_id, name, email, said in connection.execute(
        "SELECT i.application_id, c.name, c.email, p.notes FROM interviews i"
        " JOIN participants p ON p.interview_id = i.id JOIN contacts c ON c.id = p.contact_id"
        f" WHERE i.application_id IN {queued} ORDER BY i.application_id, c.name, c.id"
    ):
        people[application_id][name] = None
        if email:
            people[application_id][email] = None
        notes[application_id].append(said)
    for application_id, said in connection.execute(
        f"SELECT application_id, notes FROM interviews WHERE application_id IN {queued}"
        " AND notes != '' ORDER BY starts_at, id"
    ):
        notes[application_id].append(said)
    return [
        (
            application_id,
            _join((company, role, *people.get(application_id, ()))),
            _join((own, *notes.get(application_id, ()))),
        )
        for application_id, company, role, own in connection.execute(
            f"SELECT id, company, role, notes FROM applications WHERE id IN {queued}"
        )
    ]


def _contact_texts(connection: sqlite3.Connection) -> list[tuple[int, str, str]]:
    return [
        (contact_id, _join((name, email, company, title)), search_fold(notes))
        for contact_id, name, email, company, title, notes in connection.execute(
            "SELECT id, name, email, company, title, notes FROM contacts"
            f" WHERE id IN (SELECT id FROM {QUEUE} WHERE kind = '{CONTACT}')"
        )
    ]
