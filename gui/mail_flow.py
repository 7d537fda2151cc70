"""Glue between the pages and the mail features: opening the composer, and sending.

The entry points the rest of the GUI calls:

- :func:`open_thank_you_composer` (Today, a checklist, an interview or contact):
  one draft per interviewer still to thank, in one composer window (which
  says who is already thanked).
- :func:`open_composer_for_item`: the draft that fits a checklist item
  (thank-you, status follow-up, reply to a rejection, check-in).
- :func:`open_note_composer`: a note to someone met at an application, after
  withdrawing or after an offer (an application's "Write a note").
- :func:`open_message_composer`: one existing message (the Outbox's Open,
  Retry and Send again).

Preparing drafts writes them, so the first three run the core off the GUI
thread (``context.ops.write``) and open the window when the drafts are there
(``on_opened`` gets it). The same worker call reads what the window shows of
each draft (:func:`for_composer`), so the window reads nothing as it is built.
A message already open in a composer is brought to the front rather than
opened twice. :func:`start_send` is the one way the GUI
sends: it looks the password (or an OAuth access token) up and runs
:func:`afterword.core.mail.outbox.send_message` as an operation, off the GUI
thread. The core's claim makes sure a message goes out at most once, whatever
the GUI does; :func:`is_sending` lets pages show "Sending…" for the messages
this app is sending now, and :func:`send_tracker` tells them when that starts and ends.

Passwords typed without a keyring live in :func:`session_passwords`, in memory, while it runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from afterword.core.checklist.items import ChecklistItem
from afterword.core.errors import AfterwordError
from afterword.core.interviews import get_interview
from afterword.core.item_drafts import draft_for_item, note_draft, thank_you_drafts
from afterword.core.mail.accounts import account_key, get_mail_account
from afterword.core.mail.composing import ComposerDraft, composer_draft, composer_drafts
from afterword.core.mail.credentials import SessionPasswords, password_for
from afterword.core.mail.drafts import DraftContext, get_message, thanked_contacts
from afterword.core.mail.oauth import AccessTokens, oauth_provider
from afterword.core.mail.outbox import send_message
from afterword.core.mail.transport import DEFAULT_TIMEOUT, MailError
from afterword.core.storage.records import MailAccountFields, MailAccountRecord, MessageRecord
from afterword.core.storage.values import Purpose, SignIn
from afterword.gui.context import AppContext
from afterword.gui.forms import ask_without_blocking
from afterword.gui.operations import Operations
from afterword.gui.widgets.checklist.text import day_text

if TYPE_CHECKING:
    from afterword.core.storage.db import Database
    from afterword.gui.dialogs.composer import ComposerDialog

logger = logging.getLogger(__name__)

Opened = Callable[["ComposerDialog"], object]

_session_passwords = SessionPasswords()
# Access tokens of OAuth sign-ins; their refresh tokens are in the keyring.
_access_tokens = AccessTokens()
_open_composers: list[ComposerDialog] = []
# What a tab opened from a message alone checks it against until it has read its own.
_UNREAD = DraftContext(why_interested="", conversation_notes="", siblings=())


class SendTracker(QObject):
    """Which messages this process is sending right now, per running app.

    Sending is not stored anywhere a change set could report it, so pages
    that show "Sending…" listen to :attr:`changed` (the message id).
    """

    changed = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        # (the operations layer of the app that sends, message id): one per running app.
        self._sending: set[tuple[Operations, int]] = set()

    def __contains__(self, key: tuple[Operations, int]) -> bool:
        return key in self._sending

    def start(self, key: tuple[Operations, int]) -> None:
        self._sending.add(key)
        self.changed.emit(key[1])

    def finish(self, key: tuple[Operations, int]) -> None:
        self._sending.discard(key)
        self.changed.emit(key[1])


_tracker: SendTracker | None = None


def send_tracker() -> SendTracker:
    """The one :class:`SendTracker` (made on first use, once Qt is running)."""
    global _tracker
    if _tracker is None:
        _tracker = SendTracker()
    return _tracker


def access_tokens() -> AccessTokens:
    """This session's OAuth access tokens (renewed from the keyring when due)."""
    return _access_tokens


