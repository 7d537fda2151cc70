"""Text normalisation shared by search and the database connection."""

import unicodedata


def fold(text: str | None) -> str:
    """Case- and width-insensitive form of ``text`` used for non-ASCII matching."""
    return unicodedata.normalize("NFKC", text or "").casefold()
