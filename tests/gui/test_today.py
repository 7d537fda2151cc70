"""Today: what a person sees and does with the list of things to follow up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from afterword.core.checklist import service
from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState
from afterword.core.storage.changes import Changes, Kind, collect_changes
from afterword.core.storage.db import Database
from afterword.core.storage.records import InterviewRecord
from afterword.gui.context import AppContext
from afterword.gui.main_window import MainWindow
from afterword.gui.pages.today import TodayPage, long_date
from afterword.gui.widgets.checklist.model import DUE_TEXT_ROLE
from afterword.gui.widgets.checklist.text import due_text, next_change
from afterword.gui.widgets.checklist.view import ChecklistView
from tests.gui.conftest import Clock
from tests.gui.helpers import activate, checklist_rows


def today_reloaded(page: TodayPage) -> bool:
    """Wait for the page's background loads to be on screen."""
    return page._context.ops.wait_for_idle()


def find(view: ChecklistView, title: str) -> ChecklistItem:
    return next(item for item in view.items() if item.title == title)


def state_of(db: Database, interview_id: int, key: str, now: datetime) -> ChecklistItem:
    return next(i for i in service.checklist_for_interview(db, interview_id, now) if i.key == key)


@pytest.fixture
def interviews(
    now: datetime,
    add_application: Callable[..., object],
    add_interview: Callable[..., InterviewRecord],
) -> dict[str, InterviewRecord]:
    """Monday's interview (thank-you overdue), this morning's (due), Friday's (coming up)."""
    acme = add_application("Acme", "Data Engineer")
    globex = add_application("Globex", "Analyst")
    initech = add_application("Initech", "Developer")
    return {
        "acme": add_interview(acme.id, now - timedelta(days=2), [("Ana Ruiz", "ana@acme.example")]),
        "globex": add_interview(
            globex.id, now - timedelta(hours=2), [("Ben Ode", "ben@globex.example")]
        ),
        "initech": add_interview(
            initech.id, now + timedelta(days=2, hours=4), [("Cy Park", "cy@initech.example")]
        ),
    }


@pytest.fixture
def today(qtbot: QtBot, context: AppContext) -> TodayPage:
    page = TodayPage(context)
    qtbot.addWidget(page)
    page.resize(900, 700)
    with qtbot.waitExposed(page):
        page.show()
    assert context.ops.wait_for_idle()  # the page loads in the background
    return page


THANK_ANA = "Send a thank-you to Ana Ruiz"


def test_today_groups_overdue_due_and_upcoming(interviews: object, today: TodayPage) -> None:
    assert checklist_rows(today.checklist) == [
        "Overdue (2)",
        "Ask about next steps and the time frame | overdue by 1 day",
        f"{THANK_ANA} | overdue by 1 day",
        "Today (2)",
        "Ask about next steps and the time frame | today",
        "Send a thank-you to Ben Ode | today",
        "Next 7 days (2)",
        "Ask about next steps and the time frame | Fri 13 Mar",
        "Send a thank-you to Cy Park | Fri 13 Mar",
    ]
    assert today.date_label.text() == "Wednesday 11 March"
    assert today.summary_label.text() == "2 overdue · 2 for today · 2 coming up"
    assert today.stack.currentWidget() is today.checklist


def test_checking_an_item_removes_it_saves_it_and_undo_brings_it_back(
    qtbot: QtBot,
    db: Database,
    clock: Clock,
    interviews: dict[str, InterviewRecord],
    today: TodayPage,
) -> None:
    view = today.checklist
    item = find(view, THANK_ANA)
    box = view.check_box_rect(item.key)
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=box.center())
    assert today_reloaded(today)  # the mark is written off the GUI thread

    assert f"{THANK_ANA} | overdue by 1 day" not in checklist_rows(view)
    assert state_of(db, interviews["acme"].id, item.key, clock()).state == ItemState.DONE
    assert view.undo_bar.isVisible()
    assert view.undo_bar.label.text() == f"“{THANK_ANA}” done."

    qtbot.mouseClick(view.undo_bar.button, Qt.MouseButton.LeftButton)
    assert today_reloaded(today)
    assert f"{THANK_ANA} | overdue by 1 day" in checklist_rows(view)
    assert state_of(db, interviews["acme"].id, item.key, clock()).state == ItemState.OVERDUE


