"""Afterword installs under one distinctive top-level name: ``afterword``.

Generic names such as ``core`` clash with other distributions (one that also
ships ``core/`` silently overwrote our files and deleted them on uninstall),
so the wheel must hold nothing else at its top level.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.architecture.imports import ROOT

SOURCES = ("core", "gui", "resources", "pyproject.toml", "README.md", "LICENSE")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a clean copy of the sources (no stale ``build/`` can leak in)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("afterword-*.whl")
    return built


def test_the_wheel_has_one_top_level_name(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert top == {"afterword"}
    # The package data comes along under its installed name.
    assert "afterword/resources/providers.json" in names
    assert "afterword/resources/templates/thank_you.txt" in names
    assert "afterword/core/storage/migrations/script.py.mako" in names
    assert any(name.startswith("afterword/resources/icons/hicolor/") for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert (
        "afterword = afterword.gui.app:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    )


def test_installed_import_afterword_core_works_and_import_core_fails(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    probe = (
        "import importlib.util, afterword.core.storage.values, afterword.resources\n"
        "print(afterword.core.storage.values.__file__)\n"
        "print(importlib.util.find_spec('core'), importlib.util.find_spec('gui'))\n"
    )
    # -S: no site-packages, so neither the checkout's editable install nor the
    # current folder can answer for the installed wheel.
    result = subprocess.run(
        [sys.executable, "-S", "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        check=True,
    )
    values_file, specs = result.stdout.splitlines()
    assert Path(values_file).is_relative_to(target / "afterword" / "core")
    assert specs == "None None"
