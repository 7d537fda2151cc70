"""The data folder's files: private modes, usable folders, and verified database copies.

Everything Afterword writes holds personal text, so the data folder is 0700
and every file in it 0600 on POSIX, set explicitly rather than left to the
umask. :func:`usable_folder` and :func:`check_writable` turn a folder that
is a file, or a read-only folder or database, into a :class:`DatabaseError`
that says so when the database is opened, instead of a raw error at the
first write. :func:`write_snapshot` copies a live database with SQLite's
backup API under a temporary name, checks the copy, and only then gives it
its real name, so a failed copy (a full disk) never leaves a partial file.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
import tempfile
from pathlib import Path

from afterword.core.errors import DamagedDatabaseError, DatabaseError

logger = logging.getLogger(__name__)

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
# The files SQLite keeps beside a database in WAL mode.
SIDE_FILES = ("-wal", "-shm", "-journal")
_POSIX = os.name == "posix"


def make_private(path: Path) -> None:
    """Make an existing file readable and writable by its owner only (POSIX)."""
    if _POSIX:
        with contextlib.suppress(FileNotFoundError):
            path.chmod(PRIVATE_FILE)


def private_database(path: Path) -> None:
    """The database and its side files 0600; SQLite gives new side files the database's mode."""
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        make_private(file)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (before anyone writes personal text to it)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(descriptor)
    make_private(path)  # the umask may have taken bits away, never added: set it exactly


def usable_folder(folder: Path) -> Path:
    """Create ``folder`` if needed and make it private; a clear error if it cannot be used."""
    for place in (folder, *folder.parents):
        if place.exists() and not place.is_dir():
            raise DatabaseError(
                f"The data folder {folder} cannot be used: {place} is a file, not a folder. "
                "Move the file away or choose another data folder."
            )
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True)
    except OSError as exc:
        raise DatabaseError(
            f"The data folder {folder} cannot be created ({exc.strerror}). "
            "Check the permissions of the folder above it or choose another data folder."
        ) from exc
    _make_folder_private(folder)
    return folder


def chosen_folder(folder: Path) -> Path:
    """A folder the person chose (for backups, exports): created 0700 if missing.

    An existing folder keeps its mode: it may be their Documents folder.
    """
    if folder.exists() and not folder.is_dir():
        raise DatabaseError(f"{folder} is a file, not a folder. Choose a folder.")
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise DatabaseError(f"The folder {folder} cannot be created ({exc.strerror}).") from exc
        _make_folder_private(folder)
    return folder


def _make_folder_private(folder: Path) -> None:
    if not _POSIX:
        return
    try:
        folder.chmod(PRIVATE_FOLDER)
    except OSError as exc:
        # Someone else's folder (chosen with --data-dir), or a read-only disk:
        # not ours to change. check_writable says whether it can be used.
        logger.warning("Cannot make %s private: %s", folder, exc.strerror)


def check_writable(path: Path) -> None:
    """Refuse a database whose folder or file (or side files) cannot be written.

    Tried for real (a probe file, opening for writing) rather than with
    ``os.access``, which says yes to root even on a read-only mount.
    """
    folder = path.parent
    try:
        descriptor, probe = tempfile.mkstemp(prefix=".afterword-probe-", dir=folder)
        os.close(descriptor)
        Path(probe).unlink()
    except OSError as exc:
        raise DatabaseError(_read_only(folder, "folder", exc)) from exc
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        try:
            os.close(os.open(file, os.O_RDWR))
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DatabaseError(_read_only(file, "file", exc)) from exc


def _read_only(where: Path, what: str, exc: OSError) -> str:
    reason = "it is read-only" if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else None
    return (
        f"Afterword cannot write to the {what} {where} ({reason or exc.strerror}). Your data "
        "was left untouched. Make it writable (check its permissions, or whether the "
        "disk is mounted read-only) or choose another data folder."
    )


def write_snapshot(source: Path, target: Path) -> Path:
    """Copy the database ``source`` to ``target`` (0600), checked, or leave nothing.

    The copy is made with SQLite's backup API (a consistent snapshot that
    includes what is still in the WAL) under a hidden temporary name, checked
    with ``PRAGMA integrity_check``, flushed to disk, and then renamed. A copy
    that fails the check means ``source`` is damaged:
    :class:`~afterword.core.errors.DamagedDatabaseError`, and nothing is left.
    """
    temporary = target.with_name(f".{target.name}.partial")
    try:
        _remove_with_side_files(temporary)
        create_private_file(temporary)
        # With no -wal file, everything is in the main file: open it immutable,
        # which creates no -wal or -shm beside a file we only read.
        wal = source.with_name(f"{source.name}-wal")
        immutable = "" if wal.exists() else "&immutable=1"
        reader = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro{immutable}", uri=True)
        try:
            writer = sqlite3.connect(temporary)
            try:
                reader.backup(writer)
                (verdict,) = writer.execute("PRAGMA integrity_check(1)").fetchone()
            finally:
                writer.close()
        finally:
            reader.close()
        if verdict != "ok":
            # The backup API copies pages as they are: damage in the copy is the source's.
            _remove_with_side_files(temporary)
            raise DamagedDatabaseError(
                f"{source} is damaged, so no copy of it was written to {target}. "
                f"Nothing was changed.\n\nWhat SQLite found: {verdict}",
                reason=str(verdict),
            )
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        temporary.replace(target)
        _sync_folder(target.parent)
    except (OSError, sqlite3.Error) as exc:
        _remove_with_side_files(temporary)
        raise DatabaseError(
            f"Could not write the backup {target} ({exc}). Nothing was changed; "
            "free some disk space or choose another folder, then try again."
        ) from exc
    make_private(target)
    return target


def _remove_with_side_files(path: Path) -> None:
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        with contextlib.suppress(FileNotFoundError):
            file.unlink()


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no folder handles to sync)."""
    if not _POSIX:
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def keep_newest(oldest_first: list[Path], keep: int) -> list[Path]:
    """Delete all but the last ``keep`` of ``oldest_first``; returns the ones deleted."""
    doomed = oldest_first[:-keep] if keep else oldest_first
    for old in doomed:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
        logger.info("Removed old backup %s", old)
    return doomed