def test_a_mark_tells_every_page_what_changed_and_who_changed_it(
    qtbot: QtBot, context: AppContext, interviews: dict[str, InterviewRecord], today: TodayPage
) -> None:
    heard: list[tuple[Changes, object]] = []
    context.ops.changed.connect(lambda changes, initiator: heard.append((changes, initiator)))
    view = today.checklist
    view.select_key(find(view, THANK_ANA).key)
    view.done_action.trigger()
    assert today_reloaded(today)

    ((changes, initiator),) = heard
    assert initiator is view
    assert changes.kinds == {Kind.CHECKLIST}
    assert changes.interview_ids == {interviews["acme"].id}


def test_space_marks_done_and_ctrl_z_undoes(
    qtbot: QtBot,
    db: Database,
    clock: Clock,
    interviews: dict[str, InterviewRecord],
    today: TodayPage,
) -> None:
    view = today.checklist
    item = find(view, THANK_ANA)
    view.select_key(item.key)
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Space)
    assert today_reloaded(today)
    assert item.key not in {i.key for i in view.items()}
    assert state_of(db, interviews["acme"].id, item.key, clock()).state == ItemState.DONE

    qtbot.keyClick(view.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert today_reloaded(today)
    assert item.key in {i.key for i in view.items()}
    assert state_of(db, interviews["acme"].id, item.key, clock()).state == ItemState.OVERDUE


def test_dismiss_removes_the_item_for_good(
    qtbot: QtBot,
    db: Database,
    clock: Clock,
    interviews: dict[str, InterviewRecord],
    today: TodayPage,
) -> None:
    view = today.checklist
    item = find(view, THANK_ANA)
    view.select_key(item.key)
    qtbot.mouseClick(view._buttons[view.dismiss_action], Qt.MouseButton.LeftButton)
    assert today_reloaded(today)

    assert item.key not in {i.key for i in view.items()}
    assert state_of(db, interviews["acme"].id, item.key, clock()).state == ItemState.DISMISSED
    clock.advance(days=3)
    today.refresh()
    assert today_reloaded(today)
    assert item.key not in {i.key for i in view.items()}


def test_snooze_one_day_hides_the_item_until_tomorrow(
    db: Database, clock: Clock, interviews: dict[str, InterviewRecord], today: TodayPage
) -> None:
    view = today.checklist
    item = find(view, THANK_ANA)
    view.select_key(item.key)
    one_day = next(a for a in view.snooze_menu.actions() if a.text() == "1 day")
    one_day.trigger()
    assert today_reloaded(today)

    assert item.key not in {i.key for i in view.items()}
    saved = state_of(db, interviews["acme"].id, item.key, clock())
    assert saved.state == ItemState.SNOOZED
    assert saved.snoozed_until == datetime(2026, 3, 12, 0, 0, tzinfo=clock().tzinfo)
    assert view.undo_bar.label.text() == f"“{THANK_ANA}” snoozed until Thu 12 Mar."

    clock.advance(days=1)
    today.refresh()
    assert today_reloaded(today)
    assert item.key in {i.key for i in view.items()}


def test_snooze_until_a_picked_date(
    qtbot: QtBot,
    db: Database,
    clock: Clock,
    interviews: dict[str, InterviewRecord],
    today: TodayPage,
) -> None:
    view = today.checklist
    item = find(view, THANK_ANA)
    view.select_key(item.key)
    view.snooze_menu.pick_date()
    dialog = view.snooze_menu.dialog
    assert dialog is not None and dialog.isVisible()
    # Earlier than tomorrow cannot be picked.
    assert dialog.calendar.minimumDate() == QDate(2026, 3, 12)
    dialog.calendar.setSelectedDate(QDate(2026, 3, 20))
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert today_reloaded(today)

    saved = state_of(db, interviews["acme"].id, item.key, clock())
    assert saved.state == ItemState.SNOOZED
    assert saved.snoozed_until == datetime(2026, 3, 20, 0, 0, tzinfo=clock().tzinfo)
    assert item.key not in {i.key for i in view.items()}


def test_first_run_says_what_to_do_first(qtbot: QtBot, today: TodayPage) -> None:
    assert today.stack.currentWidget() is today.empty
    assert today.empty.headline.text() == "Nothing to follow up yet"
    assert "adding an application" in today.empty.text.text()
    # The whole welcome text is shown: as wide as it may be, as tall as it needs there.
    text = today.empty.text
    assert text.width() == text.maximumWidth()
    assert text.height() >= text.heightForWidth(text.width()) > 2 * text.fontMetrics().height()
    with qtbot.waitSignal(today.new_application_requested, timeout=1000):
        qtbot.mouseClick(today.empty.button, Qt.MouseButton.LeftButton)


def test_nothing_due_says_all_caught_up(
    qtbot: QtBot, context: AppContext, add_application: Callable[..., object]
) -> None:
    add_application("Acme", "Engineer", status="applied")
    page = TodayPage(context)
    qtbot.addWidget(page)
    assert today_reloaded(page)
    assert page.stack.currentWidget() is page.empty
    assert page.empty.headline.text() == "You're all caught up"
    assert page.empty.button.isHidden() is False


def test_open_and_write_thank_you_tell_the_window(
    qtbot: QtBot, interviews: dict[str, InterviewRecord], today: TodayPage
) -> None:
    view = today.checklist
    item = find(view, THANK_ANA)
    ana = interviews["acme"].participants[0]
    thank_you_button = view._buttons[view.thank_you_action]
    # Nothing selected yet: the button is there and writes the first thank-you on the list.
    assert view.current_item() is None
    assert thank_you_button.isVisible()
    assert view.writing_target() == item
    with qtbot.waitSignal(today.write_thank_you_requested, timeout=1000) as sent:
        qtbot.mouseClick(thank_you_button, Qt.MouseButton.LeftButton)
    assert sent.args == [interviews["acme"].id, ana.contact_id]

    view.select_key(item.key)
    assert thank_you_button.isVisible()
    with qtbot.waitSignal(today.write_thank_you_requested, timeout=1000) as sent:
        qtbot.mouseClick(thank_you_button, Qt.MouseButton.LeftButton)
    assert sent.args == [interviews["acme"].id, ana.contact_id]

    # Double-clicking a thank-you writes it (a real double click is a click, then a
    # double-click event; QTest sends only the latter).
    row_center = view.list.visualRect(view.model.index(view.model.row_of(item.key))).center()
    opened: list[ChecklistItem] = []
    written: list[list[object]] = []
    today.open_requested.connect(opened.append)
    today.write_thank_you_requested.connect(lambda *args: written.append(list(args)))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=row_center)
    qtbot.mouseDClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=row_center)
    assert written == [[interviews["acme"].id, ana.contact_id]]  # once
    assert opened == []

    # An item with nothing to write opens what it is about.
    other = next(i for i in view.items() if i.kind == ItemKind.ASK_NEXT_STEPS)
    view.select_key(other.key)
    assert not thank_you_button.isVisible()
    other_center = view.list.visualRect(view.model.index(view.model.row_of(other.key))).center()
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=other_center)
    qtbot.mouseDClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=other_center)
    assert [i.key for i in opened] == [other.key]


