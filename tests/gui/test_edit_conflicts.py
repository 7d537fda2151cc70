"""A form saved from an outdated version is refused; it offers to reload and shows what changed.

The "other window" is a real second write to the same file, through the core,
made after the form opened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.applications import get_application, update_application
from afterword.core.contacts import create_contact, get_contact, update_contact
from afterword.core.storage.db import Database
from afterword.core.storage.records import ApplicationFields, ApplicationRecord, ContactFields
from afterword.gui.context import AppContext
from afterword.gui.dialogs.application_form import ApplicationForm
from afterword.gui.dialogs.contact_form import ContactForm
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
