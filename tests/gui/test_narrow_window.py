"""The main window at its smallest size (760×480) and its default one (1180×760), with
the normal font and with a 16-point one: no text is cut off on any page, the
navigation shows icons only when narrow and names when wide, Today's header
wraps instead of overlapping, and the list pages keep a usable search box.

The real window on demo data, offscreen. "Cut off" is measured as a person
would see it: a label or button narrower than its text needs, a wrapped text
lower than its lines, something past the window's edge, or a page that has to
scroll sideways.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from afterword.core.demo import fill_demo
from afterword.core.storage.db import Database
from afterword.gui.context import AppContext
from afterword.gui.main_window import MainWindow
from afterword.gui.navigation import NAV_WIDTH
from afterword.gui.pages.today import TodayPage
from afterword.gui.widgets.list_detail import SEARCH_CHARS
from afterword.gui.widgets.list_page import ListDetailPage
from afterword.gui.widgets.wrapping_check import WrappingCheckBox

SMALLEST = (760, 480)
DEFAULT = (1180, 760)
PAGES = ("today", "applications", "contacts", "outbox", "settings")


@pytest.fixture
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder named as a person's would be: pytest's own folder for a test is
    named after the test, one long word that a path label cannot break (Settings
    shows the folder's path, broken after each "/")."""
    return tmp_path_factory.mktemp("Afterword")