def test_reloads_when_data_changes(
    context: AppContext,
    now: datetime,
    add_application: Callable[..., object],
    add_interview: Callable[..., InterviewRecord],
    today: TodayPage,
) -> None:
    assert today.stack.currentWidget() is today.empty
    with collect_changes() as collected:  # what another window's write would announce
        application = add_application("Umbrella", "Chemist")
        add_interview(
            application.id, now - timedelta(hours=3), [("Dee Lee", "dee@umbrella.example")]
        )  # type: ignore[attr-defined]
    context.ops.announce(collected.changes)
    assert today_reloaded(today)
    assert "Send a thank-you to Dee Lee | today" in checklist_rows(today.checklist)


def test_hidden_page_reloads_when_shown_again(
    context: AppContext,
    now: datetime,
    add_application: Callable[..., object],
    add_interview: Callable[..., InterviewRecord],
    today: TodayPage,
) -> None:
    today.hide()
    with collect_changes() as collected:  # what another window's write would announce
        application = add_application("Umbrella", "Chemist")
        add_interview(
            application.id, now - timedelta(hours=3), [("Dee Lee", "dee@umbrella.example")]
        )  # type: ignore[attr-defined]
    context.ops.announce(collected.changes)
    assert today_reloaded(today)
    assert today.checklist.items() == []  # not reloaded while nobody looks
    today.show()
    assert today_reloaded(today)
    assert "Send a thank-you to Dee Lee | today" in checklist_rows(today.checklist)


