"""Rows an out-of-order undo could not put back yet, waiting for a row they point at.

Undoing deletions out of order (delete an application, delete a contact
who was in one of its interviews, undo the application, undo the contact)
would lose the contact's place in the interview: when the application comes
back the contact is missing, and the contact's own copy never held that
place (the interview was gone when the contact was deleted). Such rows wait
here, keyed by the row they need, and the undo that brings that row back
inserts them. They live as long as the open database, like the undo
snapshots themselves. (No SQLAlchemy here: every open database makes one.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

# (model class, column values), as afterword.core.storage.snapshots copies rows.
RowCopy = tuple[type, dict[str, Any]]


class ParkedRows:
    """Copies waiting, keyed by (table name, id) of the row they need."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[tuple[str, int], list[RowCopy]] = {}

    def park(self, needs: tuple[type, int], copies: Iterable[RowCopy]) -> None:
        key = (needs[0].__tablename__, needs[1])  # type: ignore[attr-defined]
        with self._lock:
            self._waiting.setdefault(key, []).extend(copies)

    def waiting_for(self, model: type, row_id: int) -> list[RowCopy]:
        with self._lock:
            return list(self._waiting.get((model.__tablename__, row_id), ()))  # type: ignore[attr-defined]

    def forget(self, model: type, row_id: int) -> None:
        """Drop what waited for this row (call once the undo that used them committed)."""
        with self._lock:
            self._waiting.pop((model.__tablename__, row_id), None)  # type: ignore[attr-defined]
