"""Checks shared by every core function that accepts user input.

Each check raises :class:`core.errors.ValidationError` naming the field and,
in plain words, what is wrong, so a form can show it next to that field.
The GUI calls the same checks while the user types; the core calls them
again before writing, so nothing invalid is ever stored.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ValidationError

SHORT_TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 20_000
URL_LIMIT = 2_000
EMAIL_LIMIT = 320

# Deliberately simple: one @, a dot in the domain, no spaces or control
# characters. Stricter RFC 5322 parsing rejects addresses people really use.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85]")


def required_text(field: str, value: str, *, limit: int = SHORT_TEXT_LIMIT) -> str:
    """A single-line text that must not be empty; returns it stripped."""
    text = single_line(field, value, limit=limit)
    if not text:
        raise ValidationError(field, "This field is required.")
    return text


def single_line(field: str, value: str, *, limit: int = SHORT_TEXT_LIMIT) -> str:
    """An optional single-line text (names, titles, subjects); returns it stripped."""
    text = value.strip()
    if _LINE_BREAK.search(text):
        raise ValidationError(field, "Must be a single line.")
    if _CONTROL.search(text):
        raise ValidationError(field, "Contains invisible control characters.")
    if len(text) > limit:
        raise ValidationError(field, f"Too long: at most {limit} characters (got {len(text)}).")
    return text


def long_text(field: str, value: str, *, limit: int = LONG_TEXT_LIMIT) -> str:
    """Free text such as notes; line breaks allowed; trailing space trimmed."""
    text = value.strip()
    if _CONTROL.search(text):
        raise ValidationError(field, "Contains invisible control characters.")
    if len(text) > limit:
        raise ValidationError(field, f"Too long: at most {limit:,} characters (got {len(text):,}).")
    return text


def email_address(field: str, value: str, *, required: bool = False) -> str:
    text = single_line(field, value, limit=EMAIL_LIMIT)
    if not text:
        if required:
            raise ValidationError(field, "An email address is required.")
        return ""
    if not _EMAIL.match(text):
        raise ValidationError(field, f"“{text}” is not an email address (like name@example.com).")
    return text


def web_url(field: str, value: str) -> str:
    """An optional http(s) link; a bare ``www.example.com`` gets ``https://``."""
    text = single_line(field, value, limit=URL_LIMIT)
    if not text:
        return ""
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        raise ValidationError(field, "Not a web address (like https://example.com/job).")
    return text


def aware_datetime(field: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(field, "A date and time needs a time zone.")
    return value


def time_zone(field: str, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(field, f"Unknown time zone “{value}”.") from exc
    return value


def positive_int(field: str, value: int, *, maximum: int) -> int:
    if value <= 0:
        raise ValidationError(field, "Must be more than zero.")
    if value > maximum:
        raise ValidationError(field, f"Must be at most {maximum:,}.")
    return value