def test_reloads_by_itself_at_midnight_or_the_next_deadline(
    clock: Clock, interviews: object, today: TodayPage
) -> None:
    # Due items become overdue tomorrow 09:00; midnight comes first.
    assert today.next_refresh_at == datetime(2026, 3, 12, 0, 0, tzinfo=clock().tzinfo)
    assert today.refresh_timer.isActive()
    clock.advance(hours=14, minutes=1)  # just past midnight: Thursday
    today.refresh_timer.timeout.emit()
    assert today_reloaded(today)
    assert today.date_label.text() == "Thursday 12 March"
    assert today.next_refresh_at == datetime(2026, 3, 12, 9, 0, tzinfo=clock().tzinfo)


def test_the_refresh_timer_waits_exactly_until_just_after_the_next_change(
    clock: Clock, interviews: object, today: TodayPage
) -> None:
    # Wednesday 10:00; the next change is midnight, 14 hours away: the timer waits
    # those 14 hours and one second (so the deadline has surely passed), not more.
    assert today.refresh_timer.isSingleShot()
    assert today.refresh_timer.interval() == (14 * 3600 + 1) * 1000
    clock.advance(hours=14, minutes=1)  # Thursday 00:01; overdue at 09:00, 8:59 away
    today.refresh_timer.timeout.emit()
    assert today_reloaded(today)
    assert today.refresh_timer.interval() == ((8 * 60 + 59) * 60 + 1) * 1000


def test_with_nothing_due_the_list_reloads_at_midnight(clock: Clock, today: TodayPage) -> None:
    clock.advance(hours=13, minutes=30)  # Wednesday 23:30
    today.refresh()
    assert today_reloaded(today)
    assert today.next_refresh_at == datetime(2026, 3, 12, 0, 0, tzinfo=clock().tzinfo)
    assert today.refresh_timer.interval() == (30 * 60 + 1) * 1000


def test_next_change_is_the_earliest_future_deadline(now: datetime) -> None:
    soon = now + timedelta(hours=2)
    item = ChecklistItem(
        key="thank_you:i1:c1",
        kind=ItemKind.THANK_YOU,
        title="t",
        detail="d",
        subject="interview",  # type: ignore[arg-type]
        application_id=1,
        interview_id=1,
        contact_id=1,
        due_at=soon,
        overdue_at=soon + timedelta(hours=24),
        state=ItemState.OPEN,
    )
    assert next_change([item], now) == soon
    assert next_change([], now) == datetime(2026, 3, 12, tzinfo=now.tzinfo)
    assert long_date(now) == "Wednesday 11 March"


def test_due_texts(now: datetime) -> None:
    def item(state: ItemState, due: datetime, overdue: datetime, **extra: object) -> ChecklistItem:
        return ChecklistItem(
            key="k",
            kind=ItemKind.THANK_YOU,
            title="t",
            detail="d",
            subject="interview",  # type: ignore[arg-type]
            application_id=None,
            interview_id=None,
            contact_id=None,
            due_at=due,
            overdue_at=overdue,
            state=state,
            **extra,  # type: ignore[arg-type]
        )

    day = timedelta(days=1)
    assert (
        due_text(item(ItemState.OVERDUE, now - 3 * day, now - 2 * day), now) == "overdue by 2 days"
    )
    assert (
        due_text(item(ItemState.OVERDUE, now - day, now - timedelta(hours=1)), now)
        == "overdue since today"
    )
    assert due_text(item(ItemState.DUE, now, now + day), now) == "today"
    assert due_text(item(ItemState.OPEN, now + day, now + 2 * day), now) == "tomorrow"
    assert due_text(item(ItemState.OPEN, now + 2 * day, now + 3 * day), now) == "Fri 13 Mar"
    assert due_text(item(ItemState.OPEN, now + 300 * day, now + 301 * day), now) == "Tue 5 Jan 2027"
    assert due_text(item(ItemState.DONE, now, now), now) == "done"
    assert (
        due_text(item(ItemState.DONE, now, now, done_automatically=True), now)
        == "done automatically"
    )
    assert (
        due_text(item(ItemState.SNOOZED, now, now, snoozed_until=now + 2 * day), now)
        == "snoozed until Fri 13 Mar"
    )


