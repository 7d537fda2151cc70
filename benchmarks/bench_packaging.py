"""The frozen bundle: its size on disk, and its start-up beside the unfrozen app's.

    .venv/bin/python -m benchmarks.bench_packaging [--runs 10]

Builds ``dist/Afterword`` with ``packaging/build_bundle.py``, or reuses it when
it was built from the current sources. Then starts the app with
``--self-test`` (flags, data folder, database, main window, first paint,
keyring check, exit) N times each way, alternating so both see the same
machine load:

- unfrozen: ``.venv/bin/afterword``, the entry point pip installed;
- frozen: ``dist/Afterword/afterword``.

Each side has its own data folder, prepared by one untimed run, so the timed
runs open an existing, migrated database as a user's start does. Offscreen
Qt; whatever keyring the environment offers serves both sides alike.

Prints the bundle's size, the medians and their ratio; exits 1 if the bundle
is over 130 MiB or the frozen start-up takes more than 1.2 times the unfrozen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

import build_bundle  # noqa: E402  (packaging/ is a folder of scripts, put on the path above)

MiB = 1024 * 1024
SIZE_LIMIT_MIB = 130.0
RATIO_LIMIT = 1.2


def disk_usage(folder: Path) -> int:
    """Bytes on disk, as ``du`` counts them (symbolic links not followed)."""
    return sum(path.lstat().st_blocks * 512 for path in folder.rglob("*") if not path.is_symlink())


def start_once(program: Path, data: Path) -> float:
    """Seconds from launching ``program --self-test`` until it exited (successfully)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    result = subprocess.run(
        [str(program), "--self-test", "--data-dir", str(data)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{program} --self-test failed:\n{result.stdout}{result.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed starts per side")
    args = parser.parse_args(argv)

    build = build_bundle.build(reuse=True, archive=False)
    how = "reused" if build.reused else f"built in {build.seconds:.0f} s"
    size_mib = disk_usage(build.bundle) / MiB
    print(f"bundle {build.bundle} ({how}): {size_mib:.1f} MiB on disk")

    programs = {
        "unfrozen": ROOT / ".venv" / "bin" / "afterword",
        "frozen": build.bundle / "afterword",
    }
    times: dict[str, list[float]] = {name: [] for name in programs}
    with tempfile.TemporaryDirectory(prefix="afterword-bench-") as scratch:
        folders = {name: Path(scratch) / name for name in programs}
        for name, program in programs.items():
            start_once(program, folders[name])  # creates and migrates the database
        for _ in range(args.runs):
            for name, program in programs.items():
                times[name].append(start_once(program, folders[name]))

    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(
            f"{name:>9}: median {medians[name] * 1000:6.0f} ms"
            f"  (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}, n={len(values)})"
        )
    ratio = medians["frozen"] / medians["unfrozen"]
    print(f"frozen / unfrozen: {ratio:.2f} (target <= {RATIO_LIMIT})")
    print(f"bundle size: {size_mib:.1f} MiB (target <= {SIZE_LIMIT_MIB:.0f} MiB)")
    return 0 if ratio <= RATIO_LIMIT and size_mib <= SIZE_LIMIT_MIB else 1


if __name__ == "__main__":
    raise SystemExit(main())
