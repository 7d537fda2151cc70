"""The one rule of the house: ``core/`` never imports Qt or the GUI."""

import subprocess
import sys

from tests.architecture.imports import ROOT, imported_modules, module_name, sources

FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "afterword.gui")


def _forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)


def test_core_sources_never_import_qt_or_gui() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources("core")
        for name in imported_modules(path)
        if _forbidden(name)
    ]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt() -> None:
    # Catches indirect imports too (a core module importing a helper that imports Qt).
    modules = [
        module_name(path)
        for path in sources("core")
        if "migrations" not in path.parts and path.name != "__init__.py"
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if any(m == b or m.startswith(b + '.') "
        f"for b in {FORBIDDEN!r}))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
