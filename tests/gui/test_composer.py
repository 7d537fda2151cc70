"""The composer as a person uses it: personal drafts, the note check, Send once, the alternatives.

Sending goes to a real aiosmtpd server (STARTTLS, AUTH) with the password in
the real Secret Service of the ``./dev test`` session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from afterword.core.checklist import service
from afterword.core.checklist.items import ItemKind, ItemState
from afterword.core.mail.accounts import account_key
from afterword.core.mail.composing import composer_drafts
from afterword.core.mail.credentials import delete_password, store_password
from afterword.core.mail.drafts import get_message
from afterword.core.mail.templates import PLACEHOLDERS, list_templates
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.models import Message, Touchpoint
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MessageStatus, Purpose, TouchpointKind
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer import ComposerDialog, DraftEditor
from afterword.gui.dialogs.rejection_reply import RejectionReplyDialog
from afterword.gui.mail_flow import open_composer_for_item, open_thank_you_composer
from afterword.gui.pages.outbox import OutboxPage
from afterword.gui.pages.templates import TemplatesSection
from tests.gui.conftest import Clock
from tests.gui.mail_support import (
    ANNA_NOTES,
    JOERG_NOTES,
    SENDER_NAME,
    WHY,
    Scene,
    add_scene,
    editors_by_name,
    open_and_wait,
    save_account_for,
    send_and_wait,
    wait_until_settled,
)

if TYPE_CHECKING:
    from tests.support.smtp import SmtpServer

pytest_plugins = ["tests.gui.mail_fixtures"]


def _composer(context: AppContext, scene: Scene, qtbot: QtBot) -> ComposerDialog:
    composer = open_and_wait(qtbot, open_thank_you_composer, context, scene.interview.id)
    qtbot.waitExposed(composer)
    return composer


def test_thank_you_opens_one_personal_draft_per_interviewer(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    composer = open_and_wait(
        qtbot, open_thank_you_composer, mail_context, scene.interview.id, scene.joerg.contact_id
    )
    qtbot.waitExposed(composer)

    assert [composer.tabs.tabText(i) for i in range(composer.tabs.count())] == [
        "Dr. Anna Schmidt",
        "Jörg Weiß",
    ]
    # Opened from Jörg's checklist item: his note is the one in front.
    assert composer.tabs.currentWidget() is editors_by_name(composer)["Jörg Weiß"]
    anna, joerg = composer.editors
    assert anna.body.toPlainText().split("\n")[0] in ("Dear Anna,", "Hello Anna,")
    assert f"I especially enjoyed hearing {ANNA_NOTES}." in anna.body.toPlainText()
    assert JOERG_NOTES not in anna.body.toPlainText()
    assert joerg.body.toPlainText().split("\n")[0] in ("Dear Jörg,", "Hello Jörg,")
    assert f"I especially enjoyed talking about {JOERG_NOTES}." in joerg.body.toPlainText()
    for editor in composer.editors:
        text = editor.body.toPlainText()
        assert "Data Engineer" in text and "Nordlicht Energie" in text
        assert f"{WHY[0].upper()}{WHY[1:]}." in text  # the reason, as a sentence
        assert text.rstrip().endswith(SENDER_NAME)
        assert editor.subject.text() == (
            "Thank you for the technical interview – Data Engineer at Nordlicht Energie"
        )
        assert editor.warnings.isHidden() and editor.blockers.isHidden()
        assert editor.send_button.isEnabled()
    assert anna.to_address.text() == "anna.schmidt@nordlicht.example"


def test_opening_again_brings_the_same_window_and_drafts_back(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    first = _composer(mail_context, scene, qtbot)
    first.editors[0].body.setPlainText("Dear Anna,\n\nEdited by me.")
    first.editors[0].save_edits()
    qtbot.waitUntil(mail_context.ops.is_idle)  # saved off the GUI thread

    again = open_and_wait(
        qtbot, open_thank_you_composer, mail_context, scene.interview.id, scene.anna.contact_id
    )

    assert again is first
    first.close()
    reopened = _composer(mail_context, scene, qtbot)
    assert reopened is not first
    assert reopened.editors[0].body.toPlainText() == "Dear Anna,\n\nEdited by me."
    assert len(reopened.editors) == 2


def test_an_unfilled_placeholder_is_highlighted_and_blocks_send(
    mail_context: AppContext, db: Database, now: datetime, qtbot: QtBot
) -> None:
    # No mail account yet, so {my_name} has nothing to fill it.
    scene = add_scene(db, now)
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]

    assert anna.highlighted_placeholders() == ["{my_name}"]
    assert not anna.send_button.isEnabled()
    assert anna.blockers.isVisible()
    # Pointed to where the name is set, not told about a placeholder.
    assert "Settings → Mail account" in anna.blockers.label.text()

    body = anna.body.toPlainText().replace("{my_name}", "Ada")
    anna.body.setPlainText(body)

    assert anna.highlighted_placeholders() == []
    assert anna.blockers.isHidden()
    assert anna.send_button.isEnabled()

    anna.subject.setText("About the {role} role")
    assert not anna.send_button.isEnabled()
    assert "{role}" in anna.blockers.label.text()
    assert "border" in anna.subject.styleSheet()


def test_placeholders_after_wide_characters_are_highlighted_exactly(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]
    # An emoji is two UTF-16 units in Qt but one character in Python.
    anna.body.setPlainText("Dear Anna 🙂🙂, about {decision_date} and {company}.")
    assert anna.highlighted_placeholders() == ["{decision_date}", "{company}"]


def test_warnings_advise_without_blocking_and_go_away_when_fixed(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]
    without_reason = "\n\n".join(
        paragraph for paragraph in anna.body.toPlainText().split("\n\n") if WHY[1:] not in paragraph
    )
    anna.body.setPlainText(without_reason)

    assert anna.warnings.isVisible()
    assert "doesn't say why you want this job" in anna.warnings.label.text()
    assert anna.send_button.isEnabled()  # advice, not a rule

    anna.body.setPlainText(
        without_reason
        + "\nI want this job because forecasting for wind and solar power helps cities plan."
    )
    assert anna.warnings.isHidden()


def test_two_nearly_identical_notes_are_pointed_out(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna, joerg = composer.editors
    joerg.body.setPlainText(anna.body.toPlainText().replace("Dear Anna,", "Dear Jörg,"))

    assert "nearly the same as the one to Dr. Anna Schmidt" in joerg.warnings.label.text()
    assert "nearly the same as the one to Jörg Weiß" in anna.warnings.label.text()
    assert joerg.send_button.isEnabled()


def test_edits_are_saved_when_the_window_closes(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    joerg = composer.editors[1]
    qtbot.keyClicks(joerg.subject, " - thanks again")
    with qtbot.waitSignal(composer.closed, timeout=5000):  # once every tab is saved
        composer.close()

    stored = get_message(mail_context.db, joerg.record.id)
    assert stored.subject.endswith(" - thanks again")
    assert not composer.isVisible()


def test_typing_while_a_save_runs_is_saved_too(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]
    qtbot.keyClicks(anna.subject, " - first")
    anna.save_edits()  # runs off the GUI thread...
    qtbot.keyClicks(anna.subject, " - second")  # ...while the person keeps typing
    with qtbot.waitSignal(composer.closed, timeout=5000):
        composer.close()

    assert get_message(mail_context.db, anna.record.id).subject.endswith(" - first - second")


def test_an_edit_that_cannot_be_saved_keeps_the_window_open(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]
    anna.to_address.setText("anna at nordlicht")

    composer.close()
    qtbot.waitUntil(mail_context.ops.is_idle)  # saved off the GUI thread

    assert composer.isVisible()
    assert not anna.send_button.isEnabled()
    assert "Your changes are not saved" in anna.blockers.label.text()
    qtbot.mouseClick(anna.discard_button, Qt.MouseButton.LeftButton)
    assert anna.to_address.text() == "anna.schmidt@nordlicht.example"
    composer.close()
    assert not composer.isVisible()


def test_send_delivers_the_note_and_makes_it_read_only(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    stored_password: str,
    mail_server: SmtpServer,
    qtbot: QtBot,
    now: datetime,
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    joerg = editors_by_name(composer)["Jörg Weiß"]

    send_and_wait(qtbot, mail_context, joerg)

    assert len(mail_server.received) == 1
    arrived = mail_server.received[0]
    assert arrived.rcpt_tos == ("joerg.weiss@nordlicht.example",)
    message = arrived.message
    assert str(message["To"]) == "Jörg Weiß <joerg.weiss@nordlicht.example>"
    assert str(message["From"]) == f"{SENDER_NAME} <{mail_account.email}>"
    assert JOERG_NOTES in message.get_content()
    assert joerg.record.status is MessageStatus.SENT
    assert joerg.body.isReadOnly() and joerg.subject.isReadOnly()
    assert not joerg.send_button.isVisible()
    assert "Sent to joerg.weiss@nordlicht.example" in joerg.banner_text()
    assert composer.tabs.tabText(1) == "Jörg Weiß · sent"
    # Anna's note is untouched and still a draft.
    assert composer.editors[0].record.status is MessageStatus.DRAFT
    thank_yous = {
        item.contact_id: item.state
        for item in service.checklist_for_interview(mail_context.db, scene.interview.id, now)
        if item.kind is ItemKind.THANK_YOU
    }
    assert thank_yous == {
        scene.anna.contact_id: ItemState.DUE,
        scene.joerg.contact_id: ItemState.DONE,
    }


def test_a_double_click_on_send_sends_once(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    stored_password: str,
    mail_server: SmtpServer,
    qtbot: QtBot,
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]

    qtbot.mouseDClick(anna.send_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(anna.send_button, Qt.MouseButton.LeftButton)
    assert not anna.send_button.isEnabled()
    assert anna.progress.isVisible()
    assert anna.body.isReadOnly()
    wait_until_settled(qtbot, mail_context, anna)

    assert [r.rcpt_tos for r in mail_server.received] == [("anna.schmidt@nordlicht.example",)]
    assert anna.record.status is MessageStatus.SENT


def test_a_second_window_on_the_same_note_cannot_send_it_again(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    stored_password: str,
    mail_server: SmtpServer,
    qtbot: QtBot,
) -> None:
    first = _composer(mail_context, scene, qtbot)
    second = ComposerDialog(
        mail_context, composer_drafts(mail_context.db, first.message_ids()), title="Second window"
    )
    qtbot.addWidget(second)
    second.show()
    here, there = first.editors[0], second.editors[0]

    qtbot.mouseClick(here.send_button, Qt.MouseButton.LeftButton)
    # The other window sees the send in progress and offers no Send.
    assert not there.send_button.isEnabled()
    assert "being sent right now" in there.banner_text()
    there.send()  # even if it is triggered anyway (a keyboard shortcut, a script)
    wait_until_settled(qtbot, mail_context, here)
    wait_until_settled(qtbot, mail_context, there)

    assert len(mail_server.received) == 1
    assert here.record.status is MessageStatus.SENT
    assert there.record.status is MessageStatus.SENT
    assert "Sent to anna.schmidt@nordlicht.example" in there.banner_text()


def test_another_instance_sending_the_same_note_is_refused_by_the_claim(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    qtbot: QtBot,
    data_dir: Path,
    clock: Clock,
) -> None:
    # The server takes its time to confirm, so the first send is still going on.
    server = smtp_server(stall_after_data=1.5)
    account = save_account_for(mail_context.db, server)
    store_password(account_key(account), server.password)
    # A second app on the same data knows nothing of this one's sends: only the
    # database's claim stands between it and a second email.
    other_db = open_database(mail_context.db.path)
    other = AppContext.create(other_db, data_dir, clock=clock)
    try:
        mine = _composer(mail_context, scene, qtbot)
        theirs = ComposerDialog(
            other, composer_drafts(other_db, mine.message_ids()), title="The other app"
        )
        qtbot.addWidget(theirs)
        theirs.show()
        here, there = mine.editors[0], theirs.editors[0]

        qtbot.mouseClick(here.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: get_message(other_db, here.record.id).status is MessageStatus.SENDING
        )
        assert there.send_button.isEnabled()
        qtbot.mouseClick(there.send_button, Qt.MouseButton.LeftButton)
        wait_until_settled(qtbot, other, there)

        assert "being sent right now" in there.banner_text()
        assert not there.send_button.isEnabled()
        wait_until_settled(qtbot, mail_context, here)
        assert len(server.received) == 1
        assert here.record.status is MessageStatus.SENT
    finally:
        other.ops.wait_for_idle()
        other_db.close()
        delete_password(account_key(account))


def test_a_window_that_did_not_see_the_send_says_it_was_already_sent(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    stored_password: str,
    mail_server: SmtpServer,
    qtbot: QtBot,
) -> None:
    first = _composer(mail_context, scene, qtbot)
    # This window was opened before and has not refreshed since (e.g. another app instance).
    stale = ComposerDialog(
        mail_context, composer_drafts(mail_context.db, first.message_ids()), title="Stale window"
    )
    qtbot.addWidget(stale)
    send_and_wait(qtbot, mail_context, first.editors[0])
    stale.editors[0].record = replace(first.editors[0].record, status=MessageStatus.DRAFT)

    stale.editors[0].send()
    wait_until_settled(qtbot, mail_context, stale.editors[0])

    assert len(mail_server.received) == 1
    assert "This message was already sent" in stale.editors[0].banner_text()
    assert stale.editors[0].record.status is MessageStatus.SENT


def test_copy_to_self_goes_by_bcc_and_never_shows_in_the_headers(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    stored_password: str,
    mail_server: SmtpServer,
    qtbot: QtBot,
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]
    anna.bcc_self.setChecked(True)

    send_and_wait(qtbot, mail_context, anna)

    (arrived,) = mail_server.received
    assert set(arrived.rcpt_tos) == {"anna.schmidt@nordlicht.example", mail_account.email}
    assert b"Bcc" not in arrived.content
    assert mail_account.email.encode() not in arrived.content.split(b"\r\n\r\n")[0].replace(
        b"From: Ada Lovelace <" + mail_account.email.encode() + b">", b""
    )


def test_without_a_mail_account_it_says_where_to_set_one_up(
    mail_context: AppContext, db: Database, now: datetime, qtbot: QtBot
) -> None:
    composer = _composer(mail_context, add_scene(db, now), qtbot)
    anna = composer.editors[0]
    anna.body.setPlainText(anna.body.toPlainText().replace("{my_name}", "Ada"))
    anna.save_edits()  # nothing left to save when Send is clicked
    qtbot.waitUntil(mail_context.ops.is_idle)  # saved off the GUI thread

    qtbot.mouseClick(anna.send_button, Qt.MouseButton.LeftButton)
    wait_until_settled(qtbot, mail_context, anna)  # the account is read off the GUI thread

    assert "Settings → Mail account" in anna.banner_text()
    assert anna.record.status is MessageStatus.DRAFT
    assert get_message(db, anna.record.id).body.endswith("Ada")
    assert anna.send_button.isEnabled()


def test_pressing_enter_in_a_field_never_sends(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    stored_password: str,
    mail_server: SmtpServer,
    qtbot: QtBot,
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]
    for field in (anna.subject, anna.to_name, anna.to_address):
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_Return)
    mail_context.ops.wait_for_idle()

    assert mail_server.received == []
    assert anna.record.status is MessageStatus.DRAFT
    assert composer.isVisible()


class _MailtoCatcher(QObject):
    """Receives mailto: links instead of the desktop's mail program (Qt's own hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def mailto_urls(qapp: object) -> Iterator[list[QUrl]]:
    """The ``mailto:`` links the app handed to the desktop's mail program."""
    catcher = _MailtoCatcher()
    QDesktopServices.setUrlHandler("mailto", catcher, "open")
    yield catcher.urls
    QDesktopServices.unsetUrlHandler("mailto")


