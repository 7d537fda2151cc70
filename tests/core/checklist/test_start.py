"""Today at start-up, read with the standard library's sqlite3 only: the same list, no ORM."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from afterword.core.checklist import service
from afterword.core.checklist.start import read_today
from afterword.core.storage.db import Database
from benchmarks.make_dataset import fill

ROOT = Path(__file__).resolve().parents[3]


def test_the_start_up_read_gives_the_services_today(db: Database, now: datetime) -> None:
    fill(db, 60, now, seed=3)
    first = service.today(db, now)[0]
    service.snooze(db, first.key, now + timedelta(days=1), now)

    for moment in (now, now + timedelta(days=2), now - timedelta(days=20)):
        assert read_today(db.path, moment) == service.today(db, moment)


def test_it_says_none_when_the_kept_items_were_made_for_another_zone_or_year(
    db: Database, now: datetime
) -> None:
    fill(db, 20, now, seed=3)
    service.today(db, now)

    assert read_today(db.path, now.astimezone(ZoneInfo("Asia/Tokyo"))) is None
    assert read_today(db.path, now.replace(year=2027)) is None
    assert read_today(db.path.with_name("missing.sqlite3"), now) is None


def test_it_imports_no_orm(db: Database, now: datetime) -> None:
    fill(db, 20, now, seed=3)
    expected = len(service.today(db, now))
    script = (
        "import sys\n"
        "from datetime import datetime\n"
        "from pathlib import Path\n"
        "from zoneinfo import ZoneInfo\n"
        "from afterword.core.checklist.start import read_today\n"
        f"now = datetime.fromisoformat({now.isoformat()!r}).astimezone(ZoneInfo('Europe/Berlin'))\n"
        "items = read_today(Path(sys.argv[1]), now)\n"
        "print(len(items), 'sqlalchemy.orm' in sys.modules, 'sqlalchemy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(db.path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [str(expected), "False", "False"]
