"""What goes into Afterword's PyInstaller bundle and what stays out.

Imported by ``afterword.spec`` and by the Qt hooks in ``hooks/`` (PyInstaller
puts this folder on ``sys.path`` through the spec), and by the packaging
tests, which check these rules without building anything.

Kept apart from the spec because a spec file is executed by PyInstaller with
its own globals and cannot be imported by a test.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable, Iterable
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
# The installed top-level name, and the checkout folders that go under it.
PACKAGE = "afterword"
SOURCE_PACKAGES = ("core", "gui", "resources")
MIGRATIONS = Path("core", "storage", "migrations")

# The PySide6 modules the application imports. Every other PySide6 module is
# excluded from the analysis, so its hook never runs and never collects its
# libraries, plugins or QML files. tests/packaging checks gui/ against this.
QT_MODULES_USED = frozenset({"QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtPrintSupport"})

# Qt plugins kept, by plugin folder and name (file name without "lib" and
# extension). Everything else under plugins/ stays out.
QT_PLUGINS_KEPT: dict[str, frozenset[str]] = {
    # xcb and wayland for Linux desktops; offscreen for the self-test and CI;
    # minimal is Qt's last resort; windows and cocoa for the other systems.
    "platforms": frozenset({"qxcb", "qwayland", "qoffscreen", "qminimal", "qwindows", "qcocoa"}),
    # The portal theme gives file dialogs and the light/dark colour scheme of the
    # desktop. The GTK 3 theme is left out on purpose: it links libgtk-3 and
    # would drag the build machine's GTK stack into the bundle.
    "platformthemes": frozenset({"qxdgdesktopportal"}),
    # Typing accents and non-Latin scripts (compose key, IBus). The virtual
    # keyboard plugin is left out: it needs QtQuick and QML.
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    # The UI icons are SVG files.
    "iconengines": frozenset({"qsvgicon"}),
    "imageformats": frozenset({"qsvg"}),
    # Native widget styles (Windows 11 / Vista, macOS); none exist on Linux.
    "styles": frozenset({"qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"}),
    # Window decorations and the shell protocol every Wayland compositor speaks.
    "wayland-decoration-client": frozenset({"adwaita", "bradient"}),
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    # Printing: CUPS on Linux; the Windows plugin where a Qt build has one.
    "printsupport": frozenset({"cupsprintersupport", "windowsprintersupport"}),
}

# Parts of Qt that must never be in the bundle, by file name: the build stops if
# one slips in (each pulls tens of megabytes the app does not use).
QT_FORBIDDEN = re.compile(
    r"(Qt6?(Qml|Quick|WebEngine|Pdf|VirtualKeyboard|Multimedia|3D|Designer)"
    r"|qgtk3|libgtk-|libgdk-)",
    re.IGNORECASE,
)

# Linux libraries taken from the running system instead of the build machine.
# Every desktop has them, and each must match the rest of that desktop: the
# D-Bus client library (which drags in libsystemd and its compression and
# crypto libraries), fontconfig and FreeType (a bundled fontconfig older than
# the system's configuration files misreads them and loses fonts), GLib, the
# X11 client libraries (PyInstaller already leaves libxcb and libwayland out
# for the same reason), GSSAPI/Kerberos (linked by QtNetwork for HTTP
# authentication the app never does; it reads the system's krb5.conf) and the
# CUPS client (it must speak to the system's print server; without it Qt
# still prints to PDF). Together, with what only they need, 16 MiB.
HOST_LIBRARIES = re.compile(
    r"^(libdbus-1|libfontconfig|libfreetype|libglib-2\.0|libgthread-2\.0|libX11|libX11-xcb"
    r"|libXau|libXdmcp|libgssapi_krb5|libcups)\.so"
)

TocEntry = tuple[str, str, str]


def read_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The version in ``pyproject.toml``: the one number every package carries."""
    with pyproject.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3"`` (or ``"1.2.3rc1"``) as the four numbers Windows resources want."""
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", version)
    if match is None:
        raise ValueError(f"version {version!r} does not start with MAJOR.MINOR")
    major, minor, patch = (int(part or 0) for part in match.groups())
    return (major, minor, patch, 0)


def _plugin_name(filename: str) -> str:
    stem = filename.split(".", 1)[0]
    return stem.removeprefix("lib")


def keep_qt_file(dest_dir: str, filename: str) -> bool:
    """Whether a file a Qt hook wants to collect belongs in the bundle.

    ``dest_dir`` is the folder inside the bundle (``PySide6/Qt/plugins/platforms``).
    Translations are dropped (the interface is English and Qt's own strings in
    standard dialogs stay English too); plugins are kept only if listed above.
    """
    parts = PurePosixPath(dest_dir.replace("\\", "/")).parts
    if "translations" in parts:
        return False
    if "plugins" in parts:
        below = parts[parts.index("plugins") + 1 :]
        if not below:
            return False
        return _plugin_name(filename) in QT_PLUGINS_KEPT.get(below[0], frozenset())
    return QT_FORBIDDEN.search(filename) is None


