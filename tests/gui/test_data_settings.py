"""Settings → "Your data": backup, restore, export and import, clicked as a person would."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
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
from afterword.core.storage.integrity import check_file, damaged_message
from afterword.gui import crash
from afterword.gui.context import AppContext
from afterword.gui.daily_backups import DailyBackups, backup_folder
from afterword.gui.pages.data_settings import DataSafetySection
from afterword.gui.pages.settings import SettingsPage
from tests.core.backups.damage import damage_middle_page, damaged_copy, fill
from tests.core.storage.helpers import application, contact
from tests.gui.helpers import answer_next_box

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


# --- restore refuses unusable files, and works on a damaged database --------------------------


def _pick_and_restore(
    qtbot: QtBot, section: DataSafetySection, context: AppContext, chosen: Path
) -> None:
    """Restore from backup…, pick ``chosen`` in the dialog (it opens in the backup
    folder), and confirm."""
    _click(qtbot, section.restore_button)
    dialog = section.file_dialog
    assert dialog is not None
    opened_in = Path(dialog.directory().absolutePath())
    assert opened_in == backup_folder(context)
    _answer(qtbot, section, chosen)
    assert section.question is not None
    [restore] = [b for b in section.question.buttons() if b.text() == "Restore"]
    _click(qtbot, restore)


def _empty(db: Database, path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _damaged(db: Database, path: Path) -> Path:
    return damaged_copy(db, path)


def _live(db: Database, _path: Path) -> Path:
    return db.path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_damaged, "is damaged and cannot be read"),
        (_empty, "is empty (0 bytes)"),
        (_live, "is the database Afterword is using now"),
    ],
    ids=["damaged", "empty", "the live file"],
)
def test_an_unusable_backup_is_refused_and_the_data_stays(
    qtbot: QtBot,
    section: DataSafetySection,
    context: AppContext,
    db: Database,
    now: datetime,
    tmp_path: Path,
    make: Callable[[Database, Path], Path],
    says: str,
) -> None:
    fill(db, now)
    backup_folder(context).mkdir()
    chosen = make(db, tmp_path / "afterword-20260301T090000Z.sqlite3")
    _pick_and_restore(qtbot, section, context, chosen)
    qtbot.waitUntil(lambda: bool(crash.open_dialogs()), timeout=10_000)
    [box] = crash.open_dialogs()
    assert box.windowTitle() == "The backup could not be restored"
    assert says in box.text() and str(chosen) in box.text()
    assert "data folder" not in box.text() and "move it away" not in box.text()
    assert section.status.text() == "Nothing was restored: your data is as it was."
    assert context.db is db
    assert len(list_applications(db, now=now)) == 40
    assert list_backups(backup_folder(context)) == []


def test_restore_on_a_damaged_database_sets_the_damaged_file_aside(
    qtbot: QtBot, section: DataSafetySection, context: AppContext, db: Database, now: datetime
) -> None:
    fill(db, now)
    _click(qtbot, section.back_up_button)
    qtbot.waitUntil(lambda: "Backed up" in section.status.text())
    [good] = list_backups(backup_folder(context))
    db.close()
    damage_middle_page(db.path)
    problem = check_file(db.path)
    assert problem is not None
    db.refuse_writes(damaged_message(db.path, problem, backups=backup_folder(context)))

    _pick_and_restore(qtbot, section, context, good.path)
    qtbot.waitUntil(lambda: "Restored" in section.status.text(), timeout=10_000)
    assert crash.open_dialogs() == []
    [aside] = backup_folder(context).glob("damaged-afterword-*.sqlite3")
    assert section.status.text() == (
        f"Restored. The damaged database was set aside, unchanged, as {aside}"
    )
    assert context.db is not db and context.db.writes_refused is None
    assert len(list_applications(context.db, now=now)) == 40
    application(context.db, now, company="Saved again")  # writes work again
    context.db.close()


# --- exports never replace a file without asking, and keep the name typed ---------------------


def test_an_export_asks_before_replacing_a_file(
    qtbot: QtBot,
    section: DataSafetySection,
    context: AppContext,
    db: Database,
    now: datetime,
    tmp_path: Path,
) -> None:
    contact(db, now, "Ada Lovelace", email="ada@example.com")
    mine = tmp_path / "people.vcf"
    mine.write_text("MY OWN IMPORTANT FILE")
    _click(qtbot, section.vcard_button)
    assert section.file_dialog is not None
    assert section.file_dialog.defaultSuffix() == "vcf"
    asked = answer_next_box(QMessageBox.StandardButton.No)
    _answer(qtbot, section, tmp_path / "people")  # typed without the extension
    assert asked == ["people.vcf already exists.\nDo you want to replace it?"]
    context.ops.wait_for_idle()
    assert mine.read_text() == "MY OWN IMPORTANT FILE"
    assert "Exported" not in section.status.text()


def test_a_name_with_dots_keeps_them_and_an_existing_file_is_asked_about(
    qtbot: QtBot, section: DataSafetySection, context: AppContext, tmp_path: Path
) -> None:
    name = "Afterword 2026.03.11"
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / f"{name}.json"
    target.write_text("an earlier export")
    _click(qtbot, section.json_button)
    assert section.file_dialog is not None
    assert section.file_dialog.defaultSuffix() == "json"
    _answer(qtbot, section, folder / name)
    box = section.question
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == f"{name}.json already exists.\nDo you want to replace it?"
    _click(qtbot, box.button(QMessageBox.StandardButton.Cancel))
    context.ops.wait_for_idle()
    assert target.read_text() == "an earlier export"
    assert sorted(p.name for p in folder.iterdir()) == [f"{name}.json"]

    _click(qtbot, section.json_button)
    _answer(qtbot, section, folder / name)
    [replace] = [b for b in section.question.buttons() if b.text() == "Replace"]
    _click(qtbot, replace)
    qtbot.waitUntil(lambda: str(target) in section.status.text())
    assert json.loads(target.read_text())["format"] == "afterword-export"
    assert sorted(p.name for p in folder.iterdir()) == [f"{name}.json"]


def test_a_csv_export_asks_before_replacing_an_earlier_one(
    qtbot: QtBot, section: DataSafetySection, context: AppContext, tmp_path: Path
) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "contacts.csv").write_text("my edited copy")
    _click(qtbot, section.csv_button)
    _answer(qtbot, section, folder)
    box = section.question
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == "contacts.csv already exists.\nDo you want to replace it?"
    _click(qtbot, box.button(QMessageBox.StandardButton.Cancel))
    context.ops.wait_for_idle()
    assert sorted(p.name for p in folder.iterdir()) == ["contacts.csv"]
    assert (folder / "contacts.csv").read_text() == "my edited copy"
