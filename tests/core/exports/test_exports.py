"""Exports and imports on real files: CSV per table, full JSON (re-imported: nothing
lost), contacts as vCard 3.0 out and vCard 3.0/4.0 in."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import stat
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
import vobject

from afterword.core.contacts import create_contact, list_contacts
from afterword.core.demo import fill_demo
from afterword.core.errors import ValidationError
from afterword.core.exports.tables import CSV_TABLES, export_csv, export_json, exported_tables
from afterword.core.exports.vcards import export_vcards
from afterword.core.imports.everything import ImportRefused, import_everything
from afterword.core.imports.vcards import import_contacts, preview_vcards, undo_import
from afterword.core.mail.accounts import save_mail_account
from afterword.core.mail.templates import ensure_default_templates
from afterword.core.settings import set_follow_up_business_days
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.records import ContactFields, MailAccountFields
from afterword.core.storage.values import MailSecurity
from tests.core.storage.helpers import application, contact, row_counts


def _everything(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(path)) as connection:
        return {
            table: connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            for table in exported_tables()
        }


@pytest.fixture
def full(db: Database, now: datetime) -> Database:
    """The demo data, plus a mail account, a setting, templates and awkward text."""
    fill_demo(db, now)
    ensure_default_templates(db)
    save_mail_account(
        db,
        MailAccountFields(
            display_name="Zoë",
            email="zoe@example.com",
            smtp_host="smtp.example.com",
            smtp_port=587,
            security=MailSecurity.STARTTLS,
            username="zoe@example.com",
        ),
    )
    set_follow_up_business_days(db, 4)
    create_contact(
        db, ContactFields(name='=HYPERLINK("x")', notes="Łódź, “quotes”\nline 2"), now=now
    )
    return db


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_csv_per_table_with_bom_and_no_formulas(
    full: Database, now: datetime, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    files = export_csv(full, folder, zone=now.tzinfo)
    assert sorted(p.name for p in files) == sorted(f"{t}.csv" for t in CSV_TABLES)
    contacts = folder / "contacts.csv"
    assert contacts.read_bytes().startswith(b"\xef\xbb\xbf")
    with contacts.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = [row["name"] for row in rows]
    assert '\'=HYPERLINK("x")' in names  # shown as text, never run
    assert not any(str(v).startswith(("=", "+", "-", "@")) for row in rows for v in row.values())
    assert any(row["notes"] == "Łódź, “quotes”\nline 2" for row in rows)
    if os.name == "posix":
        assert {_mode(p) for p in files} == {0o600}
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_the_json_export_reimported_into_an_empty_folder_loses_nothing(
    full: Database, now: datetime, tmp_path: Path
) -> None:
    target = export_json(full, tmp_path / "out" / "afterword.json", now=now)
    if os.name == "posix":
        assert _mode(target) == 0o600
    other = open_database(tmp_path / "new computer" / "afterword.sqlite3")
    try:
        counts = import_everything(other, target)
        assert sum(counts.values()) > 20
        assert _everything(other.path) == _everything(full.path)
    finally:
        other.close()


def test_an_export_is_only_imported_into_an_empty_database(
    full: Database, db: Database, now: datetime, tmp_path: Path
) -> None:
    target = export_json(full, tmp_path / "afterword.json", now=now)
    before = row_counts(db)
    with pytest.raises(ImportRefused, match="already holds data"):
        import_everything(db, target)
    assert row_counts(db) == before


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d.update(format="something else"), "not an Afterword export"),
        (lambda d: d.update(schema="9999"), "another version"),
        (lambda d: d["tables"].update(photos={"columns": [], "rows": []}), "does not know"),
        (lambda d: d["tables"]["contacts"]["rows"][0].append(1), "wrong number"),
        (lambda d: d["tables"]["contacts"]["rows"][0].__setitem__(1, {"a": 1}), "not a value"),
        (lambda d: d["tables"]["interviews"]["rows"][0].__setitem__(1, 999), "rules"),
    ],
    ids=["format", "schema", "table", "width", "value", "broken link"],
)
def test_a_wrong_export_writes_nothing(
    full: Database, now: datetime, tmp_path: Path, change: object, says: str
) -> None:
    target = export_json(full, tmp_path / "afterword.json", now=now)
    document = json.loads(target.read_text(encoding="utf-8"))
    change(document)  # type: ignore[operator]
    target.write_text(json.dumps(document), encoding="utf-8")
    other = open_database(tmp_path / "new" / "afterword.sqlite3")
    try:
        with pytest.raises(ImportRefused, match=says):
            import_everything(other, target)
        assert set(row_counts(other).values()) == {0}
    finally:
        other.close()


def test_contacts_as_vcard_3(db: Database, now: datetime, tmp_path: Path) -> None:
    contact(
        db,
        now,
        "Ada King Lovelace",
        email="ada@example.com",
        phone="+44 20 1234",
        company="Analytical Engines",
        title="Countess",
        linkedin_url="linkedin.com/in/ada",
        notes="Met at the fair; asked about\nthe engine",
    )
    target = export_vcards(db, tmp_path / "contacts.vcf")
    [card] = list(vobject.readComponents(target.read_text(encoding="utf-8")))
    assert card.version.value == "3.0"
    assert card.fn.value == "Ada King Lovelace"
    assert (card.n.value.family, card.n.value.given) == ("Lovelace", "Ada King")
    assert card.email.value == "ada@example.com"
    assert card.tel.value == "+44 20 1234"
    assert card.org.value == ["Analytical Engines"]
    assert card.note.value == "Met at the fair; asked about\nthe engine"
    if os.name == "posix":
        assert _mode(target) == 0o600


VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\n"
    "EMAIL;TYPE=INTERNET:grace@example.com\r\nORG:Navy\r\nTITLE:Rear Admiral\r\n"
    "NOTE:Compilers\\, bugs\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Katherine Johnson\r\n"
    "EMAIL;TYPE=work:katherine@example.com\r\nTEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\r\n"
    "URL:https://www.linkedin.com/in/kj\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Again\r\nEMAIL:ADA@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Address\r\nEMAIL:not-an-address\r\nEND:VCARD\r\n"
)


def test_vcards_in_with_preview_duplicates_and_one_undo(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    contact(db, now, "Ada Lovelace", email="ada@example.com")
    source = tmp_path / "phone.vcf"
    source.write_text(VCARDS, encoding="utf-8")
    before = row_counts(db)
    preview = preview_vcards(db, source)
    assert row_counts(db) == before  # a preview writes nothing
    assert [c.name for c in preview.new] == ["Grace Hopper", "Katherine Johnson"]
    grace, katherine = preview.new
    assert (grace.company, grace.title, grace.notes) == ("Navy", "Rear Admiral", "Compilers, bugs")
    assert (katherine.phone, katherine.linkedin_url) == (
        "+1-555-0100",
        "https://www.linkedin.com/in/kj",
    )
    assert [(d.card.name, d.existing_name) for d in preview.duplicates] == [
        ("Ada Again", "Ada Lovelace")
    ]
    [broken] = preview.unusable
    assert broken.label == "Broken Address" and "email" in broken.problem

    imported = import_contacts(db, preview.new, now=now)
    assert sorted(c.name for c in list_contacts(db)) == [
        "Ada Lovelace",
        "Grace Hopper",
        "Katherine Johnson",
    ]
    assert undo_import(db, imported) == 2
    assert [c.name for c in list_contacts(db)] == ["Ada Lovelace"]


@pytest.mark.parametrize(
    "content", [b"", b"\xff\xfe\x00garbage", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"]
)
def test_a_file_that_is_not_vcards_is_a_clear_error(
    db: Database, tmp_path: Path, content: bytes
) -> None:
    source = tmp_path / "x.vcf"
    source.write_bytes(content)
    with pytest.raises(ValidationError) as refused:
        preview_vcards(db, source)
    assert refused.value.field == "file"


def test_an_import_is_all_or_nothing(db: Database, now: datetime) -> None:
    application(db, now)
    before = row_counts(db)
    with pytest.raises(ValidationError, match=r"contacts\[1\]\.name"):
        import_contacts(db, [ContactFields(name="Fine"), ContactFields(name="")], now=now)
    assert row_counts(db) == before