def secret_for(db: Database, account: MailAccountFields, now: datetime) -> str:
    """What signs the account in: its password, or for an OAuth account an access token."""
    if account.sign_in is SignIn.PASSWORD:
        return password_for(account_key(account), _session_passwords)
    provider = oauth_provider(SignIn(account.sign_in).value, db)
    return _access_tokens.access_token(account, provider, now)


def session_passwords() -> SessionPasswords:
    """Passwords typed for this session on a system without a keyring (memory only)."""
    return _session_passwords


def html_text(text: str) -> str:
    """``text`` safe to put into a rich-text label (names and server replies contain ``<``)."""
    return escape(text, quote=False)


def when_text(moment: datetime, context: AppContext) -> str:
    """ "Wed 11 Mar, 10:02" in the time zone of the app's clock (English whatever the locale)."""
    now = context.now()
    local = moment.astimezone(now.tzinfo)
    return f"{day_text(local.date(), now.date())}, {local:%H:%M}"


# -- sending ------------------------------------------------------------------------------------


def is_sending(context: AppContext, message_id: int) -> bool:
    """Whether this app is sending ``message_id`` right now."""
    return (context.ops, message_id) in send_tracker()


class NoMailAccount(AfterwordError):
    """Send was clicked before a mail account was set up (nothing was sent)."""


@dataclass(frozen=True)
class SendOutcome:
    """What a send came to: the sent message, or why it was not (or may not have been) sent.

    A failed send still changes the message (``failed`` or ``unknown``), so the
    worker returns the error instead of raising it: the operation then
    broadcasts what the attempt changed either way.
    """

    record: MessageRecord | None = None
    error: BaseException | None = None
    # The mail account the worker read and sent through (None when there is none).
    account: MailAccountRecord | None = None
    # After a failure: the message as the attempt left it (None if it could not be read).
    stored: MessageRecord | None = None


def _as_left(db: Database, message_id: int) -> MessageRecord | None:
    """The message after a failed attempt, read in the same worker call."""
    try:
        return get_message(db, message_id)
    except AfterwordError:  # deleted meanwhile, or the database is busy: the tab reloads
        return None


def _send_in_background(
    db: Database, message_id: int, now: datetime, timeout: float
) -> SendOutcome:
    """Runs on a worker thread: the mail account, its password from the keyring (or this
    session), then send."""
    account = None
    try:
        account = get_mail_account(db)
        if account is None:
            raise NoMailAccount("No mail account is set up yet.")
        password = secret_for(db, account, now)
        record = send_message(
            db, message_id, account=account, password=password, now=now, timeout=timeout
        )
    except (AfterwordError, MailError) as exc:
        logger.warning("Message %s not sent: %s", message_id, type(exc).__name__)
        return SendOutcome(error=exc, account=account, stored=_as_left(db, message_id))
    except Exception as exc:
        logger.exception("Sending message %s failed unexpectedly", message_id)
        return SendOutcome(error=exc, account=account, stored=_as_left(db, message_id))
    return SendOutcome(record=record, account=account)


def start_send(
    context: AppContext,
    message_id: int,
    *,
    on_finished: Callable[[SendOutcome], object],
    timeout: float = DEFAULT_TIMEOUT,
    initiator: object = None,
) -> None:
    """Send ``message_id`` through the mail account, off the GUI thread (the account is
    read there too); ``on_finished`` runs on the GUI thread with the outcome.

    Every screen hears about the outcome through ``context.ops.changed``, sent
    or not (a failure changes the message's state in the Outbox too).
    """
    key = (context.ops, message_id)
    tracker = send_tracker()

    def finished(outcome: SendOutcome) -> None:
        tracker.finish(key)
        on_finished(outcome)

    def failed(error: BaseException) -> None:
        finished(SendOutcome(error=error))

    tracker.start(key)
    context.ops.write(
        _send_in_background,
        context.db,
        message_id,
        context.now(),
        timeout,
        initiator=initiator,
        on_success=finished,
        on_failure=failed,
    )