@pytest.fixture(params=[None, 16], ids=["normal-font", "16pt-font"])
def point_size(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[int | None]:
    """The application's font for the test (None: as it is), restored afterwards."""
    before = QFont(qapp.font())
    if request.param is not None:
        font = QFont(before)
        font.setPointSize(request.param)
        qapp.setFont(font)
    yield request.param
    qapp.setFont(before)


@pytest.fixture
def window(
    qtbot: QtBot, db: Database, now: datetime, context: AppContext, point_size: int | None
) -> Iterator[MainWindow]:
    """The real window on the demo data, built after the font was set."""
    fill_demo(db, now)
    shown = MainWindow(context, start_page="today")
    with qtbot.waitActive(shown):
        shown.show()
        shown.activateWindow()
    context.ops.wait_for_idle()
    yield shown
    shown.hide()
    shown.deleteLater()


def settle(qtbot: QtBot, window: MainWindow) -> None:
    window.context.ops.wait_for_idle()
    qtbot.wait(30)  # the layouts settle
    window.context.ops.wait_for_idle()
    qtbot.wait(30)


def show(qtbot: QtBot, window: MainWindow, key: str) -> QWidget:
    """Show page ``key``; a list page with its first record's detail."""
    page = window.show_page(key)
    settle(qtbot, window)
    if isinstance(page, ListDetailPage):
        page.show_record(page.model.record_id(0))
        qtbot.waitUntil(lambda: page.detail.record is not None)
    settle(qtbot, window)
    return page


def cut_off(window: MainWindow) -> list[str]:
    """Every text on screen that is not shown whole (see the module docstring)."""
    found = []
    widgets: list[QWidget] = [*window.findChildren(QLabel), *window.findChildren(QAbstractButton)]
    for widget in widgets:
        if not widget.isVisible() or isinstance(widget.parentWidget(), QLineEdit | QTabBar):
            continue  # a line edit's icons, a tab bar's scroll arrows: drawn as the style says
        if isinstance(widget, QLabel) and not widget.text():
            continue
        name = (widget.text() or widget.accessibleName()).replace("\n", " ")[:40]
        wraps = isinstance(widget, WrappingCheckBox) or (
            isinstance(widget, QLabel) and widget.wordWrap()
        )
        if wraps:
            needed = widget.heightForWidth(widget.width())
            if widget.height() < needed:
                found.append(f"{name!r}: {widget.height()} high, needs {needed}")
        elif widget.width() < widget.sizeHint().width():
            found.append(f"{name!r}: {widget.width()} wide, needs {widget.sizeHint().width()}")
        right = widget.mapTo(window, QPoint(widget.width(), 0)).x()
        if right > window.width():
            found.append(f"{name!r}: ends at {right}, past the window's edge")
    for area in window.findChildren(QScrollArea):
        if area.isVisible() and area.horizontalScrollBar().maximum() > 0:
            inside = area.widget().minimumSizeHint().width()
            where = area.parentWidget().accessibleName()
            found.append(f"{where} scrolls sideways: {inside} wide in {area.viewport().width()}")
    return found


@pytest.mark.parametrize("size", [SMALLEST, DEFAULT], ids=["760x480", "1180x760"])
def test_no_text_is_cut_off_on_any_page(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    assert window.size().toTuple() == size
    for key in PAGES:
        show(qtbot, window, key)
        problems = cut_off(window)
        assert problems == [], f"{key} at {size}: {problems}"


@pytest.mark.parametrize("size", [SMALLEST, DEFAULT], ids=["760x480", "1180x760"])
def test_the_navigation_shows_icons_only_when_narrow(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    settle(qtbot, window)
    nav, side = window.nav, window.side
    button = side.import_button
    titles = [nav.item(row).text() for row in range(nav.count())]
    assert titles == ["Today", "Applications", "Contacts", "Outbox", "Settings"]
    # Either way, each item keeps its name (read aloud) and its tooltip, the button its own.
    assert all(nav.item(row).toolTip().startswith(titles[row]) for row in range(nav.count()))
    assert button.accessibleName() == "Import and calendar"
    assert button.toolTip()
    if size == SMALLEST:
        assert side.compact
        assert side.width() < NAV_WIDTH / 2
        assert button.text() == "▾"
        assert not button.icon().isNull()
    else:
        assert not side.compact
        assert side.width() >= NAV_WIDTH
        assert button.text() == "Import / calendar ▾"
        metrics = nav.fontMetrics()
        for row, title in enumerate(titles):
            room = nav.visualItemRect(nav.item(row)).width() - nav.iconSize().width()
            assert room > metrics.horizontalAdvance(title), title
    assert button.width() >= button.sizeHint().width()


def test_the_navigation_follows_the_window_width(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(*DEFAULT)
    settle(qtbot, window)
    assert not window.side.compact
    window.resize(*SMALLEST)
    settle(qtbot, window)
    assert window.side.compact
    window.resize(*DEFAULT)
    settle(qtbot, window)
    assert not window.side.compact


def test_the_keyboard_moves_through_the_icons_only_navigation(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(*SMALLEST)
    settle(qtbot, window)
    assert window.side.compact
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    settle(qtbot, window)
    assert window.current_key() == "applications"
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.current_key() == "settings"


def test_todays_header_wraps_instead_of_overlapping(
    qtbot: QtBot, window: MainWindow, point_size: int | None
) -> None:
    for size in (SMALLEST, DEFAULT):
        window.resize(*size)
        page = show(qtbot, window, "today")
        assert isinstance(page, TodayPage)
        title, date, summary = page.title, page.date_label, page.summary_label
        assert summary.text()
        assert not title.geometry().intersects(date.geometry())
        assert not date.geometry().intersects(summary.geometry())
        assert not title.geometry().intersects(summary.geometry())
        if point_size is None and size == DEFAULT:
            # As it always was: all three on one row.
            assert not page.header_wrapped
            assert date.geometry().bottom() == title.geometry().bottom()
        if page.header_wrapped:
            assert date.y() > title.geometry().bottom()
    # With the big font at the smallest size, the three do not fit on one row.
    window.resize(*SMALLEST)
    settle(qtbot, window)
    assert page.header_wrapped == (point_size is not None)


@pytest.mark.parametrize("key", ["applications", "contacts"])
def test_the_list_bar_keeps_a_usable_search_box(
    qtbot: QtBot, window: MainWindow, point_size: int | None, key: str
) -> None:
    for size in (SMALLEST, DEFAULT):
        window.resize(*size)
        page = show(qtbot, window, key)
        assert isinstance(page, ListDetailPage)
        search = page.search
        assert search.width() >= search.fontMetrics().averageCharWidth() * SEARCH_CHARS
        for button in (page.new_button, page.delete_button):
            assert button.width() >= button.sizeHint().width(), button.text()
            assert not button.geometry().intersects(search.geometry())
        if point_size is None and size == DEFAULT:
            assert not page.bar.wrapped  # as it always was: one row
        if page.bar.wrapped:
            assert page.new_button.y() > search.geometry().bottom()
    if point_size is None:
        window.resize(*SMALLEST)
        settle(qtbot, window)
        assert page.bar.wrapped  # the list is too narrow for both at the smallest size


def test_a_long_check_box_wraps_and_every_line_of_it_ticks(qtbot: QtBot) -> None:
    box = WrappingCheckBox("Keep reminders running when the &window is closed")
    qtbot.addWidget(box)
    one_line = box.sizeHint().height()
    box.resize(
        box.minimumSizeHint().width() + 40, box.heightForWidth(box.minimumSizeHint().width() + 40)
    )
    box.show()
    qtbot.waitExposed(box)
    assert box.height() > one_line  # on more than one line
    assert box.text() == "Keep reminders running when the &window is closed"
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(box.width() // 2, box.height() - 4))
    assert box.isChecked()  # the last line ticks it, as the first does
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert not box.isChecked()
    box.resize(box.sizeHint().width() + 10, one_line)
    assert box.heightForWidth(box.width()) == one_line  # wide enough: one line, as Qt's own
