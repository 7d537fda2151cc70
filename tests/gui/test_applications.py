"""The Applications screen as a person uses it: table, search, detail pane, new, delete, undo."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.applications import create_application, get_application, list_applications
from afterword.core.checklist.items import ItemState
from afterword.core.checklist.service import checklist_for_application
from afterword.core.interviews import list_interviews
from afterword.core.storage.changes import Changes, Kind
from afterword.core.storage.db import Database
from afterword.core.storage.records import ApplicationFields, ApplicationRecord, InterviewRecord
from afterword.core.storage.values import ApplicationStatus
from afterword.gui.context import AppContext
from afterword.gui.dialogs.application_form import ApplicationForm
from afterword.gui.main_window import MainWindow
from afterword.gui.models.applications_model import Column, prepare_rows, text_matcher
from afterword.gui.pages.applications import ApplicationsPage
from afterword.gui.validator import error_color
from tests.gui.helpers import (
    activate,
    answer_next_box,
    type_into,
    unnamed_controls,
)


def _close_form_quietly(page: ApplicationsPage) -> None:
    # A form left open with edits would ask "save changes?" at clean-up and block the run.
    if page.form is not None:
        QDialog.done(page.form, 0)


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> Iterator[ApplicationsPage]:
    widget = ApplicationsPage(context)
    qtbot.addWidget(widget, before_close_func=_close_form_quietly)
    widget.resize(1090, 760)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(context.ops.is_idle)
    yield widget
    context.ops.wait_for_idle()


def shown(page: ApplicationsPage, column: Column = Column.COMPANY) -> list[str]:
    """The texts in ``column``, top to bottom, as the table shows them."""
    model = page.table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def settle(qtbot: QtBot, context: AppContext) -> None:
    """Let operations (loads, writes) finish and their results reach the screen."""
    qtbot.waitUntil(context.ops.is_idle)
    qtbot.wait(1)


def test_an_empty_table_says_what_to_do_first(page: ApplicationsPage) -> None:
    assert page.table_stack.currentWidget() is page.empty
    assert "New application" in page.empty.text()
    assert not page.delete_button.isEnabled()


def test_new_application_typed_in_appears_in_table_and_detail(
    qtbot: QtBot, context: AppContext, page: ApplicationsPage
) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    form = page.form
    assert isinstance(form, ApplicationForm)
    qtbot.waitExposed(form)
    type_into(qtbot, form.company, "Acme Analytics")
    type_into(qtbot, form.role, "Data Engineer")
    form.why_interested.setFocus()
    qtbot.keyClicks(form.why_interested, "They build the tools I use every day.")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)

    [summary] = list_applications(context.db, now=context.now())
    record = get_application(context.db, summary.id)
    assert (record.company, record.role) == ("Acme Analytics", "Data Engineer")
    assert record.why_interested == "They build the tools I use every day."
    assert page.form is None
    assert shown(page) == ["Acme Analytics"]
    assert page.table.currentIndex().row() == 0
    assert page.detail.title.text() == "Data Engineer at Acme Analytics"
    assert page.detail.why.text() == "They build the tools I use every day."
    assert page.count.text() == "1 application"
    # Back in the table on the new row: the keyboard carries on from there.
    assert page.window().focusWidget() is page.table


def test_editing_keeps_the_row_selected_and_shows_the_change(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    record = add_application("Acme", "Engineer")
    add_application("Globex", "Designer")
    page.show_application(record.id)
    settle(qtbot, context)
    qtbot.mouseClick(page.detail.edit_button, Qt.MouseButton.LeftButton)
    form = page.form
    assert isinstance(form, ApplicationForm)
    activate(qtbot, form)
    type_into(qtbot, form.role, "Staff Engineer")
    qtbot.keyClick(form.role, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, context)
    assert get_application(context.db, record.id).role == "Staff Engineer"
    assert page.detail.title.text() == "Staff Engineer at Acme"
    row = page.table.currentIndex().row()
    assert shown(page, Column.ROLE)[row] == "Staff Engineer"


def test_a_new_application_says_where_its_checklist_comes_from(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    record = add_application("Acme", "Engineer")
    page.show_application(record.id)
    settle(qtbot, context)
    detail = page.detail
    assert detail.checklist_empty.isVisible()
    assert "once you add an interview" in detail.checklist_empty.text()
    assert not detail.checklist.isVisible()

    add_interview(record.id, now + timedelta(days=1), [("Ana Ruiz", "ana@acme.example")])
    page.reload()
    settle(qtbot, context)
    assert not detail.checklist_empty.isVisible()
    assert detail.checklist.isVisible()
    assert "Send a thank-you to Ana Ruiz" in [i.title for i in detail.checklist.items()]


def test_search_filters_as_you_type_and_finds_people(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    add_application("Acme", "Engineer")
    add_application("Globex", "Designer")
    initech = add_application("Initech", "Analyst")
    add_interview(initech.id, now - timedelta(days=2), [("Zoë Müller", "zoe@initech.example")])
    page.reload()
    settle(qtbot, context)
    assert sorted(shown(page)) == ["Acme", "Globex", "Initech"]

    page.focus_search()
    qtbot.keyClicks(page.search, "glo")
    # Company and role match within the keystroke, before any background work.
    assert shown(page) == ["Globex"]
    assert page.count.text() == "1 of 3 applications match"

    type_into(qtbot, page.search, "MÜLLER")
    # A person's name, and their email address, match within the keystroke too:
    # no background query runs for them.
    assert context.ops.is_idle()
    assert shown(page) == ["Initech"]
    type_into(qtbot, page.search, "zoe@initech")
    assert shown(page) == ["Initech"]
    type_into(qtbot, page.search, "strasse")
    assert shown(page) == []

    page.search.clear()
    assert sorted(shown(page)) == ["Acme", "Globex", "Initech"]


TRICKY_NAMES = [
    "Straße & Söhne",
    "İstanbul Tech",
    "KELVIN Labs",  # with the Kelvin sign
    "100% Juice_Co",
    "Ångström AB",
    "ﬁnance ﬁrm",  # with the "fi" ligature
    "Łódź Software",
    "back\\slash",
    "ǅemal",
    "MÜNCHEN",
]


@pytest.fixture
def tricky(db: Database, now: datetime) -> list[int]:
    return [
        create_application(db, ApplicationFields(company=name, role="Role"), now=now).id
        for name in TRICKY_NAMES
    ]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    query=st.one_of(
        st.sampled_from(
            ["ß", "ss", "SS", "i", "İ", "k", "K", "%", "_", "\\", "fi", "ﬁ", "ł", "Ł", "ü", "dž"]
        ),
        st.text(alphabet="aksSİiıKKßüÜÅåﬁf%_\\ łŁǅ", max_size=4),
    )
)
def test_the_table_matches_exactly_what_core_search_matches(
    db: Database, now: datetime, tricky: list[int], query: str
) -> None:
    rows = prepare_rows(list_applications(db, now=now))
    matches = text_matcher(query)
    in_memory = {row.id for row in rows if matches(row)} if query.strip() else set(tricky)
    from_core = {a.id for a in list_applications(db, now=now, query=query)}
    assert in_memory == from_core


def test_clicking_a_header_sorts_and_keeps_the_selection(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    beta = add_application("beta", "Engineer")
    add_application("Alpha", "Engineer")
    gamma = add_application("Gamma", "Engineer")
    add_interview(beta.id, now + timedelta(days=3))
    add_interview(gamma.id, now + timedelta(days=1))
    page.reload()
    settle(qtbot, context)
    page.show_application(beta.id)

    click_header(qtbot, page, Column.COMPANY)
    assert shown(page) == ["Alpha", "beta", "Gamma"]
    click_header(qtbot, page, Column.COMPANY)
    assert shown(page) == ["Gamma", "beta", "Alpha"]
    assert shown(page)[page.table.currentIndex().row()] == "beta"

    click_header(qtbot, page, Column.NEXT_INTERVIEW)
    assert shown(page) == ["Gamma", "beta", "Alpha"]  # no interview comes last
    assert shown(page, Column.NEXT_INTERVIEW)[0].startswith("Thu 12 Mar")


def click_header(qtbot: QtBot, page: ApplicationsPage, column: Column) -> None:
    """Click ``column``'s header, as a person sorts by it."""
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