def _thank_you_states(context: AppContext, scene: Scene) -> dict[int | None, ItemState]:
    return {
        item.contact_id: item.state
        for item in service.checklist_for_interview(context.db, scene.interview.id, context.now())
        if item.kind is ItemKind.THANK_YOU
    }


def test_open_in_my_mail_app_hands_over_the_whole_note(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
    mailto_urls: list[QUrl],
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    joerg = composer.editors[1]

    qtbot.mouseClick(joerg.mail_app_button, Qt.MouseButton.LeftButton)

    (url,) = mailto_urls
    parts = urlsplit(bytes(url.toEncoded().data()).decode("ascii"))
    query = parse_qs(parts.query)
    assert unquote(parts.path) == "joerg.weiss@nordlicht.example"
    assert query["subject"] == [joerg.subject.text()]
    assert query["body"][0].replace("\r\n", "\n") == joerg.body.toPlainText()
    assert "Once you've sent it from there, click Mark as sent from my mail app" in (
        joerg.banner_text()
    )


def test_a_note_sent_from_my_mail_app_is_marked_sent_and_ticks_off_the_thank_you(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    mail_server: SmtpServer,
    qtbot: QtBot,
    mailto_urls: list[QUrl],
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna, joerg = composer.editors
    outbox = OutboxPage(mail_context)
    qtbot.addWidget(outbox)
    outbox.show()
    qtbot.waitUntil(mail_context.ops.is_idle)  # the list loads off the GUI thread
    tabs = composer.tabs.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    assert composer.tabs.currentWidget() is joerg
    # Nothing to mark before the note went to the mail program.
    assert not joerg.mail_sent_button.isVisible()
    # A last touch before handing it over: what the mail app gets is what is recorded.
    joerg.body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(joerg.body, Qt.Key.Key_Return)
    qtbot.keyClicks(joerg.body, "P.S. Sent from my phone.")

    qtbot.mouseClick(joerg.mail_app_button, Qt.MouseButton.LeftButton)
    assert len(mailto_urls) == 1
    assert joerg.mail_sent_button.isVisible() and joerg.mail_sent_button.isEnabled()
    assert anna.mail_sent_button.isHidden()  # only the note that was handed over
    qtbot.mouseClick(joerg.mail_sent_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(mail_context.ops.is_idle)  # recorded off the GUI thread

    assert joerg.record.status is MessageStatus.SENT
    assert "Marked as sent from your mail app" in joerg.banner_text()
    assert joerg.body.isReadOnly() and joerg.subject.isReadOnly()
    for button in (joerg.send_button, joerg.mail_app_button, joerg.mail_sent_button):
        assert not button.isVisible()
    assert composer.tabs.tabText(1) == "Jörg Weiß · sent"
    stored = get_message(mail_context.db, joerg.record.id)
    assert stored.status is MessageStatus.SENT
    assert stored.body.endswith("P.S. Sent from my phone.")  # what went to the mail app
    assert outbox.state_of(joerg.record.id) == "Sent"
    assert outbox.state_of(anna.record.id) == "Draft"
    with mail_context.db.reading() as session:
        kinds = list(session.scalars(select(Touchpoint.kind)))
    assert kinds == [TouchpointKind.EMAIL]
    assert _thank_you_states(mail_context, scene) == {
        scene.anna.contact_id: ItemState.DUE,
        scene.joerg.contact_id: ItemState.DONE,
    }
    mail_context.ops.wait_for_idle()
    assert mail_server.received == []
    assert mail_server.login_attempts == []


def test_a_send_that_may_have_arrived_can_be_marked_as_arrived_in_the_composer(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    qtbot: QtBot,
) -> None:
    # The server hangs up after taking the text: whether it arrived is unknown.
    dropper = smtp_server(drop_after_data=True)
    account = save_account_for(mail_context.db, dropper)
    store_password(account_key(account), dropper.password)
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]
    send_and_wait(qtbot, mail_context, anna)
    assert anna.record.status is MessageStatus.UNKNOWN
    assert anna.arrived_button.isVisible() and anna.resend_button.isVisible()

    qtbot.mouseClick(anna.arrived_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(mail_context.ops.is_idle)  # recorded off the GUI thread

    assert anna.record.status is MessageStatus.SENT
    assert "Marked as arrived" in anna.banner_text()
    assert not anna.arrived_button.isVisible() and not anna.resend_button.isVisible()
    assert composer.tabs.tabText(0) == "Dr. Anna Schmidt · sent"
    assert _thank_you_states(mail_context, scene)[scene.anna.contact_id] is ItemState.DONE
    mail_context.ops.wait_for_idle()
    assert len(dropper.received) == 1  # the attempt that was cut off; nothing more


def test_a_letter_for_post_then_marked_sent_by_post(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
    tmp_path: Path,
    now: datetime,
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]

    document = anna.letter_document().toPlainText()
    assert document.startswith(SENDER_NAME)
    assert "Dr. Anna Schmidt" in document and ANNA_NOTES in document
    pdf = tmp_path / "letter.pdf"
    anna.save_pdf(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Mark as sent by post" in anna.banner_text()

    qtbot.mouseClick(anna.post_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(mail_context.ops.is_idle)  # recorded off the GUI thread

    assert anna.record.status is MessageStatus.SENT
    assert anna.body.isReadOnly()
    with mail_context.db.reading() as session:
        kinds = list(session.scalars(select(Touchpoint.kind)))
    assert kinds == [TouchpointKind.LETTER]
    items = service.checklist_for_interview(mail_context.db, scene.interview.id, now)
    done = {
        i.contact_id for i in items if i.kind is ItemKind.THANK_YOU and i.state is ItemState.DONE
    }
    assert done == {scene.anna.contact_id}


def test_a_checklist_item_other_than_thank_you_opens_its_own_draft(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
    now: datetime,
) -> None:
    from afterword.core.applications import record_outcome
    from afterword.core.storage.values import InterviewOutcome

    record_outcome(mail_context.db, scene.interview.id, InterviewOutcome.REJECTED, now=now)
    items = service.checklist_for_application(mail_context.db, scene.application.id, now)
    feedback = next(i for i in items if i.kind is ItemKind.ASK_FEEDBACK)

    opened: list[ComposerDialog] = []
    assert open_composer_for_item(mail_context, feedback, on_opened=opened.append)
    # First: whom to reply to and what to ask for (all four, as the application is still
    # of interest); then the reply opens in the composer.
    asked = next(w for w in QApplication.topLevelWidgets() if isinstance(w, RejectionReplyDialog))
    qtbot.waitUntil(asked.write_button.isEnabled)
    qtbot.mouseClick(asked.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    composer = opened[0]
    (editor,) = composer.editors
    assert editor.record.purpose is Purpose.REJECTION_REPLY
    assert editor.to_address.text() == "anna.schmidt@nordlicht.example"
    # The request for feedback is a paragraph of its own (its wording varies per person).
    paragraphs = editor.body.toPlainText().split("\n\n")
    assert sum("feedback" in paragraph for paragraph in paragraphs) == 1
    no_message = next(i for i in items if i.kind is ItemKind.CONNECT_LINKEDIN)
    assert open_composer_for_item(mail_context, no_message) is False


# -- drafts asked for again: the facts changed since ------------------------------------------

# The built-in "thank you anyway" says one of these, depending on the person.
AFTER_THE_NO = ("gone to another candidate", "will not be mine", "not chosen")


def _reject(context: AppContext, scene: Scene, clock: Clock) -> None:
    from afterword.core.applications import record_outcome
    from afterword.core.storage.values import InterviewOutcome

    record_outcome(context.db, scene.interview.id, InterviewOutcome.REJECTED, now=clock())


def _close(qtbot: QtBot, composer: ComposerDialog) -> None:
    with qtbot.waitSignal(composer.closed, timeout=5000):  # once every tab is saved
        composer.close()


def test_a_note_opened_before_the_no_and_left_alone_becomes_a_thank_you_anyway(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
    clock: Clock,
) -> None:
    before = _composer(mail_context, scene, qtbot)
    assert not any(
        words in editor.body.toPlainText() for editor in before.editors for words in AFTER_THE_NO
    )
    _close(qtbot, before)
    clock.advance(days=1)
    _reject(mail_context, scene, clock)
    clock.advance(hours=2)

    after = _composer(mail_context, scene, qtbot)

    assert after.message_ids() == before.message_ids()
    for editor in after.editors:
        text = editor.body.toPlainText()
        assert any(words in text for words in AFTER_THE_NO), text
        assert "look forward" not in text and "next steps" not in text
        assert "on Tuesday" in text  # the interview day, said from today
        assert editor.warnings.isHidden() and editor.start_over_button.isHidden()


def test_an_edited_note_is_kept_and_says_what_no_longer_fits_until_started_over(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
    clock: Clock,
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = editors_by_name(composer)["Dr. Anna Schmidt"]
    qtbot.keyClicks(anna.subject, " - with thanks")
    typed = anna.current_record()
    assert "yesterday" in typed.body
    _close(qtbot, composer)
    clock.advance(days=1)
    _reject(mail_context, scene, clock)
    clock.advance(hours=2)

    composer = _composer(mail_context, scene, qtbot)
    anna = editors_by_name(composer)["Dr. Anna Schmidt"]
    joerg = editors_by_name(composer)["Jörg Weiß"]

    # Hers is as she left it, and she is told what no longer fits, and how to fix it.
    assert (anna.subject.text(), anna.body.toPlainText()) == (typed.subject, typed.body)
    assert anna.warnings.isVisible()
    advice = anna.warnings.label.text()
    assert (
        "Says “yesterday” but was written on Wednesday, 11 March 2026; today it would say "
        "“on Tuesday”." in advice
    )
    assert "Written before Nordlicht Energie said no: it still says “" in advice
    assert "Start over" in advice and anna.start_over_button.isVisible()
    assert anna.send_button.isEnabled()  # advice, not a rule
    # His, never edited, was simply written again for the news.
    assert any(words in joerg.body.toPlainText() for words in AFTER_THE_NO)
    assert joerg.start_over_button.isHidden()

    # "Keep my note" keeps it.
    composer.tabs.setCurrentWidget(anna)
    qtbot.mouseClick(anna.start_over_button, Qt.MouseButton.LeftButton)
    box = anna.findChild(QMessageBox)
    assert box is not None and box.isVisible()
    assert box.text() == "Write the note to Dr. Anna Schmidt afresh?"
    keep = next(b for b in box.buttons() if b.text() == "Keep my note")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    assert anna.body.toPlainText() == typed.body

    # "Start over" writes it afresh from today's facts.
    qtbot.mouseClick(anna.start_over_button, Qt.MouseButton.LeftButton)
    box = next(b for b in anna.findChildren(QMessageBox) if b.isVisible())
    again = next(b for b in box.buttons() if b.text() == "Start over")
    qtbot.mouseClick(again, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: anna.start_over_button.isHidden(), timeout=10_000)
    mail_context.ops.wait_for_idle()

    fresh = anna.body.toPlainText()
    assert any(words in fresh for words in AFTER_THE_NO) and "on Tuesday" in fresh
    assert anna.warnings.isHidden()
    stored = get_message(mail_context.db, anna.record.id)
    assert (stored.subject, stored.body) == (anna.subject.text(), fresh)


def test_people_already_thanked_get_no_tab_and_the_composer_says_so(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
    now: datetime,
) -> None:
    from afterword.core.storage.records import TouchpointFields
    from afterword.core.touchpoints import log_touchpoint

    def thanked_by_hand(contact_id: int) -> None:
        # Written outside Afterword and recorded in their history, as on the demo.
        log_touchpoint(
            mail_context.db,
            TouchpointFields(
                contact_id=contact_id,
                kind=TouchpointKind.EMAIL,
                occurred_at=now,
                purpose=Purpose.THANK_YOU,
                application_id=scene.application.id,
                interview_id=scene.interview.id,
            ),
            now=now,
        )

    thanked_by_hand(scene.anna.contact_id)
    composer = open_and_wait(
        qtbot, open_thank_you_composer, mail_context, scene.interview.id, scene.joerg.contact_id
    )
    assert [editor.record.to_name for editor in composer.editors] == ["Jörg Weiß"]
    assert composer.notice.isVisible()
    assert composer.notice.text() == (
        "Already thanked: Dr. Anna Schmidt. There is a note here for each person still to thank."
    )
    _close(qtbot, composer)

    thanked_by_hand(scene.joerg.contact_id)
    composer = _composer(mail_context, scene, qtbot)
    assert composer.editors == [] and composer.tabs.isHidden()
    assert composer.notice.text() == (
        "You have already thanked Dr. Anna Schmidt and Jörg Weiß for this interview: there "
        "is no thank-you left to write."
    )
    with mail_context.db.reading() as session:
        names = list(session.scalars(select(Message.to_name)))
    assert names == ["Jörg Weiß"]  # the draft from before, and no new one
    _close(qtbot, composer)


def test_a_reply_that_does_not_say_still_interested_asks_for_no_reason(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
    clock: Clock,
) -> None:
    _reject(mail_context, scene, clock)
    items = service.checklist_for_application(mail_context.db, scene.application.id, clock())
    feedback = next(i for i in items if i.kind is ItemKind.ASK_FEEDBACK)

    def reply(untick: tuple[str, ...]) -> DraftEditor:
        opened: list[ComposerDialog] = []
        assert open_composer_for_item(mail_context, feedback, on_opened=opened.append)
        asked = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, RejectionReplyDialog) and w.isVisible()
        )
        qtbot.waitUntil(asked.write_button.isEnabled)
        for key in untick:
            asked.boxes[key].click()
        qtbot.mouseClick(asked.write_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
        (editor,) = opened[0].editors
        return editor

    # "Still interested" unticked: the reply has no job to want, so no reason is pushed.
    editor = reply(("still_interested",))
    assert "interested" not in editor.body.toPlainText()
    assert editor.warnings.isHidden()
    # Saying it after all, by hand: then a reason is asked for.
    editor.body.setPlainText(editor.body.toPlainText() + "\n\nI am still interested in the role.")
    assert "doesn't say why you want this job" in editor.warnings.label.text()


# -- the templates section: what the composer starts from ---------------------------------------


def test_editing_the_thank_you_template_changes_the_next_drafts(
    mail_context: AppContext, scene: Scene, mail_account: MailAccountRecord, qtbot: QtBot
) -> None:
    section = TemplatesSection(mail_context)
    qtbot.addWidget(section)
    section.show()
    qtbot.waitUntil(mail_context.ops.is_idle)  # the built-ins are added off the GUI thread
    # Two interviewers: the thank-yous come from the panel variant.
    builtin = next(
        t
        for t in list_templates(mail_context.db)
        if t.purpose is Purpose.THANK_YOU and t.variant == "panel"
    )
    assert section.select_template(builtin.id)
    assert not section.delete_button.isEnabled()  # built-in: reset, never delete
    section.body.setPlainText(
        "Hello {first_name},\n\nthanks for {conversation_notes}.\n\n{my_name}"
    )
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(mail_context.ops.is_idle)  # saved off the GUI thread

    composer = _composer(mail_context, scene, qtbot)

    assert composer.editors[1].body.toPlainText() == (
        f"Hello Jörg,\n\nthanks for {JOERG_NOTES}.\n\n{SENDER_NAME}"
    )


def test_the_editor_documents_every_placeholder_and_inserts_them(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    section = TemplatesSection(mail_context)
    qtbot.addWidget(section)
    section.show()
    qtbot.waitUntil(mail_context.ops.is_idle)  # the built-ins are added off the GUI thread
    for name, description in PLACEHOLDERS.items():
        assert f"{{{name}}}" in section.help.text()
        assert description.split("“")[0].split("'")[0] in section.help.text()

    section.body.setFocus()
    section.body.moveCursor(section.body.textCursor().MoveOperation.Start)
    section.help.linkActivated.emit("first_name")
    assert section.body.toPlainText().startswith("{first_name}")


def test_an_unknown_placeholder_is_refused_at_its_field(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    section = TemplatesSection(mail_context)
    qtbot.addWidget(section)
    section.show()
    qtbot.waitUntil(mail_context.ops.is_idle)  # the built-ins are added off the GUI thread
    section.body.setPlainText("Dear {frist_name},")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(mail_context.ops.is_idle)  # saved off the GUI thread

    problems = section.findChildren(type(section.reason))
    shown = " ".join(label.text() for label in problems if label.isVisible())
    assert "Unknown placeholder {frist_name}" in shown
    assert all("frist" not in t.body for t in list_templates(mail_context.db))


def test_own_templates_are_added_and_deleted_and_built_ins_reset(
    mail_context: AppContext, qtbot: QtBot
) -> None:
    section = TemplatesSection(mail_context)
    qtbot.addWidget(section)
    section.show()
    qtbot.waitUntil(mail_context.ops.is_idle)  # the built-ins are added off the GUI thread
    builtin = section.current
    assert builtin is not None and builtin.builtin

    qtbot.mouseClick(section.new_button, Qt.MouseButton.LeftButton)
    section.name.setText("Short thank-you")
    section.body.setPlainText("Thanks, {first_name}! {my_name}")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(mail_context.ops.is_idle)  # saved off the GUI thread
    names = [t.name for t in list_templates(mail_context.db)]
    assert "Short thank-you" in names and builtin.name in names

    box = section.ask_to_delete()
    assert isinstance(box, QMessageBox)
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    delete.click()
    qtbot.waitUntil(mail_context.ops.is_idle)  # saved off the GUI thread
    assert "Short thank-you" not in [t.name for t in list_templates(mail_context.db)]

    section.select_template(builtin.id)
    section.body.setPlainText("Changed {first_name}")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(mail_context.ops.is_idle)  # saved off the GUI thread
    box = section.ask_to_reset()
    assert box is not None
    next(b for b in box.buttons() if b.text() == "Reset").click()
    qtbot.waitUntil(mail_context.ops.is_idle)  # saved off the GUI thread
    restored = next(t for t in list_templates(mail_context.db) if t.id == builtin.id)
    assert restored.body == builtin.body
