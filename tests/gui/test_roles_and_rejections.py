"""Roles and rejections, as a person records them: each person in the interview form has
a role, the outcome says who told you, and the reply to a rejection goes to that person
and holds only what is ticked; sent, it ticks off only the reply items it asked for.
After the no, the unsent thank-yous wait on Today as an optional "thank you anyway", or
go in one step. The LinkedIn field and "Find on LinkedIn" of the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog
from pytestqt.qtbot import QtBot

from afterword.core.applications import get_application, record_outcome, update_application
from afterword.core.checklist.items import ItemKind, ItemState
from afterword.core.checklist.service import checklist_for_application, checklist_for_interview
from afterword.core.contacts import list_contacts
from afterword.core.interviews import list_interviews
from afterword.core.storage.records import (
    ApplicationFields,
    ApplicationRecord,
    InterviewRecord,
    editable,
)
from afterword.core.storage.values import (
    ApplicationStatus,
    InterviewOutcome,
    ParticipantRole,
    Purpose,
)
from afterword.gui.context import AppContext
from afterword.gui.dialogs.company_people import CompanyPeopleDialog
from afterword.gui.dialogs.composer import ComposerDialog
from afterword.gui.dialogs.interview_form import InterviewForm
from afterword.gui.dialogs.rejection_reply import RejectionReplyDialog
from afterword.gui.mail_flow import open_composer_for_item, open_composers
from afterword.gui.main_window import MainWindow
from afterword.gui.pages.applications import ApplicationsPage
from afterword.gui.pages.today import TodayPage
from tests.gui.helpers import activate, checklist_rows, type_into
from tests.gui.mail_support import send_and_wait
from tests.support.smtp import SmtpServer

pytest_plugins = ["tests.gui.mail_fixtures"]


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> Iterator[ApplicationsPage]:
    widget = ApplicationsPage(context)
    qtbot.addWidget(widget, before_close_func=lambda p: p.form and QDialog.done(p.form, 0))
    widget.resize(1090, 760)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(context.ops.is_idle)
    yield widget
    context.ops.wait_for_idle()


@pytest.fixture
def interviewed(
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> tuple[ApplicationRecord, InterviewRecord]:
    application = add_application(
        "Acme", "Data Engineer", why_interested="I want to build their route planner."
    )
    interview = add_interview(
        application.id,
        now - timedelta(days=2),
        [("Ana Ruiz", "ana@acme.example"), ("Ben Ode", "ben@acme.example")],
    )
    return application, interview


def _edit_interview(qtbot: QtBot, page: ApplicationsPage, application_id: int) -> InterviewForm:
    page.show_application(application_id)
    qtbot.waitUntil(lambda: page.detail.interview_list.count() == 1)
    page.detail.interview_list.setCurrentRow(0)
    qtbot.mouseClick(page.detail.edit_interview_button, Qt.MouseButton.LeftButton)
    form = page.form
    assert isinstance(form, InterviewForm)
    qtbot.waitExposed(form)
    page.context.ops.wait_for_idle()
    return form


def _pick(qtbot: QtBot, combo: object, text: str) -> None:
    """Choose ``text`` in a combo box with the keyboard, as a person would."""
    from PySide6.QtWidgets import QComboBox

    assert isinstance(combo, QComboBox)
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setFocus()
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Click a check box on its box (a wide one's middle may be past its text)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_roles_and_who_told_you_are_saved_and_the_reply_goes_to_them_with_what_is_ticked(
    qtbot: QtBot,
    mail_context: AppContext,
    page: ApplicationsPage,
    interviewed: tuple[ApplicationRecord, InterviewRecord],
    now: datetime,
) -> None:
    application, _interview = interviewed
    form = _edit_interview(qtbot, page, application.id)
    assert not form.outcome_from.isVisible()  # no outcome yet: nobody told you anything

    _pick(qtbot, form.rows[1].role, "Recruiter")
    _pick(qtbot, form.outcome, "Rejected")
    assert form.outcome_from.isVisible()
    _pick(qtbot, form.outcome_from, "Ben Ode")
    assert form.save_button.isEnabled(), form.reason.text()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()

    [saved] = list_interviews(mail_context.db, application.id)
    assert [(p.contact_name, p.role, p.delivered_outcome) for p in saved.participants] == [
        ("Ana Ruiz", ParticipantRole.INTERVIEWER, False),
        ("Ben Ode", ParticipantRole.RECRUITER, True),
    ]
    assert get_application(mail_context.db, application.id).status is ApplicationStatus.REJECTED

    # Opened again, the form shows what was saved.
    form = _edit_interview(qtbot, page, application.id)
    assert form.rows[1].role.currentText() == "Recruiter"
    assert form.outcome_from.currentText() == "Ben Ode"
    QDialog.done(form, 0)

    items = checklist_for_application(mail_context.db, application.id, now)
    feedback = next(i for i in items if i.kind is ItemKind.ASK_FEEDBACK)
    opened: list[ComposerDialog] = []
    assert open_composer_for_item(mail_context, feedback, page, on_opened=opened.append)
    asked = page.findChildren(RejectionReplyDialog)[0]
    qtbot.waitUntil(asked.write_button.isEnabled)
    assert asked.recipient.currentText() == "Ben Ode, recruiter (told you the news)"
    assert asked.boxes["still_interested"].isChecked()
    # Ask for feedback and say so; no referral, no staying in touch this time.
    _tick(qtbot, asked.boxes["referral"])
    _tick(qtbot, asked.boxes["stay_in_touch"])
    qtbot.mouseClick(asked.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)

    (editor,) = opened[0].editors
    assert editor.record.purpose is Purpose.REJECTION_REPLY
    assert editor.to_address.text() == "ben@acme.example"
    body = editor.body.toPlainText()
    paragraphs = body.split("\n\n")
    assert sum("feedback" in paragraph for paragraph in paragraphs) == 1
    assert "I am still very interested in Acme" in body
    assert "refer" not in body and "stay in touch" not in body

    # Asked again before it was edited: it is written again with what is ticked now
    # (changed on purpose: an untouched reply used to open as it was, ticks ignored).
    opened[0].close()
    opened.clear()
    assert open_composer_for_item(mail_context, feedback, page, on_opened=opened.append)
    again = page.findChildren(RejectionReplyDialog)[-1]
    qtbot.waitUntil(again.write_button.isEnabled)
    assert again.drafted_note.isHidden()
    _tick(qtbot, again.boxes["feedback"])  # no feedback this time, a referral instead
    _tick(qtbot, again.boxes["stay_in_touch"])
    qtbot.mouseClick(again.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    (rewritten,) = opened[0].editors
    assert rewritten.record.id == editor.record.id
    assert "feedback" not in rewritten.body.toPlainText()
    assert "refer" in rewritten.body.toPlainText()

    # Once edited, the reply opens as it was left; the ticks do not apply.
    qtbot.keyClicks(rewritten.subject, " (thanks)")
    with qtbot.waitSignal(opened[0].closed, timeout=5000):
        opened[0].close()
    opened.clear()
    assert open_composer_for_item(mail_context, feedback, page, on_opened=opened.append)
    last = page.findChildren(RejectionReplyDialog)[-1]
    qtbot.waitUntil(last.drafted_note.isVisible)
    assert last.drafted_note.text() == (
        "Your reply to Ben Ode is already in the Outbox: it opens as you left it."
    )
    assert not any(box.isEnabled() for box in last.boxes.values())
    qtbot.mouseClick(last.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert opened[0].editors[0].record.id == editor.record.id
    assert opened[0].editors[0].subject.text().endswith(" (thanks)")
    assert "refer" in opened[0].editors[0].body.toPlainText()


def test_the_reply_cannot_say_still_interested_when_you_are_not_or_ask_for_nothing(
    qtbot: QtBot,
    mail_context: AppContext,
    page: ApplicationsPage,
    interviewed: tuple[ApplicationRecord, InterviewRecord],
    now: datetime,
) -> None:
    application, _interview = interviewed
    form = _edit_interview(qtbot, page, application.id)
    _pick(qtbot, form.outcome, "Rejected")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    stored = get_application(mail_context.db, application.id)

    values = editable(stored, ApplicationFields)
    update_application(
        mail_context.db, application.id, replace(values, still_interested=False), now=now
    )

    items = checklist_for_application(mail_context.db, application.id, now)
    feedback = next(i for i in items if i.kind is ItemKind.ASK_FEEDBACK)
    assert open_composer_for_item(mail_context, feedback, page)
    asked = page.findChildren(RejectionReplyDialog)[0]
    qtbot.waitUntil(asked.write_button.isEnabled)
    # Nobody was marked as having told you: the first person met is offered.
    assert asked.recipient.currentText() == "Ana Ruiz, interviewer"
    interested = asked.boxes["still_interested"]
    assert not interested.isEnabled() and not interested.isChecked()
    assert asked.interest_note.isVisible()

    for key in ("feedback", "referral", "stay_in_touch"):
        _tick(qtbot, asked.boxes[key])
    assert not asked.write_button.isEnabled()
    assert asked.hint.text() == "Tick at least one thing to ask for."
    QDialog.done(asked, 0)


def _today_rows(today: TodayPage) -> list[str]:
    assert today.checklist is not None
    return checklist_rows(today.checklist)


def _reply_rows(today: TodayPage) -> set[str]:
    return {row for row in _today_rows(today) if row.startswith(("Ask Acme", "Tell Acme"))}


def test_a_reply_sent_asking_only_for_feedback_leaves_the_other_requests_on_today(
    qtbot: QtBot,
    mail_context: AppContext,
    main_window: MainWindow,
    interviewed: tuple[ApplicationRecord, InterviewRecord],
    mail_server: SmtpServer,
    stored_password: str,
    now: datetime,
) -> None:
    application, interview = interviewed
    # The no, recorded the way the interview form does: Today hears of it.
    mail_context.ops.write(
        record_outcome, mail_context.db, interview.id, InterviewOutcome.REJECTED, now=now
    )
    mail_context.ops.wait_for_idle()
    today = main_window.page("today")
    assert isinstance(today, TodayPage) and today.checklist is not None
    qtbot.waitUntil(lambda: "Ask Acme to refer you to other openings | today" in _today_rows(today))
    assert _reply_rows(today) == {
        "Ask Acme why, politely | today",
        "Tell Acme you are still interested | today",
        "Ask Acme to refer you to other openings | today",
    }

    # Enter on the referral item asks whom to reply to and what to ask for.
    view = today.checklist
    assert view.select_key(f"ask_referral:a{application.id}")
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(main_window.findChildren(RejectionReplyDialog)))
    asked = main_window.findChildren(RejectionReplyDialog)[0]
    qtbot.waitUntil(asked.write_button.isEnabled)
    for key in ("still_interested", "referral", "stay_in_touch"):
        _tick(qtbot, asked.boxes[key])
    assert asked.requests() == {"feedback"}
    qtbot.mouseClick(asked.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(open_composers()), timeout=10_000)
    (editor,) = open_composers()[-1].editors
    assert "refer" not in editor.body.toPlainText()

    send_and_wait(qtbot, mail_context, editor)

    [received] = mail_server.received
    assert received.rcpt_tos == ("ana@acme.example",)
    assert "feedback" in received.content.decode()
    # Asking why is done; saying you are still interested and asking for a
    # referral are still to do (another reply, or dismissed by hand).
    qtbot.waitUntil(lambda: "Ask Acme why, politely | today" not in _today_rows(today))
    assert _reply_rows(today) == {
        "Tell Acme you are still interested | today",
        "Ask Acme to refer you to other openings | today",
    }
    states = {
        item.kind: (item.state, item.done_automatically)
        for item in checklist_for_application(mail_context.db, application.id, now)
    }
    assert states[ItemKind.ASK_FEEDBACK] == (ItemState.DONE, True)
    assert states[ItemKind.ASK_REFERRAL] == (ItemState.DUE, False)
    assert states[ItemKind.SAY_STILL_INTERESTED] == (ItemState.DUE, False)

    # The next reply starts from what is still to ask: feedback was asked already.
    assert view.select_key(f"ask_referral:a{application.id}")
    qtbot.keyClick(view.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(main_window.findChildren(RejectionReplyDialog)) == 1)
    again = main_window.findChildren(RejectionReplyDialog)[0]
    qtbot.waitUntil(again.write_button.isEnabled)
    assert again.requests() == {"still_interested", "referral", "stay_in_touch"}
    again.reject()


def test_after_a_no_the_thank_yous_are_offered_on_today_and_dismissed_in_one_step(
    qtbot: QtBot,
    mail_context: AppContext,
    page: ApplicationsPage,
    interviewed: tuple[ApplicationRecord, InterviewRecord],
    now: datetime,
) -> None:
    application, interview = interviewed
    today = TodayPage(mail_context)
    qtbot.addWidget(today)
    today.resize(900, 700)
    today.show()
    qtbot.waitExposed(today)
    mail_context.ops.wait_for_idle()
    assert "Send a thank-you to Ana Ruiz | overdue by 1 day" in _today_rows(today)

    form = _edit_interview(qtbot, page, application.id)
    _pick(qtbot, form.outcome, "Rejected")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    mail_context.ops.wait_for_idle()
    for dialog in page.findChildren(RejectionReplyDialog):
        QDialog.done(dialog, 0)

    # Today, refreshed by the save: the thank-yous wait at the end, never overdue.
    rows = _today_rows(today)
    offers = rows[rows.index("Optional (2)") :]
    assert offers == [
        "Optional (2)",
        "Thank Ana Ruiz anyway (optional) | when you like",
        "Thank Ben Ode anyway (optional) | when you like",
    ]
    assert not any("thank-you" in row for row in rows)
    assert today.summary_label.text().endswith("2 optional")

    # Writing one opens the "thank you anyway" note, not one that awaits next steps.
    view = today.checklist
    ana = next(i for i in view.items() if i.title.startswith("Thank Ana"))
    view.select_key(ana.key)
    opened: list[ComposerDialog] = []
    assert open_composer_for_item(mail_context, ana, today, on_opened=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    body = opened[0].editors[0].body.toPlainText()
    assert "next steps" not in body
    assert any(
        words in body for words in ("another candidate", "will not be mine", "not chosen")
    ), body
    opened[0].hide()

    # Both go at once, from the keyboard; one undo brings both back.
    activate(qtbot, today)
    view.select_key(ana.key)
    dismiss_all = view._buttons[view.dismiss_thank_yous_action]
    assert dismiss_all.isVisible() and dismiss_all.text() == "Dismiss all 2 thank-yous"
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    mail_context.ops.wait_for_idle()

    assert "Optional (2)" not in _today_rows(today)
    stored = checklist_for_interview(mail_context.db, interview.id, now)
    assert {i.state for i in stored if i.kind is ItemKind.THANK_YOU} == {ItemState.DISMISSED}
    assert view.undo_bar.label.text() == "2 thank-yous dismissed."

    qtbot.keyClick(view.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    mail_context.ops.wait_for_idle()
    assert "Optional (2)" in _today_rows(today)
    assert view.undo_bar.label.text() == "2 thank-yous are back on the list."
    stored = checklist_for_interview(mail_context.db, interview.id, now)
    assert {i.state for i in stored if i.kind is ItemKind.THANK_YOU} == {ItemState.DUE}


def test_linkedin_in_the_people_rows_and_find_on_linkedin(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    interviewed: tuple[ApplicationRecord, InterviewRecord],
    opened_web_urls: list[QUrl],
) -> None:
    application, _interview = interviewed
    form = _edit_interview(qtbot, page, application.id)

    new = form.add_new_person()
    assert new.name is not None
    type_into(qtbot, new.name, "Chloé Martin")
    qtbot.mouseClick(new.find_button, Qt.MouseButton.LeftButton)
    assert [
        url.toString(QUrl.ComponentFormattingOption.FullyEncoded) for url in opened_web_urls
    ] == ["https://www.linkedin.com/search/results/people/?keywords=Chlo%C3%A9+Martin+Acme"]
    # The name as the person typed it is offered as who told you, too.
    assert form.outcome_from.findText("Chloé Martin") >= 0

    type_into(qtbot, new.linkedin, "not a link")
    qtbot.waitUntil(lambda: not form.save_button.isEnabled())
    assert "LinkedIn" in form.reason.text()
    type_into(qtbot, new.linkedin, "linkedin.com/in/chloe-martin")
    type_into(qtbot, form.rows[0].linkedin, "https://www.linkedin.com/in/ana-ruiz")
    assert form.save_button.isEnabled(), form.reason.text()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()

    links = {c.name: c.linkedin_url for c in list_contacts(context.db)}
    assert links == {
        "Ana Ruiz": "https://www.linkedin.com/in/ana-ruiz",
        "Ben Ode": "",
        "Chloé Martin": "https://linkedin.com/in/chloe-martin",
    }
    assert not any(isinstance(w, RejectionReplyDialog) for w in QApplication.topLevelWidgets())


def _new_application(qtbot: QtBot, page: ApplicationsPage, company: str, role: str) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    form = page.form
    assert form is not None
    qtbot.waitExposed(form)
    type_into(qtbot, form.company, company)  # type: ignore[attr-defined]
    type_into(qtbot, form.role, role)  # type: ignore[attr-defined]
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    page.context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: page.detail.title.text() == f"{role} at {company}")
    page.context.ops.wait_for_idle()


def test_the_people_at_a_company_say_when_you_meet_them_next(
    qtbot: QtBot,
    context: AppContext,
    now: datetime,
    page: ApplicationsPage,
    interviewed: tuple[ApplicationRecord, InterviewRecord],
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
) -> None:
    # Cy is met tomorrow, on another application at the same company.
    platform = add_application("Acme", "Platform Engineer")
    add_interview(platform.id, now + timedelta(days=1), [("Cy Park", "cy@acme.example")])
    page.show_application(platform.id)
    detail = page.detail
    qtbot.waitUntil(lambda: detail.people_button.text() == "People you know (3)…")

    qtbot.mouseClick(detail.people_button, Qt.MouseButton.LeftButton)
    dialog = detail.findChildren(CompanyPeopleDialog)[0]
    qtbot.addWidget(dialog)
    context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: dialog.list.count() == 3)
    texts = [dialog.list.item(row).text() for row in range(3)]
    assert (
        texts[2] == "Cy Park\nInterviewer on Platform Engineer (interviewing)\nMeeting Thu 12 Mar"
    )
    assert texts[0].endswith("\nLast met Mon 9 Mar")  # Ana: that interview is over


def test_a_new_application_at_a_known_company_offers_the_people_you_know_there(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    interviewed: tuple[ApplicationRecord, InterviewRecord],
    opened_web_urls: list[QUrl],
) -> None:
    _new_application(qtbot, page, "Nowhere Ltd", "Analyst")
    assert not page.detail.banner.isVisible()
    assert not page.detail.people_button.isVisible()

    _new_application(qtbot, page, "acme", "Platform Engineer")  # typed in lower case
    detail = page.detail
    qtbot.waitUntil(detail.banner.isVisible)
    assert detail.banner.text().startswith("You already know 2 people at acme: Ana Ruiz, Ben Ode.")
    # Under the heading, where the button it speaks of is, not in a section below.
    assert not detail.sections.isAncestorOf(detail.banner)
    assert detail.banner.geometry().bottom() < detail.sections.geometry().top()
    assert detail.people_button.geometry().bottom() < detail.banner.geometry().top()
    assert "“People you know…” shows where you met them" in detail.banner.text()
    assert detail.people_button.text() == "People you know (2)…"
    assert detail.people_button.toolTip() == "Everyone you know at acme, and where you met"

    qtbot.mouseClick(detail.people_button, Qt.MouseButton.LeftButton)
    dialog = detail.findChildren(CompanyPeopleDialog)[0]
    qtbot.addWidget(dialog)
    context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: dialog.list.count() == 2)
    assert dialog.list.item(0).text() == (
        "Ana Ruiz\nInterviewer on Data Engineer (interviewing)\nLast met Mon 9 Mar"
    )
    qtbot.mouseClick(dialog.linkedin_button, Qt.MouseButton.LeftButton)
    assert [url.toString() for url in opened_web_urls] == [
        "https://www.linkedin.com/search/results/people/?keywords=Ana+Ruiz+acme"
    ]