def ask_to_send_again(
    parent: QWidget, message: MessageRecord, on_confirmed: Callable[[], object]
) -> QMessageBox:
    """Ask before sending a message that may already have arrived (opened without blocking)."""
    return ask_without_blocking(
        parent,
        icon=QMessageBox.Icon.Warning,
        title="Send it again?",
        text=f"The message to {message.to_name or message.to_address} may already have arrived.",
        details=(
            f"{message.error or 'The last attempt broke off while sending.'} "
            "If it did arrive and you send it again, they get it twice."
        ),
        go="Send it again",
        stay="Don't send",
        on_confirmed=on_confirmed,
    )


# -- opening the composer -----------------------------------------------------------------------


def open_composers() -> list[ComposerDialog]:
    """The composer windows open now (for tests and for bringing one to the front)."""
    return [composer for composer in _open_composers if composer.isVisible()]


def _forget(composer: ComposerDialog) -> None:
    if composer in _open_composers:
        _open_composers.remove(composer)


def for_composer(make: Callable[..., MessageRecord]) -> Callable[..., ComposerDraft]:
    """``make(db, ...)``, which writes a draft and returns it, followed by what the composer
    shows of that draft, in one call (to hand to ``context.ops.write``)."""

    def made(db: Database, *args: Any, **kwargs: Any) -> ComposerDraft:
        return composer_draft(db, make(db, *args, **kwargs).id)

    return made


def _show(
    context: AppContext,
    drafts: Sequence[ComposerDraft],
    *,
    title: str,
    parent: QWidget | None,
    select_contact: int | None = None,
    notice: str = "",
) -> ComposerDialog:
    from afterword.gui.dialogs.composer import ComposerDialog

    messages = [draft.record for draft in drafts]
    ids = {message.id for message in messages}
    for composer in open_composers():
        if ids and ids <= set(composer.message_ids()):
            composer.select_message(_pick(messages, select_contact))
            composer.raise_()
            composer.activateWindow()
            return composer
    composer = ComposerDialog(context, drafts, title=title, parent=parent, notice=notice)
    composer.closed.connect(lambda: _forget(composer))
    composer.destroyed.connect(lambda: _forget(composer))
    _open_composers.append(composer)
    if messages:
        composer.select_message(_pick(messages, select_contact))
    composer.show()
    composer.raise_()
    composer.activateWindow()
    return composer


def _pick(messages: Sequence[MessageRecord], contact_id: int | None) -> int:
    for message in messages:
        if contact_id is not None and message.contact_id == contact_id:
            return message.id
    return messages[0].id


def open_thank_you_composer(
    context: AppContext,
    interview_id: int,
    contact_id: int | None = None,
    parent: QWidget | None = None,
    *,
    on_opened: Opened | None = None,
) -> None:
    """The thank-you notes for an interview, one tab per interviewer still to thank.

    ``contact_id``'s is in front (their sent note, if they are already
    thanked); the window says who is already thanked, and when everyone is.
    The drafts are prepared off the GUI thread; the window opens when they are there.
    """

    def prepare(db: Database, now: datetime) -> tuple[list[ComposerDraft], str, str]:
        made = thank_you_drafts(db, interview_id, now=now, contact_id=contact_id)
        drafts = composer_drafts(db, [draft.id for draft in made])
        interview = get_interview(db, interview_id)
        title = f"Thank-you notes · {interview.role} at {interview.company}"
        return drafts, title, thanked_notice(thanked_contacts(db, interview_id), bool(drafts))

    def prepared(result: tuple[list[ComposerDraft], str, str]) -> None:
        drafts, title, notice = result
        composer = _show(
            context, drafts, title=title, parent=parent, select_contact=contact_id, notice=notice
        )
        if on_opened is not None:
            on_opened(composer)

    context.ops.write(
        prepare,
        context.db,
        context.now(),
        on_success=prepared,
        failure_title="The thank-you notes could not be prepared",
    )


