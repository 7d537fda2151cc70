"""An application's detail pane as a person sees it: every button whole at the window's
smallest size and at a common one, the outcome of an interview said in words, and
"Write a note ▾" after withdrawing or an offer, which opens the note in the composer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from afterword.core.applications import get_application, list_applications
from afterword.core.demo import fill_demo
from afterword.core.storage.db import Database
from afterword.core.storage.records import ApplicationRecord, InterviewRecord
from afterword.core.storage.values import ApplicationStatus, InterviewOutcome, Purpose
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer import ComposerDialog
from afterword.gui.dialogs.interview_form import InterviewForm, interview_summary
from afterword.gui.mail_flow import open_composers
from afterword.gui.main_window import MainWindow
from afterword.gui.pages.applications import ApplicationsPage


@pytest.fixture
def close_composers() -> Iterator[None]:
    yield
    for composer in open_composers():
        composer.hide()
        composer.deleteLater()


@pytest.fixture
def interviewed(
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> ApplicationRecord:
    """Acme, interviewed two days ago by Ana Ruiz and Ben Ode."""
    application = add_application("Acme", "Data Engineer", why_interested="Their route planner.")
    add_interview(
        application.id,
        now - timedelta(days=2),
        [("Ana Ruiz", "ana@acme.example"), ("Ben Ode", "ben@acme.example")],
    )
    return application


def applications(qtbot: QtBot, window: MainWindow, application_id: int) -> ApplicationsPage:
    page = window.show_page("applications")
    assert isinstance(page, ApplicationsPage)
    page.context.ops.wait_for_idle()
    page.show_application(application_id)
    page.context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: page.detail.record is not None)
    return page


def cut_off(widget: QWidget) -> list[str]:
    """The buttons in ``widget`` shown narrower than their text needs, or past its right edge."""
    found = []
    for button in widget.findChildren(QAbstractButton):
        # A line edit's own icons (search, clear) are drawn at the size the style gives them.
        if not button.isVisible() or isinstance(button.parentWidget(), QLineEdit):
            continue
        name = button.text() or button.accessibleName() or type(button).__name__
        right = button.mapTo(widget, QPoint(button.width(), 0)).x()
        if button.width() < button.sizeHint().width():
            found.append(f"{name}: {button.width()} wide, needs {button.sizeHint().width()}")
        elif right > widget.width():
            found.append(f"{name}: ends at {right}, past the edge at {widget.width()}")
    return found


def overlapping(buttons: list[QWidget], below: QWidget) -> list[str]:
    """The buttons that overlap one another or ``below`` (all children of one widget)."""
    shown = [b for b in buttons if b.isVisible()]
    found = []
    for index, button in enumerate(shown):
        for other in [*shown[index + 1 :], below]:
            if button.geometry().intersects(other.geometry()):
                found.append(f"{button.accessibleName()} / {other.accessibleName()}")
    return found


@pytest.mark.parametrize("size", [(760, 480), (1024, 700)])
def test_every_button_of_the_applications_screen_is_whole(
    qtbot: QtBot, db: Database, now: datetime, main_window: MainWindow, size: tuple[int, int]
) -> None:
    fill_demo(db, now)
    main_window.resize(*size)
    assert main_window.size().toTuple() == size  # 760 x 480 is the smallest allowed
    for record in list_applications(db, now=now):
        page = applications(qtbot, main_window, record.id)
        detail = page.detail
        # Everything a person can make appear: an interview selected (its buttons
        # enabled), a thank-you selected (its "Dismiss all" and "They replied").
        detail.interview_list.setCurrentRow(0)
        thank_you = next(
            (i for i in detail.checklist.items() if i.purpose is Purpose.THANK_YOU), None
        )
        if thank_you is not None:
            detail.checklist.select_key(thank_you.key)
        qtbot.wait(20)  # the layouts settle

        where = f"{record.company} at {size}"
        assert cut_off(page) == [], where
        box = detail.add_interview_button.parentWidget()
        interview_buttons: list[QWidget] = [
            detail.add_interview_button,
            detail.edit_interview_button,
            detail.delete_interview_button,
            detail.calendar_button,
            detail.prepare_button,
        ]
        assert overlapping(interview_buttons, detail.interview_list) == [], where
        assert all(b.parentWidget() is box for b in interview_buttons)


def edit_interview(qtbot: QtBot, page: ApplicationsPage) -> InterviewForm:
    page.detail.interview_list.setCurrentRow(0)
    qtbot.mouseClick(page.detail.edit_interview_button, Qt.MouseButton.LeftButton)
    form = page.form
    assert isinstance(form, InterviewForm)
    qtbot.waitExposed(form)
    page.context.ops.wait_for_idle()
    return form


def record_outcome(qtbot: QtBot, page: ApplicationsPage, outcome: str) -> None:
    """Choose ``outcome`` in the interview's form with the keyboard and save."""
    form = edit_interview(qtbot, page)
    combo = form.outcome
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    while combo.currentText() != outcome:
        index = combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != index, f"{outcome!r} is not offered"
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    page.context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: page.form is None or not page.form.isVisible())
    page.context.ops.wait_for_idle()


