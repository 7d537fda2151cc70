"""The Linux install script, run from the unpacked release archive as a user would."""

from __future__ import annotations

import configparser
import hashlib
import shlex
import subprocess
import tarfile
from pathlib import Path

import build_bundle
import bundle_rules
import make_icons
import pytest

from afterword.core.storage.paths import APP_ID, APP_NAME, DATABASE_FILENAME
from tests.packaging.helpers import BUILD_TIMEOUT_S, clean_env, in_keyring_session, run

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(BUILD_TIMEOUT_S)]


@pytest.fixture
def unpacked(built: build_bundle.Build, tmp_path: Path) -> Path:
    """The release archive unpacked into a download folder: the folder holding install.sh."""
    assert built.archive is not None
    download = tmp_path / "Downloads"
    with tarfile.open(built.archive) as archive:
        archive.extractall(download, filter="tar")
    (folder,) = download.iterdir()
    return folder


def _tree(root: Path) -> dict[str, str]:
    """Every path under ``root`` with what it is: a folder, a link's target, a file's hash."""
    entries: dict[str, str] = {}
    for path in root.rglob("*"):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            entries[key] = f"link {path.readlink()}"
        elif path.is_dir():
            entries[key] = "folder"
        else:
            entries[key] = "file " + hashlib.sha256(path.read_bytes()).hexdigest()
    return entries


def _desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def _exec_argv(entry: configparser.SectionProxy) -> list[str]:
    """The command a desktop runs for the entry (quoting as in the Desktop Entry spec)."""
    argv = shlex.split(entry["Exec"])
    assert not any(arg.startswith("%") for arg in argv)
    return argv


def _check_installed_files(share: Path) -> Path:
    """The desktop integration files are where the freedesktop specs say; returns the entry."""
    desktop = share / "applications" / f"{APP_ID}.desktop"
    validation = subprocess.run(
        ["desktop-file-validate", str(desktop)], capture_output=True, text=True, check=False
    )
    assert validation.returncode == 0 and validation.stdout == "", validation.stdout
    for size in make_icons.HICOLOR_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    appstream = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert appstream.returncode == 0, appstream.stdout
    return desktop


def _expected_after_uninstall(
    before_install: dict[str, str], after_install: dict[str, str], now: dict[str, str]
) -> dict[str, str]:
    """What uninstalling must leave: everything but what the install added.

    A folder the install created stays only if something else (the user's data)
    has since been put in it.
    """
    installed = after_install.keys() - before_install.keys()
    others = [path for path in now if path not in installed]
    return {
        path: kind
        for path, kind in now.items()
        if path not in installed or any(other.startswith(path + "/") for other in others)
    }


def test_user_install_from_the_archive_then_uninstall(
    unpacked: Path, home: Path, tmp_path: Path
) -> None:
    env = clean_env(home)
    before = _tree(home)
    result = run([unpacked / "install.sh"], env=env, cwd=unpacked)
    assert result.returncode == 0, result.stdout + result.stderr
    installed = _tree(home)

    share = home / ".local" / "share"
    desktop = _check_installed_files(share)
    entry = _desktop_entry(desktop)
    assert entry["Name"] == APP_NAME
    argv = _exec_argv(entry)
    assert Path(argv[0]) == home / ".local" / "lib" / "afterword" / "afterword"

    # Started as the menu starts it, with the default data folder, from $HOME.
    started = run(in_keyring_session([*argv, "--self-test"]), env=env, cwd=home)
    assert started.returncode == 0, started.stdout + started.stderr
    data = share / APP_NAME
    assert (data / DATABASE_FILENAME).is_file()
    launcher = run([home / ".local" / "bin" / "afterword", "--version"], env=env, cwd=tmp_path)
    assert launcher.stdout.strip() == f"{APP_NAME} {bundle_rules.read_version()}"

    used = _tree(home)
    data_before = _tree(data)
    result = run(
        [home / ".local" / "lib" / "afterword" / "install.sh", "--uninstall"], env=env, cwd=home
    )
    assert result.returncode == 0, result.stdout + result.stderr

    assert _tree(home) == _expected_after_uninstall(before, installed, used)
    assert _tree(data) == data_before
    assert not desktop.exists()


def test_prefix_install_beside_other_files_reinstall_and_uninstall(
    unpacked: Path, home: Path, tmp_path: Path
) -> None:
    prefix = tmp_path / "apps dir" / "local"  # a space: the Exec line must quote it
    (prefix / "share" / "applications").mkdir(parents=True)
    (prefix / "share" / "applications" / "other.desktop").write_text("[Desktop Entry]\n")
    (prefix / "share" / "icons" / "hicolor").mkdir(parents=True)
    (prefix / "share" / "icons" / "hicolor" / "index.theme").write_text("[Icon Theme]\n")
    (prefix / "bin").mkdir()
    (prefix / "bin" / "other-tool").write_text("#!/bin/sh\n")
    env = clean_env(home)
    before = _tree(prefix)

    result = run([unpacked / "install.sh", "--prefix", prefix], env=env, cwd=unpacked)
    assert result.returncode == 0, result.stdout + result.stderr
    first = _tree(prefix)
    # Installing again (an update) replaces the installation with the same files.
    result = run([unpacked / "install.sh", "--prefix", prefix], env=env, cwd=unpacked)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _tree(prefix) == first

    desktop = _check_installed_files(prefix / "share")
    argv = _exec_argv(_desktop_entry(desktop))
    assert argv == [str(prefix / "lib" / "afterword" / "afterword")]
    started = run(
        in_keyring_session([*argv, "--self-test", "--data-dir", tmp_path / "data"]),
        env=env,
        cwd=tmp_path,
    )
    assert started.returncode == 0, started.stdout + started.stderr

    result = run(
        [prefix / "lib" / "afterword" / "install.sh", "--uninstall", "--prefix", prefix],
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert _tree(prefix) == before
