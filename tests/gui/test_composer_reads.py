"""The composer reads the database off the GUI thread: when another window changed a
message, when a tab is opened from the Outbox's row alone, and when it sends.

The other window is the core called directly here, with its change set announced
the way that window's write would announce it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from afterword.core.mail.accounts import account_key
from afterword.core.mail.credentials import store_password
from afterword.core.mail.drafts import delete_draft, get_message, update_draft
from afterword.core.mail.outbox import mark_sent_by_post
from afterword.core.storage.changes import collect_changes
from afterword.core.storage.records import MailAccountRecord, MessageRecord
from afterword.core.storage.values import MessageStatus
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer import ComposerDialog
from afterword.gui.mail_flow import open_message_composer, open_thank_you_composer
from tests.gui.mail_support import (
    SENDER_NAME,
    Scene,
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


def _elsewhere(context: AppContext, write: object, *args: object, **kwargs: object) -> object:
    """Run a core write as another window would, and announce what it changed."""
    assert callable(write)
    with collect_changes() as collected:
        result = write(context.db, *args, **kwargs)
    context.ops.announce(collected.changes, initiator="another window")
    return result


def _edit(context: AppContext, message: MessageRecord, body: str, now: datetime) -> None:
    _elsewhere(
        context,
        update_draft,
        message.id,
        to_name=message.to_name,
        to_address=message.to_address,
        subject=message.subject,
        body=body,
        bcc_self=message.bcc_self,
        now=now,
    )


def test_a_change_from_another_window_is_shown_once_read_and_typed_text_stays(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
    now: datetime,
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    tabs = editors_by_name(composer)
    anna, joerg = tabs["Dr. Anna Schmidt"], tabs["Jörg Weiß"]
    anna.body.setPlainText("Dear Anna,\n\nTyped here and not saved yet.")

    _edit(mail_context, joerg.record, "Dear Jörg,\n\nChanged in the other window.", now)
    _edit(mail_context, anna.record, "Dear Anna,\n\nChanged in the other window.", now)
    # Read off the GUI thread: nothing has changed on screen yet.
    assert "other window" not in joerg.body.toPlainText()
    qtbot.waitUntil(mail_context.ops.is_idle)

    assert joerg.body.toPlainText() == "Dear Jörg,\n\nChanged in the other window."
    # What is typed in this window is kept (it is saved after the pause in typing).
    assert anna.body.toPlainText() == "Dear Anna,\n\nTyped here and not saved yet."


def test_a_note_sent_from_another_window_replaces_what_was_typed(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
    now: datetime,
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]
    stored = anna.body.toPlainText()
    anna.body.setPlainText("Dear Anna,\n\nTyped after it went by post.")

    _elsewhere(mail_context, mark_sent_by_post, anna.record.id, now)
    qtbot.waitUntil(lambda: anna.record.status is MessageStatus.SENT)
    qtbot.waitUntil(mail_context.ops.is_idle)

    assert anna.body.toPlainText() == stored
    assert anna.body.isReadOnly()
    assert "It can no longer be changed" in anna.banner_text()
    assert composer.tabs.tabText(0) == "Dr. Anna Schmidt · sent"


def test_a_note_deleted_in_another_window_disables_its_tab(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna, joerg = composer.editors

    _elsewhere(mail_context, delete_draft, anna.record.id)
    qtbot.waitUntil(mail_context.ops.is_idle)

    assert not anna.isEnabled()
    assert anna.banner_text() == "This message was deleted."
    assert joerg.isEnabled() and joerg.banner_text() == ""


def test_a_message_opened_from_its_row_reads_its_notes_and_sender_off_the_gui_thread(
    mail_context: AppContext,
    scene: Scene,
    mail_account: MailAccountRecord,
    qtbot: QtBot,
    now: datetime,
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna, joerg = composer.editors
    # Anna's note copies Jörg's word for word: the check compares it with his.
    _edit(mail_context, anna.record, joerg.body.toPlainText(), now)
    qtbot.waitUntil(mail_context.ops.is_idle)
    row = get_message(mail_context.db, anna.record.id)
    composer.close()
    qtbot.waitUntil(lambda: not composer.isVisible())

    # The Outbox hands over its row alone; the window opens with it at once.
    opened = open_message_composer(mail_context, row)
    (editor,) = opened.editors
    assert editor.body.toPlainText() == row.body
    qtbot.waitUntil(mail_context.ops.is_idle)

    assert "nearly the same as the one to Jörg Weiß" in editor.warnings.label.text()
    assert editor.letter_document().toPlainText().startswith(SENDER_NAME)
    opened.close()


def test_send_again_in_the_composer_sends_once_through_the_account_read_by_the_send(
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
    # The person switches to a server that confirms; the next send reads the account anew.
    server = smtp_server()
    switched = save_account_for(mail_context.db, server)
    store_password(account_key(switched), server.password)

    box = anna.ask_to_send_again()
    next(button for button in box.buttons() if button.text() == "Send it again").click()
    qtbot.waitUntil(lambda: anna.record.status is MessageStatus.SENT, timeout=15_000)
    wait_until_settled(qtbot, mail_context, anna)

    assert len(dropper.received) == 1  # the attempt that was cut off
    assert len(server.received) == 1
    assert not anna.send_button.isVisible()
    qtbot.mouseClick(anna.resend_button, Qt.MouseButton.LeftButton)  # hidden: nothing
    mail_context.ops.wait_for_idle()
    assert len(server.received) == 1


def test_a_letter_is_signed_with_the_name_of_the_account_set_up_after_opening(
    mail_context: AppContext, scene: Scene, mail_server: SmtpServer, qtbot: QtBot
) -> None:
    composer = _composer(mail_context, scene, qtbot)
    anna = composer.editors[0]
    assert SENDER_NAME not in anna.letter_document().toPlainText()  # no account yet

    _elsewhere(mail_context, save_account_for, mail_server)  # Settings → Mail account
    qtbot.waitUntil(mail_context.ops.is_idle)

    assert anna.letter_document().toPlainText().startswith(SENDER_NAME)
