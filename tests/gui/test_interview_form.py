"""The interview form from the Applications screen: people, after the interview, outcome."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.applications import get_application
from afterword.core.checklist.items import ItemKind, ItemState
from afterword.core.checklist.service import checklist_for_application
from afterword.core.contacts import create_contact, list_contacts
from afterword.core.interviews import list_interviews
from afterword.core.storage.records import ApplicationRecord, ContactFields, InterviewRecord
from afterword.core.storage.values import ApplicationStatus, InterviewFormat, InterviewOutcome
from afterword.gui.context import AppContext
from afterword.gui.dialogs.interview_form import InterviewForm
from afterword.gui.forms import select_data
from afterword.gui.models.applications_model import Column
from afterword.gui.pages.applications import ApplicationsPage
from tests.gui.helpers import answer_next_box, type_into


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> Iterator[ApplicationsPage]:
    widget = ApplicationsPage(context)
    # A form left open with edits would ask "save changes?" at clean-up and block the run.
    qtbot.addWidget(widget, before_close_func=lambda p: p.form and QDialog.done(p.form, 0))
    widget.resize(1090, 760)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(context.ops.is_idle)
    yield widget
    context.ops.wait_for_idle()


def settle(qtbot: QtBot, context: AppContext) -> None:
    """Let operations (loads, writes) finish and their results reach the screen."""
    qtbot.waitUntil(context.ops.is_idle)
    qtbot.wait(1)


def open_interview(qtbot: QtBot, page: ApplicationsPage, *, edit: bool = False) -> InterviewForm:
    settle(qtbot, page.context)  # the detail loads off the GUI thread
    detail = page.detail
    if edit:
        detail.interview_list.setCurrentRow(0)
        qtbot.mouseClick(detail.edit_interview_button, Qt.MouseButton.LeftButton)
    else:
        qtbot.mouseClick(detail.add_interview_button, Qt.MouseButton.LeftButton)
    form = page.form
    assert isinstance(form, InterviewForm)
    qtbot.waitExposed(form)
    settle(qtbot, page.context)  # the contacts to pick from arrive from the core
    return form


def open_items(page: ApplicationsPage) -> list[str]:
    return [i.title for i in page.detail.checklist.items() if i.is_actionable]


def test_new_interview_with_a_picked_and_a_typed_in_interviewer(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    application = add_application("Acme", "Data Engineer", status=ApplicationStatus.APPLIED)
    create_contact(
        context.db,
        ContactFields(name="Priya Raman", email="priya@acme.example", title="Head of Data"),
        now=context.now(),
    )
    create_contact(context.db, ContactFields(name="Ben Ode"), now=context.now())
    page.show_application(application.id)
    form = open_interview(qtbot, page)

    # When: tomorrow at 14:30 in London, 45 minutes, a video call.
    type_into(qtbot, form.zone.lineEdit(), "Europe/London")
    form.starts.setDateTime(QDateTime(QDate(2026, 3, 12), QTime(14, 30), QTimeZone.utc()))
    type_into(qtbot, form.duration, "45")
    type_into(qtbot, form.round_name, "Technical interview")
    select_data(form.format, InterviewFormat.VIDEO)
    type_into(qtbot, form.location, "https://meet.example/acme")

    # Someone already in the contacts: type part of the name, press Enter.
    form.picker.setFocus()
    qtbot.keyClicks(form.picker.lineEdit(), "Priya")
    qtbot.keyClick(form.picker.lineEdit(), Qt.Key.Key_Return)
    assert form.isVisible()  # Enter adds the person; it does not save the form
    assert [row.heading.text() for row in form.rows] == ["1. Priya Raman, Head of Data"]
    form.rows[0].notes.setFocus()
    qtbot.keyClicks(form.rows[0].notes, "Asked about streaming vs batch.")

    # Someone new, typed in.
    qtbot.mouseClick(form.new_person_button, Qt.MouseButton.LeftButton)
    new = form.rows[1]
    assert new.name is not None and new.email is not None and new.title is not None
    type_into(qtbot, new.name, "Chloé Martin")
    type_into(qtbot, new.email, "chloe@acme.example")
    type_into(qtbot, new.title, "Engineering Manager")
    new.notes.setFocus()
    qtbot.keyClicks(new.notes, "Both of us like DuckDB.")

    assert form.save_button.isEnabled(), form.reason.text()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)

    [interview] = list_interviews(context.db, application.id)
    assert interview.timezone == "Europe/London"
    assert interview.starts_at == datetime(2026, 3, 12, 14, 30, tzinfo=interview.starts_at.tzinfo)
    assert interview.starts_at.utcoffset() == timedelta(0)  # London is on GMT in March
    assert interview.duration_minutes == 45
    assert (interview.round_name, interview.location) == (
        "Technical interview",
        "https://meet.example/acme",
    )
    people = {(p.contact_name, p.contact_title, p.notes) for p in interview.participants}
    assert people == {
        ("Priya Raman", "Head of Data", "Asked about streaming vs batch."),
        ("Chloé Martin", "Engineering Manager", "Both of us like DuckDB."),
    }
    assert sorted(c.name for c in list_contacts(context.db)) == [
        "Ben Ode",
        "Chloé Martin",
        "Priya Raman",
    ]
    assert get_application(context.db, application.id).status == ApplicationStatus.INTERVIEWING

    # On screen: the interview in the detail pane, its status in the table.
    listed = page.detail.interview_list.item(0).text()
    assert "Thu 12 Mar, 14:30–15:15 (Europe/London)" in listed
    assert "With Priya Raman, Chloé Martin" in listed
    row = page.table.currentIndex().row()
    assert page.model.index(row, Column.STATUS).data() == "Interviewing"
    assert page.model.index(row, Column.NEXT_INTERVIEW).data() == "Thu 12 Mar, 15:30"


def test_the_picker_explains_what_it_could_not_add(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    application = add_application()
    for name in ("Ana Ruiz", "Ana Silva"):
        create_contact(context.db, ContactFields(name=name), now=context.now())
    page.show_application(application.id)
    form = open_interview(qtbot, page)

    type_into(qtbot, form.picker.lineEdit(), "Nobody")
    qtbot.mouseClick(form.add_button, Qt.MouseButton.LeftButton)
    assert "No contact matches “Nobody”" in form.picker_hint.text()
    assert form.rows == []

    type_into(qtbot, form.picker.lineEdit(), "Ana")
    form.add_picked()
    assert "2 contacts match" in form.picker_hint.text()
    form.picker.hidePopup()

    type_into(qtbot, form.picker.lineEdit(), "Ana Silva")
    form.add_picked()
    assert len(form.rows) == 1
    assert form.picker_hint.isHidden()

    type_into(qtbot, form.picker.lineEdit(), "Ana Silva")
    form.add_picked()
    assert "already in this interview" in form.picker_hint.text()
    assert len(form.rows) == 1


def test_next_steps_and_a_decision_date_change_the_checklist(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    application = add_application("Acme", "Data Engineer")
    add_interview(application.id, now - timedelta(hours=2), [("Ana Ruiz", "ana@acme.example")])
    page.show_application(application.id)
    settle(qtbot, context)
    assert "Ask about next steps and the time frame" in open_items(page)
    assert not any(t.startswith("Follow up with Acme") for t in open_items(page))

    form = open_interview(qtbot, page, edit=True)
    form.next_steps.setFocus()
    qtbot.keyClicks(form.next_steps, "A second round with the CTO.")
    qtbot.mouseClick(form.decision_expected.known, Qt.MouseButton.LeftButton)
    form.decision_expected.edit.setDate(QDate(2026, 3, 18))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)

    record = get_application(context.db, application.id)
    assert record.next_steps == "A second round with the CTO."
    assert record.decision_expected == date(2026, 3, 18)
    items = {i.kind: i for i in checklist_for_application(context.db, application.id, now)}
    assert items[ItemKind.ASK_NEXT_STEPS].state == ItemState.DONE
    assert ItemKind.STATUS_FOLLOW_UP in items
    # The screen shows the same: the question asked, a follow-up planned.
    assert "Ask about next steps and the time frame" not in open_items(page)
    assert "Follow up with Acme on their decision" in open_items(page)
    assert page.detail.next_steps.text() == "A second round with the CTO."
    assert page.detail.decision.text() == "Wed 18 Mar"


def test_recording_a_rejection_shows_its_checklist(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    application = add_application("Acme", "Data Engineer")
    add_interview(application.id, now - timedelta(days=3), [("Ana Ruiz", "ana@acme.example")])
    page.show_application(application.id)
    settle(qtbot, context)
    form = open_interview(qtbot, page, edit=True)
    assert form.rejection_note.isHidden()

    form.outcome.setFocus()
    select_data(form.outcome, InterviewOutcome.REJECTED)
    assert form.rejection_note.isVisible()
    assert "ask for feedback" in form.rejection_note.text()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)

    [interview] = list_interviews(context.db, application.id)
    assert interview.outcome == InterviewOutcome.REJECTED
    assert get_application(context.db, application.id).status == ApplicationStatus.REJECTED
    kinds = {i.kind for i in checklist_for_application(context.db, application.id, now)}
    assert {ItemKind.ASK_FEEDBACK, ItemKind.ASK_REFERRAL, ItemKind.CONNECT_LINKEDIN} <= kinds

    titles = open_items(page)
    assert "Ask Acme why, politely" in titles
    assert "Tell Acme you are still interested" in titles
    assert "Ask Acme to refer you to other openings" in titles
    assert page.detail.banner.isVisible()
    assert "rejected" in page.detail.banner.text()
    assert page.detail.subtitle.text().startswith("Status: Rejected")
    row = page.table.currentIndex().row()
    assert page.model.index(row, Column.STATUS).data() == "Rejected"


def test_removing_a_person_keeps_them_as_a_contact(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    application = add_application()
    add_interview(
        application.id,
        now - timedelta(days=1),
        [("Ana Ruiz", "ana@acme.example"), ("Ben Ode", "ben@acme.example")],
    )
    page.show_application(application.id)
    form = open_interview(qtbot, page, edit=True)
    assert len(form.rows) == 2
    qtbot.mouseClick(form.rows[0].remove_button, Qt.MouseButton.LeftButton)
    assert form.rows[0].heading.text().startswith("1. Ben Ode")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)

    [interview] = list_interviews(context.db, application.id)
    assert [p.contact_name for p in interview.participants] == ["Ben Ode"]
    assert sorted(c.name for c in list_contacts(context.db)) == ["Ana Ruiz", "Ben Ode"]


def test_deleting_an_interview_asks_first(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    application = add_application()
    add_interview(application.id, now + timedelta(days=1), [("Ana Ruiz", "ana@acme.example")])
    page.show_application(application.id)
    settle(qtbot, context)  # the detail loads off the GUI thread
    page.detail.interview_list.setCurrentRow(0)

    asked = answer_next_box(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(page.detail.delete_interview_button, Qt.MouseButton.LeftButton)
    assert "Delete the interview on Thu 12 Mar" in asked[0]
    assert len(list_interviews(context.db, application.id)) == 1

    answer_next_box("Delete interview")
    qtbot.mouseClick(page.detail.delete_interview_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)
    assert list_interviews(context.db, application.id) == []
    assert [c.name for c in list_contacts(context.db)] == ["Ana Ruiz"]
    assert "No interviews yet" in page.detail.interview_list.item(0).text()
