"""Contacts as vCard 3.0, written with vobject (a maintained vCard library)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import vobject

from afterword.core.contacts import list_contacts
from afterword.core.exports.tables import private_output
from afterword.core.storage.db import Database
from afterword.core.storage.files import chosen_folder
from afterword.core.storage.records import ContactRecord

logger = logging.getLogger(__name__)


def contact_card(person: ContactRecord) -> str:
    """One contact as a vCard 3.0 text."""
    card = vobject.vCard()
    card.add("fn").value = person.name
    given, _, family = person.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if person.email:
        email = card.add("email")
        email.value = person.email
        email.type_param = "INTERNET"
    if person.phone:
        card.add("tel").value = person.phone
    if person.company:
        card.add("org").value = [person.company]
    if person.title:
        card.add("title").value = person.title
    if person.linkedin_url:
        card.add("url").value = person.linkedin_url
    if person.notes:
        card.add("note").value = person.notes
    return str(card.serialize())


def cards(people: Iterable[ContactRecord]) -> str:
    return "".join(contact_card(person) for person in people)


def export_vcards(db: Database, target: Path) -> Path:
    """Every contact, in one ``.vcf`` file (0600) at ``target``."""
    chosen_folder(target.parent)
    people = list_contacts(db)
    with private_output(target, newline="") as handle:
        handle.write(cards(people))
    logger.info("Exported %d contacts as vCards to %s", len(people), target)
    return target
