"""Contacts in from vCard files (3.0 and 4.0): preview, duplicates by email, one undo.

:func:`preview_vcards` reads a ``.vcf`` file with vobject and sorts its cards
into new contacts, duplicates (an email address already in Afterword, or
earlier in the same file) and cards that cannot be imported, each with the
reason, writing nothing. :func:`import_contacts` then adds the chosen ones
in one transaction, and :func:`undo_import` removes exactly those again.

Files are read as UTF-8, as UTF-16 or UTF-32 when they start with a
byte-order mark, and otherwise (an older address book's export) as
Windows-1252, of which Latin-1 is a part. A card with several email
addresses is imported with the first valid one.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import vobject
from sqlalchemy import select

from afterword.core.contacts import add_contact, validate_contact
from afterword.core.errors import ValidationError
from afterword.core.storage.db import Database
from afterword.core.storage.models import Contact
from afterword.core.storage.records import ContactFields
from afterword.core.storage.validation import LONG_TEXT_LIMIT, clock, email_address

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5_000_000
MAX_CARDS = 5_000
# UTF-32 first: its little-endian mark starts with UTF-16's.
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Duplicate:
    card: ContactFields
    existing_name: str  # who already has this email address


@dataclass(frozen=True)
class Unusable:
    label: str  # the card's name, or "card 3"
    problem: str


@dataclass(frozen=True)
class VcardPreview:
    new: tuple[ContactFields, ...]
    duplicates: tuple[Duplicate, ...]
    unusable: tuple[Unusable, ...]


@dataclass(frozen=True)
class ImportedContacts:
    """What one import added, so :func:`undo_import` can take exactly that back."""

    contact_ids: tuple[int, ...]


def _first(card: Any, key: str) -> Any:
    values = card.contents.get(key, [])
    return values[0].value if values else None


def _email(card: Any) -> str:
    """The card's first valid email address (its first one if none is: the preview says why)."""
    found = [str(line.value or "").strip() for line in card.contents.get("email", [])]
    for address in found:
        try:
            return email_address("email", address, required=True)
        except ValidationError:
            continue
    return found[0] if found else ""


def _card_fields(card: Any) -> ContactFields:
    name = _first(card, "fn")
    if not name and (n := _first(card, "n")) is not None:
        name = " ".join(p for p in (n.prefix, n.given, n.additional, n.family, n.suffix) if p)
    organisation = _first(card, "org")
    company = organisation[0] if isinstance(organisation, list) and organisation else ""
    phone = str(_first(card, "tel") or "").removeprefix("tel:")
    url = str(_first(card, "url") or "")
    notes = str(_first(card, "note") or "")
    linkedin = url if "linkedin." in url.casefold() else ""
    if url and not linkedin:
        notes = f"{notes}\nWeb: {url}".strip()
    return ContactFields(
        name=str(name or ""),
        email=_email(card),
        phone=phone,
        title=str(_first(card, "title") or ""),
        company=str(company or ""),
        linkedin_url=linkedin,
        notes=notes[:LONG_TEXT_LIMIT],
    )


def _text(name: str, data: bytes) -> str:
    """The text of a file called ``name`` (see the module docstring for the encodings)."""
    for mark, encoding in _MARKS:
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ValidationError(
                    "file", f"{name} cannot be read: some of its text is broken."
                ) from None
    if b"\x00" in data:
        raise ValidationError("file", f"{name} is not a text file, so it holds no contacts.")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # every byte is a Latin-1 character


def read_vcards(path: Path) -> list[Any]:
    """The cards in ``path``; a ValidationError on ``file`` if it cannot be read as vCards."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError("file", f"{path.name} is larger than 5 MB: not a contacts file.")
        content = _text(path.name, path.read_bytes())
        found = []
        for card in vobject.readComponents(content, ignoreUnreadable=True):
            if card.name == "VCARD":
                found.append(card)
            if len(found) > MAX_CARDS:
                raise ValidationError("file", f"More than {MAX_CARDS:,} contacts in one file.")
    except OSError as exc:
        raise ValidationError("file", f"{path.name} cannot be read ({exc.strerror}).") from exc
    except vobject.base.VObjectError as exc:
        raise ValidationError("file", f"{path.name} is not a vCard file ({exc}).") from exc
    if not found:
        raise ValidationError("file", f"{path.name} holds no contacts (vCards).")
    return found


def preview_vcards(db: Database, path: Path) -> VcardPreview:
    """Sort the cards of ``path`` into new, duplicate and unusable; writes nothing."""
    with db.reading() as session:
        known = {
            email.casefold(): name
            for name, email in session.execute(select(Contact.name, Contact.email))
            if email
        }
    new: list[ContactFields] = []
    duplicates: list[Duplicate] = []
    unusable: list[Unusable] = []
    for index, card in enumerate(read_vcards(path), start=1):
        try:
            fields = validate_contact(_card_fields(card))
        except ValidationError as exc:
            label = str(_first(card, "fn") or f"card {index}")
            unusable.append(Unusable(label, f"{exc.field}: {exc.problem}"))
            continue
        key = fields.email.casefold()
        if key and key in known:
            duplicates.append(Duplicate(fields, known[key]))
            continue
        if key:
            known[key] = fields.name
        new.append(fields)
    return VcardPreview(tuple(new), tuple(duplicates), tuple(unusable))


def import_contacts(
    db: Database, people: Sequence[ContactFields], *, now: datetime
) -> ImportedContacts:
    """Add ``people`` (checked again) in one transaction; all or nothing."""
    clean = [validate_contact(person, prefix=f"contacts[{i}].") for i, person in enumerate(people)]
    clock(now)
    with db.session() as session:
        ids = tuple(add_contact(session, person, now=now).id for person in clean)
    logger.info("Imported %d contacts from vCards", len(ids))
    return ImportedContacts(ids)


def undo_import(db: Database, imported: ImportedContacts) -> int:
    """Remove the contacts one import added (those still there); returns how many."""
    with db.session() as session:
        rows = session.scalars(select(Contact).where(Contact.id.in_(imported.contact_ids))).all()
        for row in rows:
            session.delete(row)
    logger.info("Undid an import of %d contacts", len(rows))
    return len(rows)