def thanked_notice(thanked: Sequence[str], drafts_left: bool) -> str:
    """What the thank-you composer says about the people already thanked ("" for nobody)."""
    if not thanked:
        return (
            ""
            if drafts_left
            else "Nobody is listed for this interview yet. Add the people you met to it: "
            "each gets a note of their own."
        )
    names = ", ".join(thanked[:-1]) + (" and " if len(thanked) > 1 else "") + thanked[-1]
    if drafts_left:
        return f"Already thanked: {names}. There is a note here for each person still to thank."
    return (
        f"You have already thanked {names} for this interview: there is no thank-you left to write."
    )


def open_composer_for_item(
    context: AppContext,
    item: ChecklistItem,
    parent: QWidget | None = None,
    *,
    on_opened: Opened | None = None,
) -> bool:
    """Open the draft for a checklist item that has a message to write; False if it has none."""
    if item.purpose is Purpose.THANK_YOU and item.interview_id is not None:
        open_thank_you_composer(
            context, item.interview_id, item.contact_id, parent, on_opened=on_opened
        )
        return True
    if item.purpose is None:
        return False
    if item.purpose is Purpose.REJECTION_REPLY and item.application_id is not None:
        # Whom to reply to and what to ask for are the person's choice: asked first.
        from afterword.gui.dialogs.rejection_reply import RejectionReplyDialog

        RejectionReplyDialog(context, item, parent, on_opened=on_opened).open()
        return True

    def prepared(draft: ComposerDraft) -> None:
        composer = _show(context, [draft], title=item.title, parent=parent)
        if on_opened is not None:
            on_opened(composer)

    context.ops.write(
        for_composer(draft_for_item),
        context.db,
        item,
        now=context.now(),
        on_success=prepared,
        failure_title="The message could not be prepared",
    )
    return True


def open_note_composer(
    context: AppContext,
    application_id: int,
    contact_id: int,
    variant: str,
    parent: QWidget | None = None,
    *,
    title: str = "",
    on_opened: Opened | None = None,
) -> None:
    """A note to someone met at an application, from the built-in template ``variant``
    ("withdrawn", "offer_accepted", "offer_declined"); the unsent one if there is one."""

    def prepared(draft: ComposerDraft) -> None:
        who = draft.record.to_name or "them"
        composer = _show(context, [draft], title=title or f"Note to {who}", parent=parent)
        if on_opened is not None:
            on_opened(composer)

    context.ops.write(
        for_composer(note_draft),
        context.db,
        application_id,
        contact_id,
        variant,
        now=context.now(),
        on_success=prepared,
        failure_title="The note could not be prepared",
    )


def open_message_composer(
    context: AppContext,
    message: MessageRecord | ComposerDraft,
    parent: QWidget | None = None,
    *,
    send_now: bool = False,
    title: str = "",
) -> ComposerDialog:
    """One existing message in a composer, at once; ``send_now`` starts sending it (Retry).

    Given the message alone (the Outbox's row), the window opens with it and its
    tab reads the rest (the notes it is checked against, the sender's name) off
    the GUI thread; Send needs none of that.
    """
    complete = isinstance(message, ComposerDraft)
    draft = message if isinstance(message, ComposerDraft) else ComposerDraft(message, _UNREAD)
    record = draft.record
    who = record.to_name or record.to_address or "no recipient yet"
    composer = _show(context, [draft], title=title or f"Message to {who}", parent=parent)
    editor = composer.editor_for(record.id)
    if not complete:
        editor.reload()
    if send_now:
        editor.send()
    return composer
