"""End to end, as a person: Today → Write thank-you → two personal notes → Send → Outbox.

Everything is real: the database file, the Today page and its checklist, the
composer, an aiosmtpd server with STARTTLS and AUTH on 127.0.0.1, and the
gnome-keyring Secret Service of the ``./dev test`` session. Setting up the
application and the interview goes through the core, as the form would.

Today is the real main window's page, so its "Write thank-you" goes through
the window's own wiring to the composer.
"""

from __future__ import annotations

import email.policy
from collections.abc import Callable
from datetime import datetime
from email import message_from_bytes
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QToolButton
from pytestqt.qtbot import QtBot

from afterword.core.checklist import service
from afterword.core.checklist.items import ItemKind, ItemState
from afterword.core.mail.accounts import account_key
from afterword.core.mail.credentials import (
    delete_password,
    get_password,
    password_state,
    store_password,
)
from afterword.core.mail.drafts import get_message
from afterword.core.mail.templates import ensure_default_templates, list_templates, save_template
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MessageStatus, Purpose
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer import ComposerDialog, DraftEditor, utf16_offset
from afterword.gui.mail_flow import open_composers, session_passwords
from afterword.gui.main_window import MainWindow
from afterword.gui.pages.outbox import OutboxPage
from afterword.gui.pages.today import TodayPage
from tests.gui.mail_support import (
    ANNA_NOTES,
    JOERG_NOTES,
    SENDER_NAME,
    Scene,
    save_account_for,
    wait_until_settled,
)

if TYPE_CHECKING:
    from tests.support.smtp import SmtpServer

pytest_plugins = ["tests.gui.mail_fixtures"]

# The person's own thank-you template (edited in Settings): it leaves out why
# they want the job, which the note check then points out.
MY_TEMPLATE = (
    "Dear {first_name},\n\n"
    "Thank you for our conversation on {interview_date} about the {role} role. "
    "I keep thinking about {conversation_notes}.\n\n"
    "Best regards,\n{my_name}"
)
REASON = (
    "I would love to help cities plan for wind and solar power with your grid-forecasting work."
)
# Said differently to Jörg: the same sentence in both notes would make them near-duplicates.
JOERG_REASON = "Your grid-forecasting work, helping cities plan for wind and solar power, is why."


def _use_my_template(context: AppContext) -> None:
    ensure_default_templates(context.db)
    # Two interviewers: the thank-yous come from the panel variant.
    builtin = next(
        t
        for t in list_templates(context.db)
        if t.purpose is Purpose.THANK_YOU and t.variant == "panel"
    )
    save_template(
        context.db,
        purpose=Purpose.THANK_YOU,
        name=builtin.name,
        subject="Thank you, {first_name}",
        body=MY_TEMPLATE,
        template_id=builtin.id,
    )


def _today(context: AppContext, qtbot: QtBot) -> TodayPage:
    window = MainWindow(context, start_page="today")
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    qtbot.waitExposed(window)
    today = window.page("today")
    assert isinstance(today, TodayPage)
    # Today loads its list in the background.
    qtbot.waitUntil(lambda: today.checklist is not None and context.ops.is_idle())
    return today


def _write_thank_you(today: TodayPage, scene: Scene, qtbot: QtBot) -> ComposerDialog:
    """Select Anna's thank-you on Today and click "Write thank-you"."""
    key = f"thank_you:i{scene.interview.id}:c{scene.anna.contact_id}"
    assert today.checklist is not None
    assert today.checklist.select_key(key)
    button = next(
        b
        for b in today.checklist.findChildren(QToolButton)
        if b.accessibleName() == "Write thank-you"
    )
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(open_composers()) == 1)  # the drafts are prepared first
    (composer,) = open_composers()
    qtbot.waitExposed(composer)
    return composer


def _thank_you_states(context: AppContext, scene: Scene, now: datetime) -> dict[int, ItemState]:
    return {
        item.contact_id: item.state
        for item in service.checklist_for_interview(context.db, scene.interview.id, now)
        if item.kind is ItemKind.THANK_YOU and item.contact_id is not None
    }


def _type_after(qtbot: QtBot, editor: DraftEditor, anchor: str, text: str) -> None:
    """Click after ``anchor`` in the note and type `` text`` there."""
    body = editor.body.toPlainText()
    cursor = editor.body.textCursor()
    cursor.setPosition(utf16_offset(body, body.index(anchor) + len(anchor)))
    editor.body.setTextCursor(cursor)
    editor.body.setFocus()
    qtbot.keyClicks(editor.body, " " + text)


def _click_send_twice(qtbot: QtBot, composer: ComposerDialog, editor: DraftEditor) -> None:
    composer.tabs.setCurrentWidget(editor)
    qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)


