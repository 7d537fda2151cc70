"""Checks shared by every core function that accepts user input.

Each check raises :class:`afterword.core.errors.ValidationError` naming the field and,
in plain words, what is wrong, so a form can show it next to that field.
The GUI calls the same checks while the user types; the core calls them
again before writing, so nothing invalid is ever stored.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from afterword.core.errors import EditConflictError, ValidationError

SHORT_TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 20_000
URL_LIMIT = 2_000
EMAIL_LIMIT = 320

E = TypeVar("E", bound=StrEnum)

# The years a date may fall in. Far beyond any job search, and far enough
# from year 1 and 9999 that converting between zones or adding a cadence
# (at most ten years) never overflows Python's datetime.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999
# C0 and C1 controls except tab, line feed, carriage return and NEL (a line break).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Half of a UTF-16 pair: Python can hold it, but it has no UTF-8 form to store.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85]")
_NOT_A_URL = "Not a web address (like https://example.com/job)."
# What ZoneInfo(name) raises for a name that is no zone. With the tzdata
# package installed (icalendar needs it), a folder name such as "Europe"
# raises IsADirectoryError (an OSError), not ZoneInfoNotFoundError.
UNKNOWN_ZONE = (ZoneInfoNotFoundError, ValueError, OSError)


def required_text(field: str, value: str, *, limit: int = SHORT_TEXT_LIMIT) -> str:
    """A single-line text that must not be empty; returns it stripped."""
    text = single_line(field, value, limit=limit)
    if not text:
        raise ValidationError(field, "This field is required.")
    return text


def _text(field: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, "Must be text.")
    return value.strip()


def single_line(field: str, value: str, *, limit: int = SHORT_TEXT_LIMIT) -> str:
    """An optional single-line text (names, titles, subjects); returns it stripped."""
    text = _text(field, value)
    if _LINE_BREAK.search(text):
        raise ValidationError(field, "Must be a single line.")
    _check_characters(field, text)
    if len(text) > limit:
        raise ValidationError(field, f"Too long: at most {limit} characters (got {len(text)}).")
    return text


def no_encoded_words(field: str, text: str, *, label: str) -> str:
    """Text bound for a mail header (a name, a subject) without an RFC 2047 encoded word.

    ``=?`` starts an encoded word: mail programs (and Python's own email
    package) decode ``=?utf-8?q?=0D=0ABcc:...?=`` into other text, even a line
    break and a new header, so it is refused rather than trusted to escaping.
    ``label`` names the field in the message (“The name”), which may be shown
    away from the field itself.
    """
    if "=?" in text:
        raise ValidationError(
            field,
            f"{label} cannot contain “=?”: in an email, mail programs would read it as "
            "encoded text and show something else.",
        )
    return text


def long_text(field: str, value: str, *, limit: int = LONG_TEXT_LIMIT) -> str:
    """Free text such as notes; line breaks allowed; trailing space trimmed."""
    text = _text(field, value)
    _check_characters(field, text)
    if len(text) > limit:
        raise ValidationError(field, f"Too long: at most {limit:,} characters (got {len(text):,}).")
    return text


def _check_characters(field: str, text: str) -> None:
    if _CONTROL.search(text):
        raise ValidationError(field, "Contains invisible control characters.")
    if _SURROGATE.search(text):
        raise ValidationError(field, "Contains broken characters that cannot be saved.")


def email_address(field: str, value: str, *, required: bool = False) -> str:
    """An address as typed (stripped), if its syntax is valid; nothing is looked up online."""
    text = single_line(field, value, limit=EMAIL_LIMIT)
    if not text:
        if required:
            raise ValidationError(field, "An email address is required.")
        return ""
    # Imported here: it costs ~40 ms, which the start-up path must not pay.
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(
            field, f"“{text}” is not an email address (like name@example.com): {exc}"
        ) from None
    return text


def web_url(field: str, value: str) -> str:
    """An optional http(s) link; a bare ``www.example.com`` gets ``https://``."""
    text = single_line(field, value, limit=URL_LIMIT)
    if not text:
        return ""
    if "://" not in text:
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed "[" taken for an IPv6 address
        raise ValidationError(field, _NOT_A_URL) from None
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        raise ValidationError(field, _NOT_A_URL)
    return text


def aware_datetime(field: str, value: datetime) -> datetime:
    """A date and time with a time zone, between :data:`EARLIEST_YEAR` and :data:`LATEST_YEAR`."""
    if not isinstance(value, datetime):
        raise ValidationError(field, "Must be a date and time.")
    try:
        offset = value.utcoffset()
    except (ValueError, TypeError) as exc:  # a broken tzinfo
        raise ValidationError(field, "The time zone of this date cannot be read.") from exc
    if offset is None:
        raise ValidationError(field, "A date and time needs a time zone.")
    _in_range(field, value.year)
    try:
        _in_range(field, value.astimezone(UTC).year)
    except OverflowError:
        _in_range(field, 0)
    return value


def clock(value: datetime) -> datetime:
    """The ``now`` a caller passed in: aware, and in a sensible year."""
    return aware_datetime("now", value)


def optional_date(field: str, value: date | None) -> date | None:
    """A calendar day (not a date and time), or nothing."""
    if value is None:
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(field, "Must be a date (a day, without a time).")
    _in_range(field, value.year)
    return value


def _in_range(field: str, year: int) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationError(
            field, f"Must be a date between the years {EARLIEST_YEAR} and {LATEST_YEAR}."
        )


def yes_no(field: str, value: bool) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, "Must be yes or no.")
    return value


def record_id(field: str, value: int) -> int:
    """The id of a row (checked to exist by the caller, inside its session)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(field, "Must name an existing row (a positive whole number).")
    return value


def check_version(what: str, row_id: int, stored: int, expected: int | None) -> None:
    """Refuse an edit made from an older version of the row (``None``: no check asked for)."""
    if expected is not None and expected != stored:
        raise EditConflictError(what, row_id)


def optional_record_id(field: str, value: int | None) -> int | None:
    return None if value is None else record_id(field, value)


def time_zone(field: str, value: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, "A time zone is required (like Europe/Berlin).")
    try:
        ZoneInfo(value)
    except UNKNOWN_ZONE as exc:
        raise ValidationError(field, f"Unknown time zone “{value}”.") from exc
    return value


def one_of(field: str, kind: type[E], value: E | str) -> E:
    """One of an enumeration's values (a form may hand over the plain string)."""
    try:
        return kind(value)
    except (ValueError, TypeError) as exc:
        allowed = ", ".join(member.value for member in kind)
        raise ValidationError(field, f"“{value}” is not one of: {allowed}.") from exc


def positive_int(field: str, value: int, *, maximum: int) -> int:
    # bool is an int to Python, and 1.5 compares like a number: neither is a count.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "Must be a whole number.")
    if value <= 0:
        raise ValidationError(field, "Must be more than zero.")
    if value > maximum:
        raise ValidationError(field, f"Must be at most {maximum:,}.")
    return value
