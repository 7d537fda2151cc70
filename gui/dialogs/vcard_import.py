"""The preview of a vCard import: new contacts to tick, duplicates and unusable cards shown.

New contacts start ticked. A duplicate (its email address is already a
contact's) starts unticked and says whose address it is; ticking it imports
it anyway. Cards that cannot be imported are listed with the reason.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from afterword.core.imports.vcards import VcardPreview
from afterword.core.storage.records import ContactFields


def _describe(person: ContactFields) -> str:
    details = ", ".join(part for part in (person.email, person.title, person.company) if part)
    return f"{person.name} ({details})" if details else person.name


class VcardImportDialog(QDialog):
    def __init__(self, preview: VcardPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import contacts")
        self._people: list[ContactFields] = []
        self.list = QListWidget(self)
        self.list.setAccessibleName("Contacts to import")
        for person in preview.new:
            self._add(person, _describe(person), checked=True)
        for duplicate in preview.duplicates:
            text = f"{_describe(duplicate.card)}: same email as {duplicate.existing_name}"
            self._add(duplicate.card, text, checked=False)
        summary = QLabel(
            f"{len(preview.new)} new, {len(preview.duplicates)} already in Afterword "
            "(unticked), "
            f"{len(preview.unusable)} that cannot be imported.",
            self,
        )
        summary.setWordWrap(True)
        self.unusable = QLabel("\n".join(f"{u.label}: {u.problem}" for u in preview.unusable), self)
        self.unusable.setAccessibleName("Cards that cannot be imported")
        self.unusable.setWordWrap(True)
        self.unusable.setVisible(bool(preview.unusable))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemChanged.connect(self._update_button)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.list)
        layout.addWidget(self.unusable)
        layout.addWidget(buttons)
        self._update_button()
        self.resize(520, 420)

    def _add(self, person: ContactFields, text: str, *, checked: bool) -> None:
        item = QListWidgetItem(text, self.list)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self._people.append(person)

    def chosen(self) -> list[ContactFields]:
        """The ticked contacts, in the file's order."""
        return [
            person
            for row, person in enumerate(self._people)
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _update_button(self) -> None:
        count = len(self.chosen())
        self.import_button.setText(f"Import {count} contact{'' if count == 1 else 's'}")
        self.import_button.setEnabled(bool(count))
