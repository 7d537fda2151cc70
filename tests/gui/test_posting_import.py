"""Saving a job from its posting in the app, against a real local web server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from afterword.core.applications import list_applications
from afterword.core.storage.db import Database
from afterword.gui.context import AppContext
from afterword.gui.dialogs.posting import PostingDialog
from afterword.gui.main_window import MainWindow
from tests.core.imports.posting_server import posting_server
from tests.core.storage.helpers import row_counts
from tests.gui.helpers import type_into


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with posting_server() as url:
        yield url


def _dialog(qtbot: QtBot, context: AppContext, window: MainWindow) -> PostingDialog:
    dialog = PostingDialog(context, window)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_link_fills_the_fields_and_the_description_shows_in_the_detail(
    qtbot: QtBot,
    main_window: MainWindow,
    context: AppContext,
    db: Database,
    now: datetime,
    site: str,
) -> None:
    dialog = _dialog(qtbot, context, main_window)
    type_into(qtbot, dialog.source, f"{site}/graph.html")
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.role.text() == "Senior Data Engineer", timeout=10_000)
    assert dialog.company.text() == "Northwind Traders"
    assert dialog.salary.text() == "EUR 70,000–85,000 per year"
    assert "JSON-LD" in dialog.status.text()
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    record = saved.args[0]
    assert record.description.startswith("Build our data platform.")
    main_window.open_application(record.id)
    page = main_window.pages["applications"]
    context.ops.wait_for_idle()
    detail = page.detail
    qtbot.waitUntil(lambda: detail.description.text().startswith("Build our"), timeout=10_000)
    assert detail.location.text() == "Berlin, DE; Hamburg, DE"
    assert detail.description.isVisible()


def test_a_page_with_nothing_keeps_what_was_typed(
    qtbot: QtBot, main_window: MainWindow, context: AppContext, db: Database, site: str
) -> None:
    dialog = _dialog(qtbot, context, main_window)
    type_into(qtbot, dialog.company, "Typed Company")
    type_into(qtbot, dialog.source, f"{site}/nothing.html")
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no job posting" in dialog.status.text(), timeout=10_000)
    assert dialog.company.text() == "Typed Company"
    assert dialog.url.text() == f"{site}/nothing.html"


def test_a_link_that_is_not_a_page_is_explained_and_nothing_is_written(
    qtbot: QtBot, main_window: MainWindow, context: AppContext, db: Database, site: str
) -> None:
    counts = row_counts(db)
    dialog = _dialog(qtbot, context, main_window)
    type_into(qtbot, dialog.role, "Typed Role")
    type_into(qtbot, dialog.source, f"{site}/file.pdf")
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not a web page" in dialog.status.text(), timeout=10_000)
    assert dialog.role.text() == "Typed Role"
    # Saving without a company is refused, in the dialog, and writes nothing.
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Not saved" in dialog.status.text(), timeout=10_000)
    assert "Company" in dialog.status.text()
    assert row_counts(db) == counts
    assert list_applications(db, now=context.now()) == []


def test_an_escaped_posting_with_a_relative_link_is_saved(
    qtbot: QtBot,
    main_window: MainWindow,
    context: AppContext,
    db: Database,
    now: datetime,
    site: str,
) -> None:
    dialog = _dialog(qtbot, context, main_window)
    type_into(qtbot, dialog.source, f"{site}/escaped_json_ld.html")
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.company.text() == "Smith & Sons GmbH", timeout=10_000)
    assert dialog.role.text() == "R&D Engineer (m/w/d)"
    assert dialog.url.text() == f"{site}/jobs/42"
    assert dialog.description.text() == "We build things.\nPython\nRust"
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [saved] = list_applications(db, now=now)
    assert (saved.company, saved.role) == ("Smith & Sons GmbH", "R&D Engineer (m/w/d)")
