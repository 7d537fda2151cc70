"""Settings → "Your data": backup, restore, export and import, clicked as a person would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from afterword.core.applications import list_applications
from afterword.core.backups.snapshots import list_backups
from afterword.core.contacts import list_contacts
from afterword.core.storage.db import Database
from afterword.gui.context import AppContext
from afterword.gui.daily_backups import DailyBackups, backup_folder
from afterword.gui.pages.data_settings import DataSafetySection
from afterword.gui.pages.settings import SettingsPage
from tests.core.storage.helpers import application, contact

VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Again\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:No Address\r\nEMAIL:nope\r\nEND:VCARD\r\n"
)


@pytest.fixture
def section(qtbot: QtBot, context: AppContext) -> Iterator[DataSafetySection]:
    widget = DataSafetySection(context)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    context.ops.wait_for_idle()


def _answer(qtbot: QtBot, section: DataSafetySection, path: Path) -> None:
    """Pick ``path`` in the file dialog the section opened, as a person would."""
    dialog = section.file_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    if dialog.fileMode() == QFileDialog.FileMode.Directory:
        path.mkdir(parents=True, exist_ok=True)
    dialog.setDirectory(str(path.parent))
    dialog.selectFile(path.name)
    dialog.accept()


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_the_section_is_in_settings(qtbot: QtBot, context: AppContext) -> None:
    page = SettingsPage(context)
    qtbot.addWidget(page)
    assert isinstance(page.your_data, DataSafetySection)
    context.ops.wait_for_idle()  # the other sections' loads, before the page goes


def test_back_up_now_into_a_chosen_folder(
    qtbot: QtBot, section: DataSafetySection, context: AppContext, tmp_path: Path
) -> None:
    chosen = tmp_path / "Cloud" / "Afterword backups"
    _click(qtbot, section.choose_folder_button)
    _answer(qtbot, section, chosen)
    assert backup_folder(context) == chosen
    assert str(chosen) in section.folder_label.text()
    _click(qtbot, section.back_up_button)
    qtbot.waitUntil(lambda: "Backed up" in section.status.text())
    [backup] = list_backups(chosen)
    assert str(backup.path) in section.status.text()


def test_restore_from_a_backup(
    qtbot: QtBot, section: DataSafetySection, context: AppContext, db: Database, now: datetime
) -> None:
    application(db, now, company="Before")
    _click(qtbot, section.back_up_button)
    qtbot.waitUntil(lambda: "Backed up" in section.status.text())
    [backup] = list_backups(backup_folder(context))
    application(db, now, company="After")

    _click(qtbot, section.restore_button)
    _answer(qtbot, section, backup.path)
    box = section.question
    assert isinstance(box, QMessageBox) and box.isVisible()
    [restore] = [b for b in box.buttons() if b.text() == "Restore"]
    _click(qtbot, restore)
    qtbot.waitUntil(lambda: "Restored" in section.status.text(), timeout=10_000)
    assert context.db is not db
    assert [a.company for a in list_applications(context.db, now=now)] == ["Before"]
    assert len(list_backups(backup_folder(context))) == 2  # and the one from before
    context.db.close()


def test_cancelling_a_restore_changes_nothing(
    qtbot: QtBot, section: DataSafetySection, context: AppContext, db: Database, now: datetime
) -> None:
    application(db, now, company="Kept")
    _click(qtbot, section.back_up_button)
    qtbot.waitUntil(lambda: "Backed up" in section.status.text())
    [backup] = list_backups(backup_folder(context))
    _click(qtbot, section.restore_button)
    _answer(qtbot, section, backup.path)
    assert section.question is not None
    _click(qtbot, section.question.button(QMessageBox.StandardButton.Cancel))
    assert context.db is db
    assert "Restored" not in section.status.text()


def test_exports_write_real_files(
    qtbot: QtBot, section: DataSafetySection, db: Database, now: datetime, tmp_path: Path
) -> None:
    contact(db, now, "Ada Lovelace", email="ada@example.com")
    for button, target in (
        (section.csv_button, tmp_path / "csv"),
        (section.json_button, tmp_path / "all.json"),
        (section.vcard_button, tmp_path / "people.vcf"),
    ):
        _click(qtbot, button)
        _answer(qtbot, section, target)
        qtbot.waitUntil(lambda target=target: str(target) in section.status.text())
    assert (tmp_path / "csv" / "contacts.csv").exists()
    assert json.loads((tmp_path / "all.json").read_text())["format"] == "afterword-export"
    assert "FN:Ada Lovelace" in (tmp_path / "people.vcf").read_text()


def test_import_vcards_with_preview_and_undo(
    qtbot: QtBot,
    section: DataSafetySection,
    context: AppContext,
    db: Database,
    now: datetime,
    tmp_path: Path,
) -> None:
    contact(db, now, "Ada Lovelace", email="ada@example.com")
    source = tmp_path / "phone.vcf"
    source.write_text(VCARDS, encoding="utf-8")
    _click(qtbot, section.import_button)
    _answer(qtbot, section, source)
    qtbot.waitUntil(lambda: section.import_dialog is not None and section.import_dialog.isVisible())
    dialog = section.import_dialog
    assert dialog is not None
    assert dialog.list.count() == 2  # Grace (ticked) and the duplicate (unticked)
    assert "No Address" in dialog.unusable.text()
    assert dialog.import_button.text() == "Import 1 contact"
    with qtbot.waitSignal(context.ops.changed):
        _click(qtbot, dialog.import_button)
    assert sorted(c.name for c in list_contacts(db)) == ["Ada Lovelace", "Grace Hopper"]
    assert section.undo_import_button.isVisible()
    with qtbot.waitSignal(context.ops.changed):
        _click(qtbot, section.undo_import_button)
    assert [c.name for c in list_contacts(db)] == ["Ada Lovelace"]


def test_the_daily_backup_runs_at_start_and_once_a_day(
    qtbot: QtBot, context: AppContext, clock: object
) -> None:
    daily = DailyBackups(context)
    daily.start()
    context.ops.wait_for_idle()
    daily.run()  # later the same day: nothing new
    context.ops.wait_for_idle()
    assert len(list_backups(backup_folder(context))) == 1
    clock.advance(days=1)  # type: ignore[attr-defined]
    daily.run()
    context.ops.wait_for_idle()
    assert len(list_backups(backup_folder(context))) == 2