@pytest.fixture
def due_soon_and_late(
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    """Five applications whose next due items fall at different times (now: Wed 11 Mar 10:00).

    With an interview, "Ask about next steps" is each one's most urgent item: it
    falls due when the interview starts and is overdue a day later.
    """
    acme = add_application("Acme")
    add_interview(acme.id, now - timedelta(days=4), [("Ana Ruiz", "ana@acme.example")])
    brightline = add_application("Brightline")
    add_interview(brightline.id, now - timedelta(hours=3), [("Ben Ode", "ben@b.example")])
    cobalt = add_application("Cobalt")
    add_interview(cobalt.id, now + timedelta(days=2), [("Cleo Park", "cleo@c.example")])
    add_application("Dunmore", status=ApplicationStatus.APPLIED)  # nothing due yet
    evergreen = add_application("Evergreen")
    add_interview(evergreen.id, now - timedelta(days=1, hours=2), [("Eve Lin", "eve@e.example")])


ASK = "Ask about next steps and the time frame"


@pytest.mark.usefixtures("due_soon_and_late")
def test_next_due_says_what_is_due_and_when(
    qtbot: QtBot, context: AppContext, page: ApplicationsPage
) -> None:
    page.reload()
    settle(qtbot, context)
    assert dict(zip(shown(page), shown(page, Column.NEXT_DUE), strict=True)) == {
        "Acme": f"{ASK} (overdue by 3 days)",
        "Brightline": f"{ASK} (today)",
        "Cobalt": f"{ASK} (Fri 13 Mar)",
        "Dunmore": "",
        "Evergreen": f"{ASK} (overdue since today)",
    }
    acme = page.model.index(shown(page).index("Acme"), Column.NEXT_DUE)
    tooltip = acme.data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith(f"{ASK}\n")
    assert tooltip.endswith("\nDue: overdue by 3 days")


@pytest.mark.usefixtures("due_soon_and_late")
def test_sorting_by_next_due_puts_the_soonest_first_and_nothing_due_last(
    qtbot: QtBot, context: AppContext, page: ApplicationsPage
) -> None:
    page.reload()
    settle(qtbot, context)
    header = page.table.horizontalHeader()

    click_header(qtbot, page, Column.NEXT_DUE)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert shown(page) == ["Acme", "Evergreen", "Brightline", "Cobalt", "Dunmore"]

    click_header(qtbot, page, Column.NEXT_DUE)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert shown(page) == ["Dunmore", "Cobalt", "Brightline", "Evergreen", "Acme"]


@pytest.mark.usefixtures("due_soon_and_late")
def test_an_overdue_next_due_is_shown_in_red(
    qtbot: QtBot, context: AppContext, page: ApplicationsPage
) -> None:
    page.reload()
    settle(qtbot, context)
    model = page.model

    def colour(company: str, column: Column = Column.NEXT_DUE) -> object:
        return model.index(shown(page).index(company), column).data(Qt.ItemDataRole.ForegroundRole)

    red = QColor(error_color(page.palette()))
    assert colour("Acme") == red
    assert colour("Evergreen") == red
    # Due today or later, or nothing due: the usual colour.
    assert colour("Brightline") is None
    assert colour("Cobalt") is None
    assert colour("Dunmore") is None
    # Only the "Next due" cell: the rest of an overdue row reads as usual.
    assert colour("Acme", Column.COMPANY) is None


def test_the_follow_up_settings_reload_the_table(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    add_application("Acme")  # written behind the page's back: it shows nothing yet
    context.ops.announce(Changes(kinds=frozenset({Kind.TEMPLATES, Kind.ACCOUNTS})))
    settle(qtbot, context)
    assert shown(page) == []

    # When items fall due depends on the settings: the "Next due" column shows them.
    context.ops.announce(Changes(kinds=frozenset({Kind.SETTINGS})))
    settle(qtbot, context)
    assert shown(page) == ["Acme"]


def _select(qtbot: QtBot, page: ApplicationsPage, company: str) -> None:
    row = shown(page).index(company)
    rect = page.table.visualRect(page.table.model().index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # The detail follows once the selection rests (paging must not load every row).
    qtbot.waitUntil(lambda: page.detail.title.text().endswith(f"at {company}"))


def test_delete_asks_first_and_cancel_keeps_it(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    add_application("Acme", "Engineer")
    page.reload()
    settle(qtbot, context)
    _select(qtbot, page, "Acme")
    asked = answer_next_box(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert "Delete “Engineer at Acme”" in asked[0]
    settle(qtbot, context)
    assert len(list_applications(context.db, now=context.now())) == 1
    assert shown(page) == ["Acme"]
    assert page.undo_bar.isHidden()


def test_delete_then_undo_brings_everything_back(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    acme = add_application("Acme", "Engineer")
    add_application("Globex", "Designer")
    add_interview(acme.id, now - timedelta(days=1), [("Ana Ruiz", "ana@acme.example")])
    page.reload()
    settle(qtbot, context)
    _select(qtbot, page, "Acme")

    asked = answer_next_box("Delete")
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert "and its 1 interview" in asked[0]
    settle(qtbot, context)
    assert [a.company for a in list_applications(context.db, now=now)] == ["Globex"]
    assert shown(page) == ["Globex"]
    assert page.undo_bar.isVisible()
    assert "Deleted “Engineer at Acme”" in page.undo_bar.label.text()

    qtbot.mouseClick(page.undo_bar.button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)
    assert sorted(shown(page)) == ["Acme", "Globex"]
    [interview] = list_interviews(context.db, acme.id)
    assert [p.contact_name for p in interview.participants] == ["Ana Ruiz"]
    assert page.detail.title.text() == "Engineer at Acme"
    assert "is back" in page.undo_bar.label.text()
    assert not page.undo_bar.button.isEnabled()


def test_ctrl_z_in_the_table_undoes_the_last_delete(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    add_application("Acme", "Engineer")
    page.reload()
    settle(qtbot, context)
    _select(qtbot, page, "Acme")
    answer_next_box("Delete")
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, context)
    assert list_applications(context.db, now=context.now()) == []

    page.table.setFocus()
    page.undo_action.trigger()  # what Ctrl+Z triggers while the table has focus
    settle(qtbot, context)
    assert [a.company for a in list_applications(context.db, now=context.now())] == ["Acme"]
    assert page.undo_action.shortcut().toString() == "Ctrl+Z"


def test_the_checklist_is_checked_in_place(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> None:
    acme = add_application("Acme", "Engineer")
    add_interview(acme.id, now - timedelta(hours=3), [("Ana Ruiz", "ana@acme.example")])
    page.reload()
    settle(qtbot, context)
    _select(qtbot, page, "Acme")
    view = page.detail.checklist
    titles = [item.title for item in view.items() if item.is_actionable]
    assert "Send a thank-you to Ana Ruiz" in titles
    next_due = shown(page, Column.NEXT_DUE)[0]
    assert next_due

    view.select_key(next(i.key for i in view.items() if i.title == "Send a thank-you to Ana Ruiz"))
    qtbot.keyClick(view.list, Qt.Key.Key_Space)
    settle(qtbot, context)

    states = {i.title: i.state for i in checklist_for_application(context.db, acme.id, now)}
    assert states["Send a thank-you to Ana Ruiz"] == ItemState.DONE
    done = [i.title for i in page.detail.checklist.items() if i.state == ItemState.DONE]
    assert "Send a thank-you to Ana Ruiz" in done


def test_closing_with_an_unsaved_form_asks(
    qtbot: QtBot, context: AppContext, page: ApplicationsPage
) -> None:
    page.new_application()
    form = page.form
    assert isinstance(form, ApplicationForm)
    type_into(qtbot, form.company, "Acme")

    answer_next_box(QMessageBox.StandardButton.Cancel)
    assert page.can_close() is False
    assert form.isVisible()

    answer_next_box(QMessageBox.StandardButton.Discard)
    assert page.can_close() is True
    assert list_applications(context.db, now=context.now()) == []


def test_main_window_new_search_and_open(
    qtbot: QtBot,
    context: AppContext,
    main_window: MainWindow,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    globex = add_application("Globex", "Designer")
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = main_window.pages["applications"]
    assert isinstance(page, ApplicationsPage)
    assert isinstance(page.form, ApplicationForm)
    qtbot.keyClick(page.form, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert page.form is None

    main_window.open_application(globex.id)
    settle(qtbot, context)
    assert page.detail.title.text() == "Designer at Globex"
    assert shown(page)[page.table.currentIndex().row()] == "Globex"

    activate(qtbot, main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert main_window.focusWidget() is page.search


def test_closing_the_window_with_an_unsaved_form_asks(
    qtbot: QtBot, context: AppContext, main_window: MainWindow
) -> None:
    main_window.new_application()
    page = main_window.pages["applications"]
    assert isinstance(page, ApplicationsPage)
    form = page.form
    assert isinstance(form, ApplicationForm)
    type_into(qtbot, form.company, "Acme")

    asked = answer_next_box(QMessageBox.StandardButton.Cancel)
    assert main_window.close() is False
    assert "Save your changes to the new application?" in asked[0]
    assert main_window.isVisible()
    assert form.isVisible()
    assert form.company.text() == "Acme"

    answer_next_box(QMessageBox.StandardButton.Save)
    assert main_window.close() is False  # a company but no role: saving cannot succeed
    assert form.isVisible()

    type_into(qtbot, form.role, "Engineer")
    answer_next_box(QMessageBox.StandardButton.Save)
    assert main_window.close() is True
    [saved] = list_applications(context.db, now=context.now())
    assert (saved.company, saved.role) == ("Acme", "Engineer")


def test_every_control_of_the_screen_has_an_accessible_name(
    qtbot: QtBot,
    context: AppContext,
    page: ApplicationsPage,
    add_application: Callable[..., ApplicationRecord],
) -> None:
    add_application("Acme", "Engineer")
    page.reload()
    settle(qtbot, context)
    _select(qtbot, page, "Acme")
    assert unnamed_controls(page) == []