def test_the_main_window_passes_write_thank_you_on_and_opens_the_application(
    qtbot: QtBot,
    context: AppContext,
    interviews: dict[str, InterviewRecord],
    main_window: MainWindow,
) -> None:
    page = main_window.pages["today"]
    assert isinstance(page, TodayPage) and page.checklist is not None
    item = find(page.checklist, THANK_ANA)
    page.checklist.select_key(item.key)
    with qtbot.waitSignal(main_window.write_thank_you_requested, timeout=1000) as asked:
        page.checklist.thank_you_action.trigger()
    ana = interviews["acme"].participants[0]
    assert asked.args == [interviews["acme"].id, ana.contact_id]


def test_a_list_that_cannot_be_loaded_says_so_on_the_page(
    db: Database, data_dir: Path, today: TodayPage
) -> None:
    # A real failure: the database file disappears under the running app.
    db.engine.dispose()
    for leftover in data_dir.glob("afterword.sqlite3*"):
        leftover.unlink()
    today.refresh()
    assert today_reloaded(today)
    assert today.stack.currentWidget() is today.loading
    assert today.load_error is not None
    assert "could not be loaded" in today.loading.text()
    assert str(data_dir / "logs" / "afterword.log") in today.loading.text()


def test_tab_goes_through_the_actions_then_the_list(
    qtbot: QtBot, interviews: object, today: TodayPage
) -> None:
    view = today.checklist
    assert view is not None
    view.select_key(find(view, THANK_ANA).key)
    first = view._buttons[view.open_action]
    first.setFocus()
    order = [first]
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert [w.accessibleName() for w in order] == [
        "Open",
        "Mark done",
        "Dismiss",
        "Snooze",
        "Write thank-you",
        "Checklist",
    ]


def tab_through(qtbot: QtBot, window: MainWindow, presses: int, *, back: bool = False) -> list[str]:
    """Press Tab (Shift+Tab) ``presses`` times in ``window``: what gets the focus each time.

    A focused widget that is not on screen is a failure in itself: it is named "(hidden)".
    """
    key = Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier
    seen = []
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)
        focused = QApplication.focusWidget()
        assert focused is not None and focused.window() is window
        seen.append(focused.accessibleName() + ("" if focused.isVisible() else " (hidden)"))
    return seen


def test_on_first_run_tab_reaches_add_an_application(qtbot: QtBot, main_window: MainWindow) -> None:
    activate(qtbot, main_window)
    page = main_window.show_page("today")
    assert isinstance(page, TodayPage)
    assert page.stack.currentWidget() is page.empty
    main_window.nav.setFocus()

    assert tab_through(qtbot, main_window, 3) == [
        "Import and calendar",
        "Add an application",
        "Navigation",
    ]
    assert tab_through(qtbot, main_window, 2, back=True) == [
        "Add an application",
        "Import and calendar",
    ]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    with qtbot.waitSignal(main_window.pages["today"].new_application_requested, timeout=1000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)


