"""Icons by name, from the SVGs in ``resources/icons`` (crisp at any scale).

``icon("today")`` loads ``resources/icons/ui/today.svg``. A missing file falls
back to the desktop theme's icon of a similar meaning, then to an empty icon:
a missing icon must never stop the app. Names in use: today, applications,
contacts, settings, add, edit, delete, search, done, dismiss, snooze, send,
mail, print, outbox.
"""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from afterword.core.storage.paths import APP_ID, resource

logger = logging.getLogger(__name__)

# freedesktop icon-naming-spec names used when our own SVG is missing.
_THEME_FALLBACKS = {
    "today": "x-office-calendar",
    "applications": "folder-documents",
    "contacts": "x-office-address-book",
    "settings": "preferences-system",
    "add": "list-add",
    "edit": "document-properties",
    "delete": "edit-delete",
    "search": "edit-find",
    "done": "object-select",
    "dismiss": "window-close",
    "snooze": "appointment-soon",
    "send": "mail-send",
    "mail": "mail-message-new",
    "print": "document-print",
    "outbox": "mail-outbox",
}


@cache
def icon(name: str) -> QIcon:
    """The UI icon called ``name`` (an empty icon if there is none)."""
    path = resource("icons", "ui", f"{name}.svg")
    if path.is_file():
        result = QIcon()
        # The same drawing when selected: Qt's generated "selected" tint looks smudged.
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected):
            result.addFile(str(path), QSize(), mode)
        return result
    logger.warning("Icon %s not found at %s; using the theme's", name, path)
    return QIcon.fromTheme(_THEME_FALLBACKS.get(name, name))


@cache
def app_icon() -> QIcon:
    """The application's own icon (window, task bar, about box)."""
    # The SVG alone: crisp at every size, and loaded only when first drawn
    # (adding the rendered PNGs too cost 12 ms of start-up reading them).
    svg = resource("icons", f"{APP_ID}.svg")
    if not svg.is_file():
        logger.warning("App icon not found at %s", svg)
        return QIcon()
    return QIcon(str(svg))
