"""Start-up time and memory of the desktop app, side by side with a bare PySide6 window.

    .venv/bin/python benchmarks/bench_gui.py [--runs 9] [--dataset DIR]

Each figure is the median over ``--runs`` launches; the app and its baseline
are launched alternately so that a busy machine slows both alike. Times run
from just before the process is started to the moment named:

- *First paint*, on an empty data folder: ``afterword --self-test`` until its
  window is painted (the "Window painted" line of its log) vs
  ``benchmarks/bare_window.py`` until its first paint. Target: at most 1.3x.
- *Today populated*, on the 10,000-application dataset: ``afterword
  --self-test`` until Today is filled and painted (the "Today shown" log line)
  vs the bare window plus importing SQLAlchemy and one query. Target: at most 1.3x.
- *Peak memory* (maximum resident set size) on that dataset once Today is
  shown (the app logs it) vs the bare window's whole run (from ``wait4``).
  Target: at most 1.6x.

The dataset comes from ``benchmarks/make_dataset.py`` (made in a temporary
folder unless ``--dataset`` names one). Typing in the Applications search box
and scrolling its table are measured by ``benchmarks/bench_gui_interaction.py``.
Prints a Markdown table; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Compiled bytecode is cached, as in an installed app or a bundle (this machine
# sets PYTHONDONTWRITEBYTECODE, which would recompile every module on every
# launch); the cache lives outside the checkout.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "QT_QPA_PLATFORM": "offscreen",
    "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "afterword-bench-pycache"),
}
LOG = Path("logs") / "afterword.log"
APPLICATIONS = 10_000


@dataclass(frozen=True)
class Run:
    seconds: float  # from launch to the moment measured
    peak_rss_mib: float


@dataclass(frozen=True)
class Row:
    name: str
    app: float
    baseline: float
    unit: str
    target: float

    @property
    def ratio(self) -> float:
        return self.app / self.baseline

    @property
    def met(self) -> bool:
        return self.ratio <= self.target


def _run(command: list[str]) -> tuple[float, str, float]:
    """Run ``command`` and reap it with wait4: (start epoch, stdout, peak RSS in MiB)."""
    started = time.time()
    read, write = os.pipe()
    pid = os.posix_spawn(
        command[0],
        command,
        ENV,
        file_actions=[
            (os.POSIX_SPAWN_DUP2, write, 1),
            (os.POSIX_SPAWN_CLOSE, read),
        ],
    )
    os.close(write)
    with os.fdopen(read) as stream:
        out = stream.read()
    _pid, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {os.waitstatus_to_exitcode(status)}")
    return started, out, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def _log_line(folder: Path, marker: str, after: float) -> tuple[float, str]:
    """(epoch time, text) of the newest log line containing ``marker`` written after ``after``."""
    for line in reversed((folder / LOG).read_text(encoding="utf-8").splitlines()):
        if marker in line:
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            if stamp >= after - 0.001:
                return stamp, line
    raise RuntimeError(f"no {marker!r} line in {folder / LOG}")


def app_run(folder: Path, marker: str) -> Run:
    """The app's self-test; memory is the peak when Today was shown (before the
    self-test's own keyring check), as the app logs it."""
    started, _out, rss = _run(
        [PYTHON, "-m", "afterword.gui.app", "--data-dir", str(folder), "--self-test"]
    )
    moment, _line = _log_line(folder, marker, started)
    _shown, line = _log_line(folder, "Today shown", started)
    logged = re.search(r"peak memory (\d+) MiB", line)
    return Run(moment - started, float(logged.group(1)) if logged else rss)


def bare_run(database: Path | None) -> Run:
    command = [PYTHON, str(ROOT / "benchmarks" / "bare_window.py")]
    if database is not None:
        command += ["--query", str(database)]
    started, out, rss = _run(command)
    ready = float(next(line for line in out.splitlines() if line.startswith("ready ")).split()[1])
    return Run(ready - started, rss)


def side_by_side(
    runs: int, app: Callable[[], Run], baseline: Callable[[], Run]
) -> tuple[list[Run], list[Run]]:
    app_runs: list[Run] = []
    base_runs: list[Run] = []
    app()  # warm the file cache for both
    baseline()
    for number in range(runs):
        order = (app, baseline) if number % 2 == 0 else (baseline, app)
        for measure in order:
            (app_runs if measure is app else base_runs).append(measure())
    return app_runs, base_runs


def _median(values: list[float]) -> float:
    return statistics.median(values)


def measure(runs: int, dataset: Path, empty: Path) -> list[Row]:
    app_empty, bare = side_by_side(
        runs, lambda: app_run(empty, "Window painted"), lambda: bare_run(None)
    )
    app_full, bare_query = side_by_side(
        runs,
        lambda: app_run(dataset, "Today shown"),
        lambda: bare_run(dataset / "afterword.sqlite3"),
    )
    ms = [
        Row(
            "First paint, empty data folder (ms)",
            _median([r.seconds * 1000 for r in app_empty]),
            _median([r.seconds * 1000 for r in bare]),
            "ms",
            1.3,
        ),
        Row(
            f"Today populated, {APPLICATIONS:,} applications (ms)",
            _median([r.seconds * 1000 for r in app_full]),
            _median([r.seconds * 1000 for r in bare_query]),
            "ms",
            1.3,
        ),
        Row(
            f"Peak memory, {APPLICATIONS:,} applications (MiB)",
            _median([r.peak_rss_mib for r in app_full]),
            _median([r.peak_rss_mib for r in bare]),
            "MiB",
            1.6,
        ),
    ]
    return ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--dataset", type=Path, help="a folder made by make_dataset.py")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="afterword-bench-") as scratch:
        empty = Path(scratch) / "empty"
        # The first start creates the database; the measured starts find it, empty.
        _run([PYTHON, "-m", "afterword.gui.app", "--data-dir", str(empty), "--self-test"])
        dataset = args.dataset
        if dataset is None:
            dataset = Path(scratch) / "dataset"
            print(f"making the {APPLICATIONS:,}-application dataset...", flush=True)
            _run(
                [
                    PYTHON,
                    str(ROOT / "benchmarks" / "make_dataset.py"),
                    "--data-dir",
                    str(dataset),
                    "--applications",
                    str(APPLICATIONS),
                ]
            )
        rows = measure(args.runs, dataset, empty)
    load = os.getloadavg()[0]
    print(f"\n{args.runs} runs each, medians; load average {load:.1f}\n")
    print("| figure | afterword | baseline | ratio | target |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row.name} | {row.app:.0f} | {row.baseline:.0f} | {row.ratio:.2f}x "
            f"| ≤ {row.target}x {'met' if row.met else 'MISSED'} |"
        )
    return 0 if all(row.met for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
