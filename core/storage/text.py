"""Text normalisation shared by search and the database connection, and names as said."""

import re
import unicodedata

# What may follow a name after a comma without being a first name: "Zoë O'Brien, PhD".
_NAME_SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "msc", "bsc", "esq", "dds", "cpa", "pe"}
)
# A note at the end of a directory name: "Schmidt, Jonas (HR)", "Lee, Dana [Contoso]".
_TRAILING_NOTE = re.compile(r"\s*(\([^()]*\)|\[[^\[\]]*\])\s*$")


def fold(text: str | None) -> str:
    """Case- and width-insensitive form of ``text`` used for non-ASCII matching."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def search_fold(text: str | None) -> str:
    """The form search compares: case, width and accents ignored.

    "Straße" becomes "strasse", "José" "jose", "ＡＢＣ" "abc". Decomposed
    (NFKD) so that accents are separate marks that can be dropped; folded
    before and after, because case folding can itself produce marks
    ("İ" folds to "i" with a combining dot).
    """
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_suffix(part: str) -> bool:
    return fold(part).replace(".", "").replace(" ", "") in _NAME_SUFFIXES


def speaking_order(name: str) -> str:
    """A name written "Last, First" (Outlook's and Exchange's directory order) as said.

    "Oyelaran, Marcus" becomes "Marcus Oyelaran", "Schmidt, Jonas (HR)"
    "Jonas Schmidt (HR)" and "Nguyen, Thi, PhD" "Thi Nguyen, PhD". A name
    whose part after the comma is a suffix ("Zoë O'Brien, PhD") or without a
    comma is returned as it is (spaces tidied).
    """
    text = " ".join(name.split())
    note = _TRAILING_NOTE.search(text)
    body = text[: note.start()] if note else text
    parts = [part.strip() for part in body.split(",")]
    if (
        len(parts) < 2
        or not all(parts)
        or _is_suffix(parts[1])
        or not all(_is_suffix(part) for part in parts[2:])
    ):
        return text
    spoken = ", ".join([f"{parts[1]} {parts[0]}", *parts[2:]])
    return f"{spoken} {note.group(1)}" if note else spoken
