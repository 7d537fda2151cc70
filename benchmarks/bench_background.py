"""A background process at 10k applications with nothing due: wake-ups, CPU, memory.

    .venv/bin/python -m benchmarks.bench_background [--seconds 180] [--dataset DIR]

Makes (or takes) a 10k-application folder with ``benchmarks/make_dataset.py``
and dismisses every item due within the week, so nothing is due. Then starts
``afterword --background`` on it and, once the reminders have looked for the
first time, watches the process for ``--seconds``:

- wake-ups per minute: voluntary context switches of all its threads (``/proc``),
  target at most 1 a minute beyond the reminder timer's own;
- CPU between reminders: user + system time over the window, target 0.00 s
  (a tick of the kernel's clock, 0.01 s, counts as noise);
- RSS with no window, against a bare PySide6 window held open the same way
  (``benchmarks/bare_window.py``'s floor), reported, no target.

Run it inside ``dbus-run-session`` to include the notification connection.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
ENV = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
TICKS = os.sysconf("SC_CLK_TCK")
BARE_WINDOW = """
import time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1100, 720)
window.show()
app.processEvents()
print("ready", flush=True)
app.exec()
"""


def make_quiet_dataset(folder: Path, applications: int) -> None:
    """A realistic dataset, with every item due within the week dismissed: nothing due."""
    subprocess.run(
        [PYTHON, "-m", "benchmarks.make_dataset", "--data-dir", str(folder), "--applications",
         str(applications)],
        cwd=ROOT, check=True, env=ENV,
    )  # fmt: skip
    from sqlalchemy import delete

    from afterword.core.checklist import service as checklist
    from afterword.core.storage.db import open_database
    from afterword.core.storage.models import Interview
    from afterword.core.storage.paths import database_path

    db = open_database(database_path(folder))
    now = datetime.now().astimezone()
    with db.session() as session:  # no interview coming up: no reminder before one
        session.execute(delete(Interview).where(Interview.starts_at > now - timedelta(days=1)))
    items = [item for item in checklist.today(db, now) if item.is_actionable]
    for item in items:
        checklist.dismiss(db, item.key, now)
    db.close()
    print(f"dismissed {len(items)} items due within the week")


def _switches(pid: int) -> dict[str, int]:
    """Context switches so far, per thread of ``pid``."""
    counts = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        total = 0
        for line in (task / "status").read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches"):  # a wake-up from a blocking wait
                total += int(line.split()[1])
        counts[task.name] = total
    return counts


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wait_for_log(folder: Path, marker: str, timeout: float = 120) -> None:
    log = folder / "logs" / "afterword.log"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and marker in log.read_text(encoding="utf-8"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"no {marker!r} in {log}")


def bare_window_rss() -> float:
    process = subprocess.Popen(
        [PYTHON, "-c", BARE_WINDOW], env=ENV, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        process.stdout.readline()
        time.sleep(2)
        return _rss_mib(process.pid)
    finally:
        process.terminate()
        process.wait()


def measure(folder: Path, seconds: float) -> dict[str, float]:
    log = folder / "logs" / "afterword.log"
    logged_before = log.read_text().count("Reminders: ") if log.exists() else 0
    process = subprocess.Popen(
        [PYTHON, "-m", "afterword.gui.app", "--background", "--data-dir", str(folder)],
        cwd=ROOT, env=ENV,
    )  # fmt: skip
    try:
        _wait_for_log(folder, "Reminders: ")
        # Start-up's last work settles, and Qt's idle pool threads expire (after 30 s).
        time.sleep(60)
        switches, cpu = _switches(process.pid), _cpu_seconds(process.pid)
        time.sleep(seconds)
        minutes = seconds / 60
        looks = log.read_text().count("Reminders: ") - logged_before
        return {
            "wakeups_per_minute": sum(
                count - switches.get(tid, 0) for tid, count in _switches(process.pid).items()
            )
            / minutes,
            "cpu_seconds": _cpu_seconds(process.pid) - cpu,
            "rss_mib": _rss_mib(process.pid),
            "looks": looks,
        }
    finally:
        process.terminate()
        process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--dataset", type=Path, help="a folder made by this script before")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.dataset or Path(scratch) / "quiet"
        if not (folder / "afterword.sqlite3").exists():
            make_quiet_dataset(folder, args.applications)
        figures = measure(folder, args.seconds)
        bare = bare_window_rss()
    print(
        f"background process, {args.applications} applications, nothing due, {args.seconds:.0f} s"
    )
    print(f"  wake-ups per minute (all threads): {figures['wakeups_per_minute']:.2f}  target <= 1")
    print(f"  CPU between reminders:             {figures['cpu_seconds']:.2f} s  target 0.00")
    print(f"  reminder looks in the log:         {figures['looks']:.0f}  (then 1 per 10 min)")
    print(f"  RSS, no window:                    {figures['rss_mib']:.0f} MiB")
    print(f"  RSS, bare PySide6 window:          {bare:.0f} MiB")
    met = figures["wakeups_per_minute"] <= 1 and figures["cpu_seconds"] <= 0.01
    print("targets met" if met else "targets NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
