"""Copies of rows taken before a delete, so the delete can be undone exactly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from afterword.core.storage.models import Base

RowCopy = tuple[type[Base], dict[str, Any]]


def copy_rows(rows: Iterable[Base]) -> tuple[RowCopy, ...]:
    """Every mapped column of each row, keyed by attribute name (ids included)."""
    return tuple(
        (type(row), {attr.key: getattr(row, attr.key) for attr in inspect(row).mapper.column_attrs})
        for row in rows
    )


def insert_copies(session: Session, copies: Iterable[RowCopy]) -> None:
    """Insert the copied rows again, in order (parents before children)."""
    for model, values in copies:
        session.add(model(**values))
    session.flush()
