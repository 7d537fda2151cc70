"""The Contacts screen: search, the contact form with LinkedIn, touchpoints, delete and undo."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.checklist.items import ItemState
from afterword.core.contacts import create_contact, delete_contact, get_contact, list_contacts
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.records import (
    ApplicationRecord,
    ContactFields,
    ContactRecord,
    InterviewRecord,
    TouchpointFields,
)
from afterword.core.storage.values import Purpose, ReferralOutcome, TouchpointKind
from afterword.core.touchpoints import list_touchpoints, log_touchpoint
from afterword.gui.context import AppContext
from afterword.gui.dialogs.contact_form import ContactForm
from afterword.gui.dialogs.touchpoint_dialog import TouchpointDialog
from afterword.gui.forms import select_data
from afterword.gui.models.contacts_model import Column
from afterword.gui.pages.contacts import ContactsPage
from tests.gui.helpers import answer_next_box, type_into, unnamed_controls


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> Iterator[ContactsPage]:
    widget = ContactsPage(context)
    # A form left open with edits would ask "save changes?" at clean-up and block the run.
    qtbot.addWidget(widget, before_close_func=lambda p: p.form and QDialog.done(p.form, 0))
    widget.resize(1090, 760)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(context.ops.is_idle)
    yield widget
    context.ops.wait_for_idle()


@pytest.fixture
def add_contact(context: AppContext) -> Callable[..., ContactRecord]:
    def add(name: str, **fields: object) -> ContactRecord:
        values = ContactFields(name=name, **fields)  # type: ignore[arg-type]
        return create_contact(context.db, values, now=context.now() - timedelta(days=30))

    return add


def settle(qtbot: QtBot, context: AppContext) -> None:
    """Let operations (loads, writes) finish and their results reach the screen."""
    qtbot.waitUntil(context.ops.is_idle)
    qtbot.wait(1)


def names(page: ContactsPage) -> list[str]:
    model = page.table.model()
    return [model.index(row, Column.NAME).data() for row in range(model.rowCount())]


class BrowserStandIn(QObject):
    """Receives the URLs Qt would open in the browser (Qt's own hook for this).

    ``QDesktopServices.setUrlHandler`` is how Qt lets an application route
    URLs; a test cannot start a real browser headless, so it looks here.
    """

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def browser() -> Iterator[BrowserStandIn]:
    stand_in = BrowserStandIn()
    QDesktopServices.setUrlHandler("https", stand_in, "open")
    yield stand_in
    QDesktopServices.unsetUrlHandler("https")


def test_search_filters_by_name_company_and_title(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_contact: Callable[..., ContactRecord],
) -> None:
    add_contact("Ana Ruiz", company="Acme", title="Recruiter")
    add_contact("Ben Ode", company="Globex", title="Engineering Manager")
    add_contact("Zoë Müller", company="Initech", email="zoe@initech.example")
    page.reload()
    settle(qtbot, context)
    assert names(page) == ["Ana Ruiz", "Ben Ode", "Zoë Müller"]

    page.focus_search()
    qtbot.keyClicks(page.search, "glob")
    qtbot.waitUntil(lambda: names(page) == ["Ben Ode"], timeout=3000)
    assert page.count.text() == "1 contact match"

    type_into(qtbot, page.search, "müller")
    qtbot.waitUntil(lambda: names(page) == ["Zoë Müller"], timeout=3000)
    type_into(qtbot, page.search, "recruiter")
    qtbot.waitUntil(lambda: names(page) == ["Ana Ruiz"], timeout=3000)
    page.search.clear()
    qtbot.waitUntil(lambda: len(names(page)) == 3, timeout=3000)


def test_new_contact_with_linkedin_and_a_custom_cadence(
    qtbot: QtBot, context: AppContext, page: ContactsPage, browser: BrowserStandIn
) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    form = page.form
    assert isinstance(form, ContactForm)
    assert not form.open_linkedin.isEnabled()
    type_into(qtbot, form.name, "Priya Raman")
    type_into(qtbot, form.email, "priya@northwind.example")
    type_into(qtbot, form.phone, "+44 20 7946 0000")
    type_into(qtbot, form.title, "Head of Data")
    type_into(qtbot, form.company, "Northwind")
    type_into(qtbot, form.linkedin, "www.linkedin.com/in/priya-raman")
    assert form.open_linkedin.isEnabled()
    qtbot.mouseClick(form.open_linkedin, Qt.MouseButton.LeftButton)
    assert browser.opened == ["https://www.linkedin.com/in/priya-raman"]

    select_data(form.cadence, "custom")
    assert form.custom_days.isVisible()
    type_into(qtbot, form.custom_days, "45")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)

    [saved] = list_contacts(context.db)
    assert saved.linkedin_url == "https://www.linkedin.com/in/priya-raman"
    assert saved.cadence_days == 45
    assert (saved.phone, saved.title, saved.company) == (
        "+44 20 7946 0000",
        "Head of Data",
        "Northwind",
    )
    assert names(page) == ["Priya Raman"]
    assert page.model.index(0, Column.STAY_IN_TOUCH).data() == "Every 45 days"
    assert page.detail.name.text() == "Priya Raman"
    assert page.detail.role.text() == "Head of Data at Northwind"

    # The detail pane opens the profile too.
    qtbot.mouseClick(page.detail.linkedin_button, Qt.MouseButton.LeftButton)
    assert browser.opened[-1] == "https://www.linkedin.com/in/priya-raman"


def test_a_bad_phone_number_is_refused_at_the_field(qtbot: QtBot, page: ContactsPage) -> None:
    page.new_contact()
    form = page.form
    assert isinstance(form, ContactForm)
    type_into(qtbot, form.name, "Ana")
    type_into(qtbot, form.phone, "call me maybe")
    error = form.validator._fields["phone"].error
    assert error.isVisible()
    assert "Use digits" in error.text()
    assert not form.save_button.isEnabled()


def test_preset_cadence_is_shown_by_name(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_contact: Callable[..., ContactRecord],
) -> None:
    ana = add_contact("Ana Ruiz")
    page.show_contact(ana.id)
    settle(qtbot, context)  # the detail loads off the GUI thread
    page.edit_selected()
    form = page.form
    assert isinstance(form, ContactForm)
    assert form.custom_days.isHidden()
    form.cadence.setFocus()
    select_data(form.cadence, 90)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)
    assert get_contact(context.db, ana.id).cadence_days == 90
    assert page.model.index(0, Column.STAY_IN_TOUCH).data() == "Quarterly"
    assert page.detail.stay_in_touch.text().startswith("Quarterly")


def test_log_a_touchpoint(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_contact: Callable[..., ContactRecord],
    now: datetime,
) -> None:
    ana = add_contact("Ana Ruiz", cadence_days=30)
    page.reload()
    settle(qtbot, context)
    page.show_contact(ana.id)
    settle(qtbot, context)  # the detail loads off the GUI thread
    assert "No touchpoints yet" in page.detail.touchpoint_list.item(0).text()
    assert page.model.index(0, Column.LAST_CONTACTED).data() == ""

    qtbot.mouseClick(page.detail.log_button, Qt.MouseButton.LeftButton)
    dialog = page.form
    assert isinstance(dialog, TouchpointDialog)
    dialog.kind.setFocus()
    select_data(dialog.kind, TouchpointKind.CALL)
    dialog.note.setFocus()
    qtbot.keyClicks(dialog.note, "Caught up about the data team.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)

    [touchpoint] = list_touchpoints(context.db, ana.id)
    assert touchpoint.kind == TouchpointKind.CALL
    assert touchpoint.purpose == Purpose.CHECK_IN
    assert touchpoint.note == "Caught up about the data team."
    assert touchpoint.occurred_at == now.replace(second=0, microsecond=0)
    listed = page.detail.touchpoint_list.item(0).text()
    assert listed.startswith("Wed 11 Mar, 10:00 · Call · Staying in touch")
    assert "Caught up about the data team." in listed
    assert page.model.index(0, Column.LAST_CONTACTED).data() == "Wed 11 Mar"
    assert "last contacted Wed 11 Mar" in page.detail.stay_in_touch.text()


def test_a_referral_is_logged_with_its_outcome(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_contact: Callable[..., ContactRecord],
) -> None:
    ana = add_contact("Ana Ruiz")
    page.reload()
    settle(qtbot, context)
    page.show_contact(ana.id)
    settle(qtbot, context)

    qtbot.mouseClick(page.detail.log_button, Qt.MouseButton.LeftButton)
    dialog = page.form
    assert isinstance(dialog, TouchpointDialog)
    assert not dialog.referral.isVisible()  # an email has no outcome
    dialog.kind.setFocus()
    select_data(dialog.kind, TouchpointKind.REFERRAL)
    assert dialog.referral.isVisible()
    select_data(dialog.referral, ReferralOutcome.REFERRED)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)

    [touchpoint] = list_touchpoints(context.db, ana.id)
    assert (touchpoint.kind, touchpoint.referral_outcome) == (
        TouchpointKind.REFERRAL,
        ReferralOutcome.REFERRED,
    )
    listed = page.detail.touchpoint_list.item(0).text()
    assert listed.endswith("· Asked for a referral · Staying in touch · They referred me")

    # Weeks later it led to an interview: Enter on the row offers the outcomes.
    touchpoints = page.detail.touchpoint_list
    touchpoints.setCurrentRow(0)
    touchpoints.setFocus()
    qtbot.keyClick(touchpoints, Qt.Key.Key_Return)
    menu = touchpoints.outcome_menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    offered = {a.text(): a for a in menu.actions() if a.isCheckable()}
    assert [text for text, action in offered.items() if action.isChecked()] == ["They referred me"]
    offered["It led to an interview"].trigger()
    menu.close()
    settle(qtbot, context)

    [touchpoint] = list_touchpoints(context.db, ana.id)
    assert touchpoint.referral_outcome is ReferralOutcome.INTERVIEW
    qtbot.waitUntil(
        lambda: touchpoints.item(0).text().endswith("· It led to an interview"), timeout=5_000
    )


def test_the_contacts_interviews_are_listed(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    application = add_application("Acme", "Data Engineer")
    add_interview(
        application.id,
        now - timedelta(days=1),
        [("Ana Ruiz", "ana@acme.example")],
        round_name="Final round",
    )
    page.reload()
    settle(qtbot, context)
    [ana] = list_contacts(context.db)
    page.show_contact(ana.id)
    settle(qtbot, context)  # the detail loads off the GUI thread
    assert page.detail.tabs.tabText(1) == "Interviews (1)"
    text = page.detail.interview_list.item(0).text()
    assert text.startswith("Data Engineer at Acme · Final round")
    assert "Tue 10 Mar" in text
    actionable = {i.title: i for i in page.detail.checklist.items() if i.is_actionable}
    assert actionable["Send a thank-you to Ana Ruiz"].state is ItemState.DUE
    # Met in an interview, so she got the default stay-in-touch cadence: a check-in later.
    check_in = actionable["Check in with Ana Ruiz"]
    assert check_in.state is ItemState.OPEN and check_in.due_at is not None
    assert check_in.due_at.date() > (now + timedelta(days=80)).date()
    assert len(actionable) == 2


def test_delete_a_contact_and_undo(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_contact: Callable[..., ContactRecord],
) -> None:
    ana = add_contact("Ana Ruiz")
    add_contact("Ben Ode")
    page.reload()
    settle(qtbot, context)
    page.show_contact(ana.id)
    settle(qtbot, context)  # the detail loads off the GUI thread

    asked = answer_next_box("Delete")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert "Delete Ana Ruiz" in asked[0]
    settle(qtbot, context)
    assert [c.name for c in list_contacts(context.db)] == ["Ben Ode"]
    assert names(page) == ["Ben Ode"]
    assert page.undo_bar.isVisible()

    qtbot.mouseClick(page.undo_bar.button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)
    assert [c.name for c in list_contacts(context.db)] == ["Ana Ruiz", "Ben Ode"]
    assert page.detail.name.text() == "Ana Ruiz"


def test_cancelled_delete_keeps_the_contact(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_contact: Callable[..., ContactRecord],
) -> None:
    ana = add_contact("Ana Ruiz")
    page.reload()
    settle(qtbot, context)
    page.show_contact(ana.id)
    settle(qtbot, context)  # the detail loads off the GUI thread
    answer_next_box(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)
    assert [c.name for c in list_contacts(context.db)] == ["Ana Ruiz"]
    assert page.undo_bar.isHidden()


def test_every_control_of_the_screen_has_an_accessible_name(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_contact: Callable[..., ContactRecord],
) -> None:
    ana = add_contact("Ana Ruiz", linkedin_url="https://www.linkedin.com/in/ana")
    page.reload()
    settle(qtbot, context)
    page.show_contact(ana.id)
    settle(qtbot, context)  # the detail loads off the GUI thread
    assert unnamed_controls(page) == []


def test_the_page_reloads_only_for_the_kinds_it_shows(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_contact: Callable[..., ContactRecord],
) -> None:
    add_contact("Ana Ruiz")  # written behind the page's back: it shows nothing yet
    context.ops.announce(Changes(kinds=frozenset({Kind.TEMPLATES, Kind.SETTINGS})))
    settle(qtbot, context)
    assert names(page) == []

    context.ops.announce(Changes(kinds=frozenset({Kind.CONTACTS})))
    settle(qtbot, context)
    assert names(page) == ["Ana Ruiz"]


def test_a_contact_deleted_elsewhere_leaves_the_detail(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_contact: Callable[..., ContactRecord],
) -> None:
    ana = add_contact("Ana Ruiz")
    page.reload()
    settle(qtbot, context)
    page.show_contact(ana.id)
    settle(qtbot, context)
    assert page.detail.stack.currentIndex() == 1

    context.ops.write(delete_contact, context.db, ana.id)
    settle(qtbot, context)
    assert page.detail.record is None
    assert page.detail.stack.currentWidget() is page.detail.placeholder
    assert names(page) == []


def test_a_reply_noticed_in_the_inbox_is_listed_with_the_touchpoints(
    qtbot: QtBot,
    context: AppContext,
    page: ContactsPage,
    add_contact: Callable[..., ContactRecord],
    now: datetime,
) -> None:
    ana = add_contact("Ana Ruiz")
    log_touchpoint(
        context.db,
        TouchpointFields(
            contact_id=ana.id,
            kind=TouchpointKind.REPLIED,
            occurred_at=now - timedelta(hours=1),
            note="Re: Thank you",
        ),
        now=now,
    )
    page.reload()
    settle(qtbot, context)
    page.show_contact(ana.id)
    settle(qtbot, context)

    listed = page.detail.touchpoint_list.item(0).text()
    assert listed.startswith("Wed 11 Mar, 09:00 · They replied · Something else")
    assert "Re: Thank you" in listed
