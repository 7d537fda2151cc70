"""The frozen app: build the PyInstaller bundle and start it the way a user would.

The first test builds the bundle (about a minute) or reuses the one built from
the same sources; see ``built`` in conftest.py.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import signal
import sqlite3
import subprocess
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import build_bundle
import bundle_rules
import pytest

from afterword.core.storage.migrations import HEAD_REVISION
from afterword.core.storage.paths import APP_ID, APP_NAME, DATABASE_FILENAME
from tests.packaging.helpers import (
    BUILD_TIMEOUT_S,
    ROOT,
    clean_env,
    in_keyring_session,
    run,
)

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(BUILD_TIMEOUT_S)]

MiB = 1024 * 1024
SIZE_BUDGET = 130 * MiB
ELF_MAGIC = b"\x7fELF"


def _disk_usage(folder: Path) -> int:
    """Bytes the folder takes on disk, as ``du`` counts them (links not followed)."""
    return sum(path.lstat().st_blocks * 512 for path in folder.rglob("*") if not path.is_symlink())


def _elf_files(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == ELF_MAGIC:
                    found.append(path)
    return found


def _self_test(
    bundle: Path, data: Path, home: Path, *, cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    command = in_keyring_session([bundle / "afterword", "--self-test", "--data-dir", data])
    return run(command, env=clean_env(home, **env), cwd=cwd)


def test_bundle_is_one_folder_with_the_program(built: build_bundle.Build) -> None:
    launcher = built.bundle / "afterword"
    assert launcher.is_file()
    assert os.access(launcher, os.X_OK)
    # One folder: the libraries sit beside the program, nothing is unpacked at start.
    assert (built.bundle / "_internal" / "PySide6" / "Qt" / "lib").is_dir()


def test_frozen_version_is_the_pyproject_version(
    built: build_bundle.Build, home: Path, tmp_path: Path
) -> None:
    result = run([built.bundle / "afterword", "--version"], env=clean_env(home), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{APP_NAME} {bundle_rules.read_version()}"


def test_frozen_self_test_on_a_fresh_data_folder(
    built: build_bundle.Build, home: Path, tmp_path: Path
) -> None:
    data = tmp_path / "fresh data"
    elsewhere = tmp_path / "somewhere else"
    elsewhere.mkdir()
    # Started from an unrelated folder: no lookup may depend on the current directory.
    result = _self_test(built.bundle, data, home, cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr

    # The database was created from the head schema.
    with sqlite3.connect(data / DATABASE_FILENAME) as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == HEAD_REVISION

    # The private session has an unlocked gnome-keyring: the frozen app must use
    # it, which it can only if the keyring backends were bundled.
    lines = result.stdout.splitlines()
    assert "keyring: keyring.backends.SecretService.Keyring" in lines
    # Templates and provider presets are bundled data files, found and read.
    shipped = len(list((ROOT / "resources" / "templates").glob("*.txt")))
    assert f"templates: {shipped}" in lines
    assert any(line.startswith("providers: ") and int(line.split()[1]) >= 9 for line in lines)

    # Icons are looked up through afterword.core.storage.paths like every resource:
    # none was missing.
    log = (data / "logs" / "afterword.log").read_text(encoding="utf-8")
    assert "not found" not in log
    assert " ERROR " not in log
    assert "Self-test passed" in log


def test_frozen_app_upgrades_an_old_database_with_the_bundled_migrations(
    built: build_bundle.Build, home: Path, tmp_path: Path
) -> None:
    # Alembic runs the scripts bundled as files, loaded for SQLite alone.
    from afterword.core.storage.db import open_database

    data = tmp_path / "old data"
    open_database(data / DATABASE_FILENAME, upgrade_to="0001").close()
    result = _self_test(built.bundle, data, home, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(data / DATABASE_FILENAME) as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == HEAD_REVISION
    assert list(data.glob(f"{DATABASE_FILENAME}.bak-0001-*"))


def test_bundled_resources_are_where_core_paths_looks(built: build_bundle.Build) -> None:
    # afterword.core.storage.paths.resources_dir() is <folder of core>/../resources; in the
    # bundle core lives in _internal/afterword, so resources must be _internal/afterword/resources.
    internal = built.bundle / "_internal"
    for source, dest in bundle_rules.data_files():
        bundled = internal / dest / Path(source).name
        assert bundled.read_bytes() == Path(source).read_bytes(), bundled
    assert (internal / "afterword" / "resources" / "templates").is_dir()
    assert (internal / "afterword" / "resources" / "providers.json").is_file()
    migrations = internal / "afterword" / "core" / "storage" / "migrations"
    assert (migrations / "versions" / "0001_initial.py").is_file()


def test_bundle_fits_the_size_budget(built: build_bundle.Build) -> None:
    size = _disk_usage(built.bundle)
    assert size <= SIZE_BUDGET, f"{size / MiB:.1f} MiB"


def test_bundle_leaves_out_the_qt_parts_the_app_does_not_use(built: build_bundle.Build) -> None:
    internal = built.bundle / "_internal"
    qt = internal / "PySide6" / "Qt"
    assert not (qt / "translations").exists()
    assert not (qt / "qml").exists()
    for plugin in (qt / "plugins").rglob("*.so"):
        folder = plugin.relative_to(qt / "plugins").parts[0]
        assert bundle_rules.keep_qt_file(f"PySide6/Qt/plugins/{folder}", plugin.name), plugin
    everything = [path.relative_to(internal).as_posix() for path in internal.rglob("*")]
    assert [name for name in everything if bundle_rules.QT_FORBIDDEN.search(name)] == []
    modules = {path.name.split(".")[0] for path in (internal / "PySide6").glob("Qt*.so")}
    assert modules == bundle_rules.QT_MODULES_USED
    host = [
        name for name in everything if bundle_rules.HOST_LIBRARIES.match(PurePosixPath(name).name)
    ]
    assert host == []


def test_every_bundled_library_finds_its_dependencies(built: build_bundle.Build) -> None:
    # The libraries left to the system must be there, and nothing the bundle
    # dropped may still be needed. ldd resolves like the frozen app does, with
    # the bundle's folders first.
    internal = built.bundle / "_internal"
    search = f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"
    missing = []
    for binary in _elf_files(built.bundle):
        result = subprocess.run(
            ["ldd", str(binary)],
            env={**os.environ, "LD_LIBRARY_PATH": search},
            capture_output=True,
            text=True,
            check=False,
        )
        missing += [
            f"{binary.name}: {line.strip()}"
            for line in result.stdout.splitlines()
            if "not found" in line
        ]
    assert missing == []


def test_release_archive_holds_the_bundle_and_the_install_script(
    built: build_bundle.Build,
) -> None:
    assert built.archive is not None
    version = bundle_rules.read_version()
    assert re.fullmatch(
        rf"Afterword-{re.escape(version)}-linux-x86_64\.tar\.gz", built.archive.name
    )
    top = built.archive.name.removesuffix(".tar.gz")
    with tarfile.open(built.archive) as archive:
        members = {member.name: member for member in archive.getmembers()}
    assert members[f"{top}/install.sh"].mode & 0o111
    assert members[f"{top}/Afterword/afterword"].mode & 0o111
    bundled = {path.relative_to(built.bundle).as_posix() for path in built.bundle.rglob("*")}
    archived = {
        name.removeprefix(f"{top}/Afterword/")
        for name in members
        if name.startswith(f"{top}/Afterword/")
    }
    assert archived == bundled


# -- on a real X server -------------------------------------------------------------------------


class _ClassHint(ctypes.Structure):
    _fields_ = (("res_name", ctypes.c_void_p), ("res_class", ctypes.c_void_p))


def _window_classes(display_name: str) -> set[str]:
    """WM_CLASS (the class part) of every window on the X display, read through Xlib."""
    xlib = ctypes.CDLL(ctypes.util.find_library("X11"))
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = (ctypes.c_char_p,)
    xlib.XDefaultRootWindow.restype = ctypes.c_ulong
    xlib.XDefaultRootWindow.argtypes = (ctypes.c_void_p,)
    xlib.XQueryTree.argtypes = (
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
        ctypes.POINTER(ctypes.c_uint),
    )
    xlib.XGetClassHint.argtypes = (ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_ClassHint))
    xlib.XFree.argtypes = (ctypes.c_void_p,)
    xlib.XCloseDisplay.argtypes = (ctypes.c_void_p,)
    display = xlib.XOpenDisplay(display_name.encode())
    assert display, f"cannot open X display {display_name}"
    classes: set[str] = set()
    try:
        pending = [xlib.XDefaultRootWindow(display)]
        while pending:
            window = pending.pop()
            hint = _ClassHint()
            if xlib.XGetClassHint(display, window, ctypes.byref(hint)):
                classes.add(ctypes.string_at(hint.res_class).decode())
                xlib.XFree(hint.res_name)
                xlib.XFree(hint.res_class)
            root, parent = ctypes.c_ulong(), ctypes.c_ulong()
            children = ctypes.POINTER(ctypes.c_ulong)()
            count = ctypes.c_uint()
            if xlib.XQueryTree(
                display,
                window,
                ctypes.byref(root),
                ctypes.byref(parent),
                ctypes.byref(children),
                ctypes.byref(count),
            ):
                pending += [children[index] for index in range(count.value)]
                if children:
                    xlib.XFree(children)
    finally:
        xlib.XCloseDisplay(display)
    return classes


@pytest.fixture
def x_display() -> Iterator[str]:
    """A fresh Xvfb server; yields its display name."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_frozen_self_test_on_an_x_server(
    built: build_bundle.Build, home: Path, tmp_path: Path, x_display: str
) -> None:
    # The xcb platform plugin and its libraries, as on an X11 desktop.
    result = _self_test(
        built.bundle,
        tmp_path / "data",
        home,
        cwd=tmp_path,
        DISPLAY=x_display,
        QT_QPA_PLATFORM="xcb",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_window_class_matches_the_desktop_entry(
    built: build_bundle.Build, home: Path, tmp_path: Path, x_display: str
) -> None:
    # The dock groups a window under its .desktop entry by StartupWMClass.
    entry = (ROOT / "resources" / "linux" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    (wm_class,) = re.findall(r"^StartupWMClass=(.+)$", entry, flags=re.MULTILINE)
    app = subprocess.Popen(
        [built.bundle / "afterword", "--data-dir", tmp_path / "data"],
        env=clean_env(home, DISPLAY=x_display, QT_QPA_PLATFORM="xcb"),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        classes: set[str] = set()
        while time.monotonic() < deadline and app.poll() is None:
            classes = _window_classes(x_display)
            if classes:
                break
            time.sleep(0.2)
        assert app.poll() is None, app.stderr.read() if app.stderr else ""
        assert classes == {wm_class}
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=10)
