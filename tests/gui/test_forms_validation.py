"""Forms validate as the person types, say why Save is unavailable, and never lose text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from functools import partial

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
)
from pytestqt.qtbot import QtBot

from afterword.core.applications import get_application, list_applications
from afterword.core.contacts import create_contact, list_contacts
from afterword.core.errors import ValidationError
from afterword.core.interviews import list_interviews
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.records import ApplicationRecord, ContactFields
from afterword.core.storage.validation import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT
from afterword.gui.context import AppContext, system_zone
from afterword.gui.dialogs.application_form import ApplicationForm
from afterword.gui.dialogs.contact_form import ContactForm
from afterword.gui.dialogs.interview_form import InterviewForm
from afterword.gui.dialogs.touchpoint_dialog import TouchpointDialog
from afterword.gui.forms import FormDialog
from tests.gui.helpers import (
    activate,
    answer_next_box,
    open_form,
    paste_into,
    type_into,
    unnamed_controls,
)

# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def application(add_application: Callable[..., ApplicationRecord]) -> ApplicationRecord:
    return add_application("Acme", "Data Engineer")


@pytest.fixture
def app_form(qtbot: QtBot, context: AppContext) -> ApplicationForm:
    form = ApplicationForm(context)
    open_form(qtbot, form)
    return form


@pytest.fixture
def interview_form(
    qtbot: QtBot, context: AppContext, application: ApplicationRecord
) -> InterviewForm:
    form = InterviewForm(context, application)
    open_form(qtbot, form)
    qtbot.waitUntil(context.ops.is_idle)  # the contacts to pick from arrive from the core
    return form


# --- validation as you type -------------------------------------------------------------------


def test_empty_required_field_is_marked_and_save_says_why(
    qtbot: QtBot, app_form: ApplicationForm
) -> None:
    # A fresh form: Save is off and says why, but nobody is scolded for a field not typed in yet.
    assert not app_form.save_button.isEnabled()
    assert "Company: This field is required." in app_form.save_button.toolTip()
    assert app_form.reason.isVisible()
    assert "Company" in app_form.reason.text()
    error = app_form.validator._fields["company"].error
    assert not error.isVisible()

    type_into(qtbot, app_form.company, "Acme")
    type_into(qtbot, app_form.company, "")
    assert error.isVisible()
    assert error.text() == "This field is required."
    assert app_form.company.property("invalid") is True

    type_into(qtbot, app_form.company, "Acme")
    type_into(qtbot, app_form.role, "Engineer")
    assert not error.isVisible()
    assert app_form.save_button.isEnabled()
    assert app_form.save_button.toolTip() == ""
    assert not app_form.reason.isVisible()


def test_malformed_email_is_marked_at_the_field(qtbot: QtBot, context: AppContext) -> None:
    form = open_form(qtbot, ContactForm(context))
    type_into(qtbot, form.name, "Ana Ruiz")
    type_into(qtbot, form.email, "ana(at)example")
    error = form.validator._fields["email"].error
    assert error.isVisible()
    assert "is not an email address" in error.text()
    assert not form.save_button.isEnabled()
    assert "Email:" in form.save_button.toolTip()
    assert "Email:" in form.reason.text()

    type_into(qtbot, form.email, "ana@example.com")
    assert not error.isVisible()
    assert form.save_button.isEnabled()


def test_malformed_email_of_a_new_interviewer(qtbot: QtBot, interview_form: InterviewForm) -> None:
    interview_form.new_person_button.click()
    row = interview_form.rows[0]
    assert row.name is not None and row.email is not None
    type_into(qtbot, row.name, "Ben Ode")
    type_into(qtbot, row.email, "ben@")
    error = interview_form.validator._fields["participants[0].email"].error
    assert error.isVisible()
    assert "not an email address" in error.text()
    assert not interview_form.save_button.isEnabled()


def test_an_end_before_the_start_is_an_error_at_the_end(
    qtbot: QtBot, interview_form: InterviewForm
) -> None:
    form = interview_form
    assert form.save_button.isEnabled()
    earlier = form.starts.dateTime().addSecs(-30 * 60)
    form.ends.setFocus()
    form.ends.setDateTime(earlier)
    error = form.validator._fields["ends_at"].error
    assert error.isVisible()
    assert error.text() == "The interview must end after it starts."
    assert not form.save_button.isEnabled()
    assert "Ends: The interview must end after it starts." in form.save_button.toolTip()
    assert form.reason.isVisible()

    # Typing a duration puts the end back after the start.
    type_into(qtbot, form.duration, "45")
    assert not error.isVisible()
    assert form.ends.dateTime() == form.starts.dateTime().addSecs(45 * 60)
    assert form.save_button.isEnabled()


def test_an_end_typed_in_sets_the_duration(qtbot: QtBot, interview_form: InterviewForm) -> None:
    form = interview_form
    form.ends.setDateTime(form.starts.dateTime().addSecs(90 * 60))
    assert form.duration.value() == 90


def test_a_touchpoint_in_the_future_is_refused_at_its_time(
    qtbot: QtBot, context: AppContext
) -> None:
    contact = create_contact(context.db, ContactFields(name="Ana"), now=context.now())
    form = open_form(qtbot, TouchpointDialog(context, contact))
    form.occurred.setFocus()
    form.occurred.setDateTime(form.occurred.dateTime().addDays(2))
    error = form.validator._fields["occurred_at"].error
    assert error.isVisible()
    assert error.text() == "A touchpoint is something that already happened."
    assert not form.save_button.isEnabled()
    assert "When: A touchpoint is something that already happened." in form.reason.text()


# --- the core's ValidationError at the right field --------------------------------------------


def test_core_validation_error_is_shown_at_the_field_it_names(
    qtbot: QtBot, interview_form: InterviewForm
) -> None:
    form = interview_form
    form.new_person_button.click()
    form.new_person_button.click()
    second = form.rows[1]
    assert second.name is not None and second.email is not None
    type_into(qtbot, form.rows[0].name, "Ana")  # type: ignore[arg-type]
    type_into(qtbot, second.name, "Ben")
    type_into(qtbot, second.email, "ben@example.com")
    assert form.save_button.isEnabled()

    # What the core says on save, if anything got past the checks while typing.
    form.validator.show_problem(ValidationError("participants[1].email", "Already taken."))

    error = form.validator._fields["participants[1].email"].error
    assert error.isVisible()
    assert error.text() == "Already taken."
    assert form.focusWidget() is second.email
    assert form.validator._fields["participants[0].email"].error.isHidden()
    # The message goes once the person changes the field.
    qtbot.keyClicks(second.email, "x")
    assert error.isHidden()


class _StricterCoreForm(ContactForm):
    """A contact form whose save meets a check the form did not run while typing.

    Every core check also runs while typing, so a real refusal on save cannot
    be produced from the form; this fake stands for a core that grew a check
    the GUI does not know yet: the email goes to the core malformed.
    """

    def core_write(self) -> Callable[[], object]:
        return partial(
            create_contact,
            self.context.db,
            replace(self.values(), email="not-an-address"),
            now=self.context.now(),
        )


def test_a_refusal_on_save_is_shown_at_the_field_and_keeps_the_form(
    qtbot: QtBot, context: AppContext
) -> None:
    form = open_form(qtbot, _StricterCoreForm(context))
    type_into(qtbot, form.name, "Ana Ruiz")
    type_into(qtbot, form.email, "ana@example.com")
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(context.ops.is_idle)  # the save runs off the GUI thread

    assert form.isVisible()
    error = form.validator._fields["email"].error
    assert error.isVisible()
    assert "is not an email address" in error.text()
    assert form.focusWidget() is form.email
    assert form.name.text() == "Ana Ruiz"
    assert list_contacts(context.db) == []


def test_removing_a_person_moves_the_errors_with_the_rows(
    qtbot: QtBot, interview_form: InterviewForm
) -> None:
    form = interview_form
    for _ in range(3):
        form.new_person_button.click()
    first, second, third = form.rows
    type_into(qtbot, first.name, "Ana")  # type: ignore[arg-type]
    type_into(qtbot, second.name, "Ben")  # type: ignore[arg-type]
    type_into(qtbot, third.name, "Cleo")  # type: ignore[arg-type]
    type_into(qtbot, third.email, "cleo@")  # type: ignore[arg-type]
    assert "participants[2].email" in form.validator.problems()

    second.remove_button.click()

    assert form.rows == [first, third]
    assert "participants[1].email" in form.validator.problems()
    assert "participants[2].email" not in form.validator.problems()
    assert form.validator._fields["participants[1].email"].widget is third.email
    assert third.heading.text() == "2. New contact"


# --- unsaved changes --------------------------------------------------------------------------


def test_cancel_with_changes_asks_and_cancel_keeps_editing(
    qtbot: QtBot, app_form: ApplicationForm
) -> None:
    type_into(qtbot, app_form.company, "Acme")
    asked = answer_next_box(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(app_form, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(asked))
    assert "Save your changes" in asked[0]
    assert app_form.isVisible()
    assert app_form.company.text() == "Acme"


def test_discard_closes_without_writing(
    qtbot: QtBot, context: AppContext, app_form: ApplicationForm
) -> None:
    type_into(qtbot, app_form.company, "Acme")
    type_into(qtbot, app_form.role, "Engineer")
    asked = answer_next_box(QMessageBox.StandardButton.Discard)
    app_form.buttons.button(app_form.buttons.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not app_form.isVisible())
    assert asked
    assert app_form.result() == QDialog.DialogCode.Rejected
    assert list_applications(context.db, now=context.now()) == []


def test_save_runs_through_the_operations_layer_and_closes_the_form(
    qtbot: QtBot, context: AppContext, app_form: ApplicationForm
) -> None:
    heard: list[tuple[Changes, object]] = []
    context.ops.changed.connect(lambda changes, initiator: heard.append((changes, initiator)))
    type_into(qtbot, app_form.company, "Acme")
    type_into(qtbot, app_form.role, "Engineer")
    qtbot.mouseClick(app_form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not app_form.isVisible())

    [saved] = list_applications(context.db, now=context.now())
    ((changes, initiator),) = heard
    assert initiator is app_form
    assert changes.touches(Kind.APPLICATIONS)
    assert changes.application_ids == {saved.id}
    assert app_form.result() == QDialog.DialogCode.Accepted


def test_save_from_the_prompt_writes_and_closes(
    qtbot: QtBot, context: AppContext, app_form: ApplicationForm
) -> None:
    type_into(qtbot, app_form.company, "Acme")
    type_into(qtbot, app_form.role, "Engineer")
    answer_next_box(QMessageBox.StandardButton.Save)
    app_form.close()
    qtbot.waitUntil(lambda: not app_form.isVisible())
    [saved] = list_applications(context.db, now=context.now())
    assert (saved.company, saved.role) == ("Acme", "Engineer")


def test_save_from_the_prompt_with_a_problem_keeps_the_form(
    qtbot: QtBot, context: AppContext, app_form: ApplicationForm
) -> None:
    type_into(qtbot, app_form.company, "Acme")  # no role: cannot be saved
    answered = answer_next_box(QMessageBox.StandardButton.Save)
    assert not app_form.try_close()
    assert answered
    assert app_form.isVisible()
    assert app_form.company.text() == "Acme"
    role_error = app_form.validator._fields["role"].error
    assert role_error.isVisible()
    assert list_applications(context.db, now=context.now()) == []


def test_closing_an_unchanged_form_does_not_ask(qtbot: QtBot, app_form: ApplicationForm) -> None:
    qtbot.keyClick(app_form, Qt.Key.Key_Escape)
    assert not app_form.isVisible()


def test_loading_a_record_is_not_a_change(
    qtbot: QtBot, context: AppContext, application: ApplicationRecord
) -> None:
    form = open_form(qtbot, ApplicationForm(context, application))
    assert not form.is_dirty()
    assert form.validator.problems() == {}
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


# --- keyboard ---------------------------------------------------------------------------------


def test_ctrl_s_saves_even_from_a_text_box(
    qtbot: QtBot, context: AppContext, app_form: ApplicationForm
) -> None:
    activate(qtbot, app_form)
    type_into(qtbot, app_form.company, "Acme")
    type_into(qtbot, app_form.role, "Engineer")
    app_form.why_interested.setFocus()
    qtbot.keyClicks(app_form.why_interested, "Their tools are great.")
    qtbot.keyClick(app_form.why_interested, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not app_form.isVisible())
    [saved] = list_applications(context.db, now=context.now())
    assert get_application(context.db, saved.id).why_interested == "Their tools are great."


def test_tab_goes_through_the_fields_in_reading_order(
    qtbot: QtBot, app_form: ApplicationForm
) -> None:
    expected = [
        app_form.company,
        app_form.role,
        app_form.posting_url,
        app_form.status,
        app_form.why_interested,
        app_form.next_steps,
    ]
    activate(qtbot, app_form)
    assert QApplication.focusWidget() is app_form.company  # the first field, not a button
    seen = [QApplication.focusWidget()]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected
    type_into(qtbot, app_form.company, "Acme")
    type_into(qtbot, app_form.role, "Engineer")
    app_form.notes.setFocus()
    qtbot.keyClick(app_form.notes, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is app_form.save_button  # the buttons come last


def test_a_new_persons_fields_come_before_the_buttons(
    qtbot: QtBot, interview_form: InterviewForm
) -> None:
    activate(qtbot, interview_form)
    row = interview_form.add_new_person()
    assert row.name is not None
    type_into(qtbot, row.name, "Ana Ruiz")
    row.notes.setFocus()
    qtbot.keyClick(row.notes, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is interview_form.save_button


@pytest.mark.parametrize("which", ["application", "interview", "contact", "touchpoint"])
def test_every_control_has_an_accessible_name(
    qtbot: QtBot, context: AppContext, application: ApplicationRecord, which: str
) -> None:
    contact = create_contact(context.db, ContactFields(name="Ana"), now=context.now())
    forms: dict[str, Callable[[], FormDialog]] = {
        "application": lambda: ApplicationForm(context, application),
        "interview": lambda: InterviewForm(context, application),
        "contact": lambda: ContactForm(context, contact),
        "touchpoint": lambda: TouchpointDialog(context, contact),
    }
    form = open_form(qtbot, forms[which]())
    if isinstance(form, InterviewForm):
        form.new_person_button.click()
    assert unnamed_controls(form) == []


# --- nothing typed is lost --------------------------------------------------------------------


ODD_TEXTS = [
    "Zoë Åkesson-Ñúñez 王小明 محمد 🚀",
    'O\'Brien & "Sons" <b>not html</b> \\ % _',
    "\u200b zero\u00a0width and no-break",
    "x" * 190 + "ç",
    "İstanbul ǅemal ß Σίσυφος",
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_unicode_survives_a_save(
    qtbot: QtBot, context: AppContext, app_form: ApplicationForm, text: str
) -> None:
    paste_into(qtbot, app_form.company, text)
    paste_into(qtbot, app_form.role, text)
    paste_into(qtbot, app_form.notes, text)
    assert app_form.company.text() == text
    app_form.save_button.click()
    qtbot.waitUntil(lambda: not app_form.isVisible())
    [summary] = list_applications(context.db, now=context.now())
    saved = get_application(context.db, summary.id)
    assert saved.company == text.strip()
    assert saved.role == text.strip()
    assert saved.notes == text.strip()


def test_huge_notes_are_kept_whole(
    qtbot: QtBot, context: AppContext, app_form: ApplicationForm
) -> None:
    huge = ("Lorem ipsum dolor sit amet, ünïcödé 🚀\n" * 600)[: LONG_TEXT_LIMIT - 1].strip()
    type_into(qtbot, app_form.company, "Acme")
    type_into(qtbot, app_form.role, "Engineer")
    paste_into(qtbot, app_form.notes, huge)
    assert app_form.save_button.isEnabled()
    app_form.save_button.click()
    qtbot.waitUntil(lambda: not app_form.isVisible())
    [summary] = list_applications(context.db, now=context.now())
    assert get_application(context.db, summary.id).notes == huge


def test_too_long_text_is_refused_at_the_field_not_cut(
    qtbot: QtBot, app_form: ApplicationForm
) -> None:
    long_name = "A" * (SHORT_TEXT_LIMIT + 1)
    app_form.company.setText(long_name)
    type_into(qtbot, app_form.role, "Engineer")
    app_form.company.setFocus()
    qtbot.keyClick(app_form.company, Qt.Key.Key_End)
    qtbot.keyClicks(app_form.company, "B")
    error = app_form.validator._fields["company"].error
    assert error.isVisible()
    assert "Too long" in error.text()
    assert app_form.company.text() == long_name + "B"  # nothing cut silently
    assert not app_form.save_button.isEnabled()


def test_interview_notes_and_people_survive_a_save(
    qtbot: QtBot, context: AppContext, interview_form: InterviewForm
) -> None:
    form = interview_form
    text = ODD_TEXTS[0]
    form.new_person_button.click()
    row = form.rows[0]
    assert row.name is not None
    paste_into(qtbot, row.name, text)
    paste_into(qtbot, row.notes, text)
    paste_into(qtbot, form.notes, text)
    form.save_button.click()
    qtbot.waitUntil(lambda: not form.isVisible())
    [interview] = list_interviews(context.db, form.application.id)
    assert interview.notes == text
    [person] = interview.participants
    assert (person.contact_name, person.notes) == (text, text)
    assert [c.name for c in list_contacts(context.db)] == [text]


def test_time_zone_defaults_to_the_system_zone(interview_form: InterviewForm) -> None:
    assert interview_form.zone.currentText() == system_zone().key


def test_an_unknown_time_zone_is_an_error_at_the_field(
    qtbot: QtBot, interview_form: InterviewForm
) -> None:
    type_into(qtbot, interview_form.zone.lineEdit(), "Mars/Olympus_Mons")
    error = interview_form.validator._fields["timezone"].error
    assert error.isVisible()
    assert "Unknown time zone" in error.text()
    assert not interview_form.save_button.isEnabled()


def test_wall_clock_time_is_read_in_the_chosen_zone(
    qtbot: QtBot, context: AppContext, interview_form: InterviewForm
) -> None:
    form = interview_form
    type_into(qtbot, form.zone.lineEdit(), "America/New_York")
    start = form.interview_values().starts_at
    assert str(start.tzinfo) == "America/New_York"
    assert start.utcoffset() in (timedelta(hours=-5), timedelta(hours=-4))


def test_an_encoded_word_in_a_contact_name_is_refused_as_it_is_typed(
    qtbot: QtBot, context: AppContext
) -> None:
    form = open_form(qtbot, ContactForm(context))

    type_into(qtbot, form.name, "=?utf-8?q?Grace?=")

    error = form.validator._fields["name"].error
    assert error.isVisible()
    assert error.text().startswith("The name cannot contain “=?”")
    assert not form.save_button.isEnabled()
    assert "Name: The name cannot contain" in form.reason.text()
