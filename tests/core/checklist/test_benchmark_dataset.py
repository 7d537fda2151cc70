"""The benchmark dataset script: realistic proportions; an existing database is never touched."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from afterword.core.storage.db import open_database
from afterword.core.storage.models import Application, Contact, Interview, Participant, Touchpoint
from benchmarks.make_dataset import main


def test_it_fills_an_empty_folder_in_realistic_proportions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "--applications", "200"]) == 0

    db = open_database(tmp_path / "afterword.sqlite3")
    try:
        with db.reading() as session:
            count = {
                model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (Application, Interview, Contact, Participant, Touchpoint)
            }
    finally:
        db.close()
    assert count["Application"] == 200
    assert 500 <= count["Interview"] <= 700  # about three per application
    assert count["Contact"] == 400
    assert count["Participant"] == 2 * count["Interview"]
    assert count["Touchpoint"] > count["Participant"]  # thank-yous, follow-ups, check-ins...
    assert "applications: 200" in capsys.readouterr().out


def test_it_refuses_a_folder_that_already_holds_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "afterword.sqlite3"
    open_database(existing).close()
    before = existing.read_bytes()

    assert main(["--data-dir", str(tmp_path), "--applications", "10"]) == 2

    assert existing.read_bytes() == before
    assert "refusing" in capsys.readouterr().err
