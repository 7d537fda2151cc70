"""The Outbox as a person reads it: every message's state in words, Retry, It arrived, Send again.

Messages get their states for real: sent to, refused by or cut off by a real
aiosmtpd server, or left "sending" as by a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.checklist.items import ItemKind, ItemState
from afterword.core.checklist.service import checklist_for_interview
from afterword.core.mail.accounts import account_key, save_imap_settings
from afterword.core.mail.credentials import delete_password, store_password
from afterword.core.mail.drafts import get_message, prepare_draft, prepare_thank_you_drafts
from afterword.core.mail.outbox import claim_for_sending, recover_interrupted_sends, send_message
from afterword.core.mail.transport import AuthenticationFailed, DeliveryUncertain
from afterword.core.storage.records import ImapFields, MailAccountRecord, MessageRecord
from afterword.core.storage.values import MailSecurity, Purpose
from afterword.gui.context import AppContext
from afterword.gui.mail_flow import open_composers
from afterword.gui.pages.outbox import OutboxPage
from tests.gui.mail_support import SENDER_NAME, Scene, save_account_for, wait_until_settled
from tests.support.smtp import free_port

if TYPE_CHECKING:
    from tests.support.smtp import SmtpServer

pytest_plugins = ["tests.gui.mail_fixtures"]


def _outbox(context: AppContext, qtbot: QtBot) -> OutboxPage:
    page = OutboxPage(context)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(context.ops.is_idle)  # the list loads off the GUI thread
    return page


def _thank_yous(context: AppContext, scene: Scene) -> list[MessageRecord]:
    return prepare_thank_you_drafts(
        context.db, scene.interview.id, now=context.now(), my_name=SENDER_NAME
    )


def _send_drop(
    context: AppContext,
    smtp_server: Callable[..., SmtpServer],
    message: MessageRecord,
) -> MailAccountRecord:
    """Send ``message`` through a server that hangs up after taking the text."""
    dropper = smtp_server(drop_after_data=True)
    account = save_account_for(context.db, dropper)
    with pytest.raises(DeliveryUncertain):
        send_message(
            context.db, message.id, account=account, password=dropper.password, now=context.now()
        )
    return account


def _click_answer(box: QMessageBox, text: str) -> None:
    next(button for button in box.buttons() if button.text() == text).click()


def _question(page: OutboxPage) -> QMessageBox:
    boxes = [box for box in page.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1
    return boxes[0]


def test_every_message_shows_its_state_in_words(
    mail_context: AppContext,
    scene: Scene,
    mail_server: SmtpServer,
    mail_account: MailAccountRecord,
    smtp_server: Callable[..., SmtpServer],
    qtbot: QtBot,
) -> None:
    db, now = mail_context.db, mail_context.now()
    sent, failed = _thank_yous(mail_context, scene)
    send_message(db, sent.id, account=mail_account, password=mail_server.password, now=now)
    with pytest.raises(AuthenticationFailed):
        send_message(db, failed.id, account=mail_account, password="not it", now=now)
    in_doubt = prepare_draft(
        db, purpose=Purpose.CHECK_IN, contact_id=scene.anna.contact_id, now=now, my_name="Ada"
    )
    sending = prepare_draft(
        db, purpose=Purpose.CHECK_IN, contact_id=scene.joerg.contact_id, now=now, my_name="Ada"
    )
    draft = prepare_draft(
        db,
        purpose=Purpose.STATUS_FOLLOW_UP,
        application_id=scene.application.id,
        contact_id=scene.anna.contact_id,
        now=now,
        my_name="Ada",
    )
    _send_drop(mail_context, smtp_server, in_doubt)
    claim_for_sending(db, sending.id, now, account=mail_account)

    page = _outbox(mail_context, qtbot)

    assert {page.state_of(m.id) for m in (sent, failed, in_doubt, sending, draft)} == {
        "Sent",
        "Not sent",
        "May have arrived",
        "Sending…",
        "Draft",
    }
    assert page.state_of(sent.id) == "Sent"
    assert page.state_of(failed.id) == "Not sent"
    assert page.state_of(in_doubt.id) == "May have arrived"
    assert page.summary.text() == "1 sending · 1 draft · 1 not sent · 1 may have arrived · 1 sent"
    detail = page.detail

    page.select_message(sent.id)
    assert detail.state.text().startswith("<b>Sent</b> Wed 11 Mar, 10:00")
    assert detail.body.isReadOnly()
    assert detail.body.toPlainText() == get_message(db, sent.id).body
    assert not any(
        button.isVisible()
        for button in (
            detail.open_button,
            detail.retry_button,
            detail.arrived_button,
            detail.resend_button,
        )
    )

    page.select_message(failed.id)
    assert "refused the user name “ada@example.com” or its password" in detail.state.text()
    assert detail.retry_button.isVisible() and detail.open_button.isVisible()

    page.select_message(in_doubt.id)
    assert "may have arrived" in detail.state.text()
    assert "won't send it again unless you say so" in detail.state.text()
    assert detail.resend_button.isVisible() and not detail.retry_button.isVisible()
    assert detail.arrived_button.isVisible()

    page.select_message(draft.id)
    assert "Not sent yet" in detail.state.text()
    assert detail.open_button.isVisible() and not detail.retry_button.isVisible()


def test_retry_sends_a_failed_message_once_and_the_outbox_shows_it_sent(
    mail_context: AppContext,
    scene: Scene,
    mail_server: SmtpServer,
    mail_account: MailAccountRecord,
    real_keyring: object,
    qtbot: QtBot,
) -> None:
    key = account_key(mail_account)
    store_password(key, "an old password")
    message = _thank_yous(mail_context, scene)[0]
    with pytest.raises(AuthenticationFailed):
        send_message(
            mail_context.db,
            message.id,
            account=mail_account,
            password="an old password",
            now=mail_context.now(),
        )
    store_password(key, mail_server.password)  # the person fixed it in Settings
    page = _outbox(mail_context, qtbot)
    page.select_message(message.id)

    qtbot.mouseClick(page.detail.retry_button, Qt.MouseButton.LeftButton)
    (composer,) = open_composers()
    wait_until_settled(qtbot, mail_context, composer.editors[0])

    assert len(mail_server.received) == 1
    assert page.state_of(message.id) == "Sent"
    assert page.detail.state.text().startswith("<b>Sent</b>")
    qtbot.mouseClick(page.detail.retry_button, Qt.MouseButton.LeftButton)  # hidden: nothing
    mail_context.ops.wait_for_idle()
    assert len(mail_server.received) == 1


def test_retry_while_the_retry_is_still_sending_does_not_send_twice(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    qtbot: QtBot,
) -> None:
    server = smtp_server(stall_after_data=1.0)  # slow to confirm: the retry is still going
    account = save_account_for(mail_context.db, server)
    key = account_key(account)
    message = _thank_yous(mail_context, scene)[0]
    with pytest.raises(AuthenticationFailed):
        send_message(
            mail_context.db, message.id, account=account, password="typo", now=mail_context.now()
        )
    store_password(key, server.password)
    try:
        page = _outbox(mail_context, qtbot)
        page.select_message(message.id)

        qtbot.mouseClick(page.detail.retry_button, Qt.MouseButton.LeftButton)
        assert page.state_of(message.id) == "Sending…"
        assert not page.detail.retry_button.isVisible()
        page.detail.retry()  # a second Retry that slips through (a shortcut, a stale view)
        (composer,) = open_composers()  # the same window, brought to the front
        wait_until_settled(qtbot, mail_context, composer.editors[0])

        assert len(server.received) == 1
        assert page.state_of(message.id) == "Sent"
    finally:
        delete_password(key)


def test_a_message_that_may_have_arrived_is_sent_again_only_when_confirmed(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    qtbot: QtBot,
) -> None:
    message = _thank_yous(mail_context, scene)[1]
    dropper_account = _send_drop(mail_context, smtp_server, message)
    first_attempt = get_message(mail_context.db, message.id)
    server = smtp_server()
    save_account_for(mail_context.db, server)
    store_password(account_key(dropper_account), server.password)
    page = _outbox(mail_context, qtbot)
    page.select_message(message.id)

    qtbot.mouseClick(page.detail.resend_button, Qt.MouseButton.LeftButton)
    box = _question(page)
    assert "may already have arrived" in box.text()
    assert "they get it twice" in box.informativeText()
    _click_answer(box, "Don't send")
    mail_context.ops.wait_for_idle()
    assert server.received == []
    assert page.state_of(message.id) == "May have arrived"

    qtbot.mouseClick(page.detail.resend_button, Qt.MouseButton.LeftButton)
    _click_answer(_question(page), "Send it again")
    qtbot.waitUntil(lambda: len(open_composers()) == 1)  # once the resend is confirmed
    (composer,) = open_composers()
    wait_until_settled(qtbot, mail_context, composer.editors[0])

    (arrived,) = server.received
    # The same Message-ID as the attempt that may have arrived: mail programs can spot a twin.
    assert arrived.message["Message-ID"] == first_attempt.message_id_header
    assert page.state_of(message.id) == "Sent"


def test_a_message_found_in_the_sent_folder_is_marked_as_arrived_without_sending_again(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    qtbot: QtBot,
) -> None:
    joerg = _thank_yous(mail_context, scene)[1]
    dropper = smtp_server(drop_after_data=True)
    account = save_account_for(mail_context.db, dropper)
    with pytest.raises(DeliveryUncertain):
        send_message(
            mail_context.db,
            joerg.id,
            account=account,
            password=dropper.password,
            now=mail_context.now(),
        )
    page = _outbox(mail_context, qtbot)
    page.select_message(joerg.id)
    assert "If you find it in your Sent folder, click <b>It arrived</b>" in (
        page.detail.state.text()
    )

    qtbot.mouseClick(page.detail.arrived_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(mail_context.ops.is_idle)

    assert page.state_of(joerg.id) == "Sent"
    assert page.detail.state.text().startswith("<b>Sent</b> Wed 11 Mar, 10:00")
    assert not page.detail.arrived_button.isVisible()
    assert not page.detail.resend_button.isVisible()
    assert page.summary.text() == "1 draft · 1 sent"
    thank_yous = {
        item.contact_id: item.state
        for item in checklist_for_interview(mail_context.db, scene.interview.id, mail_context.now())
        if item.kind is ItemKind.THANK_YOU
    }
    assert thank_yous[scene.joerg.contact_id] is ItemState.DONE
    assert thank_yous[scene.anna.contact_id] is not ItemState.DONE
    mail_context.ops.wait_for_idle()
    assert len(dropper.received) == 1  # the one attempt that was cut off; nothing more
    assert open_composers() == []


def test_the_outbox_shows_a_send_in_progress_then_its_outcome(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    qtbot: QtBot,
) -> None:
    # This server takes a second to confirm: long enough to look at the Outbox meanwhile.
    server = smtp_server(stall_after_data=1.0)
    account = save_account_for(mail_context.db, server)
    store_password(account_key(account), server.password)
    message = _thank_yous(mail_context, scene)[0]
    page = _outbox(mail_context, qtbot)
    page.select_message(message.id)
    page.detail.open_in_composer()
    (composer,) = open_composers()

    qtbot.mouseClick(composer.editors[0].send_button, Qt.MouseButton.LeftButton)

    assert page.state_of(message.id) == "Sending…"
    assert page.detail.state.text() == "<b>Being sent right now.</b>"
    assert not page.detail.open_button.isVisible()
    qtbot.waitUntil(lambda: page.state_of(message.id) == "Sent", timeout=15_000)
    assert len(server.received) == 1


def test_a_send_cut_short_by_a_crash_comes_back_as_may_have_arrived(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    message = _thank_yous(mail_context, scene)[0]
    claim_for_sending(mail_context.db, message.id, mail_context.now(), account=mail_account)
    # What the app does at its next start (afterword.gui.app calls it after the first paint).
    recover_interrupted_sends(mail_context.db, mail_context.now() + timedelta(minutes=5))

    page = _outbox(mail_context, qtbot)
    page.select_message(message.id)

    assert page.state_of(message.id) == "May have arrived"
    assert "Afterword stopped while sending this message" in page.detail.state.text()
    assert page.detail.resend_button.isVisible()


def test_double_clicking_a_draft_opens_it_in_the_composer(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    drafts = _thank_yous(mail_context, scene)
    page = _outbox(mail_context, qtbot)
    row = page.model.row_of(drafts[1].id)
    index = page.model.index(row, 2)
    rect = page.table.visualRect(index)

    # A real double-click: a click, then the double-click event on the same spot.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    (composer,) = open_composers()
    assert composer.message_ids() == [drafts[1].id]
    assert composer.editors[0].to_name.text() == "Jörg Weiß"


def test_an_empty_outbox_says_what_will_appear(
    mail_context: AppContext, qtbot: QtBot, now: datetime
) -> None:
    page = _outbox(mail_context, qtbot)
    assert page.stack.currentWidget() is page.empty
    assert "thank-you notes and follow-ups you write appear here" in page.empty.text()


def test_a_sent_message_without_its_copy_in_sent_shows_the_warning_and_no_retry(
    mail_context: AppContext,
    scene: Scene,
    mail_server: SmtpServer,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
) -> None:
    db, now = mail_context.db, mail_context.now()
    # An IMAP server that is not there: the message goes out, its copy cannot be filed.
    account = save_imap_settings(
        db, ImapFields(imap_host="127.0.0.1", imap_port=free_port(), imap_security=MailSecurity.SSL)
    )
    [message, _] = _thank_yous(mail_context, scene)
    send_message(db, message.id, account=account, password=mail_server.password, now=now)

    page = _outbox(mail_context, qtbot)
    page.select_message(message.id)

    assert page.state_of(message.id) == "Sent"
    text = page.detail.state.text()
    assert text.startswith("<b>Sent</b>")
    assert "Sent, but no copy is in your Sent folder. Could not connect to 127.0.0.1" in text
    assert not page.detail.retry_button.isVisible()
    assert len(mail_server.received) == 1


def test_a_draft_without_a_name_shows_a_readable_gap_and_where_to_fill_it(
    mail_context: AppContext, scene: Scene, qtbot: QtBot
) -> None:
    # Made before any mail account: the signature has no name to fill it.
    drafts = prepare_thank_you_drafts(
        mail_context.db, scene.interview.id, now=mail_context.now(), my_name=""
    )
    assert "{my_name}" in drafts[0].body
    page = _outbox(mail_context, qtbot)
    page.select_message(drafts[0].id)

    preview = page.detail.body.toPlainText()
    assert "{" not in preview
    assert preview.rstrip().endswith("[your name]")
    assert page.detail.marked_gaps() == ["[your name]"]
    state = page.detail.state.text()
    assert "not ready" in state and "your name" in state
    assert "Settings → Mail account" in state
    # Sent as it is, the draft itself is unchanged: the composer still marks the placeholder.
    assert get_message(mail_context.db, drafts[0].id).body == drafts[0].body
