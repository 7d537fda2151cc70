"""Placeholders left in a draft, shown in the Outbox preview as readable, marked gaps.

A draft made without a mail account still says ``{my_name}``; the preview
shows "[your name]" marked instead, and the state line says what is missing
and where to fill it in.
"""

from __future__ import annotations

import logging

from afterword.core.mail.templates import render
from afterword.core.storage.records import MessageRecord

logger = logging.getLogger(__name__)
# What a gap is called where the placeholder's name would not say it plainly.
_LABELS = {
    "my_name": "your name",
    "decision_day": "the decision date",
    "decision_date": "the decision date",
    "conversation_notes": "your notes about them",
    "why_interested": "why you're interested",
    "first_name": "their first name",
}


def gap_names(record: MessageRecord) -> tuple[str, ...]:
    """The placeholders still in a message's subject or text."""
    return tuple(
        dict.fromkeys(render(record.subject, {}).unfilled + render(record.body, {}).unfilled)
    )


def gaps_text(names: tuple[str, ...]) -> str:
    """What is missing, in words, and where to fill it in."""
    words = ", ".join(_gap_label(name) for name in names)
    where = (
        " Set your name under Settings → Mail account, or open the draft and type it."
        if "my_name" in names
        else " Open it to fill them in."
    )
    return f"It still needs: {words}.{where}"


def readable_gaps(body: str) -> tuple[str, list[tuple[int, int]]]:
    """``body`` with each ``{placeholder}`` shown as “[your name]”, and where those gaps are."""
    rendered = render(body, {})
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    position = length = 0
    for start, end in rendered.spans:
        pieces.append(body[position:start])
        length += start - position
        label = f"[{_gap_label(body[start + 1 : end - 1])}]"
        pieces.append(label)
        spans.append((length, length + len(label)))
        length += len(label)
        position = end
    pieces.append(body[position:])
    return "".join(pieces), spans


def _gap_label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " "))
