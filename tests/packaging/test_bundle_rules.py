"""The rules the spec builds with, checked against the code they describe (no build needed)."""

from __future__ import annotations

import ast
import importlib.metadata
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import build_bundle
import bundle_rules
import pytest

ROOT = bundle_rules.ROOT
SPEC_TEXT = (ROOT / "packaging" / "afterword.spec").read_text(encoding="utf-8")


def _pyside6_modules_imported_by(folder: Path) -> set[str]:
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            names.update(m.split(".")[1] for m in modules if m.startswith("PySide6."))
    return names


def test_qt_module_list_is_exactly_what_the_gui_imports() -> None:
    # A new Qt module in gui/ must be added to the bundle; one no longer used
    # should stop costing space.
    assert _pyside6_modules_imported_by(ROOT / "gui") == bundle_rules.QT_MODULES_USED


def test_unused_qt_modules_are_excluded_and_used_ones_are_not() -> None:
    excluded = set(bundle_rules.unused_qt_modules())
    assert {"PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtDesigner"} <= excluded
    assert not {f"PySide6.{name}" for name in bundle_rules.QT_MODULES_USED} & excluded


def test_every_keyring_backend_is_listed_in_the_spec() -> None:
    # keyring discovers backends through entry points; a backend keyring adds
    # later would silently be missing from the frozen app.
    backends = importlib.metadata.entry_points(group="keyring.backends")
    assert backends
    for backend in backends:
        assert f'"{backend.value}"' in SPEC_TEXT, backend.value


@pytest.mark.parametrize(
    ("folder", "filename", "kept"),
    [
        ("PySide6/Qt/plugins/platforms", "libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms", "libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms", "libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms", "qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms", "libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/platforms", "libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes", "libqgtk3.so", False),
        ("PySide6/Qt/plugins/platformthemes", "libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts", "libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/imageformats", "libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats", "libqpdf.so", False),
        ("PySide6/Qt/plugins/tls", "libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/sqldrivers", "libqsqlite.so", False),
        ("PySide6\\Qt\\plugins\\styles", "qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/translations", "qtbase_de.qm", False),
        ("PySide6/Qt/lib", "libQt6Core.so.6", True),
        ("PySide6/Qt/lib", "libQt6Qml.so.6", False),
        ("PySide6/Qt/lib", "libQt6WebEngineCore.so.6", False),
        (".", "libgtk-3.so.0", False),
    ],
)
def test_qt_file_rules(folder: str, filename: str, kept: bool) -> None:
    assert bundle_rules.keep_qt_file(folder, filename) is kept


def test_data_files_carry_resources_and_migrations_but_no_code_nor_build_icons() -> None:
    pairs = bundle_rules.data_files()
    bundled = {(Path(src).relative_to(ROOT).as_posix(), dest) for src, dest in pairs}
    # The .ico and .icns are the executable's and installer's icons, built in, not opened.
    resources = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "resources").rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc", ".ico", ".icns")
    }
    assert {src for src, _dest in bundled if src.startswith("resources/")} == resources
    # Each file lands in the bundle at its checkout place under afterword/ (the
    # installed name), which is what makes afterword.core.storage.paths and
    # afterword.core.storage.db find them in both.
    assert all(dest == f"afterword/{Path(src).parent.as_posix()}" for src, dest in bundled)
    migrations = {src for src, _dest in bundled if src.startswith("core/storage/migrations/")}
    assert "core/storage/migrations/versions/0001_initial.py" in migrations
    versions = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "core" / "storage" / "migrations" / "versions").glob("*.py")
    }
    assert versions and versions <= migrations
    assert not any("__pycache__" in src for src, _dest in bundled)


def test_migration_imports_cover_what_the_scripts_import() -> None:
    imports = set(bundle_rules.migration_imports())
    assert {"alembic", "sqlalchemy"} <= {name.split(".")[0] for name in imports}
    assert "afterword.core.storage" in imports  # 0007 builds the search index with search_index


def test_version_comes_from_pyproject() -> None:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        expected = tomllib.load(handle)["project"]["version"]
    assert bundle_rules.read_version() == expected
    assert bundle_rules.version_tuple("1.2.3") == (1, 2, 3, 0)
    assert bundle_rules.version_tuple("2.0rc1") == (2, 0, 0, 0)
    with pytest.raises(ValueError, match=r"MAJOR\.MINOR"):
        bundle_rules.version_tuple("next")


def test_windows_version_info_is_a_version_file_with_the_version() -> None:
    text = bundle_rules.windows_version_info("1.4.2", "Afterword", "afterword")

    # PyInstaller evaluates the file with its version-info classes in scope;
    # evaluate it with stand-ins that record the calls (PyInstaller's own
    # classes need pefile, which it installs only on Windows).
    def record(name: str) -> Callable[..., tuple[str, tuple[object, ...], dict[str, object]]]:
        return lambda *args, **kwargs: (name, args, kwargs)

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct")
    namespace = {name: record(name) for name in (*names, "VarFileInfo", "VarStruct")}
    info = eval(text, namespace)  # the file is Python syntax by design
    assert info[0] == "VSVersionInfo"
    fixed = info[2]["ffi"]
    assert fixed[2]["filevers"] == fixed[2]["prodvers"] == (1, 4, 2, 0)
    table = info[2]["kids"][0][1][0][0]
    strings = {entry[1][0]: entry[1][1] for entry in table[1][1]}
    assert strings["ProductVersion"] == strings["FileVersion"] == "1.4.2"
    assert strings["OriginalFilename"] == "afterword.exe"
    assert strings["ProductName"] == "Afterword"


def test_fingerprint_follows_sources_but_not_bytecode(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    for folder in build_bundle.SOURCE_FOLDERS:
        shutil.copytree(ROOT / "core" / "storage" / "migrations", root / folder)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    first = build_bundle.fingerprint(root)
    cache = root / "gui" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "x.cpython-311.pyc").write_bytes(b"\0")
    assert build_bundle.fingerprint(root) == first
    (root / "gui" / "env.py").write_text("# changed\n", encoding="utf-8")
    assert build_bundle.fingerprint(root) != first
