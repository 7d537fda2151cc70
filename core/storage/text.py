"""Text normalisation shared by search and the database connection."""

import unicodedata


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
