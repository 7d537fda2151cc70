"""Import applications from a spreadsheet (CSV): map columns, check, import, undo.

The dialog shows which column fills which field (guessed from the column
names, Huntr's and Teal's included), reads dates in the order the person's
locale writes them, and checks every row before anything is written (the
dry run): the preview says what each row becomes, which are duplicates and
which have problems. Import writes the good rows in one go with a progress
bar; Undo removes the whole import. Every core call goes through
``context.ops``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from afterword.core.imports.spreadsheet import (
    COLUMN_LABELS,
    MAX_CSV_BYTES,
    Column,
    DateOrder,
    ImportCheck,
    ImportResult,
    RowResult,
    SpreadsheetError,
    Table,
    check_import,
    guess_mapping,
    read_table,
    run_import,
    undo_import,
)
from afterword.gui.context import AppContext
from afterword.gui.lifetime import failure_if_alive, if_alive

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 50
NOT_IMPORTED = -1
IMPORT_FAILED = "The applications could not be imported"
ORDER_LABELS = {
    DateOrder.DMY: "Day, month, year (31.12.2026)",
    DateOrder.MDY: "Month, day, year (12/31/2026)",
    DateOrder.YMD: "Year, month, day (2026-12-31)",
}


def locale_date_order(locale: QLocale | None = None) -> DateOrder:
    """The order the person's locale writes dates in (its short date format)."""
    pattern = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat).lower()
    positions = {part: pattern.find(part) for part in "dmy"}
    if positions["y"] == 0:
        return DateOrder.YMD
    return DateOrder.MDY if 0 <= positions["m"] < positions["d"] else DateOrder.DMY


def counted(count: int, noun: str) -> str:
    """ "1 application", "2 applications"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def read_file(path: Path) -> Table:
    """Read a CSV file (size checked before reading); runs off the GUI thread."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise SpreadsheetError(f"{path.name} is over 20 MB; split it and import the parts.")
        return read_table(path.read_bytes())
    except OSError as exc:
        raise SpreadsheetError(f"{path.name} cannot be read ({exc.strerror}).") from exc


