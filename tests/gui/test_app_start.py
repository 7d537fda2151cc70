"""Starting the app: the window, navigation, keyboard, remembered state, errors, start-up cost."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt, QThread, QTimer, QUrl
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from afterword.core import __version__
from afterword.core.errors import ValidationError
from afterword.core.storage.db import Database
from afterword.gui import crash
from afterword.gui.app import setup_logging
from afterword.gui.context import AppContext
from afterword.gui.main_window import PAGES, MainWindow, PageSpec
from tests.gui.helpers import ROOT, run_app

# --- a page that stands in for a screen in routing tests ------------------------------------------


class RecordingPage(QWidget):
    """A minimal page with every optional hook, recording what the window asked of it."""

    allow_close = True

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calls: list[tuple[str, object]] = []

    def show_application(self, application_id: int) -> None:
        self.calls.append(("show_application", application_id))

    def show_contact(self, contact_id: int) -> None:
        self.calls.append(("show_contact", contact_id))

    def new_application(self) -> None:
        self.calls.append(("new_application", None))

    def focus_search(self) -> None:
        self.calls.append(("focus_search", None))

    def can_close(self) -> bool:
        self.calls.append(("can_close", None))
        return self.allow_close


RECORDING = (
    PAGES[0],
    PageSpec("applications", "Applications", "applications", __name__, "RecordingPage"),
    PageSpec("contacts", "Contacts", "contacts", __name__, "RecordingPage"),
)


@pytest.fixture
def routed(qtbot: QtBot, context: AppContext) -> Iterator[MainWindow]:
    window = MainWindow(context, start_page="today", pages=RECORDING)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    yield window
    window.hide()
    window.deleteLater()


# --- the window -----------------------------------------------------------------------------


def test_starts_on_today_with_navigation_and_builds_only_today(main_window: MainWindow) -> None:
    nav = main_window.nav
    assert [nav.item(row).text() for row in range(nav.count())] == [
        "Today",
        "Applications",
        "Contacts",
        "Outbox",
        "Settings",
    ]
    assert all(not nav.item(row).icon().isNull() for row in range(nav.count()))
    assert main_window.current_key() == "today"
    assert set(main_window.pages) == {"today"}
    assert main_window.windowTitle() == "Afterword"
    assert not main_window.windowIcon().isNull()


def test_ctrl_number_switches_pages(qtbot: QtBot, main_window: MainWindow) -> None:
    qtbot.keyClick(main_window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_key() == "settings"
    assert main_window.stack.currentWidget() is main_window.pages["settings"]
    qtbot.keyClick(main_window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_key() == "today"


def test_navigation_works_with_arrow_keys(qtbot: QtBot, routed: MainWindow) -> None:
    routed.nav.setFocus()
    qtbot.keyClick(routed.nav, Qt.Key.Key_Down)
    assert routed.current_key() == "applications"
    assert routed.stack.currentWidget() is routed.pages["applications"]
    qtbot.keyClick(routed.nav, Qt.Key.Key_Down)
    assert routed.current_key() == "contacts"


def test_open_new_and_search_are_routed_to_the_pages(qtbot: QtBot, routed: MainWindow) -> None:
    routed.open_application(7)
    assert routed.current_key() == "applications"
    applications = routed.pages["applications"]
    routed.open_contact(3)
    assert routed.current_key() == "contacts"
    contacts = routed.pages["contacts"]
    qtbot.keyClick(routed, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert routed.current_key() == "applications"
    qtbot.keyClick(routed, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert applications.calls == [  # type: ignore[attr-defined]
        ("show_application", 7),
        ("new_application", None),
        ("focus_search", None),
    ]
    assert contacts.calls == [("show_contact", 3)]  # type: ignore[attr-defined]


def test_close_asks_every_page_and_a_page_can_refuse(routed: MainWindow) -> None:
    routed.open_contact(1)
    contacts = routed.pages["contacts"]
    contacts.allow_close = False  # type: ignore[attr-defined]
    assert routed.close() is False
    assert routed.isVisible()
    contacts.allow_close = True  # type: ignore[attr-defined]
    assert routed.close() is True


def test_size_position_and_last_page_come_back_next_time(
    qtbot: QtBot, context: AppContext, data_dir: Path
) -> None:
    first = MainWindow(context)
    qtbot.addWidget(first)
    first.show()
    first.resize(QSize(780, 540))
    first.show_page("settings")
    assert first.close()

    assert (data_dir / "afterword-gui.ini").is_file()
    second = MainWindow(context)
    qtbot.addWidget(second)
    second.show()
    assert second.size() == QSize(780, 540)
    assert second.current_key() == "settings"
    assert set(second.pages) == {"settings"}  # only the page on screen is built


def test_before_the_database_opens_only_today_exists_and_waits(
    qtbot: QtBot, db: Database, data_dir: Path, clock: object
) -> None:
    context = AppContext.create(None, data_dir, clock=clock)  # type: ignore[arg-type]
    window = MainWindow(context)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    today = window.pages["today"]
    assert today.stack.currentWidget() is today.loading  # type: ignore[attr-defined]

    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "settings"
    assert set(window.pages) == {"today"}  # settings needs the database: not built yet

    context.attach_database(db)
    window.database_ready()
    assert window.stack.currentWidget() is window.pages["settings"]
    # Today loads when it is looked at, not while hidden.
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert context.ops.wait_for_idle()
    assert today.stack.currentWidget() is today.empty  # type: ignore[attr-defined]


def test_every_control_has_an_accessible_name(main_window: MainWindow) -> None:
    main_window.show_page("settings")
    main_window.show_page("today")
    kinds = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QLineEdit)
    unnamed = [
        f"{type(widget).__name__} {widget.objectName()!r}"
        for kind in kinds
        for widget in main_window.findChildren(kind)
        if not widget.accessibleName()
        and not (isinstance(widget, QAbstractButton) and widget.text())
        # Qt's own parts (scroll bar buttons, the spin box's line edit) are named by Qt.
        and not widget.objectName().startswith("qt_")
        and not isinstance(widget.parent(), QAbstractSpinBox)
        # A combo box's popup list is named through its combo box.
        and widget.parent().metaObject().className() != "QComboBoxPrivateContainer"
    ]
    assert unnamed == []


def test_a_second_launch_brings_a_minimized_window_back(main_window: MainWindow) -> None:
    main_window.showMinimized()
    main_window.bring_to_front()
    assert not main_window.isMinimized()
    assert main_window.isVisible()


# --- errors never vanish ----------------------------------------------------------------------


@pytest.fixture
def crash_hook(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Our exception hook and log file, as the app installs them; undone afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    before = list(logging.getLogger().handlers)
    log_file = setup_logging(data_dir)
    crash.install(log_file)
    yield log_file
    for handler in logging.getLogger().handlers:
        if handler not in before:
            logging.getLogger().removeHandler(handler)
            handler.close()
    for box in crash.open_dialogs():
        box.close()


def test_an_unhandled_error_is_logged_and_shown(
    qtbot: QtBot, crash_hook: Path, opened_urls: list[QUrl]
) -> None:
    def broken_slot() -> None:
        raise RuntimeError("the flux capacitor is empty")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: len(crash.open_dialogs()) == 1)
    box = crash.open_dialogs()[0]
    assert box.text() == "RuntimeError: the flux capacitor is empty"
    assert str(crash_hook) in box.informativeText()
    assert "broken_slot" in box.detailedText()
    log = crash_hook.read_text(encoding="utf-8")
    assert "Unhandled exception" in log
    assert "Traceback" in log and "RuntimeError: the flux capacitor is empty" in log

    # "Show log folder" opens the folder and leaves the message up.
    show_log = next(b for b in box.buttons() if b.text() == "Show log folder")
    qtbot.mouseClick(show_log, Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened_urls] == [crash_hook.parent]
    assert box.isVisible()
    box.close()
    assert crash.open_dialogs() == []


def test_an_error_in_a_worker_thread_is_shown_on_the_gui_thread(
    qtbot: QtBot, crash_hook: Path
) -> None:
    def work() -> None:
        raise ValueError("bad thread")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(crash.open_dialogs()) == 1)
    assert crash.open_dialogs()[0].text() == "ValueError: bad thread"
    assert "ValueError: bad thread" in crash_hook.read_text(encoding="utf-8")


def test_background_tasks_deliver_on_the_gui_thread(
    qapp: QApplication, context: AppContext
) -> None:
    results: list[tuple[object, bool]] = []

    def on_success(value: object) -> None:
        results.append((value, QThread.currentThread() is qapp.thread()))

    context.ops.read(None, lambda a, b: a + b, 40, 2, on_success=on_success)
    assert context.ops.wait_for_idle()
    assert results == [(42, True)]


def test_a_failed_task_goes_to_on_error_or_else_to_a_dialog(
    qtbot: QtBot, context: AppContext, crash_hook: Path
) -> None:
    def refuse() -> None:
        raise ValidationError("email", "Not an email address.")

    errors: list[BaseException] = []
    context.ops.read(None, refuse, on_failure=errors.append)
    assert context.ops.wait_for_idle()
    assert [str(e) for e in errors] == ["email: Not an email address."]
    assert crash.open_dialogs() == []

    context.ops.read(None, refuse)
    assert context.ops.wait_for_idle()
    assert [box.text() for box in crash.open_dialogs()] == ["email: Not an email address."]
    assert "Background task" in crash_hook.read_text(encoding="utf-8")


# --- the command line ---------------------------------------------------------------------------


def test_version_prints_without_loading_qt() -> None:
    script = (
        "import sys\nfrom afterword.gui.app import main\ncode = main(['--version'])\n"
        "print('qt loaded' if any(m.startswith('PySide6') for m in sys.modules) else 'no qt')\n"
        "sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.splitlines() == [f"Afterword {__version__}", "no qt"]


def test_the_first_paint_comes_before_sqlalchemy_keyring_smtp_and_other_pages(
    tmp_path: Path,
) -> None:
    # Runs the real start-up; at the first paint it records what was imported.
    script = f"""
