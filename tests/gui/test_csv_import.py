"""Spreadsheet import in the app: columns guessed, dry run, import with progress, one undo."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from pytestqt.qtbot import QtBot

from afterword.core.applications import list_applications
from afterword.core.imports.spreadsheet import Column, DateOrder
from afterword.core.storage.db import Database
from afterword.gui.context import AppContext
from afterword.gui.dialogs.csv_import import CsvImportDialog, locale_date_order
from afterword.gui.main_window import MainWindow
from tests.core.storage.helpers import row_counts

FIXTURES = Path(__file__).parents[1] / "core" / "imports" / "fixtures"


def _dialog(qtbot: QtBot, context: AppContext, window: MainWindow) -> CsvImportDialog:
    dialog = CsvImportDialog(context, window)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_spreadsheet_is_checked_imported_and_undone(
    qtbot: QtBot, main_window: MainWindow, context: AppContext, db: Database, now: datetime
) -> None:
    dialog = _dialog(qtbot, context, main_window)
    dialog.load(FIXTURES / "german_excel.csv")
    qtbot.waitUntil(lambda: dialog.check is not None, timeout=10_000)
    assert dialog.combos[Column.COMPANY].currentText() == "Company"
    assert dialog.combos[Column.ROLE].currentText() == "Position"
    # The person says the dates are day-first (the test machine's locale may not).
    dialog.order.setCurrentIndex(dialog.order.findData(DateOrder.DMY))
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    assert dialog.import_button.text() == "Import 2 applications"
    assert "2 to import, 1 already there" in dialog.summary.text()
    results = [dialog.preview.item(r, 5).text() for r in range(dialog.preview.rowCount())]
    assert any("Company" in text for text in results)  # the row without a company says why
    counts = row_counts(db)
    assert row_counts(db) == counts  # the dry run wrote nothing
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.progress.value() == dialog.progress.maximum() == 2
    assert {a.company for a in list_applications(db, now=now)} == {"Müller & Söhne GmbH", "Contoso"}
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Undone" in dialog.outcome.text(), timeout=10_000)
    assert list_applications(db, now=now) == []


def test_changing_a_column_checks_again(
    qtbot: QtBot, main_window: MainWindow, context: AppContext
) -> None:
    dialog = _dialog(qtbot, context, main_window)
    dialog.load(FIXTURES / "huntr_export.csv")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    combo = dialog.combos[Column.COMPANY]
    combo.setCurrentIndex(combo.findData(-1))  # "(not imported)"
    qtbot.waitUntil(lambda: "company and the role" in dialog.summary.text(), timeout=10_000)
    assert not dialog.import_button.isEnabled()


def test_a_file_that_is_no_spreadsheet_is_explained(
    qtbot: QtBot, main_window: MainWindow, context: AppContext, tmp_path: Path
) -> None:
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    dialog = _dialog(qtbot, context, main_window)
    dialog.load(bad)
    qtbot.waitUntil(lambda: "Cannot import" in dialog.file_label.text(), timeout=10_000)
    assert "binary" in dialog.file_label.text()


def test_the_date_order_follows_the_locale() -> None:
    assert (
        locale_date_order(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        == DateOrder.DMY
    )
    assert (
        locale_date_order(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        == DateOrder.MDY
    )
    assert (
        locale_date_order(QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden))
        == DateOrder.YMD
    )