class CsvImportDialog(QDialog):
    """Map, check and import one CSV file; one undo for the whole import."""

    progressed = Signal(int, int)  # rows written, rows to write (from the worker thread)
    imported = Signal(object)  # ImportResult

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.table: Table | None = None
        self.check: ImportCheck | None = None
        self.result: ImportResult | None = None
        self.setWindowTitle("Import applications from a spreadsheet")
        self.setObjectName("csv_import")
        self.setSizeGripEnabled(True)
        self.resize(860, 640)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.file_label = QLabel("Choose a CSV file saved from a spreadsheet, Huntr or Teal.")
        self.file_label.setWordWrap(True)
        choose = QPushButton("Choose file…")
        choose.setAccessibleName("Choose the CSV file")
        choose.clicked.connect(self._choose)
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        layout.addLayout(top)
        layout.addWidget(self._mapping_box())
        self.preview = QTableWidget(0, 6)
        self.preview.setAccessibleName("Preview of the rows")
        self.preview.setHorizontalHeaderLabels(
            ["Row", "Company", "Role", "Status", "Applied", "Result"]
        )
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.preview, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the import will do")
        layout.addWidget(self.summary)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("What the import did")
        layout.addWidget(self.outcome)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        self.progress.hide()
        layout.addWidget(self.progress)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = QPushButton("Import")
        self.import_button.setAccessibleName("Import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.undo_button = QPushButton("Undo import")
        self.undo_button.setAccessibleName("Undo import")
        self.undo_button.hide()
        self.undo_button.clicked.connect(self.undo)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.progressed.connect(self._show_progress)

    def _mapping_box(self) -> QGroupBox:
        box = QGroupBox("Columns")
        grid = QGridLayout(box)
        self.combos: dict[Column, QComboBox] = {}
        for index, (column, label) in enumerate(COLUMN_LABELS.items()):
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {label}")
            combo.currentIndexChanged.connect(self.recheck)
            self.combos[column] = combo
            row, pair = divmod(index, 3)
            grid.addWidget(QLabel(label), row, pair * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(combo, row, pair * 2 + 1)
        self.order = QComboBox()
        self.order.setAccessibleName("Date order")
        for order, label in ORDER_LABELS.items():
            self.order.addItem(label, order)
        self.order.setCurrentIndex(self.order.findData(locale_date_order()))
        self.order.currentIndexChanged.connect(self.recheck)
        last = len(COLUMN_LABELS) // 3 + 1
        grid.addWidget(QLabel("Dates"), last, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.order, last, 1, 1, 3)
        return box

    # -- loading and checking ------------------------------------------------------------------

    def _choose(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Import applications", str(Path.home()), "CSV files (*.csv *.txt);;All files (*)"
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Read ``path`` off the GUI thread, then guess the columns and check the rows."""
        # Whatever was loaded before goes at once: Import must never write the
        # previous file while this one is read, nor after it could not be.
        self._forget_file()
        self.file_label.setText(f"Reading {path.name}…")
        self.context.ops.read(
            "csv-import-read",
            read_file,
            path,
            on_success=if_alive(self, lambda table: self._loaded(path, table)),
            on_failure=if_alive(self, self._read_failed),
        )

    def _read_failed(self, error: BaseException) -> None:
        self._forget_file()
        self.file_label.setText(f"Cannot import this file: {error}")

    def _forget_file(self) -> None:
        """Back to nothing loaded: no rows, no columns, no check, no preview; Import off."""
        self.table = None
        self.check = None
        self.result = None
        self.undo_button.hide()
        self.progress.hide()
        self.outcome.clear()
        self.summary.clear()
        self.preview.setRowCount(0)
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.clear()
            combo.blockSignals(False)
        self.import_button.setText("Import")
        self.import_button.setEnabled(False)

    def _loaded(self, path: Path, table: Table) -> None:
        self.table = table
        self.file_label.setText(
            f"{path.name}: {len(table.rows):,} rows, {len(table.headers)} columns"
        )
        mapping = guess_mapping(table.headers)
        for column, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("(not imported)", NOT_IMPORTED)
            for index, header in enumerate(table.headers):
                combo.addItem(header or f"Column {index + 1}", index)
            combo.setCurrentIndex(combo.findData(mapping.get(column, NOT_IMPORTED)))
            combo.blockSignals(False)
        self.recheck()

    def mapping(self) -> dict[Column, int]:
        return {
            column: combo.currentData()
            for column, combo in self.combos.items()
            if combo.currentData() not in (None, NOT_IMPORTED)
        }

    def recheck(self) -> None:
        """The dry run, again, after any change of columns or date order."""
        table = self.table
        if table is None:
            return
        self.import_button.setEnabled(False)
        self.context.ops.read(
            "csv-import-check",
            check_import,
            self.context.db,
            table,
            self.mapping(),
            self.order.currentData(),
            on_success=if_alive(self, lambda check: self._checked(table, check)),
            on_failure=if_alive(self, lambda error: self._check_failed(table, error)),
        )

    def _check_failed(self, table: Table, error: BaseException) -> None:
        if table is not self.table:
            return  # the check of a file no longer loaded
        self.check = None
        self.preview.setRowCount(0)
        self.summary.setText(f"Nothing can be imported yet: {getattr(error, 'problem', error)}")

    def _checked(self, table: Table, check: ImportCheck) -> None:
        if table is not self.table:
            return  # the check of a file no longer loaded
        self.check = check
        self.preview.setRowCount(0)
        shown = sorted(check.rows, key=lambda r: r.importable)[:PREVIEW_ROWS]  # problems first
        for result in sorted(shown, key=lambda r: r.line):
            self._add_preview_row(result)
        self.summary.setText(
            f"Checked (nothing written yet): {check.to_import:,} to import, "
            f"{check.duplicates:,} already there (skipped), {check.problems:,} with problems "
            "(skipped; the Result column says why)."
        )
        self.import_button.setText(f"Import {counted(check.to_import, 'application')}")
        self.import_button.setEnabled(check.to_import > 0 and self.result is None)

    def _add_preview_row(self, result: RowResult) -> None:
        row = self.preview.rowCount()
        self.preview.insertRow(row)
        values = result.values
        if result.problem:
            outcome = result.problem
        elif result.duplicate:
            outcome = "Already there: skipped"
        else:
            outcome = f"Will be imported; {result.note}" if result.note else "Will be imported"
        cells = (
            str(result.line),
            values.company if values else result.company,
            values.role if values else result.role,
            values.status.value.capitalize() if values else "",
            result.applied_on.isoformat() if result.applied_on else "",
            outcome,
        )
        for column, text in enumerate(cells):
            self.preview.setItem(row, column, QTableWidgetItem(text))

    # -- importing -----------------------------------------------------------------------------

    def start_import(self) -> None:
        if self.check is None or not self.check.to_import:
            return
        self.import_button.setEnabled(False)
        self.progress.setRange(0, self.check.to_import)
        self.progress.setValue(0)
        self.progress.show()
        self.context.ops.write(
            run_import,
            self.context.db,
            self.check,
            now=self.context.now(),
            progress=self.progressed.emit,
            initiator=self,
            on_success=if_alive(self, self._imported),
            on_failure=failure_if_alive(self, self._import_failed, IMPORT_FAILED),
        )

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _imported(self, result: ImportResult) -> None:
        self.result = result
        self.progress.setValue(self.progress.maximum())
        self.outcome.setText(
            f"Imported {counted(len(result.application_ids), 'application')} "
            f"({counted(result.skipped, 'row')} skipped). Undo removes them all."
        )
        self.undo_button.show()
        self.undo_button.setEnabled(True)
        self.imported.emit(result)

    def _import_failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.import_button.setEnabled(True)
        self.outcome.setText(f"Nothing was imported: {error}")

    def undo(self) -> None:
        if self.result is None:
            return
        self.undo_button.setEnabled(False)
        self.context.ops.write(
            undo_import,
            self.context.db,
            self.result,
            initiator=self,
            on_success=if_alive(self, self._undone),
            failure_title="The import could not be undone",
        )

    def _undone(self, removed: int) -> None:
        self.result = None
        self.undo_button.hide()
        self.progress.hide()
        self.outcome.setText(f"Undone: {counted(removed, 'application')} removed.")
        self.recheck()
