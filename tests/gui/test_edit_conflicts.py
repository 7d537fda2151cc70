"""A form saved from an outdated version is refused; it offers to reload and shows what changed.

The "other window" is a real second write to the same file, through the core,
made after the form opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.applications import get_application, update_application
from afterword.core.contacts import create_contact, get_contact, update_contact
from afterword.core.interviews import get_interview, save_interview
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ApplicationRecord,
    ContactFields,
    InterviewFields,
    ParticipantFields,
)
from afterword.gui.context import AppContext
from afterword.gui.dialogs.application_form import ApplicationForm
from afterword.gui.dialogs.contact_form import ContactForm
from afterword.gui.dialogs.interview_form import InterviewForm
from tests.gui.helpers import open_form, type_into


def _conflict_box(qtbot: QtBot, form: object) -> QMessageBox:
    def found() -> QMessageBox | None:
        boxes = [b for b in form.findChildren(QMessageBox) if b.isVisible()]  # type: ignore[attr-defined]
        return boxes[0] if boxes else None

    qtbot.waitUntil(lambda: found() is not None)
    box = found()
    assert box is not None
    return box


def _click(qtbot: QtBot, box: QMessageBox, text: str) -> None:
    [button] = [b for b in box.buttons() if b.text() == text]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_stale_application_form_reloads_keeping_my_edits(
    qtbot: QtBot,
    context: AppContext,
    db: Database,
    now: datetime,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    opened = add_application(company="Acme", role="Engineer")
    form = open_form(qtbot, ApplicationForm(context, opened))
    # Another window changes the role meanwhile.
    update_application(
        db,
        opened.id,
        ApplicationFields(company="Acme", role="Staff Engineer", status=opened.status),
        now=now,
    )
    form.notes.setFocus()
    type_into(qtbot, form.notes, "Ask about the team")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    box = _conflict_box(qtbot, form)
    assert "changed elsewhere" in box.text()
    assert get_application(db, opened.id).notes == ""  # nothing was overwritten
    _click(qtbot, box, "Reload")
    qtbot.waitUntil(lambda: getattr(form, "conflict_note", None) is not None)
    note = form.conflict_note.text()  # type: ignore[attr-defined]
    assert "Role: “Engineer” → “Staff Engineer”" in note
    assert form.role.text() == "Staff Engineer"  # the change made elsewhere
    assert form.notes.text() == "Ask about the team"  # and mine, kept
    assert form.is_dirty()

    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    saved = get_application(db, opened.id)
    assert (saved.role, saved.notes) == ("Staff Engineer", "Ask about the team")


def test_keep_editing_leaves_the_form_as_typed(
    qtbot: QtBot,
    context: AppContext,
    db: Database,
    now: datetime,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    opened = add_application(company="Acme", role="Engineer")
    form = open_form(qtbot, ApplicationForm(context, opened))
    update_application(
        db,
        opened.id,
        ApplicationFields(company="Acme Corp", role="Engineer", status=opened.status),
        now=now,
    )
    type_into(qtbot, form.role, "Engineer II")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    _click(qtbot, _conflict_box(qtbot, form), "Keep editing")
    assert form.isVisible()
    assert form.role.text() == "Engineer II"
    assert get_application(db, opened.id).company == "Acme Corp"


def test_a_stale_contact_form_reloads(
    qtbot: QtBot, context: AppContext, db: Database, now: datetime
) -> None:
    person = create_contact(db, ContactFields(name="Ada Lovelace"), now=now)
    form = open_form(qtbot, ContactForm(context, person))
    update_contact(db, person.id, ContactFields(name="Ada Lovelace", title="Countess"))
    type_into(qtbot, form.email, "ada@example.com")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    _click(qtbot, _conflict_box(qtbot, form), "Reload")
    qtbot.waitUntil(lambda: getattr(form, "conflict_note", None) is not None)
    assert form.title.text() == "Countess"
    assert form.email.text() == "ada@example.com"
    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    saved = get_contact(db, person.id)
    assert (saved.title, saved.email) == ("Countess", "ada@example.com")


def test_a_stale_interview_form_reloads_keeping_my_edits(
    qtbot: QtBot,
    context: AppContext,
    db: Database,
    now: datetime,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    application = add_application(company="Acme", role="Engineer")
    ada = create_contact(db, ContactFields(name="Ada Lovelace"), now=now)
    fields = InterviewFields(
        application_id=application.id,
        starts_at=(now + timedelta(days=2)).replace(microsecond=0, tzinfo=UTC),
        timezone="UTC",
        round_name="First round",
    )
    opened = save_interview(db, fields, [ParticipantFields(contact_id=ada.id)], now=now)
    form = open_form(qtbot, InterviewForm(context, application, opened))
    # Another window renames the round and moves the interview meanwhile.
    save_interview(
        db,
        replace(fields, round_name="Final round", location="Room 4"),
        [ParticipantFields(contact_id=ada.id)],
        now=now,
        interview_id=opened.id,
    )
    type_into(qtbot, form.notes, "Bring the portfolio")
    type_into(qtbot, form.rows[0].notes, "Asked about the roadmap")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    box = _conflict_box(qtbot, form)
    assert "changed elsewhere" in box.text()
    assert get_interview(db, opened.id).notes == ""  # nothing was overwritten
    _click(qtbot, box, "Reload")
    qtbot.waitUntil(lambda: getattr(form, "conflict_note", None) is not None)
    note = form.conflict_note.text()  # type: ignore[attr-defined]
    assert "Round name: “First round” → “Final round”" in note
    assert "Location: “” → “Room 4”" in note
    assert (form.round_name.text(), form.location.text()) == ("Final round", "Room 4")
    assert form.notes.text() == "Bring the portfolio"  # mine, kept
    assert [row.notes.text() for row in form.rows] == ["Asked about the roadmap"]
    assert form.is_dirty()

    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    saved = get_interview(db, opened.id)
    assert (saved.round_name, saved.location, saved.notes) == (
        "Final round",
        "Room 4",
        "Bring the portfolio",
    )
    assert [(p.contact_name, p.notes) for p in saved.participants] == [
        ("Ada Lovelace", "Asked about the roadmap")
    ]
