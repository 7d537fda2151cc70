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


def _preview(dialog: CsvImportDialog) -> list[list[str]]:
    table = dialog.preview
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def test_a_file_that_cannot_be_read_never_imports_the_one_before(
    qtbot: QtBot, main_window: MainWindow, context: AppContext, db: Database, now: datetime
) -> None:
    dialog = _dialog(qtbot, context, main_window)
    dialog.load(FIXTURES / "huntr_export.csv")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    dialog.load(FIXTURES / "fake.xlsx.csv")
    qtbot.waitUntil(lambda: "Cannot import" in dialog.file_label.text(), timeout=10_000)
    assert dialog.preview.rowCount() == 0 and dialog.summary.text() == ""
    assert all(combo.count() == 0 for combo in dialog.combos.values())
    assert not dialog.import_button.isEnabled() and dialog.import_button.text() == "Import"
    # The person looks at the Dates setting and changes it, then tries Import.
    dialog.order.setCurrentIndex((dialog.order.currentIndex() + 1) % dialog.order.count())
    context.ops.wait_for_idle()
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()
    assert list_applications(db, now=now) == []
    # A readable file brings Import back.
    dialog.load(FIXTURES / "huntr_export.csv")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    assert dialog.import_button.text() == "Import 3 applications"


def test_a_check_still_running_for_the_file_before_is_dropped(
    qtbot: QtBot, main_window: MainWindow, context: AppContext
) -> None:
    dialog = _dialog(qtbot, context, main_window)
    dialog.load(FIXTURES / "huntr_export.csv")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    # A change starts a new check; the next file is chosen before it answers.
    dialog.order.setCurrentIndex((dialog.order.currentIndex() + 1) % dialog.order.count())
    dialog.load(FIXTURES / "fake.xlsx.csv")
    context.ops.wait_for_idle()
    assert "Cannot import" in dialog.file_label.text()
    assert dialog.check is None and dialog.preview.rowCount() == 0
    assert not dialog.import_button.isEnabled()


def test_rows_with_problems_show_what_they_held(
    qtbot: QtBot, main_window: MainWindow, context: AppContext
) -> None:
    dialog = _dialog(qtbot, context, main_window)
    dialog.order.setCurrentIndex(dialog.order.findData(DateOrder.DMY))
    dialog.load(FIXTURES / "bad_rows.csv")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    rows = {row[0]: row for row in _preview(dialog)}
    assert rows["3"][1:3] == ["", "Frontend Engineer"] and "Company" in rows["3"][5]
    assert rows["4"][1:3] == ["Beta AG", ""] and "Role" in rows["4"][5]
    assert rows["5"][1:3] == ["Gamma Ltd", "Data Scientist"]
    assert rows["10"][1] == "Eta" and rows["10"][3] == "Applied"
    assert "No offer yet" in rows["10"][5]
    assert rows["11"][2] == "Multi line role" and rows["11"][5] == "Will be imported"
    assert rows["12"][5] == "Will be imported"


def test_one_application_is_said_in_the_singular(
    qtbot: QtBot, main_window: MainWindow, context: AppContext, tmp_path: Path
) -> None:
    sheet = tmp_path / "one.csv"
    sheet.write_text("Company,Role\nSolo GmbH,Developer\n,No company\n", encoding="utf-8")
    dialog = _dialog(qtbot, context, main_window)
    dialog.load(sheet)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    assert dialog.import_button.text() == "Import 1 application"
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome.text().startswith("Imported 1 application (1 row skipped)")
