"""The follow-up playbook as a checklist: items, the facts they come from, the rules, the service.

:mod:`~afterword.core.checklist.rules` derives :class:`ChecklistItem` values from plain
facts and a given ``now``; :mod:`~afterword.core.checklist.service` loads those facts
from the database and keeps the user's hand-made marks.
"""

from afterword.core.checklist.items import ChecklistItem, ItemKind, ItemState, SubjectKind

__all__ = ["ChecklistItem", "ItemKind", "ItemState", "SubjectKind"]
