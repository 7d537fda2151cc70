"""``afterword --demo`` and ``afterword --self-test``, run as real processes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from afterword.core.applications import list_applications
from afterword.core.checklist import service
from afterword.core.contacts import list_contacts
from afterword.core.demo import FolderNotEmptyError, fill_demo
from afterword.core.overview import has_records
from afterword.core.storage.db import Database, open_database
from afterword.core.storage.values import ApplicationStatus
from afterword.gui.widgets.checklist.text import today_groups
from tests.gui.helpers import run_app


def test_self_test_on_an_empty_folder_passes_and_names_the_keyring(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    result = run_app("--data-dir", str(folder), "--self-test")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # ./dev test runs the suite with an unlocked gnome-keyring: the real backend is found.
    assert "keyring: keyring.backends.SecretService.Keyring" in lines
    # Thank-you (one-to-one, panel, phone screen, after a rejection), follow-up,
    # rejection reply, check-in, and after withdrawing or an offer accepted or declined.
    assert "templates: 10" in lines
    assert any(line.startswith("providers: ") and int(line.split()[1]) >= 9 for line in lines)
    assert (folder / "afterword.sqlite3").is_file()
    assert "Self-test passed" in (folder / "logs" / "afterword.log").read_text(encoding="utf-8")


def test_demo_fills_an_empty_folder(tmp_path: Path, now: datetime) -> None:
    folder = tmp_path / "demo"
    result = run_app("--data-dir", str(folder), "--demo", "--self-test")

    assert result.returncode == 0, result.stderr
    db = open_database(folder / "afterword.sqlite3")
    try:
        applications = list_applications(db, now=now)
        assert len(applications) == 12
        assert len({a.status for a in applications}) >= 5  # different stages
        assert any(c.cadence_days for c in list_contacts(db))
    finally:
        db.close()


def test_demo_refuses_a_folder_with_data(tmp_path: Path, now: datetime) -> None:
    folder = tmp_path / "mine"
    assert run_app("--data-dir", str(folder), "--demo", "--self-test").returncode == 0
    database = folder / "afterword.sqlite3"

    result = run_app("--data-dir", str(folder), "--demo", "--self-test")

    assert result.returncode == 2
    assert "already has applications or contacts" in result.stderr
    db = open_database(database)
    try:
        assert len(list_applications(db, now=now)) == 12  # nothing added twice
    finally:
        db.close()


def test_demo_data_gives_today_something_overdue_due_and_coming_up(
    db: Database, now: datetime
) -> None:
    assert not has_records(db)
    fill_demo(db, now)
    assert has_records(db)

    groups = dict(today_groups(service.today(db, now), now))
    assert set(groups) == {"Overdue", "Today", "Next 7 days"}
    titles = [item.title for items in groups.values() for item in items]
    assert any(title.startswith("Send a thank-you to") for title in titles)
    assert any(title.startswith("Follow up with") for title in titles)
    assert any(title.startswith("Check in with") for title in titles)
    statuses = {a.status for a in list_applications(db, now=now)}
    assert ApplicationStatus.REJECTED in statuses and ApplicationStatus.OFFER in statuses

    try:
        fill_demo(db, now)
    except FolderNotEmptyError:
        pass
    else:
        raise AssertionError("fill_demo added the sample twice")
