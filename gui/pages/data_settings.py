"""Settings → "Your data": backups (daily, on demand, restore), exports and vCard import.

Every core call goes through ``context.ops``: backups, exports and the
import preview only read, so they run as one-off reads; importing and its
undo are writes. File and folder choices use non-blocking Qt file dialogs
(``open()``), kept in :attr:`DataSafetySection.file_dialog` so a test can
answer them like a person. The daily backup itself runs from
:mod:`afterword.gui.daily_backups`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from afterword.core.backups.restore import DAMAGED_LABEL, restore_backup
from afterword.core.backups.snapshots import KEEP_LABELLED_DAYS, Backup, back_up_now
from afterword.core.exports.tables import csv_files, export_csv, export_json, with_extension
from afterword.core.exports.vcards import export_vcards
from afterword.core.imports.vcards import (
    ImportedContacts,
    VcardPreview,
    import_contacts,
    preview_vcards,
    undo_import,
)
from afterword.core.storage.db import Database
from afterword.gui.context import AppContext
from afterword.gui.daily_backups import BACKUP_FOLDER_KEY, backup_folder
from afterword.gui.dialogs.vcard_import import VcardImportDialog
from afterword.gui.operations import show_failure
from afterword.gui.widgets.button_grid import ButtonGrid

logger = logging.getLogger(__name__)


def _time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class DataSafetySection(QWidget):
    """Backups, restore, exports and the vCard import, as one Settings section."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.file_dialog: QFileDialog | None = None
        self.question: QMessageBox | None = None
        self.import_dialog: VcardImportDialog | None = None
        self._imported: ImportedContacts | None = None

        self.folder_label = QLabel(self)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setAccessibleName("Backup folder")
        self.folder_label.setWordWrap(True)
        explanation = QLabel(
            "A backup is made every day: the last 7 days and 4 weeks are kept, and the "
            f"copies made before a restore for at least {KEEP_LABELLED_DAYS} days. Each is "
            "a complete copy, safe to keep in a folder that a cloud service syncs.",
            self,
        )
        explanation.setWordWrap(True)
        self.choose_folder_button = self._button("Choose folder…", self._choose_folder)
        self.back_up_button = self._button("Back up now", self.back_up_now)
        self.restore_button = self._button("Restore from backup…", self._choose_backup)
        self.csv_button = self._button("Export tables as CSV…", self._choose_csv_folder)
        self.json_button = self._button("Export everything as JSON…", self._choose_json_file)
        self.vcard_button = self._button("Export contacts as vCards…", self._choose_vcard_file)
        self.import_button = self._button("Import contacts from vCards…", self._choose_vcards)
        self.undo_import_button = self._button("Undo import", self.undo_last_import)
        self.undo_import_button.hide()
        self.status = QLabel(self)
        self.status.setAccessibleName("Your data status")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.choose_folder_button)
        layout.addLayout(folder_row)
        layout.addWidget(explanation)
        grid = ButtonGrid(
            [
                self.back_up_button,
                self.restore_button,
                self.csv_button,
                self.json_button,
                self.vcard_button,
                self.import_button,
            ]
        )
        layout.addWidget(grid)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.undo_import_button)
        layout.addLayout(status_row)
        self._show_folder()

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(slot)
        return button

    def _show_folder(self) -> None:
        self.folder_label.setText(f"Backups go to {backup_folder(self._context)}")

    def _say(self, text: str) -> None:
        self.status.setText(text)

    # -- asking for files and folders ---------------------------------------------------------

    def _ask(
        self,
        title: str,
        on_chosen: Callable[[Path], object],
        *,
        mode: str,
        name_filter: str = "",
        start: Path | None = None,
        suffix: str = "",
    ) -> QFileDialog:
        dialog = QFileDialog(self, title, str(start or Path.home()), name_filter)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        # A name typed without an extension gets it here, before the dialog
        # asks whether to replace an existing file of that name.
        dialog.setDefaultSuffix(suffix)
        if mode == "folder":
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        elif mode == "open":
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        else:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda name: on_chosen(Path(name)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def _choose_folder(self) -> None:
        self._ask("Folder for backups", self.set_backup_folder, mode="folder")

    def _choose_backup(self) -> None:
        folder = backup_folder(self._context)
        self._ask(
            "Restore from backup",
            self.confirm_restore,
            mode="open",
            name_filter="Afterword backups (*.sqlite3);;All files (*)",
            start=folder if folder.is_dir() else self._context.data_dir,
        )

    def _choose_csv_folder(self) -> None:
        self._ask("Folder for the CSV files", self.export_csv_to, mode="folder")

    def _choose_json_file(self) -> None:
        self._ask(
            "Export everything",
            self.export_json_to,
            mode="save",
            name_filter="JSON (*.json)",
            suffix="json",
        )

    def _choose_vcard_file(self) -> None:
        self._ask(
            "Export contacts",
            self.export_vcards_to,
            mode="save",
            name_filter="vCards (*.vcf)",
            suffix="vcf",
        )

    def _choose_vcards(self) -> None:
        self._ask("Import contacts", self.preview_import, mode="open", name_filter="vCards (*.vcf)")

    # -- backups ------------------------------------------------------------------------------

    def set_backup_folder(self, folder: Path) -> None:
        self._context.settings.setValue(BACKUP_FOLDER_KEY, str(folder))
        self._show_folder()

    def back_up_now(self) -> None:
        context = self._context
        self._say("Backing up…")
        context.ops.read(
            None,
            back_up_now,
            context.db,
            backup_folder(context),
            now=context.now(),
            on_success=lambda b: self._say(f"Backed up at {_time(b.taken_at)} to {b.path}"),
            failure_title="The backup could not be made",
        )

    def confirm_restore(self, chosen: Path) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Restore from backup",
            f"Replace your current data with the backup {chosen.name}?\n\n"
            "Your current data is backed up first, so this can be undone by restoring "
            "that backup.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)

        def answered(_result: int) -> None:
            if box.clickedButton() is restore:
                self.restore_from(chosen)

        box.finished.connect(answered)
        self.question = box
        box.open()

    def restore_from(self, chosen: Path) -> None:
        context = self._context
        self._say("Restoring…")
        context.ops.read(
            None,
            restore_backup,
            context.db,
            chosen,
            backup_folder(context),
            now=context.now(),
            on_success=self._restored,
            on_failure=self._not_restored,
        )

    def _restored(self, result: tuple[Database, Backup]) -> None:
        restored, before = result
        self._context.attach_database(restored)  # every page reloads
        if before.label == DAMAGED_LABEL:
            self._say(f"Restored. The damaged database was set aside, unchanged, as {before.path}")
        else:
            self._say(f"Restored. Your data from before is kept in {before.path}")

    def _not_restored(self, error: BaseException) -> None:
        self._say("Nothing was restored: your data is as it was.")
        show_failure(error, "The backup could not be restored")

    # -- exports ------------------------------------------------------------------------------

    def _export(self, fn: Callable[..., object], *args: object, **kwargs: object) -> None:
        context = self._context
        context.ops.read(
            None,
            fn,
            context.db,
            *args,
            on_success=lambda _result: self._say(f"Exported to {args[0]}"),
            failure_title="The export could not be written",
            **kwargs,
        )

    def _unless_declined(self, existing: list[Path], then: Callable[[], object]) -> None:
        """``then()``, once the person agreed to replace the ``existing`` files (if any)."""
        if not existing:
            then()
            return
        more = f" and {len(existing) - 1} more files" if len(existing) > 1 else ""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Replace files",
            f"{existing[0].name}{more} already exist in {existing[0].parent}.\n"
            "Do you want to replace them?"
            if more
            else f"{existing[0].name} already exists.\nDo you want to replace it?",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        replace = box.addButton("Replace", QMessageBox.ButtonRole.AcceptRole)

        def answered(_result: int) -> None:
            if box.clickedButton() is replace:
                then()

        box.finished.connect(answered)
        self.question = box
        box.open()

    def export_csv_to(self, folder: Path) -> None:
        existing = [path for path in csv_files(folder) if path.exists()]
        zone = self._context.now().tzinfo
        self._unless_declined(existing, lambda: self._export(export_csv, folder, zone=zone))

    def _export_file(
        self, fn: Callable[..., object], chosen: Path, suffix: str, **kw: object
    ) -> None:
        target = with_extension(chosen, suffix)
        # The dialog asked about ``chosen``; a name it did not extend was not asked about.
        existing = [target] if target != chosen and target.exists() else []
        self._unless_declined(existing, lambda: self._export(fn, target, **kw))

    def export_json_to(self, target: Path) -> None:
        self._export_file(export_json, target, ".json", now=self._context.now())

    def export_vcards_to(self, target: Path) -> None:
        self._export_file(export_vcards, target, ".vcf")

    # -- vCard import -------------------------------------------------------------------------

    def preview_import(self, source: Path) -> None:
        self._context.ops.read(
            None,
            preview_vcards,
            self._context.db,
            source,
            on_success=self._show_preview,
            failure_title="The contacts could not be read",
        )

    def _show_preview(self, preview: VcardPreview) -> None:
        dialog = VcardImportDialog(preview, self)
        dialog.accepted.connect(lambda: self._import(dialog))
        self.import_dialog = dialog
        dialog.open()

    def _import(self, dialog: VcardImportDialog) -> None:
        people = dialog.chosen()
        if not people:
            return
        context = self._context
        context.ops.write(
            import_contacts,
            context.db,
            people,
            now=context.now(),
            initiator=self,
            on_success=self._imported_now,
            failure_title="The contacts could not be imported",
        )

    def _imported_now(self, imported: ImportedContacts) -> None:
        self._imported = imported
        count = len(imported.contact_ids)
        self._say(f"Imported {count} contact{'' if count == 1 else 's'}.")
        self.undo_import_button.show()

    def undo_last_import(self) -> None:
        imported, self._imported = self._imported, None
        self.undo_import_button.hide()
        if imported is None:
            return
        self._context.ops.write(
            undo_import,
            self._context.db,
            imported,
            initiator=self,
            on_success=lambda n: self._say(f"Import undone: {n} contacts removed."),
        )