def test_an_outcome_is_said_in_words_that_fit_a_sentence(
    qtbot: QtBot, interviewed: ApplicationRecord, main_window: MainWindow
) -> None:
    page = applications(qtbot, main_window, interviewed.id)

    record_outcome(qtbot, page, "I withdrew")

    qtbot.waitUntil(lambda: "Outcome:" in page.detail.interview_list.item(0).text())
    assert page.detail.banner.text().startswith("Outcome recorded: you withdrew. ")
    assert (
        page.detail.interview_list.item(0)
        .text()
        .endswith("With Ana Ruiz, Ben Ode · Outcome: you withdrew")
    )


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        (InterviewOutcome.ADVANCED, "advanced to the next round"),
        (InterviewOutcome.OFFER, "offer"),
        (InterviewOutcome.REJECTED, "rejected"),
        (InterviewOutcome.WITHDRAWN, "you withdrew"),
    ],
)
def test_each_outcome_in_the_interview_list(
    db: Database,
    now: datetime,
    interviewed: ApplicationRecord,
    outcome: InterviewOutcome,
    words: str,
) -> None:
    from dataclasses import replace

    from afterword.core.interviews import list_interviews

    [interview] = list_interviews(db, interviewed.id)
    summary = interview_summary(replace(interview, outcome=outcome), now)
    assert summary.endswith(f"· Outcome: {words}")


def choose_in_menu(qtbot: QtBot, button: QAbstractButton, *path: str) -> None:
    """Open ``button``'s menu with the keyboard and choose ``path`` (submenu, then item)."""
    steps = list(path)

    def next_step() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, next_step)
            return
        wanted = steps.pop(0)
        action = next((a for a in menu.actions() if a.text() == wanted), None)
        assert action is not None, f"{wanted!r} not in {[a.text() for a in menu.actions()]}"
        menu.setActiveAction(action)
        if action.menu() is not None:
            qtbot.keyClick(menu, Qt.Key.Key_Right)
            QTimer.singleShot(10, next_step)
        else:
            qtbot.keyClick(menu, Qt.Key.Key_Return)

    button.setFocus()
    QTimer.singleShot(0, next_step)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not steps and QApplication.activePopupWidget() is None)


def the_composer(qtbot: QtBot) -> ComposerDialog:
    qtbot.waitUntil(lambda: len(open_composers()) == 1)  # the draft is prepared first
    (composer,) = open_composers()
    return composer


@pytest.mark.usefixtures("close_composers")
def test_after_withdrawing_write_a_note_to_someone_you_met(
    qtbot: QtBot, context: AppContext, interviewed: ApplicationRecord, main_window: MainWindow
) -> None:
    page = applications(qtbot, main_window, interviewed.id)
    note = page.detail.note_button
    assert not note.isEnabled()  # still interviewing: nothing to tell yet

    record_outcome(qtbot, page, "I withdrew")

    assert get_application(context.db, interviewed.id).status is ApplicationStatus.WITHDRAWN
    qtbot.waitUntil(note.isEnabled)
    assert [a.text() for a in note.menu().actions()] == [
        "Ana Ruiz (interviewer)",
        "Ben Ode (interviewer)",
    ]
    choose_in_menu(qtbot, note, "Ben Ode (interviewer)")

    composer = the_composer(qtbot)
    assert composer.windowTitle().startswith("Note after withdrawing · Data Engineer at Acme")
    [editor] = composer.editors
    draft = editor.current_record()
    assert (draft.to_name, draft.to_address) == ("Ben Ode", "ben@acme.example")
    assert draft.purpose is Purpose.OTHER and draft.application_id == interviewed.id
    assert draft.subject == "My application for the Data Engineer role at Acme"
    assert "withdraw" in draft.body and draft.body.startswith(("Dear Ben", "Hello Ben"))

    # Asked again, the same unsent note opens; it is not written twice.
    composer.hide()
    composer.deleteLater()
    qtbot.waitUntil(lambda: not open_composers())
    choose_in_menu(qtbot, note, "Ben Ode (interviewer)")
    assert the_composer(qtbot).editors[0].current_record().id == draft.id


@pytest.mark.usefixtures("close_composers")
def test_after_an_offer_the_note_says_accepted_or_declined(
    qtbot: QtBot, context: AppContext, interviewed: ApplicationRecord, main_window: MainWindow
) -> None:
    page = applications(qtbot, main_window, interviewed.id)
    record_outcome(qtbot, page, "Offer")
    note = page.detail.note_button
    qtbot.waitUntil(note.isEnabled)
    submenus = {a.text(): a.menu() for a in note.menu().actions()}
    assert list(submenus) == ["I accepted the offer", "I declined the offer"]
    assert all(isinstance(m, QMenu) for m in submenus.values())

    choose_in_menu(qtbot, note, "I declined the offer", "Ana Ruiz (interviewer)")

    draft = the_composer(qtbot).editors[0].current_record()
    assert draft.to_name == "Ana Ruiz"
    assert draft.subject == "The offer for the Data Engineer role at Acme"
    assert "decided not to accept it" in draft.body or "decided to decline it" in draft.body
