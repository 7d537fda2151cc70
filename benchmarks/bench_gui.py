"""Start-up time and memory of the desktop app, side by side with a bare PySide6 window.

    .venv/bin/python benchmarks/bench_gui.py [--runs 9] [--dataset DIR ...]

Each figure is the median over ``--runs`` launches (with min and max); the
app and its baseline are launched alternately so that a busy machine slows
both alike. Times run from just before the process is started to the moment
named. Run it inside a D-Bus session with a keyring (as ``./dev test`` makes)
so that the self-test's keyring check talks to a real Secret Service.

- *First paint*, on an empty data folder and on each dataset (a warm
  folder): ``afterword --self-test`` until its window is painted (the
  "Window painted" log line) vs ``benchmarks/bare_window.py`` until its first
  paint. Target: at most 1.2x.
- *Self-test, new folder*: ``afterword --self-test`` on a folder that does
  not exist yet (the database is created) until the process has exited, vs
  the bare window until it has exited. Target: at most 1.5x.
- *Today shown*, on each dataset: ``afterword --self-test`` until Today is
  filled and painted (the "Today shown" log line) vs the bare window plus
  importing SQLAlchemy, creating an engine and one query
  (``bare_window.py --query``). Target at 10,000 applications: at most 1.0x.
- *Peak memory* (maximum resident set size) when Today is shown (the app
  logs it) vs the bare window's whole run (from ``wait4``). Target at 10,000
  applications: at most 1.4x.

Datasets come from ``benchmarks/make_dataset.py`` (a 10,000-application one
is made in a temporary folder unless ``--dataset`` names some). Prints
Markdown tables; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
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
# (target ratio, applies only at this dataset size; None: every size)
TARGETS = {
    "first paint": (1.2, None),
    "self-test": (1.5, None),
    "Today shown": (1.0, APPLICATIONS),
    "peak memory": (1.4, APPLICATIONS),
}


@dataclass(frozen=True)
class Run:
    seconds: float  # from launch to the moment measured
    peak_rss_mib: float
    painted: float = 0.0  # the app's first paint, from launch


@dataclass(frozen=True)
class Row:
    name: str
    app: list[float]
    baseline: list[float]
    unit: str
    target: float | None

    @property
    def ratio(self) -> float:
        return statistics.median(self.app) / statistics.median(self.baseline)

    @property
    def met(self) -> bool:
        return self.target is None or self.ratio <= self.target

    def line(self) -> str:
        def spread(values: list[float]) -> str:
            return f"{statistics.median(values):.0f} ({min(values):.0f}-{max(values):.0f})"

        verdict = (
            "" if self.target is None else f"≤ {self.target}x {'met' if self.met else 'MISSED'}"
        )
        return (
            f"| {self.name} | {spread(self.app)} {self.unit} | {spread(self.baseline)} {self.unit} "
            f"| {self.ratio:.2f}x | {verdict} |"
        )


def _run(command: list[str]) -> tuple[float, str, float, float]:
    """Run ``command``, reap it with wait4: (start epoch, stdout, peak RSS MiB, seconds to exit)."""
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
    ended = time.time()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {os.waitstatus_to_exitcode(status)}")
    return started, out, usage.ru_maxrss / 1024, ended - started  # ru_maxrss: KiB on Linux


def _log_line(folder: Path, marker: str, after: float) -> tuple[float, str]:
    """(epoch time, text) of the newest log line containing ``marker`` written after ``after``."""
    for line in reversed((folder / LOG).read_text(encoding="utf-8").splitlines()):
        if marker in line:
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            if stamp >= after - 0.001:
                return stamp, line
    raise RuntimeError(f"no {marker!r} line in {folder / LOG}")


def _self_test(folder: Path) -> tuple[float, float]:
    started, _out, _rss, total = _run(
        [PYTHON, "-m", "afterword.gui.app", "--data-dir", str(folder), "--self-test"]
    )
    return started, total


def app_run(folder: Path) -> Run:
    """The app's self-test: Today shown, with the peak memory then (as the app logs it,
    before the self-test's own checks), and the first paint."""
    started, _total = _self_test(folder)
    painted, _line = _log_line(folder, "Window painted", started)
    shown, line = _log_line(folder, "Today shown", started)
    logged = re.search(r"peak memory (\d+) MiB", line)
    assert logged is not None, line
    return Run(shown - started, float(logged.group(1)), painted - started)


