"""Before you go in, as a person uses it: Today on the morning of the interview offers
the sheet; the interview in Applications opens it too; it is saved as a real PDF file,
its LinkedIn link opens in the browser, and "Send to myself" puts a note to one's own
address in the Outbox, sent through a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from afterword.core.mail.outbox import list_messages
from afterword.core.storage.records import (
    MailAccountRecord,
)
from afterword.core.storage.values import MessageStatus
from afterword.gui.context import AppContext
from afterword.gui.dialogs.prep_sheet import PrepSheetDialog
from afterword.gui.mail_flow import open_composers
from afterword.gui.pages.applications import ApplicationsPage
from afterword.gui.pages.today import TodayPage
from tests.gui.conftest import Clock
from tests.support.prepare_scene import ROSA_LINKEDIN, panel_scene

if TYPE_CHECKING:
    from tests.support.smtp import SmtpServer

pytest_plugins = ["tests.gui.mail_fixtures"]

LINKEDIN = ROSA_LINKEDIN


@pytest.fixture
def panel(context: AppContext, now: datetime) -> int:
    """A panel at 14:00 today with Rosa (met in last week's phone screen) and Kai."""
    _application_id, panel_id, _rosa_id = panel_scene(context.db, now)
    return panel_id


def _sheet(qtbot: QtBot, context: AppContext, parent: QObject) -> PrepSheetDialog:
    qtbot.waitUntil(lambda: bool(parent.findChildren(PrepSheetDialog)))
    dialog = parent.findChildren(PrepSheetDialog)[0]
    qtbot.addWidget(dialog)
    context.ops.wait_for_idle()
    qtbot.waitUntil(dialog.send_button.isEnabled)
    return dialog


def test_today_offers_the_sheet_on_the_morning_of_the_interview(
    qtbot: QtBot, context: AppContext, clock: Clock, panel: int
) -> None:
    page = TodayPage(context)
    qtbot.addWidget(page)
    page.show()
    context.ops.wait_for_idle()
    qtbot.waitUntil(page.prepare_banner.isVisible)
    assert [label.text() for label in page.prepare_banner.labels] == [
        "Interview today at 14:00: Data Engineer at Quarry Logistics, Panel"
    ]

    qtbot.mouseClick(page.prepare_banner.buttons[panel], Qt.MouseButton.LeftButton)
    dialog = _sheet(qtbot, context, page)

    text = dialog.text()
    assert dialog.windowTitle() == "Before you go in: Data Engineer at Quarry Logistics"
    for expected in (
        "Rosa Díaz",
        "Engineering Manager",
        f"LinkedIn: {LINKEDIN}",
        "Earlier: Phone screen at Quarry Logistics, Wednesday, 4 March 2026: Asked how I",
        "Email (thank-you), Thursday, 5 March 2026: Thank you for the phone screen",
        "Kai Wong",
        "Data Lead",
        "I want to work on route planning at scale.",
        "What are the next steps from here?",
        "When do you expect to make a decision",
        "you may pause and ask whether your last answer raised any questions",
    ):
        assert expected in text

    # The next morning the interview is over: no banner.
    clock.advance(days=1)
    page.refresh()
    context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: not page.prepare_banner.isVisible())


def test_the_interview_in_applications_opens_its_sheet_and_linkedin_opens_in_the_browser(
    qtbot: QtBot, context: AppContext, panel: int, opened_web_urls: list[QUrl]
) -> None:
    page = ApplicationsPage(context)
    qtbot.addWidget(page)
    page.resize(1090, 760)
    page.show()
    context.ops.wait_for_idle()
    rect = page.table.visualRect(page.table.model().index(0, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = page.detail
    qtbot.waitUntil(lambda: detail.interview_list.count() == 2)
    assert not detail.prepare_button.isEnabled()  # nothing selected yet
    detail.interview_list.setCurrentRow(1)  # the panel (earliest first)

    qtbot.mouseClick(detail.prepare_button, Qt.MouseButton.LeftButton)
    dialog = _sheet(qtbot, context, detail)
    assert dialog.interview_id == panel

    dialog.view.anchorClicked.emit(QUrl(LINKEDIN))  # what clicking the link does
    assert [url.toString() for url in opened_web_urls] == [LINKEDIN]


def test_save_as_pdf_writes_a_pdf_where_the_person_chose(
    qtbot: QtBot, context: AppContext, panel: int, tmp_path: Path
) -> None:
    page = TodayPage(context)
    qtbot.addWidget(page)
    context.ops.wait_for_idle()
    page.open_prep_sheet(panel)
    dialog = _sheet(qtbot, context, page)

    chooser = dialog.choose_pdf_file()
    assert isinstance(chooser, QFileDialog)
    assert chooser.windowTitle() == "Save the sheet as PDF"
    target = tmp_path / "panel.pdf"
    chooser.selectFile(str(target))
    chooser.accept()

    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    assert dialog.notice.text() == f"Saved as {target}."


def test_send_to_myself_needs_an_account_then_goes_out_to_my_own_address(
    qtbot: QtBot,
    mail_context: AppContext,
    panel: int,
    mail_server: SmtpServer,
    stored_password: str,
    mail_account: MailAccountRecord,
) -> None:
    page = TodayPage(mail_context)
    qtbot.addWidget(page)
    mail_context.ops.wait_for_idle()
    page.open_prep_sheet(panel)
    dialog = _sheet(qtbot, mail_context, page)

    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(open_composers()))
    draft = next(m for m in list_messages(mail_context.db) if m.status == MessageStatus.DRAFT)
    assert draft.to_address == mail_account.email
    assert f"A note to {mail_account.email} is in the Outbox" in dialog.notice.text()

    editor = open_composers()[0].editors[0]
    qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(mail_server.received) == 1, timeout=20_000)
    mail_context.ops.wait_for_idle()
    received = mail_server.received[0]
    assert received.rcpt_tos == (mail_account.email,)
    body = received.message.get_body().get_content()
    assert "Rosa Díaz" in body and "What are the next steps from here?" in body


def test_send_to_myself_without_a_mail_account_says_where_to_set_it_up(
    qtbot: QtBot, context: AppContext, panel: int
) -> None:
    page = TodayPage(context)
    qtbot.addWidget(page)
    context.ops.wait_for_idle()
    page.open_prep_sheet(panel)
    dialog = _sheet(qtbot, context, page)

    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()
    qtbot.waitUntil(dialog.notice.isVisible)
    assert dialog.notice.text() == (
        "Set up your mail account in Settings first: the sheet goes to your own address."
    )
    assert list_messages(context.db) == []
    assert dialog.send_button.isEnabled()


def test_print_goes_through_the_print_dialog_to_the_chosen_printer(
    qtbot: QtBot, context: AppContext, panel: int, tmp_path: Path
) -> None:
    page = TodayPage(context)
    qtbot.addWidget(page)
    context.ops.wait_for_idle()
    page.open_prep_sheet(panel)
    dialog = _sheet(qtbot, context, page)

    asked = dialog.print_sheet()
    assert asked.isVisible()  # opened without blocking
    # No printer here: the printer chosen is Qt's "print to file". Accepting through the
    # dialog's own widgets would put back the system's default printer, so only its
    # "accepted" is sent, as the dialog does once a printer is chosen.
    target = tmp_path / "printed.pdf"
    asked.printer().setOutputFileName(str(target))
    asked.accepted.emit(asked.printer())
    asked.hide()

    assert target.read_bytes().startswith(b"%PDF")
    assert dialog.notice.text() == "Sent to the printer."
