"""Build Afterword's one-folder bundle, and on Linux its release archive.

From a checkout, after ``./dev setup``::

    .venv/bin/python packaging/build_bundle.py

writes ``dist/Afterword/`` (the bundle; run ``dist/Afterword/afterword``) and,
on Linux, ``dist/Afterword-<version>-linux-<machine>.tar.gz`` holding the
bundle and ``install.sh``. PyInstaller's intermediate files go to
``build/pyinstaller/``.

``--reuse`` skips the build when the bundle in the target folder was made from
exactly the current sources and tools (a fingerprint is kept beside it); the
tests and the benchmark use it so a second run costs nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import logging
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from bundle_rules import ROOT, read_version

logger = logging.getLogger(__name__)

SPEC = ROOT / "packaging" / "afterword.spec"
INSTALL_SCRIPT = ROOT / "packaging" / "linux" / "install.sh"
BUNDLE_NAME = "Afterword"
# What the bundle is made from: a change in any of these means a rebuild.
SOURCE_FOLDERS = ("core", "gui", "resources", "packaging")
SOURCE_FILES = ("pyproject.toml",)
TOOLS = ("pyinstaller", "pyinstaller-hooks-contrib", "PySide6-Essentials", "shiboken6")


@dataclass(frozen=True)
class Build:
    bundle: Path
    archive: Path | None
    seconds: float
    reused: bool


def fingerprint(root: Path = ROOT) -> str:
    """A hash of every source file the bundle is made from and of the tools that make it."""
    digest = hashlib.sha256()
    files = [root / name for name in SOURCE_FILES]
    for folder in SOURCE_FOLDERS:
        files += (
            path
            for path in (root / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        )
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(sys.version.encode())
    for tool in TOOLS:
        digest.update(f"{tool}={importlib.metadata.version(tool)}".encode())
    return digest.hexdigest()


def archive_path(dist: Path, version: str) -> Path:
    return dist / f"{BUNDLE_NAME}-{version}-linux-{platform.machine()}.tar.gz"


def _anonymous(member: tarfile.TarInfo) -> tarfile.TarInfo:
    # Owned by root in the archive, like release tarballs made with
    # --owner=0 --group=0: unpacking as root must not hand the files to
    # whichever user id built them.
    member.uid = member.gid = 0
    member.uname = member.gname = "root"
    return member


def make_archive(bundle: Path, target: Path) -> Path:
    """``target``: one folder holding the bundle and the install script."""
    top = target.name.removesuffix(".tar.gz")
    partial = target.with_name(target.name + ".partial")
    # Level 6 (gzip's default): level 9 took about 4x as long for a file 0.5 % smaller.
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        # tarfile keeps the bundle's symbolic links as links.
        archive.add(bundle, arcname=f"{top}/{BUNDLE_NAME}", filter=_anonymous)
        archive.add(INSTALL_SCRIPT, arcname=f"{top}/install.sh", filter=_anonymous)
    partial.replace(target)
    return target


def build(
    dist: Path = ROOT / "dist",
    work: Path = ROOT / "build" / "pyinstaller",
    *,
    reuse: bool = False,
    archive: bool = sys.platform.startswith("linux"),
) -> Build:
    """Build the bundle into ``dist/Afterword`` (and the archive beside it)."""
    bundle = dist / BUNDLE_NAME
    stamp = dist / f".{BUNDLE_NAME}.fingerprint"
    tarball = archive_path(dist, read_version())
    current = fingerprint()
    started = time.perf_counter()
    if (
        reuse
        and bundle.is_dir()
        and stamp.is_file()
        and stamp.read_text(encoding="utf-8") == current
    ):
        logger.info("Reusing %s: built from the current sources", bundle)
        # Any archive here was made from this bundle: a rebuild deletes the old one.
        if archive and not tarball.is_file():
            make_archive(bundle, tarball)
        seconds = time.perf_counter() - started
        return Build(bundle, tarball if archive else None, seconds, reused=True)

    # An archive left from an earlier build would not match the new bundle.
    stamp.unlink(missing_ok=True)
    tarball.unlink(missing_ok=True)
    logger.info("Building %s", bundle)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        check=True,
        cwd=ROOT,
    )
    if archive:
        make_archive(bundle, tarball)
        logger.info("Wrote %s", tarball)
    stamp.write_text(current, encoding="utf-8")
    seconds = time.perf_counter() - started
    logger.info("Built in %.0f s", seconds)
    return Build(bundle, tarball if archive else None, seconds, reused=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's folder"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep a bundle built from the same sources"
    )
    parser.add_argument("--no-archive", action="store_true", help="skip the .tar.gz (Linux)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if shutil.which("objdump") is None and sys.platform.startswith("linux"):
        parser.error("PyInstaller needs objdump on Linux: install binutils")
    result = build(
        args.dist.resolve(),
        args.work.resolve(),
        reuse=args.reuse,
        archive=sys.platform.startswith("linux") and not args.no_archive,
    )
    print(result.bundle)
    if result.archive is not None:
        print(result.archive)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
