"""Real file-system faults for the storage tests: a small disk, a read-only disk.

Both are real tmpfs mounts (root can mount them, as in CI); where mounting is
not allowed the tests that need them are skipped, saying why.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


class Disk:
    """A tmpfs of a few hundred KiB mounted at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bound: list[Path] = []

    def fill(self, leave_free: int) -> None:
        """Write a filler file until only about ``leave_free`` bytes are free."""
        free = shutil.disk_usage(self.path).free
        (self.path / "filler").write_bytes(b"\0" * max(0, free - leave_free))

    def make_read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def make_file_read_only(self, file: Path) -> None:
        """Only ``file`` read-only (a read-only bind mount over it); the folder stays writable."""
        subprocess.run(["mount", "--bind", str(file), str(file)], check=True)
        self.bound.append(file)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(file)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Disk]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command to make a small disk")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.decode()}")
    disk = Disk(mount)
    try:
        yield disk
    finally:
        for file in disk.bound:
            subprocess.run(["umount", "-l", str(file)], check=False)
        subprocess.run(["umount", "-l", str(mount)], check=False)
