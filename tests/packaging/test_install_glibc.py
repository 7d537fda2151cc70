"""install.sh refuses a system whose glibc is older than the bundle needs, saying so.

An old glibc cannot be had on this machine, so the test puts a ``getconf``
first on the PATH that answers like one (a fake for a fault that cannot be
produced for real). The real ``getconf`` answers the second test. No bundle
is built: the check runs before the bundle is looked at.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.packaging.helpers import ROOT

INSTALL = ROOT / "packaging" / "linux" / "install.sh"


def _install(tmp_path: Path, path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(INSTALL), "--prefix", str(tmp_path / "prefix"), "--bundle", "/nonexistent"],
        env={**os.environ, "PATH": path, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("answer", ["glibc 2.31", "glibc 2.35", ""])
def test_an_older_or_unknown_c_library_is_refused_clearly(tmp_path: Path, answer: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "getconf"
    fake.write_text(f"#!/bin/sh\necho '{answer}'\n" if answer else "#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    result = _install(tmp_path, f"{bin_dir}:{os.environ['PATH']}")
    assert result.returncode == 1
    assert "needs glibc 2.36 or newer" in result.stderr
    if answer:
        assert f"this system has {answer}" in result.stderr
    assert not (tmp_path / "prefix" / "lib").exists()


def test_this_systems_glibc_passes_the_check(tmp_path: Path) -> None:
    result = _install(tmp_path, os.environ["PATH"])
    assert "glibc" not in result.stderr
    assert "no bundle folder at /nonexistent" in result.stderr
