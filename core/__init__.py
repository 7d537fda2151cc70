"""Afterword's shared core: storage, validation, the follow-up rules and mail.

Plain Python only. Nothing in this package imports Qt or the ``gui`` package;
everything a user can do exists here first as a function a test can call.

This ``__init__`` runs before any core module, so it is where the work that
must commit with every write is registered with the storage layer (which
cannot import the layers above it): no process can write without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from afterword.core.storage.hooks import register_before_commit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from afterword.core.storage.changes import Changes


def _keep_checklist(session: Session, changes: Changes) -> None:
    """The checklist's kept items follow every write (imported on the first write)."""
    from afterword.core.checklist.keeper import keep

    keep(session, changes)


register_before_commit(_keep_checklist)


def __getattr__(name: str) -> str:
    # Looked up on first use: reading package metadata costs ~25 ms, and
    # every start imports ``core`` long before anything shows the version.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("afterword")
        except PackageNotFoundError:  # running from a checkout that was never installed
            return "0.0.0+unknown"
    raise AttributeError(name)
