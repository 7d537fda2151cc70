"""vCard files as address books really write them: UTF-16 and Latin-1 text, and cards
with more than one email address."""

from __future__ import annotations

from pathlib import Path

import pytest

from afterword.core.errors import ValidationError
from afterword.core.imports.vcards import preview_vcards
from afterword.core.storage.db import Database

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jürgen Müller\r\nEMAIL:j@example.com\r\nEND:VCARD\r\n"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252"]
)
def test_a_card_is_read_whatever_the_encoding(db: Database, tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "people.vcf"
    data = CARD.encode(encoding)
    if encoding == "utf-16-be":  # with its byte-order mark, as a program writes it
        data = b"\xfe\xff" + data
    source.write_bytes(data)
    [person] = preview_vcards(db, source).new
    assert (person.name, person.email) == ("Jürgen Müller", "j@example.com")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (bytes(range(256)) * 10, "is not a text file"),
        (b"\xff\xfeB\x00\x00\xd8", "some of its text is broken"),  # UTF-16 cut mid-character
    ],
    ids=["binary", "broken utf-16"],
)
def test_a_file_that_cannot_be_read_says_so_in_plain_words(
    db: Database, tmp_path: Path, content: bytes, says: str
) -> None:
    source = tmp_path / "people.vcf"
    source.write_bytes(content)
    with pytest.raises(ValidationError, match=says) as refused:
        preview_vcards(db, source)
    assert refused.value.field == "file"
    for jargon in ("codec", "decode", "0x", "utf", "byte"):
        assert jargon not in str(refused.value).casefold()


def test_a_card_whose_first_email_is_invalid_is_imported_with_a_valid_one(
    db: Database, tmp_path: Path
) -> None:
    source = tmp_path / "people.vcf"
    source.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Two Mails\r\nEMAIL:not-an-email\r\n"
        "EMAIL:ok@example.com\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:None Valid\r\nEMAIL:nope\r\nEMAIL:also nope\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    preview = preview_vcards(db, source)
    assert [(p.name, p.email) for p in preview.new] == [("Two Mails", "ok@example.com")]
    [unusable] = preview.unusable
    assert unusable.label == "None Valid" and "“nope”" in unusable.problem