def filter_qt_hook(
    hiddenimports: list[str], binaries: list[tuple[str, str]], datas: list[tuple[str, str]]
) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Apply :func:`keep_qt_file` to what PyInstaller's own Qt hook collected.

    Done in the hook, before PyInstaller follows the plugins' library
    dependencies, so a dropped plugin's libraries are never collected.
    """
    return (
        hiddenimports,
        [(src, dest) for src, dest in binaries if keep_qt_file(dest, Path(src).name)],
        [(src, dest) for src, dest in datas if keep_qt_file(dest, Path(src).name)],
    )


def unused_qt_modules() -> list[str]:
    """Every installed ``PySide6.Qt*`` extension module the app does not use."""
    import PySide6

    installed = {
        path.name.split(".", 1)[0]
        for path in Path(PySide6.__file__).parent.glob("Qt*")
        if path.name.endswith(tuple(EXTENSION_SUFFIXES))
    }
    return sorted(f"PySide6.{name}" for name in installed - QT_MODULES_USED)


def forbidden_files(toc: Iterable[tuple[str, str, str]]) -> list[str]:
    """Bundle paths in a PyInstaller TOC that :data:`QT_FORBIDDEN` or the plugin list reject."""
    offenders = []
    for dest, _src, _kind in toc:
        path = PurePosixPath(dest.replace("\\", "/"))
        if not keep_qt_file(str(path.parent), path.name):
            offenders.append(dest)
    return sorted(offenders)


def elf_needed(path: str) -> set[str]:
    """The libraries an ELF file names as DT_NEEDED (objdump ships with binutils,
    which PyInstaller itself needs on Linux)."""
    result = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=True)
    return {
        line.split()[1] for line in result.stdout.splitlines() if line.strip().startswith("NEEDED")
    }


def without_host_libraries(
    binaries: list[TocEntry], needed: Callable[[str], set[str]] = elf_needed
) -> list[TocEntry]:
    """Drop :data:`HOST_LIBRARIES`, and the libraries only they needed, from a binaries TOC.

    A library goes only if it is reachable from a dropped one and nothing kept
    needs it, so modules and plugins (which nothing links to) always stay.
    """
    needs = {dest: needed(src) for dest, src, _kind in binaries}
    by_name = {PurePosixPath(dest).name: dest for dest in needs}
    dropped = {dest for dest in needs if HOST_LIBRARIES.match(PurePosixPath(dest).name)}
    while True:
        wanted = set().union(*(needs[dest] for dest in needs if dest not in dropped))
        below = set().union(*(needs[dest] for dest in dropped))
        orphans = {by_name[name] for name in below - wanted if name in by_name} - dropped
        if not orphans:
            break
        dropped |= orphans
    return [entry for entry in binaries if entry[0] not in dropped]


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """The files the app opens at run time, as ``(source, folder in bundle)`` pairs.

    - ``resources/`` (icons, templates, provider data, desktop files) goes to
      ``afterword/resources`` beside the ``afterword.core`` package, where
      :func:`afterword.core.storage.paths.resources_dir` looks in a checkout
      and in the bundle alike;
    - the Alembic migration scripts go to ``afterword/core/storage/migrations``,
      because Alembic reads them as files from the folder next to ``db.py``.

    The Windows and macOS icon files are left out: they are build inputs (the
    executable's, the installer's and the app bundle's icons), never opened at
    run time.
    """
    pairs: list[tuple[str, str]] = []
    for folder, wanted in (
        (root / "resources", lambda path: path.suffix not in {".py", ".ico", ".icns"}),
        (root / MIGRATIONS, lambda path: path.name != "__init__.py"),
    ):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and wanted(path):
                dest = PurePosixPath(PACKAGE, path.parent.relative_to(root).as_posix())
                pairs.append((str(path), str(dest)))
    return pairs


def stage_sources(dest: Path, root: Path = ROOT) -> Path:
    """Copy the three source folders into ``dest/afterword/`` and return ``dest``.

    The checkout keeps short folder names (``core``, ``gui``, ``resources``)
    that install under the ``afterword`` namespace. PyInstaller's analysis
    looks modules up on plain search paths and does not follow setuptools'
    editable-install finder, so the spec analyses this staged copy instead.
    """
    target = dest / PACKAGE
    shutil.rmtree(dest, ignore_errors=True)
    for folder in SOURCE_PACKAGES:
        shutil.copytree(
            root / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    return dest


def migration_imports(root: Path = ROOT) -> list[str]:
    """Modules the migration scripts import.

    Alembic executes the scripts from files, so PyInstaller never sees their
    imports; listing them as hidden imports puts those modules in the bundle.
    """
    names: set[str] = set()
    for script in sorted((root / MIGRATIONS).rglob("*.py")):
        tree = ast.parse(script.read_text(encoding="utf-8"), filename=str(script))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return sorted(names)


def windows_version_info(version: str, app_name: str, exe_name: str) -> str:
    """The version resource of ``afterword.exe`` (Explorer's Properties > Details).

    Written in PyInstaller's version-file format (what ``pyi-grab_version``
    prints), which the spec saves and passes to ``EXE(version=...)``. Text,
    rather than PyInstaller's objects, because those need ``pefile``, which
    PyInstaller installs only on Windows.
    """
    numbers = version_tuple(version)
    strings = {
        "CompanyName": "The Afterword developers",
        "FileDescription": app_name,
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": "MIT License, the Afterword developers",
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": app_name,
        "ProductVersion": version,
    }
    table = ",\n".join(
        f"          StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3F,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0),
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{table},
        ],
      ),
    ]),
    VarFileInfo([VarStruct('Translation', [0x0409, 1200])]),
  ],
)
"""