def new_folder_run(scratch: Path) -> Run:
    """The whole self-test on a folder that does not exist yet."""
    folder = Path(tempfile.mkdtemp(dir=scratch)) / "new"
    _started, total = _self_test(folder)
    return Run(total, 0.0)


def bare_run(database: Path | None, *, until_exit: bool = False) -> Run:
    command = [PYTHON, str(ROOT / "benchmarks" / "bare_window.py")]
    if database is not None:
        command += ["--query", str(database)]
    started, out, rss, total = _run(command)

    def moment(word: str) -> float:
        line = next(line for line in out.splitlines() if line.startswith(f"{word} "))
        return float(line.split()[1]) - started

    return Run(total if until_exit else moment("ready"), rss, moment("painted"))


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


def _target(name: str, size: int | None) -> float | None:
    ratio, only_at = TARGETS[name]
    return ratio if only_at is None or only_at == size else None


def _ms(runs: list[Run], field: str = "seconds") -> list[float]:
    return [getattr(run, field) * 1000 for run in runs]


def _applications(dataset: Path) -> int:
    connection = sqlite3.connect(dataset / "afterword.sqlite3")
    try:
        return int(connection.execute("SELECT count(*) FROM applications").fetchone()[0])
    finally:
        connection.close()


def measure_empty(runs: int, scratch: Path) -> tuple[list[Row], list[float]]:
    """Rows on an empty and a new folder, and the bare window's peak memory per run."""
    empty = scratch / "empty"
    # The first start creates the database; the measured starts find it, empty.
    _self_test(empty)
    app, bare = side_by_side(runs, lambda: app_run(empty), lambda: bare_run(None))
    new, bare_exit = side_by_side(
        runs, lambda: new_folder_run(scratch), lambda: bare_run(None, until_exit=True)
    )
    rows = [
        Row(
            "first paint, empty folder",
            _ms(app, "painted"),
            _ms(bare),
            "ms",
            _target("first paint", None),
        ),
        Row(
            "`--self-test` on a new folder, until exit",
            _ms(new),
            _ms(bare_exit),
            "ms",
            _target("self-test", None),
        ),
    ]
    return rows, [run.peak_rss_mib for run in bare]


def measure_dataset(runs: int, dataset: Path, bare_rss: list[float]) -> list[Row]:
    size = _applications(dataset)
    app, bare = side_by_side(
        runs, lambda: app_run(dataset), lambda: bare_run(dataset / "afterword.sqlite3")
    )
    return [
        Row(
            f"first paint, {size:,} applications",
            _ms(app, "painted"),
            _ms(bare, "painted"),
            "ms",
            _target("first paint", None),
        ),
        Row(
            f"Today shown, {size:,} applications (baseline: + SQLAlchemy, engine, 1 query)",
            _ms(app),
            _ms(bare),
            "ms",
            _target("Today shown", size),
        ),
        Row(
            f"peak memory at Today, {size:,} applications (baseline: bare window)",
            [run.peak_rss_mib for run in app],
            bare_rss,
            "MiB",
            _target("peak memory", size),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--dataset", type=Path, nargs="*", default=[], help="folders made by make_dataset.py"
    )
    args = parser.parse_args(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="afterword-bench-") as folder:
        scratch = Path(folder)
        empty_rows, bare_rss = measure_empty(args.runs, scratch)
        rows += empty_rows
        datasets = list(args.dataset)
        if not datasets:
            dataset = scratch / "dataset"
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
            datasets = [dataset]
        for dataset in datasets:
            rows += measure_dataset(args.runs, dataset, bare_rss)
    load = os.getloadavg()[0]
    print(f"\n{args.runs} runs each, median (min-max); load average {load:.1f}\n")
    print("| figure | afterword | baseline | ratio | target |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(row.line())
    return 0 if all(row.met for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