import sys
import afterword.gui.app as app

original = app._Startup.after_first_paint

def spy(self):
    print("loaded:", " ".join(sorted(sys.modules)), flush=True)
    original(self)

app._Startup.after_first_paint = spy
sys.exit(app.main(["--data-dir", {str(tmp_path / "data")!r}, "--self-test"]))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    loaded = set(
        next(line for line in result.stdout.splitlines() if line.startswith("loaded:")).split()[1:]
    )
    assert {"afterword.gui.main_window", "afterword.gui.pages.today"} <= loaded
    too_early = {
        name
        for name in loaded
        if name.split(".")[0] in {"sqlalchemy", "keyring", "smtplib", "alembic", "secretstorage"}
        or name
        in {
            "afterword.core.storage.db",
            "afterword.gui.pages.applications",
            "afterword.gui.pages.contacts",
            "afterword.gui.pages.settings",
        }
        or name == "PySide6.QtNetwork"
    }
    assert too_early == set()
    # ...and the self-test still saw Today filled from the database afterwards.
    assert any(line.startswith("keyring: ") for line in result.stdout.splitlines())


def test_today_shows_from_the_kept_items_without_the_orm_alembic_or_keyring(
    tmp_path: Path,
) -> None:
    # A first start makes the data and, in idle time, the kept checklist items.
    data = tmp_path / "data"
    first = run_app("--data-dir", str(data), "--demo", "--self-test")
    assert first.returncode == 0, first.stderr
    # The next start records what was imported when Today was shown.
    script = f"""
import sys
import afterword.gui.app as app

original = app._Startup.today_loaded

def spy(self):
    print("items:", len(self.today.items), flush=True)
    print("loaded:", " ".join(sorted(sys.modules)), flush=True)
    original(self)

app._Startup.today_loaded = spy
sys.exit(app.main(["--data-dir", {str(data)!r}, "--self-test"]))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert int(next(line for line in lines if line.startswith("items:")).split()[1]) > 0
    loaded = set(next(line for line in lines if line.startswith("loaded:")).split()[1:])
    too_early = {
        name
        for name in loaded
        if name.startswith("sqlalchemy.orm")
        or name.split(".")[0] in {"alembic", "keyring", "secretstorage", "smtplib"}
    }
    assert too_early == set()


def test_a_damaged_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    damaged = folder / "afterword.sqlite3"
    content = b"SQLite format 3\x00" + b"\xff" * 4000
    damaged.write_bytes(content)

    result = run_app("--data-dir", str(folder), "--self-test")

    assert result.returncode == 1
    assert "cannot open its database" in result.stderr
    assert "damaged" in result.stderr or "not an Afterword database" in result.stderr
    assert damaged.read_bytes() == content
    assert not (folder / "afterword.sqlite3-wal").exists()


def test_unknown_flags_are_refused() -> None:
    result = run_app("--frobnicate")
    assert result.returncode == 2
    assert "unrecognized arguments: --frobnicate" in result.stderr
