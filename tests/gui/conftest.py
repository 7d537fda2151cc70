"""Shared fixtures for GUI tests (pytest-qt, offscreen).

- ``clock``: a :class:`Clock` fixed at the suite's ``now`` (Wednesday
  2026-03-11 10:00 Berlin); ``clock.advance(days=1)`` moves it on.
- ``context``: an :class:`afterword.gui.context.AppContext` on the fresh ``db`` in
  ``data_dir``, using ``clock``; its settings file lives in ``data_dir``.
- ``main_window``: the real :class:`afterword.gui.main_window.MainWindow` on
  ``context``, shown, active, starting on Today with Today loaded.
  Pages load in the background: after a change, ``context.ops.wait_for_idle()``
  before looking at the screen.
- ``add_application`` / ``add_interview``: put realistic rows in the
  database through the core services (so the checklist has facts to read).
- Error dialogs (``afterword.gui.crash.open_dialogs()``) are closed after every test,
  so none is left behind.
- ``opened_urls``: the ``file:`` URLs the app asked the desktop to open
  ("Open folder" and the like), caught through Qt's URL-handler hook
  instead of starting a file manager; ``opened_web_urls`` the same for
  ``https:`` (LinkedIn, job postings), instead of starting a browser.

``qtbot.waitExposed`` and ``qtbot.waitActive`` are context managers: wrap
the ``show()`` in ``with``; called bare they do not wait at all.

Dialogs in tests: open them non-blocking (``open()``/``show()``) or close
them from a ``QTimer.singleShot``; never leave a modal ``exec()`` waiting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from afterword.core.applications import create_application
from afterword.core.interviews import save_interview
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ApplicationRecord,
    ContactFields,
    InterviewFields,
    InterviewRecord,
    ParticipantFields,
)
from afterword.core.storage.values import ApplicationStatus
from afterword.gui import crash
from afterword.gui.context import AppContext
from afterword.gui.garbage import GuiThreadGarbageCollector
from afterword.gui.main_window import MainWindow


class Clock:
    """The time the GUI sees; tests move it explicitly."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current = self.current + timedelta(**delta)
        return self.current


@pytest.fixture(scope="session", autouse=True)
def _collect_garbage_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app: worker threads must never run the garbage collector."""
    collector = GuiThreadGarbageCollector(qapp)
    yield
    collector.stop()


@pytest.fixture
def clock(now: datetime) -> Clock:
    return Clock(now)


@pytest.fixture
def context(qapp: object, db: Database, data_dir: Path, clock: Clock) -> Iterator[AppContext]:
    ctx = AppContext.create(db, data_dir, clock=clock)
    yield ctx
    ctx.ops.wait_for_idle()


@pytest.fixture
def main_window(qtbot: object, context: AppContext) -> Iterator[MainWindow]:
    window = MainWindow(context, start_page="today")
    with qtbot.waitActive(window):  # type: ignore[attr-defined]
        window.show()
        window.activateWindow()  # keyboard shortcuts go to the active window
    context.ops.wait_for_idle()  # Today has loaded
    yield window
    # Not window.close(): a page with unsaved edits would ask, and a modal
    # question left open would block the test run.
    window.hide()
    window.deleteLater()


@pytest.fixture
def add_application(db: Database, now: datetime) -> Callable[..., ApplicationRecord]:
    """``add_application(company="Acme", role="Engineer", **fields)`` through the core."""

    def add(company: str = "Acme", role: str = "Engineer", **fields: object) -> ApplicationRecord:
        fields.setdefault("status", ApplicationStatus.INTERVIEWING)
        values = ApplicationFields(company=company, role=role, **fields)  # type: ignore[arg-type]
        return create_application(db, values, now=now - timedelta(days=10))

    return add


@pytest.fixture
def add_interview(db: Database, now: datetime) -> Callable[..., InterviewRecord]:
    """``add_interview(application_id, starts_at, people=[("Ana Ruiz", "ana@x.example")])``."""

    def add(
        application_id: int,
        starts_at: datetime,
        people: list[tuple[str, str]] | None = None,
        **fields: object,
    ) -> InterviewRecord:
        values = InterviewFields(
            application_id=application_id,
            starts_at=starts_at,
            timezone=str(getattr(starts_at.tzinfo, "key", "UTC")),
            **fields,  # type: ignore[arg-type]
        )
        participants = [
            ParticipantFields(new_contact=ContactFields(name=name, email=email))
            for name, email in (people or [])
        ]
        return save_interview(db, values, participants, now=min(now, starts_at))

    return add


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened_urls(qapp: object) -> Iterator[list[QUrl]]:
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    yield catcher.urls
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def opened_web_urls(qapp: object) -> Iterator[list[QUrl]]:
    """The ``https:`` addresses the app asked the desktop to open (no browser starts)."""
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")
    yield catcher.urls
    QDesktopServices.unsetUrlHandler("https")


@pytest.fixture(autouse=True)
def _close_error_dialogs(qapp: object) -> Iterator[None]:
    yield
    for box in crash.open_dialogs():
        box.close()
