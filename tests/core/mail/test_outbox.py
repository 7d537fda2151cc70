"""The Outbox state machine against a real server and a real database file: at most once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import trustme
from sqlalchemy import select

from afterword.core.checklist.items import ItemKind, ItemState
from afterword.core.checklist.service import checklist_for_interview
from afterword.core.contacts import get_contact
from afterword.core.errors import ValidationError
from afterword.core.mail import drafts, outbox
from afterword.core.mail.transport import (
    AuthenticationFailed,
    DeliveryUncertain,
    MailError,
    MessageTooLarge,
    RecipientRefused,
    ServerUnreachable,
    TlsCertificateError,
)
from afterword.core.storage.changes import Kind, collect_changes
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.models import Touchpoint
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MessageStatus, Purpose, TouchpointKind
from tests.core.mail.rows import BODY, SUBJECT, Scene, add_account, add_message
from tests.support.smtp import SmtpServer, free_port


def _status(db: Database, message_id: int) -> MessageStatus:
    return outbox.get_message(db, message_id).status


def _touchpoints(db: Database, message_id: int) -> list[Touchpoint]:
    with db.reading() as session:
        return list(session.scalars(select(Touchpoint).where(Touchpoint.message_id == message_id)))


def _thank_you_state(db: Database, scene: Scene, now: datetime) -> ItemState:
    [item] = [
        item
        for item in checklist_for_interview(db, scene.interview_id, now)
        if item.kind is ItemKind.THANK_YOU and item.contact_id == scene.contact_id
    ]
    return item.state


def test_sending_a_draft_marks_it_sent_and_records_the_touchpoint(
    db: Database,
    now: datetime,
    scene: Scene,
    server: SmtpServer,
    account: MailAccountRecord,
) -> None:
    message_id = add_message(db, now, scene)
    assert _thank_you_state(db, scene, now) is not ItemState.DONE

    sent = outbox.send_message(db, message_id, account=account, password=server.password, now=now)

    assert sent.status is MessageStatus.SENT
    assert sent.sent_at == now
    assert sent.error == ""
    assert sent.account_id == account.id
    assert (sent.subject, sent.body) == (SUBJECT, BODY)
    [received] = server.received
    assert received.message["Message-ID"] == sent.message_id_header
    assert received.message["Subject"] == SUBJECT
    assert str(received.message["From"]) == "Ada Lovelace <ada@example.com>"
    assert received.rcpt_tos == ("grace@example.org",)
    [touchpoint] = _touchpoints(db, message_id)
    assert touchpoint.kind is TouchpointKind.EMAIL
    assert touchpoint.purpose is Purpose.THANK_YOU
    assert (touchpoint.contact_id, touchpoint.application_id, touchpoint.interview_id) == (
        scene.contact_id,
        scene.application_id,
        scene.interview_id,
    )
    assert get_contact(db, scene.contact_id).last_contacted_at == now
    assert _thank_you_state(db, scene, now) is ItemState.DONE


def test_copy_to_self_goes_to_the_account_address_without_a_header(
    db: Database, now: datetime, scene: Scene, server: SmtpServer, account: MailAccountRecord
) -> None:
    message_id = add_message(db, now, scene, bcc_self=True)

    outbox.send_message(db, message_id, account=account, password=server.password, now=now)

    [received] = server.received
    assert received.rcpt_tos == ("grace@example.org", account.email)
    assert b"bcc" not in received.content.split(b"\r\n\r\n", 1)[0].lower()


def test_a_sent_message_is_read_only_and_never_sent_twice(
    db: Database, now: datetime, scene: Scene, server: SmtpServer, account: MailAccountRecord
) -> None:
    message_id = add_message(db, now, scene)
    outbox.send_message(db, message_id, account=account, password=server.password, now=now)

    with pytest.raises(outbox.AlreadySent):
        outbox.send_message(db, message_id, account=account, password=server.password, now=now)
    with pytest.raises(outbox.AlreadySent):
        outbox.claim_for_sending(db, message_id, now, account=account)
    with pytest.raises(ValidationError):
        drafts.update_draft(
            db,
            message_id,
            to_name="Grace",
            to_address="grace@example.org",
            subject="Changed",
            body="Changed",
            bcc_self=False,
            now=now,
        )
    assert len(server.received) == 1
    assert outbox.get_message(db, message_id).subject == SUBJECT


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("wrong password", AuthenticationFailed),
        ("not listening", ServerUnreachable),
        ("recipient refused", RecipientRefused),
        ("too large", MessageTooLarge),
        ("untrusted certificate", TlsCertificateError),
    ],
)
def test_every_failure_keeps_the_message_its_text_and_the_reason(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    fault: str,
    expected: type[MailError],
) -> None:
    options: dict[str, object] = {
        "recipient refused": {"refuse": {"grace@example.org"}},
        "too large": {"data_size_limit": 200},
        "untrusted certificate": {"certificate_ca": trustme.CA()},
    }.get(fault, {})
    server = smtp_server(**options)
    account = add_account(db, server)
    if fault == "not listening":
        account = replace(account, smtp_port=free_port())
    password = "wrong" if fault == "wrong password" else server.password
    message_id = add_message(db, now, scene)

    with pytest.raises(expected) as failed:
        outbox.send_message(db, message_id, account=account, password=password, now=now)

    message = outbox.get_message(db, message_id)
    assert message.status is MessageStatus.FAILED
    assert message.error == failed.value.user_message
    assert (message.subject, message.body, message.to_address) == (
        SUBJECT,
        BODY,
        "grace@example.org",
    )
    assert message.sent_at is None
    assert _touchpoints(db, message_id) == []
    assert server.received == []


def test_a_failed_message_can_be_retried_and_keeps_its_message_id(
    db: Database, now: datetime, scene: Scene, server: SmtpServer, account: MailAccountRecord
) -> None:
    message_id = add_message(db, now, scene)
    with pytest.raises(AuthenticationFailed):
        outbox.send_message(db, message_id, account=account, password="wrong", now=now)
    first_id = outbox.get_message(db, message_id).message_id_header
    assert first_id

    later = now + timedelta(minutes=5)
    sent = outbox.send_message(db, message_id, account=account, password=server.password, now=later)

    assert sent.status is MessageStatus.SENT
    assert sent.sent_at == later
    assert sent.message_id_header == first_id
    assert server.received[0].message["Message-ID"] == first_id


def test_a_message_that_cannot_be_built_is_refused_and_nothing_is_written(
    db: Database, now: datetime, scene: Scene, server: SmtpServer, account: MailAccountRecord
) -> None:
    message_id = add_message(db, now, scene, to_address="")
    before = outbox.get_message(db, message_id)

    with pytest.raises(ValidationError) as refused:
        outbox.send_message(
            db,
            message_id,
            account=account,
            password=server.password,
            now=now + timedelta(minutes=1),
        )

    assert refused.value.field == "to_address"
    assert outbox.get_message(db, message_id) == before
    assert server.login_attempts == []


def test_a_drop_after_the_data_leaves_the_message_unknown_until_the_user_confirms(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
) -> None:
    dropping = smtp_server(drop_after_data=True)
    message_id = add_message(db, now, scene)

    with pytest.raises(DeliveryUncertain):
        outbox.send_message(
            db, message_id, account=add_account(db, dropping), password=dropping.password, now=now
        )

    message = outbox.get_message(db, message_id)
    assert message.status is MessageStatus.UNKNOWN
    assert "may have arrived" in message.error
    assert (message.subject, message.body) == (SUBJECT, BODY)
    assert _touchpoints(db, message_id) == []
    # Not again without asking, and not editable either.
    working = smtp_server()
    account = add_account(db, working)
    with pytest.raises(outbox.UncertainNeedsConfirmation):
        outbox.send_message(db, message_id, account=account, password=working.password, now=now)
    with pytest.raises(ValidationError):
        drafts.delete_draft(db, message_id)
    assert working.received == []

    outbox.confirm_resend(db, message_id, now)
    sent = outbox.send_message(db, message_id, account=account, password=working.password, now=now)

    assert sent.status is MessageStatus.SENT
    # The same Message-ID both times, so a mail program can spot the duplicate.
    assert working.received[0].message["Message-ID"] == dropping.received[0].message["Message-ID"]


def test_confirming_a_resend_of_a_sent_message_is_refused(
    db: Database, now: datetime, scene: Scene, server: SmtpServer, account: MailAccountRecord
) -> None:
    message_id = add_message(db, now, scene)
    outbox.send_message(db, message_id, account=account, password=server.password, now=now)

    with pytest.raises(outbox.AlreadySent):
        outbox.confirm_resend(db, message_id, now)


def test_after_a_crash_mid_send_the_message_comes_back_unknown_never_draft(
    db: Database, now: datetime, scene: Scene
) -> None:
    # A row left in 'sending' is exactly what a killed app leaves on disk.
    interrupted = add_message(db, now, scene, status=MessageStatus.SENDING)
    draft = add_message(db, now, scene)
    sent = add_message(db, now, scene, status=MessageStatus.SENT, sent_at=now)
    db.close()
    reopened = open_database(db.path)
    later = now + timedelta(hours=1)

    try:
        assert outbox.recover_interrupted_sends(reopened, later) == 1

        message = outbox.get_message(reopened, interrupted)
        assert message.status is MessageStatus.UNKNOWN
        assert message.error == outbox.INTERRUPTED
        assert message.updated_at == later
        assert _status(reopened, draft) is MessageStatus.DRAFT
        assert _status(reopened, sent) is MessageStatus.SENT
        assert outbox.recover_interrupted_sends(reopened, later) == 0
    finally:
        reopened.close()


def _race(
    windows: list[Database], message_id: int, now: datetime, account: MailAccountRecord
) -> list[str]:
    """Every window claims the message at the same moment, each from its own thread."""
    start = threading.Barrier(len(windows))
    outcomes: list[str] = []

    def claim(window: Database) -> None:
        start.wait()
        try:
            outbox.claim_for_sending(window, message_id, now, account=account)
            outcomes.append("won")
        except outbox.AlreadySending:
            outcomes.append("already sending")

    threads = [threading.Thread(target=claim, args=(window,)) for window in windows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return sorted(outcomes)


def test_two_windows_racing_to_claim_a_message_only_one_wins(
    db: Database, now: datetime, scene: Scene, server: SmtpServer, account: MailAccountRecord
) -> None:
    # Separate Database objects on the same file: separate connections, like two app windows.
    windows = [open_database(db.path) for _ in range(4)]
    try:
        for _ in range(10):
            message_id = add_message(db, now, scene)

            assert _race(windows, message_id, now, account) == ["already sending"] * 3 + ["won"]
            assert _status(db, message_id) is MessageStatus.SENDING
    finally:
        for window in windows:
            window.close()


def test_a_second_click_while_sending_is_refused_and_one_message_arrives(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
) -> None:
    # The server holds its final answer for a moment, so the first send is in flight.
    server = smtp_server(stall_after_data=0.5)
    account = add_account(db, server)
    message_id = add_message(db, now, scene)
    results: list[object] = []

    def first_click() -> None:
        results.append(
            outbox.send_message(db, message_id, account=account, password=server.password, now=now)
        )

    sending = threading.Thread(target=first_click)
    sending.start()
    deadline = time.monotonic() + 5
    while not server.received and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _status(db, message_id) is MessageStatus.SENDING

    with pytest.raises(outbox.AlreadySending):
        outbox.send_message(db, message_id, account=account, password=server.password, now=now)
    with pytest.raises(ValidationError):
        drafts.update_draft(
            db,
            message_id,
            to_name="Grace",
            to_address="grace@example.org",
            subject="Changed while sending",
            body="Changed",
            bcc_self=False,
            now=now,
        )
    sending.join(timeout=10)

    assert len(results) == 1
    assert _status(db, message_id) is MessageStatus.SENT
    assert len(server.received) == 1


def test_a_letter_marked_as_posted_is_sent_and_ticks_off_the_thank_you(
    db: Database, now: datetime, scene: Scene
) -> None:
    message_id = add_message(db, now, scene)

    posted = outbox.mark_sent_by_post(db, message_id, now)

    assert posted.status is MessageStatus.SENT
    assert posted.sent_at == now
    [touchpoint] = _touchpoints(db, message_id)
    assert touchpoint.kind is TouchpointKind.LETTER
    assert _thank_you_state(db, scene, now) is ItemState.DONE
    with pytest.raises(outbox.AlreadySent):
        outbox.mark_sent_by_post(db, message_id, now)


def test_the_outbox_lists_every_message_most_recent_first(
    db: Database, now: datetime, scene: Scene
) -> None:
    older = add_message(db, now - timedelta(days=2), scene, status=MessageStatus.SENT)
    newest = add_message(db, now, scene, status=MessageStatus.FAILED, error="refused")
    middle = add_message(db, now - timedelta(days=1), scene)

    listed = outbox.list_messages(db)

    assert [message.id for message in listed] == [newest, middle, older]
    assert [message.status for message in listed] == [
        MessageStatus.FAILED,
        MessageStatus.DRAFT,
        MessageStatus.SENT,
    ]
    assert listed[0].error == "refused"


def test_a_message_whose_contact_was_deleted_is_sent_without_a_touchpoint(
    db: Database, now: datetime, scene: Scene, server: SmtpServer, account: MailAccountRecord
) -> None:
    message_id = add_message(db, now, scene, contact_id=None)

    sent = outbox.send_message(db, message_id, account=account, password=server.password, now=now)

    assert sent.status is MessageStatus.SENT
    assert _touchpoints(db, message_id) == []
    assert len(server.received) == 1


def test_an_uncertain_message_found_in_the_sent_folder_is_confirmed_as_sent(
    db: Database,
    now: datetime,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
) -> None:
    dropping = smtp_server(drop_after_data=True)
    message_id = add_message(db, now, scene)
    with pytest.raises(DeliveryUncertain):
        outbox.send_message(
            db, message_id, account=add_account(db, dropping), password=dropping.password, now=now
        )
    assert _thank_you_state(db, scene, now) is not ItemState.DONE
    later = now + timedelta(hours=2)

    confirmed = outbox.confirm_arrived(db, message_id, later)

    assert confirmed.status is MessageStatus.SENT
    assert confirmed.sent_at == later
    assert confirmed.error == ""
    assert (confirmed.subject, confirmed.body) == (SUBJECT, BODY)
    assert outbox.get_message(db, message_id) == confirmed
    [touchpoint] = _touchpoints(db, message_id)
    assert touchpoint.kind is TouchpointKind.EMAIL
    assert touchpoint.occurred_at == later
    assert get_contact(db, scene.contact_id).last_contacted_at == later
    assert _thank_you_state(db, scene, later) is ItemState.DONE
    # Confirmed once is enough: a second click changes nothing and sends nothing.
    with pytest.raises(outbox.AlreadySent):
        outbox.confirm_arrived(db, message_id, later)
    assert len(_touchpoints(db, message_id)) == 1
    assert len(dropping.received) == 1


@pytest.mark.parametrize("status", [MessageStatus.DRAFT, MessageStatus.FAILED])
def test_a_message_never_sent_cannot_be_confirmed_as_arrived(
    db: Database, now: datetime, scene: Scene, status: MessageStatus
) -> None:
    message_id = add_message(db, now, scene, status=status)

    with pytest.raises(outbox.NotSentYet) as refused:
        outbox.confirm_arrived(db, message_id, now)

    assert "hasn't been sent yet" in refused.value.user_message
    assert _status(db, message_id) is status
    assert _touchpoints(db, message_id) == []
    assert _thank_you_state(db, scene, now) is not ItemState.DONE


def test_a_message_being_sent_cannot_be_confirmed_as_arrived(
    db: Database, now: datetime, scene: Scene
) -> None:
    message_id = add_message(db, now, scene, status=MessageStatus.SENDING)

    with pytest.raises(outbox.AlreadySending):
        outbox.confirm_arrived(db, message_id, now)

    assert _status(db, message_id) is MessageStatus.SENDING
    assert _touchpoints(db, message_id) == []


@pytest.mark.parametrize("status", [MessageStatus.DRAFT, MessageStatus.FAILED])
def test_a_note_sent_from_the_mail_app_is_sent_and_ticks_off_the_thank_you(
    db: Database, now: datetime, scene: Scene, status: MessageStatus
) -> None:
    message_id = add_message(db, now, scene, status=status)
    assert _thank_you_state(db, scene, now) is not ItemState.DONE

    sent = outbox.mark_sent_from_mail_app(db, message_id, now)

    assert sent.status is MessageStatus.SENT
    assert sent.sent_at == now
    assert (sent.subject, sent.body) == (SUBJECT, BODY)
    [touchpoint] = _touchpoints(db, message_id)
    assert touchpoint.kind is TouchpointKind.EMAIL
    assert touchpoint.purpose is Purpose.THANK_YOU
    assert _thank_you_state(db, scene, now) is ItemState.DONE
    with pytest.raises(ValidationError):
        drafts.delete_draft(db, message_id)
    with pytest.raises(outbox.AlreadySent):
        outbox.mark_sent_from_mail_app(db, message_id, now)
    assert len(_touchpoints(db, message_id)) == 1


@pytest.mark.parametrize(
    ("status", "refusal"),
    [
        (MessageStatus.SENDING, outbox.AlreadySending),
        (MessageStatus.UNKNOWN, outbox.UncertainNeedsConfirmation),
    ],
)
def test_a_message_sent_or_maybe_sent_by_the_app_is_not_marked_sent_from_the_mail_app(
    db: Database,
    now: datetime,
    scene: Scene,
    status: MessageStatus,
    refusal: type[outbox.OutboxError],
) -> None:
    message_id = add_message(db, now, scene, status=status)

    with pytest.raises(refusal):
        outbox.mark_sent_from_mail_app(db, message_id, now)

    assert _status(db, message_id) is status
    assert _touchpoints(db, message_id) == []


def test_claiming_and_recording_a_send_declare_what_they_changed(
    db: Database, now: datetime, scene: Scene, account: MailAccountRecord
) -> None:
    # The outbox writes through its own statements: they still land in the change
    # set, so the Outbox and the checklist refresh after a send.
    claimed_id = add_message(db, now, scene)
    with collect_changes() as claimed:
        outbox.claim_for_sending(db, claimed_id, now, account=account)
    assert claimed.changes.touches(Kind.MESSAGES)
    assert not claimed.changes.touches(Kind.TOUCHPOINTS)

    posted_id = add_message(db, now, scene)
    with collect_changes() as posted:
        outbox.mark_sent_by_post(db, posted_id, now)
    assert posted.changes.kinds >= {Kind.MESSAGES, Kind.TOUCHPOINTS, Kind.CHECKLIST}