def test_on_a_full_today_tab_goes_top_to_bottom_through_what_is_shown(
    qtbot: QtBot,
    now: datetime,
    interviews: object,
    add_application: Callable[..., object],
    add_interview: Callable[..., InterviewRecord],
    main_window: MainWindow,
) -> None:
    # An interview later today: "Before you go in…" sits above the list.
    later = add_application("Hooli", "Engineer")
    add_interview(later.id, now + timedelta(hours=3), [("Dee Ray", "dee@hooli.example")])
    activate(qtbot, main_window)
    page = main_window.show_page("today")
    assert isinstance(page, TodayPage)
    page.refresh()
    assert today_reloaded(page)
    assert page.prepare_banner.isVisible() and page.checklist is not None
    page.checklist.select_key(find(page.checklist, THANK_ANA).key)
    main_window.nav.setFocus()

    forward = tab_through(qtbot, main_window, 10)
    assert forward == [
        "Import and calendar",
        "Before you go in: Engineer at Hooli",
        "Open",
        "Mark done",
        "Dismiss",
        "Snooze",
        "Write thank-you",
        "Checklist",
        "Navigation",
        "Import and calendar",
    ]
    # Shift+Tab walks the same way back.
    assert tab_through(qtbot, main_window, 9, back=True) == [
        "Navigation",
        "Checklist",
        "Write thank-you",
        "Snooze",
        "Dismiss",
        "Mark done",
        "Open",
        "Before you go in: Engineer at Hooli",
        "Import and calendar",
    ]


def test_in_a_narrow_pane_checklist_lines_wrap_instead_of_being_cut_off(
    qtbot: QtBot, context: AppContext, interviews: dict[str, InterviewRecord], today: TodayPage
) -> None:
    assert today.checklist is not None
    # The same items in a pane as narrow as an application's detail pane can get.
    view = ChecklistView(context, compact=True)
    qtbot.addWidget(view)
    view.resize(520, 600)
    view.show()
    view.set_items(today.checklist.items())
    item = find(view, THANK_ANA)
    index = view.model.index(view.model.row_of(item.key))
    metrics = view.list.fontMetrics()
    two_lines = view.list.visualRect(index).height()
    assert two_lines == 2 * metrics.lineSpacing() + 2 * view.delegate.PADDING

    view.resize(250, 600)
    qtbot.waitUntil(lambda: view.list.visualRect(index).height() > two_lines)
    rect = view.list.visualRect(index)
    # Title and detail are whole: the row grew to hold them on more lines.
    option = QStyleOptionViewItem()
    option.initFrom(view.list)
    option.rect = rect
    option.widget = view.list
    text_width = view.delegate._text_width(option, rect, index.data(DUE_TEXT_ROLE))
    needed = sum(
        metrics.boundingRect(0, 0, text_width, 10_000, Qt.TextFlag.TextWordWrap, text).height()
        for text in (item.title, item.detail)
    )
    assert rect.height() >= needed + 2 * view.delegate.PADDING


def test_a_long_list_shows_at_once_and_grows_as_you_scroll_to_its_end(
    qtbot: QtBot, context: AppContext, now: datetime
) -> None:
    from afterword.core.checklist.items import SubjectKind
    from afterword.gui.widgets.checklist.text import today_groups

    # Years of history: hundreds of overdue check-ins, as many as a big Today holds.
    items = [
        ChecklistItem(
            key=f"stay_in_touch:c{n}:2026-01-01",
            kind=ItemKind.STAY_IN_TOUCH,
            title=f"Check in with person {n}",
            detail="Every 30 days",
            subject=SubjectKind.CONTACT,
            application_id=None,
            interview_id=None,
            contact_id=n,
            due_at=now - timedelta(days=30),
            overdue_at=now - timedelta(days=20, minutes=n),
            state=ItemState.OVERDUE,
        )
        for n in range(1, 401)
    ]
    view = ChecklistView(context, grouping=today_groups)
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    view.set_items(items)

    # Only the first screenfuls are measured and held; the header counts them all.
    held = view.model.rowCount()
    assert held < 401
    last_held = view.list.visualRect(view.model.index(held - 1))
    assert last_held.top() > view.list.viewport().height()  # more than a screenful
    assert view.model.index(0).data() == "Overdue (400)"
    assert len(view.items()) == 400

    # Scrolling to the end (as Ctrl+End does) brings the rest, a batch at a time.
    view.list.setFocus()
    last = items[-1].title
    for _ in range(10):
        qtbot.keyClick(view.list, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        current = view.current_item()
        if current is not None and current.title == last:
            break
    assert view.model.rowCount() == 401
    current = view.current_item()
    assert current is not None and current.title == last

    # Jumping to an item not yet held (after a reload) fetches it too.
    view.set_items(items)
    assert view.select_key(items[-1].key)
    assert view.current_item() == items[-1]
