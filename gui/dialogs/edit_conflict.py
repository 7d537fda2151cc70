"""When a form's save is refused because the row changed elsewhere: reload, keep, show.

The core refuses an edit made from an older version of a row
(:class:`~afterword.core.errors.EditConflictError`). The form then asks
whether to reload. Reloading reads the stored row and merges field by
field: what the person changed in the form stays, everything else takes
the stored value. A note at the top of the form says which fields changed
elsewhere (old → new), so they can check before saving again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from afterword.core.errors import EditConflictError
from afterword.gui.context import AppContext

R = TypeVar("R")
# Long values are cut in the note; it says what changed, not the whole text.
SHOWN_CHARACTERS = 40


class ReloadableForm(Protocol):
    context: AppContext
    record: Any
    body: Any

    def values(self) -> Any: ...
    def _load(self, record: Any) -> None: ...
    def ready(self) -> None: ...


def merge(opened: Any, stored: Any, typed: Any) -> dict[str, Any]:
    """Field values: the person's where they changed the field, else the stored one."""
    return {
        f.name: getattr(typed, f.name)
        if getattr(typed, f.name) != getattr(opened, f.name)
        else getattr(stored, f.name)
        for f in dataclasses.fields(typed)
    }


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def changed_elsewhere(opened: Any, stored: Any, names: list[str]) -> list[str]:
    """ "Role: “Engineer” → “Lead”" for every field in ``names`` the stored row changed."""
    return [
        f"{name.replace('_', ' ').capitalize()}: “{_shown(getattr(opened, name))}” → "
        f"“{_shown(getattr(stored, name))}”"
        for name in names
        if getattr(opened, name) != getattr(stored, name)
    ]


def offer_reload(
    form: ReloadableForm,
    error: EditConflictError,
    fetch: Callable[..., Any],
    fields_type: type,
) -> QMessageBox:
    """Ask whether to reload; on yes, merge the stored row into the form and say what changed."""
    parent = form if isinstance(form, QWidget) else None
    box = QMessageBox(QMessageBox.Icon.Warning, "Changed elsewhere", str(error), parent=parent)
    reload_button = box.addButton("Reload", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reload_button)

    def answered(_result: int) -> None:
        if box.clickedButton() is reload_button:
            form.context.ops.read(
                None,
                fetch,
                form.context.db,
                error.row_id,
                on_success=lambda stored: _apply(form, stored, fields_type),
                failure_title="The latest version could not be loaded",
            )

    box.finished.connect(answered)
    box.open()
    return box


def _apply(form: ReloadableForm, stored: Any, fields_type: type) -> None:
    names = [f.name for f in dataclasses.fields(fields_type)]
    opened = form.record
    merged = merge(opened, stored, form.values())
    changes = changed_elsewhere(opened, stored, names)
    form.record = stored
    form._load(stored)
    form.ready()  # "unchanged" now means: as stored
    form._load(dataclasses.replace(stored, **merged))  # the person's edits on top
    note = getattr(form, "conflict_note", None)
    if note is None:
        note = QLabel()
        note.setWordWrap(True)
        note.setAccessibleName("Changed elsewhere")
        form.body.insertWidget(0, note)
        form.conflict_note = note  # type: ignore[attr-defined]
    note.setText(
        "Reloaded. Changed elsewhere since you opened it:\n"
        + ("\n".join(changes) or "nothing you can see here")
        + "\nYour own changes were kept. Check, then save again."
    )
    note.show()
