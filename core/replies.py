"""Replies noticed: the inbox searched, read-only, for answers from the companies applied to.

Opt-in (the mail account's ``watch_replies``). For each application still
waiting for a decision, Afterword looks for messages that arrived since the
last thank-you or status follow-up, from the application's people (its
interviewers and anyone a touchpoint about it names) or from its company's
domain (their address domains, leaving out mail providers' such as gmail.com).

Only headers are read (From, Subject, the arrival time), with ``BODY.PEEK``
on a mailbox opened read-only, so nothing is marked as read; no body is
fetched or stored. Each reply becomes a ``replied`` touchpoint about the
application, which ends its follow-up chain
(:mod:`afterword.core.checklist.rules`); a sender not yet among the contacts
becomes one (name and address from the From header). A reply already
recorded is not recorded again.

One IMAP ``SEARCH`` covers every application: the server narrows the inbox
by date and sender, and only the matches' headers travel.
:func:`check_replies` looks at most every :data:`CHECK_INTERVAL` when it
asks on its own (a timer). Where the server offers IMAP IDLE
(:mod:`afterword.core.mail.inbox_idle`), the server's news of an arrival
allows an earlier look (``notified``), but never less than
:data:`NOTICED_GAP` after the last one: a burst of arrivals makes one
search, not one per message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import HeaderRegistry

import imapclient
from sqlalchemy import bindparam, func, or_, select, union, update
from sqlalchemy.orm import Session

from afterword.core.contacts import add_contact, validate_contact
from afterword.core.errors import ValidationError
from afterword.core.mail.imap import ImapSettings, imap_session
from afterword.core.mail.providers import all_providers
from afterword.core.recent_replies import NoticedReply
from afterword.core.storage.db import Database
from afterword.core.storage.models import (
    Application,
    Contact,
    Interview,
    MailAccount,
    Participant,
    Touchpoint,
    UTCDateTime,
)
from afterword.core.storage.records import ContactFields, MailAccountRecord
from afterword.core.storage.validation import SHORT_TEXT_LIMIT
from afterword.core.storage.values import DECIDED_STATUSES, Purpose, TouchpointKind

logger = logging.getLogger(__name__)

CHECK_INTERVAL = timedelta(minutes=15)
NOTICED_GAP = timedelta(minutes=1)
INBOX = "INBOX"
_HEADERS = b"BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]"
_FETCHED = b"BODY[HEADER.FIELDS (FROM SUBJECT)]"
_OUTREACH_PURPOSES = (Purpose.THANK_YOU, Purpose.STATUS_FOLLOW_UP)
_PARSE = HeaderRegistry()


@dataclass(frozen=True)
class Watch:
    """What a reply about one application looks like."""

    application_id: int
    company: str
    since: datetime
    people: dict[str, int]  # lower-case address -> contact id
    domains: frozenset[str]

    def matches(self, address: str) -> bool:
        return address in self.people or address.rpartition("@")[2] in self.domains


@dataclass(frozen=True)
class Reply:
    """One message found in the inbox, from its headers."""

    application_id: int
    name: str
    address: str
    subject: str
    arrived_at: datetime


def replies_due(account: MailAccountRecord, now: datetime, *, notified: bool = False) -> bool:
    """Whether the person asked for replies and the last look is old enough.

    ``notified``: the server just reported new mail (IDLE), so the shorter
    :data:`NOTICED_GAP` applies instead of :data:`CHECK_INTERVAL`.
    """
    if not account.watch_replies:
        return False
    last = account.replies_checked_at
    return last is None or now - last >= (NOTICED_GAP if notified else CHECK_INTERVAL)


def check_replies(
    db: Database,
    account: MailAccountRecord,
    password: str,
    now: datetime,
    *,
    notified: bool = False,
) -> list[NoticedReply]:
    """Look for replies if it is time to (see :func:`replies_due`); blocks for the network.

    Raises a :class:`afterword.core.mail.transport.MailError` if the IMAP
    server cannot be reached or refuses the login (nothing is recorded then),
    ``ValidationError`` if the account has no IMAP server to ask.
    """
    if not replies_due(account, now, notified=notified):
        return []
    settings = ImapSettings.for_account(account)
    if settings is None:
        raise ValidationError(
            "imap_host", "Enter the IMAP server (incoming mail) to let Afterword notice replies."
        )
    watches = watched_applications(db, own_address=account.email)
    replies: list[Reply] = []
    if watches:
        with imap_session(settings, password) as client:
            replies = search_inbox(client, watches)
    return record_replies(db, replies, watches, now)


def watched_applications(db: Database, *, own_address: str = "") -> list[Watch]:
    """Applications waiting for a decision after a thank-you or follow-up, and their senders."""
    providers = {domain for provider in all_providers() for domain in provider.domains}
    ignored = providers | {own_address.rpartition("@")[2].casefold()}
    with db.reading() as session:
        watches = []
        for app_id, company, since in session.execute(_LAST_OUTREACH):
            people = {
                email.strip().casefold(): contact_id
                for contact_id, email in session.execute(_PEOPLE, {"app": app_id})
                if email.strip()
            }
            people.pop(own_address.casefold(), None)
            domains = frozenset(a.rpartition("@")[2] for a in people) - ignored
            if people:
                watches.append(Watch(app_id, company, since, people, domains))
    return watches


def search_inbox(client: imapclient.IMAPClient, watches: Sequence[Watch]) -> list[Reply]:
    """The inbox's messages from the watched senders since each application's last outreach."""
    client.normalise_times = False  # aware arrival times, not the computer's local ones
    client.select_folder(INBOX, readonly=True)
    senders = sorted(
        {*(a for w in watches for a in w.people), *(f"@{d}" for w in watches for d in w.domains)}
    )
    criteria: list[object] = ["SINCE", min(w.since for w in watches).date()]
    # Prefix ORs: OR OR a b c is (a or b) or c, for any number of senders.
    criteria += ["OR"] * (len(senders) - 1)
    for sender in senders:
        criteria += ["FROM", sender]
    found = client.search(criteria)
    if not found:
        return []
    replies = []
    for data in client.fetch(found, [_HEADERS, b"INTERNALDATE"]).values():
        replies.extend(_replies_in(data[_FETCHED], data[b"INTERNALDATE"], watches))
    logger.info("Searched the inbox: %d message(s) from watched senders", len(replies))
    return replies


def _replies_in(raw: bytes, arrived_at: datetime, watches: Iterable[Watch]) -> Iterable[Reply]:
    text = raw.decode("utf-8", "replace")
    values = dict(_header_lines(text))
    try:
        sender = _PARSE("from", values.get("from", "")).addresses[0]
    except (IndexError, ValueError):
        return
    address = sender.addr_spec.casefold()
    subject = str(_PARSE("subject", values.get("subject", "")))
    for watch in watches:
        if watch.matches(address) and arrived_at > watch.since:
            yield Reply(watch.application_id, sender.display_name, address, subject, arrived_at)


def _header_lines(text: str) -> Iterable[tuple[str, str]]:
    """Unfolded ``name: value`` pairs of a header block."""
    name, value = "", ""
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and name:
            value += " " + line.strip()
            continue
        if name:
            yield name, value
        name, _, value = line.partition(":")
        name, value = name.strip().casefold(), value.strip()
    if name:
        yield name, value


def record_replies(
    db: Database, replies: Sequence[Reply], watches: Sequence[Watch], now: datetime
) -> list[NoticedReply]:
    """Each reply as a ``replied`` touchpoint (once), and when the inbox was last looked at."""
    people = {w.application_id: w for w in watches}
    noticed: list[NoticedReply] = []
    with db.session() as session:
        for reply in replies:
            contact_id, name = _contact_for(session, reply, people[reply.application_id], now)
            if _already_recorded(session, contact_id, reply):
                continue
            row = Touchpoint(
                contact_id=contact_id,
                application_id=reply.application_id,
                kind=TouchpointKind.REPLIED,
                purpose=Purpose.OTHER,
                occurred_at=reply.arrived_at,
                note=" ".join(reply.subject.split())[:SHORT_TEXT_LIMIT],
            )
            session.add(row)
            session.flush()
            noticed.append(
                NoticedReply(row.id, reply.application_id, contact_id, name, reply.arrived_at)
            )
        session.execute(update(MailAccount).values(replies_checked_at=now))
    if noticed:
        logger.info("Noticed %d new repl(ies)", len(noticed))
    return noticed


def _contact_for(session: Session, reply: Reply, watch: Watch, now: datetime) -> tuple[int, str]:
    """The sender's contact: one of the application's people, or a new one from the company."""
    contact_id = watch.people.get(reply.address)
    if contact_id is None:
        contact_id = session.scalars(
            select(Contact.id).where(Contact.email == reply.address).limit(1)
        ).first()
    if contact_id is not None:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        return contact.id, contact.name
    try:
        values = validate_contact(
            ContactFields(
                name=reply.name or reply.address, email=reply.address, company=watch.company
            )
        )
    except ValidationError:
        # A display name that cannot be a contact's name: the address is one.
        values = validate_contact(ContactFields(name=reply.address, email=reply.address))
    row = add_contact(session, values, now=now)
    session.flush()
    watch.people[reply.address] = row.id
    return row.id, row.name


def _already_recorded(session: Session, contact_id: int, reply: Reply) -> bool:
    return (
        session.scalars(
            select(Touchpoint.id).where(
                Touchpoint.contact_id == contact_id,
                Touchpoint.application_id == reply.application_id,
                Touchpoint.kind == TouchpointKind.REPLIED,
                Touchpoint.occurred_at == reply.arrived_at,
            )
        ).first()
        is not None
    )


# The latest thank-you or follow-up about each undecided application (linked
# to the application or to one of its interviews).
_OUTREACH = (
    select(Application.id.label("app_id"), Application.company, Touchpoint.occurred_at)
    .join(Interview, Interview.application_id == Application.id, isouter=True)
    .join(
        Touchpoint,
        or_(Touchpoint.application_id == Application.id, Touchpoint.interview_id == Interview.id),
    )
    .where(
        Application.status.not_in(DECIDED_STATUSES),
        Touchpoint.purpose.in_(_OUTREACH_PURPOSES),
        Touchpoint.kind != TouchpointKind.REPLIED,
    )
    .subquery()
)
_LAST_OUTREACH = select(
    _OUTREACH.c.app_id,
    func.min(_OUTREACH.c.company),
    func.max(_OUTREACH.c.occurred_at, type_=UTCDateTime),
).group_by(_OUTREACH.c.app_id)
# The application's people: its interviewers, and anyone a touchpoint about it names.
_PEOPLE = union(
    select(Contact.id, Contact.email)
    .join(Participant, Participant.contact_id == Contact.id)
    .join(Interview, Interview.id == Participant.interview_id)
    .where(Interview.application_id == bindparam("app")),
    select(Contact.id, Contact.email)
    .join(Touchpoint, Touchpoint.contact_id == Contact.id)
    .where(Touchpoint.application_id == bindparam("app")),
)