def test_write_thank_you_from_today_to_two_interviewers_and_send_each_once(
    mail_context: AppContext,
    scene: Scene,
    mail_server: SmtpServer,
    mail_account: MailAccountRecord,
    stored_password: str,
    qtbot: QtBot,
    now: datetime,
) -> None:
    _use_my_template(mail_context)
    today = _today(mail_context, qtbot)
    assert _thank_you_states(mail_context, scene, now) == {
        scene.anna.contact_id: ItemState.DUE,
        scene.joerg.contact_id: ItemState.DUE,
    }

    composer = _write_thank_you(today, scene, qtbot)

    # Two drafts, each to its person, with what was noted about them.
    anna, joerg = composer.editors
    assert (anna.to_name.text(), joerg.to_name.text()) == ("Dr. Anna Schmidt", "Jörg Weiß")
    assert (
        anna.body.toPlainText().startswith("Dear Anna,") and ANNA_NOTES in anna.body.toPlainText()
    )
    assert joerg.body.toPlainText().startswith("Dear Jörg,")
    assert JOERG_NOTES in joerg.body.toPlainText()
    # The note check: neither says why this job; that is advice, Send stays available.
    for editor in (anna, joerg):
        assert "doesn't say why you want this job" in editor.warnings.label.text()
        assert editor.send_button.isEnabled()
        notes = ANNA_NOTES if editor is anna else JOERG_NOTES
        reason = REASON if editor is anna else JOERG_REASON
        _type_after(qtbot, editor, notes + ".", reason)
        assert editor.warnings.isHidden(), editor.warnings.label.text()
    composer.tabs.setCurrentWidget(joerg)
    joerg.bcc_self.setChecked(True)  # a copy to self for this one

    _click_send_twice(qtbot, composer, anna)
    _click_send_twice(qtbot, composer, joerg)
    wait_until_settled(qtbot, mail_context, anna)
    wait_until_settled(qtbot, mail_context, joerg)

    # Exactly two emails, one per interviewer.
    assert sorted(r.rcpt_tos for r in mail_server.received) == [
        ("anna.schmidt@nordlicht.example",),
        ("joerg.weiss@nordlicht.example", mail_account.email),
    ]
    by_recipient = {r.rcpt_tos[0]: r for r in mail_server.received}
    to_joerg = by_recipient["joerg.weiss@nordlicht.example"]
    parsed = message_from_bytes(to_joerg.content, policy=email.policy.default)
    assert parsed.get_content_charset() == "utf-8"
    assert str(parsed["To"]) == "Jörg Weiß <joerg.weiss@nordlicht.example>"
    assert str(parsed["Subject"]) == "Thank you, Jörg"
    body = parsed.get_content().replace("\r\n", "\n")
    assert body.startswith("Dear Jörg,")
    assert f"{JOERG_NOTES}. {JOERG_REASON}\n" in body
    assert body.rstrip().endswith(SENDER_NAME)
    for arrived in mail_server.received:
        assert "Bcc" not in arrived.message
        assert b"\nBcc:" not in arrived.content and not arrived.content.startswith(b"Bcc:")
    assert str(by_recipient["anna.schmidt@nordlicht.example"].message["To"]) == (
        '"Dr. Anna Schmidt" <anna.schmidt@nordlicht.example>'
    )

    # Both notes are sent, read-only, and their checklist items are done.
    for editor in (anna, joerg):
        assert editor.record.status is MessageStatus.SENT
        assert editor.body.isReadOnly()
    assert _thank_you_states(mail_context, scene, now) == {
        scene.anna.contact_id: ItemState.DONE,
        scene.joerg.contact_id: ItemState.DONE,
    }
    assert not [
        item for item in today.items if item.kind is ItemKind.THANK_YOU and item.is_actionable
    ]
    outbox = OutboxPage(mail_context)
    qtbot.addWidget(outbox)
    qtbot.waitUntil(mail_context.ops.is_idle)  # the list loads off the GUI thread
    assert outbox.state_of(anna.record.id) == "Sent"
    assert outbox.state_of(joerg.record.id) == "Sent"
    assert outbox.summary.text() == "2 sent"


def test_a_refused_password_keeps_the_note_and_says_what_to_do(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    qtbot: QtBot,
    now: datetime,
) -> None:
    server = smtp_server(username="ada.lovelace@gmail.com")
    account = save_account_for(mail_context.db, server)
    key = account_key(account)
    store_password(key, "my Google password")  # not the app password Gmail wants
    try:
        composer = _write_thank_you(_today(mail_context, qtbot), scene, qtbot)
        anna = composer.editors[0]
        text_before = anna.body.toPlainText()

        qtbot.mouseClick(anna.send_button, Qt.MouseButton.LeftButton)
        wait_until_settled(qtbot, mail_context, anna)

        banner = anna.banner_text()
        assert "refused the user name “ada.lovelace@gmail.com” or its password" in banner
        assert "Gmail needs an app password" in banner
        assert "Proton" not in banner  # another provider's advice would mislead
        assert "Your note is kept" in banner
        assert server.received == []
        stored = get_message(mail_context.db, anna.record.id)
        assert stored.status is MessageStatus.FAILED and stored.body == text_before
        assert anna.body.toPlainText() == text_before and not anna.body.isReadOnly()
        assert anna.send_button.isEnabled()

        # The person creates the app password and types it where the problem was shown.
        qtbot.mouseClick(anna.retype_button, Qt.MouseButton.LeftButton)
        assert anna.password_prompt.isVisible()
        # It replaces the refused one in the keyring: no choice to offer.
        assert not anna.password_prompt.keep.isVisible()
        qtbot.keyClicks(anna.password_prompt.field, server.password)
        qtbot.mouseClick(anna.password_prompt.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: anna.record.status is MessageStatus.SENT, timeout=15_000)

        assert len(server.received) == 1
        assert get_password(key) == server.password
        assert _thank_you_states(mail_context, scene, now)[scene.anna.contact_id] is ItemState.DONE
    finally:
        delete_password(key)


