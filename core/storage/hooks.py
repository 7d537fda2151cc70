"""Work that must commit in the same transaction as every write, registered from above.

Some data is derived from the rows a write changes and must never lag behind
them (the checklist's kept items). The layers that keep such data sit above
this package, which cannot import them; they register a hook here, and
:meth:`afterword.core.storage.db.Database.session` runs every hook after its
last flush and before it commits, with the session and its change set. A
hook that raises rolls the whole write back.

``afterword.core``'s ``__init__`` registers the hooks, so that no process can
import anything that writes without them (see ``docs/checklist.md``). This
module imports nothing heavy: that ``__init__`` runs on every start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from afterword.core.storage.changes import Changes

BeforeCommit = Callable[["Session", "Changes"], None]

_before_commit: list[BeforeCommit] = []


def register_before_commit(hook: BeforeCommit) -> None:
    """Run ``hook(session, changes)`` before every write session commits (once per hook)."""
    if hook not in _before_commit:
        _before_commit.append(hook)


def before_commit(session: Session, changes: Changes) -> None:
    """Run the registered hooks, in the order they were registered (storage calls this)."""
    for hook in tuple(_before_commit):
        hook(session, changes)
