"""Copies of rows taken before a delete, so the delete can be undone exactly (in any order)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from afterword.core.storage.models import Base, Participant

RowCopy = tuple[type[Base], dict[str, Any]]


def copy_rows(rows: Iterable[Base]) -> tuple[RowCopy, ...]:
    """Every mapped column of each row, keyed by attribute name (ids included)."""
    return tuple(
        (type(row), {attr.key: getattr(row, attr.key) for attr in inspect(row).mapper.column_attrs})
        for row in rows
    )


def insert_copies(session: Session, copies: Iterable[RowCopy]) -> None:
    """Insert the copied rows again, in order (parents before children)."""
    versions: list[tuple[type[Base], Any, int]] = []
    for model, values in copies:
        row = model(**values)
        session.add(row)
        version = inspect(model).version_id_col
        if version is not None and version.key in values:
            versions.append((model, values["id"], values[version.key]))
    session.flush()
    # An insert starts a versioned row at 1: put back the version it had, so
    # a form opened before the delete still matches the restored row.
    for model, row_id, number in versions:
        session.execute(
            update(model)
            .where(model.id == row_id)  # type: ignore[attr-defined]
            .values(version=number)
            .execution_options(synchronize_session="evaluate")
        )


def participant_exists(session: Session, values: dict[str, Any]) -> bool:
    """Whether this place in an interview is taken again (same row, or same person re-added)."""
    if session.get(Participant, values["id"]) is not None:
        return True
    same = select(Participant.id).where(
        Participant.interview_id == values["interview_id"],
        Participant.contact_id == values["contact_id"],
    )
    return session.scalar(same) is not None