def test_a_connection_lost_after_the_text_is_shown_as_may_have_arrived(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    qtbot: QtBot,
) -> None:
    server = smtp_server(drop_after_data=True)
    account = save_account_for(mail_context.db, server)
    store_password(account_key(account), server.password)
    try:
        composer = _write_thank_you(_today(mail_context, qtbot), scene, qtbot)
        anna = composer.editors[0]

        qtbot.mouseClick(anna.send_button, Qt.MouseButton.LeftButton)
        wait_until_settled(qtbot, mail_context, anna)

        assert len(server.received) == 1  # the server did get it
        assert anna.record.status is MessageStatus.UNKNOWN
        assert anna.banner_text().startswith("It may have arrived.")
        assert "Look in your Sent folder" in anna.banner_text()
        assert composer.tabs.tabText(0) == "Dr. Anna Schmidt · may have arrived"
        assert not anna.send_button.isEnabled() and anna.body.isReadOnly()
        assert anna.resend_button.isVisible()

        outbox = OutboxPage(mail_context)
        qtbot.addWidget(outbox)
        outbox.show()
        qtbot.waitUntil(mail_context.ops.is_idle)  # the list loads off the GUI thread
        outbox.select_message(anna.record.id)
        assert outbox.state_of(anna.record.id) == "May have arrived"
        qtbot.mouseClick(outbox.detail.resend_button, Qt.MouseButton.LeftButton)
        (box,) = [b for b in outbox.findChildren(QMessageBox) if b.isVisible()]
        assert "may already have arrived" in box.text()
        next(b for b in box.buttons() if b.text() == "Don't send").click()
        mail_context.ops.wait_for_idle()
        assert len(server.received) == 1
        assert get_message(mail_context.db, anna.record.id).status is MessageStatus.UNKNOWN
    finally:
        delete_password(account_key(account))


def test_esc_in_the_password_prompt_cancels_the_prompt_not_the_window(
    mail_context: AppContext,
    scene: Scene,
    mail_server: SmtpServer,
    mail_account: MailAccountRecord,
    no_keyring_backend: object,
    qtbot: QtBot,
) -> None:
    composer = _write_thank_you(_today(mail_context, qtbot), scene, qtbot)
    anna = composer.editors[0]
    qtbot.mouseClick(anna.send_button, Qt.MouseButton.LeftButton)
    wait_until_settled(qtbot, mail_context, anna)
    prompt = anna.password_prompt
    assert prompt.isVisible()

    qtbot.keyClicks(prompt.field, "half a passw")
    qtbot.keyClick(prompt.field, Qt.Key.Key_Escape)

    assert composer.isVisible()
    assert not prompt.isVisible()
    assert prompt.field.text() == ""  # what was typed of the password is gone
    assert anna.record.status is MessageStatus.DRAFT
    assert mail_server.received == []


def test_without_a_keyring_the_password_is_asked_once_and_kept_in_memory(
    mail_context: AppContext,
    scene: Scene,
    mail_server: SmtpServer,
    mail_account: MailAccountRecord,
    no_keyring_backend: object,
    qtbot: QtBot,
) -> None:
    composer = _write_thank_you(_today(mail_context, qtbot), scene, qtbot)
    anna, joerg = composer.editors

    qtbot.mouseClick(anna.send_button, Qt.MouseButton.LeftButton)
    wait_until_settled(qtbot, mail_context, anna)

    prompt = anna.password_prompt
    assert prompt.isVisible()
    assert "no keyring to keep the password safe" in prompt.explanation.text()
    assert "in memory only" in prompt.explanation.text()
    assert not prompt.keep.isVisible()  # nowhere to keep it but memory
    assert mail_server.received == []
    qtbot.keyClicks(prompt.field, mail_server.password)
    qtbot.mouseClick(prompt.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: anna.record.status is MessageStatus.SENT, timeout=15_000)

    # The second note goes without asking again: the password is in this session's memory.
    composer.tabs.setCurrentWidget(joerg)
    qtbot.mouseClick(joerg.send_button, Qt.MouseButton.LeftButton)
    wait_until_settled(qtbot, mail_context, joerg)
    assert joerg.record.status is MessageStatus.SENT
    assert not joerg.password_prompt.isVisible()
    assert len(mail_server.received) == 2
    assert session_passwords().get(account_key(mail_account)) == mail_server.password
    assert password_state(account_key(mail_account)).value == "no_backend"
