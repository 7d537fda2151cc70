"""Odd Unicode and huge text are stored exactly or refused cleanly; search finds what's typed."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime

import pytest
from sqlalchemy import text

from afterword.core.applications import (
    create_application,
    delete_application,
    get_application,
    list_applications,
    restore_application,
    update_application,
)
from afterword.core.contacts import (
    delete_contact,
    get_contact,
    list_contacts,
    restore_contact,
    update_contact,
)
from afterword.core.errors import ValidationError
from afterword.core.interviews import delete_interview
from afterword.core.search import HitKind, search
from afterword.core.storage.db import Database
from afterword.core.storage.records import ApplicationFields, ContactFields, ParticipantFields
from afterword.core.storage.search_index import query_key
from afterword.core.storage.validation import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT
from tests.core.storage.helpers import application, contact, interview, raw_rows, row_counts

ODD_TEXT = {
    "right-to-left marks": "\u200fשלום עולם\u200f",
    "Arabic with digits": "شركة ٤٥ للبرمجيات",
    "emoji with joiners": "👩🏽‍💻 Dev Team 🏳️‍🌈",
    "combining characters": "Zoe\u0308 Cafe\u0301",  # not normalised: kept as typed
    "astral letters": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛",
    "zero-width joiner and non-joiner": "می\u200cخواهم",
    "byte order mark inside": "Acme\ufeffCorp",
    "CJK": "株式会社テスト",
}


@pytest.mark.parametrize("text", ODD_TEXT.values(), ids=ODD_TEXT.keys())
def test_odd_unicode_round_trips_exactly(db: Database, now: datetime, text: str) -> None:
    notes = f"{text}\nsecond line: {text}"
    created = create_application(
        db, ApplicationFields(company=text, role=text, notes=notes), now=now
    )
    stored = get_application(db, created.id)
    assert (stored.company, stored.role, stored.notes) == (text, text, notes)
    # And on disk as the same text, not mangled on the way in.
    assert raw_rows(db.path, "SELECT company, notes FROM applications") == [(text, notes)]
    person = contact(db, now, name=text, title=text)
    assert (get_contact(db, person.id).name, get_contact(db, person.id).title) == (text, text)


def test_text_at_the_limit_is_kept_whole(db: Database, now: datetime) -> None:
    # The limit counts characters, not bytes: 200 four-byte emoji fit in a company name.
    company = "🚀" * SHORT_TEXT_LIMIT
    notes = "ü" * LONG_TEXT_LIMIT
    created = create_application(
        db, ApplicationFields(company=company, role="Role", notes=notes), now=now
    )
    assert get_application(db, created.id).company == company
    assert get_application(db, created.id).notes == notes


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("company", {"company": "🚀" * (SHORT_TEXT_LIMIT + 1)}),
        ("notes", {"notes": "ü" * (LONG_TEXT_LIMIT + 1)}),
        ("notes", {"notes": "x" * 1_000_000}),
        ("notes", {"notes": "x" * 500_000 + "\x00" + "x" * 500_000}),
        ("company", {"company": "Acme\x00"}),
        ("company", {"company": "Acme\udc80"}),  # a lone surrogate, e.g. from bad decoding
    ],
)
def test_huge_or_unstorable_text_is_refused_with_a_message(
    db: Database, now: datetime, field: str, values: dict[str, str]
) -> None:
    fields = ApplicationFields(**{"company": "Acme", "role": "Role", **values})
    with pytest.raises(ValidationError) as caught:
        create_application(db, fields, now=now)
    assert caught.value.field == field
    assert len(caught.value.problem) < 200  # a message, not an echo of the megabyte
    assert row_counts(db)["applications"] == 0


# --- search -------------------------------------------------------------------------------------


def _found(db: Database, query: str) -> list[tuple[HitKind, str]]:
    return [(hit.kind, hit.title) for hit in search(db, query)]


def test_search_ignores_ascii_case_in_company_and_role(db: Database, now: datetime) -> None:
    application(db, now, company="ACME Corp", role="Senior engineer")
    application(db, now, company="Globex", role="Analyst")
    assert _found(db, "acme") == [(HitKind.APPLICATION, "ACME Corp")]
    assert _found(db, "  ENGINEER ") == [(HitKind.APPLICATION, "ACME Corp")]
    assert _found(db, "corp senior") == []  # one phrase, not separate words


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("MÜLLER GmbH", "müller"),
        ("müller gmbh", "MÜLLER"),
        ("École Polytechnique", "ÉCOLE"),
        ("ŁÓDŹ Software", "łódź"),
        ("STRASSE Logistik", "straße"),  # case folding, not just lower-casing
        ("Fullwidth Co", "ＦＵＬＬ"),  # a query typed with an East Asian input method
        ("ΣΟΦΊΑ Labs", "σοφία"),
    ],
)
def test_search_ignores_case_beyond_ascii(
    db: Database, now: datetime, stored: str, query: str
) -> None:
    application(db, now, company=stored)
    application(db, now, company="Unrelated")
    assert _found(db, query) == [(HitKind.APPLICATION, stored)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("100%", ["100% Remote"]),
        ("%", ["100% Remote", "Grün% Energie"]),
        ("a_b", ["a_b Labs"]),
        ("_", ["a_b Labs"]),
        ("back\\slash", ["back\\slash Inc"]),
        ("ün%", ["Grün% Energie"]),  # the non-ASCII path escapes too
    ],
)
def test_like_wildcards_in_a_query_are_plain_characters(
    db: Database, now: datetime, query: str, expected: list[str]
) -> None:
    for company in ("100% Remote", "1000 Remote", "a_b Labs", "axb Labs", "back\\slash Inc"):
        application(db, now, company=company)
    application(db, now, company="Grün% Energie")
    application(db, now, company="Grünx Energie")
    assert [title for _, title in _found(db, query)] == expected


def test_search_by_a_participants_name_finds_the_application(db: Database, now: datetime) -> None:
    initech = application(db, now, company="Initech")
    application(db, now, company="Globex")
    zoe = contact(db, now, name="Zoë Quinn", title="CTO", company="Initech")
    interview(db, now, initech.id, ParticipantFields(contact_id=zoe.id))
    assert _found(db, "ZOË") == [(HitKind.APPLICATION, "Initech"), (HitKind.CONTACT, "Zoë Quinn")]
    assert [a.company for a in list_applications(db, now=now, query="quinn")] == ["Initech"]
    [hit] = [h for h in search(db, "quinn") if h.kind is HitKind.CONTACT]
    assert (hit.id, hit.subtitle) == (zoe.id, "CTO at Initech")


def test_contacts_are_found_by_email_company_and_title(db: Database, now: datetime) -> None:
    ada = contact(db, now, name="Ada", email="ada@analytical.example", company="Babbage & Co")
    contact(db, now, name="Bob", title="Recruiter")
    assert [c.id for c in list_contacts(db, query="ANALYTICAL")] == [ada.id]
    assert [c.id for c in list_contacts(db, query="babbage &")] == [ada.id]
    assert [c.name for c in list_contacts(db, query="recruit")] == ["Bob"]


QUERIES = {
    "empty": "",
    "spaces": "   ",
    "1 MB": "x" * 1_000_000,
    "100,000 umlauts": "ü" * 100_000,
    "NUL": "\x00",
    "wildcards around NUL": "%\x00_",
    "lone surrogate": "\ud800",
    "20,000 emoji": "😀" * 20_000,
}


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_any_query_returns_an_answer_instead_of_failing(
    db: Database, now: datetime, query: str
) -> None:
    application(db, now, company="Acme")
    contact(db, now)
    assert search(db, query) == []
    assert list_contacts(db, query=query) == ([] if query.strip() else list_contacts(db))


# --- the index: accents, people, notes, short queries, kept current by every write ---------


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Straße Logistik", "strasse"),
        ("José Cuervo SA", "jose"),
        ("JOSE Cuervo SA", "José"),
        ("Crème Brûlée Labs", "creme brulee"),
        ("İstanbul Yazılım", "istanbul"),
        ("Ｆｕｌｌｗｉｄｔｈ Co", "fullwidth"),
    ],
)
def test_search_ignores_accents(db: Database, now: datetime, stored: str, query: str) -> None:
    application(db, now, company=stored)
    application(db, now, company="Unrelated")
    assert _found(db, query) == [(HitKind.APPLICATION, stored)]
    assert [a.company for a in list_applications(db, now=now, query=query)] == [stored]


@pytest.mark.parametrize("query", ["z", "zo", "ZÖ", "fé"])
def test_queries_shorter_than_the_index_still_match(
    db: Database, now: datetime, query: str
) -> None:
    application(db, now, company="Zoë Café")
    application(db, now, company="Acme")
    assert [a.company for a in list_applications(db, now=now, query=query)] == ["Zoë Café"]


def test_applications_are_found_by_a_participants_email_and_by_notes(
    db: Database, now: datetime
) -> None:
    initech = application(db, now, company="Initech")
    create_application(
        db,
        ApplicationFields(company="Globex", role="Analyst", notes="Parking at Gate Straße 7"),
        now=now,
    )
    peter = contact(db, now, name="Peter Gibbons", email="peter@initech.example")
    interview(db, now, initech.id, ParticipantFields(contact_id=peter.id, notes="TPS reports"))
    assert [a.company for a in list_applications(db, now=now, query="@INITECH.ex")] == ["Initech"]
    # Notes are searched by search(), not by the Applications table's filter.
    assert _found(db, "gate strasse") == [(HitKind.APPLICATION, "Globex")]
    assert list_applications(db, now=now, query="gate strasse") == []
    assert _found(db, "tps report") == [(HitKind.APPLICATION, "Initech")]


def test_the_summary_carries_what_the_table_matches(db: Database, now: datetime) -> None:
    initech = application(db, now, company="Initech", role="Engineer")
    zoe = contact(db, now, name="Zoë Quinn", email="zoe@initech.example")
    interview(db, now, initech.id, ParticipantFields(contact_id=zoe.id))
    [summary] = list_applications(db, now=now)
    key = query_key(" ZOE ")
    assert key == "zoe" and key in summary.search_text
    assert query_key("quinn@") not in summary.search_text
    for query in ("initech", "engineer", "zoe quinn", "zoe@initech"):
        found = {a.id for a in list_applications(db, now=now, query=query)}
        assert (str(query_key(query)) in summary.search_text) == (initech.id in found)


def test_every_write_keeps_the_index_current_in_its_own_transaction(
    db: Database, now: datetime
) -> None:
    initech = application(db, now, company="Initech")
    peter = contact(db, now, name="Peter Gibbons")
    meeting = interview(db, now, initech.id, ParticipantFields(contact_id=peter.id))

    def companies(query: str) -> list[str]:
        return [a.company for a in list_applications(db, now=now, query=query)]

    assert companies("gibbons") == ["Initech"]
    update_contact(db, peter.id, ContactFields(name="Peter Bolton"))
    assert companies("gibbons") == []
    assert companies("bolton") == ["Initech"]
    assert [c.name for c in list_contacts(db, query="bolton")] == ["Peter Bolton"]
    update_application(
        db, initech.id, ApplicationFields(company="Initrode", role="Engineer"), now=now
    )
    assert companies("initrode") == ["Initrode"]
    delete_interview(db, meeting.id)
    assert companies("bolton") == []
    deleted = delete_application(db, initech.id)
    assert companies("initrode") == []
    restore_application(db, deleted)  # undo brings it back, searchable
    assert companies("initrode") == ["Initrode"]
    gone = delete_contact(db, peter.id)
    assert list_contacts(db, query="bolton") == []
    restore_contact(db, gone)
    assert [c.name for c in list_contacts(db, query="bolton")] == ["Peter Bolton"]
    # Nothing is left waiting once a write has committed.
    assert raw_rows(db.path, "SELECT count(*) FROM search_queue") == [(0,)]


def test_a_write_that_fails_leaves_the_index_as_it_was(db: Database, now: datetime) -> None:
    initech = application(db, now, company="Initech")
    with pytest.raises(ValidationError):
        update_application(db, initech.id, ApplicationFields(company="", role="x"), now=now)
    with pytest.raises(RuntimeError), db.session() as session:
        session.execute(text("UPDATE applications SET company = 'Globex'"))
        raise RuntimeError("rolled back")
    assert [a.company for a in list_applications(db, now=now, query="initech")] == ["Initech"]
    assert list_applications(db, now=now, query="globex") == []


def test_what_another_program_wrote_is_indexed_before_the_next_search(
    db: Database, now: datetime
) -> None:
    application(db, now, company="Initech")
    with closing(sqlite3.connect(db.path)) as other, other:
        other.execute("UPDATE applications SET company = 'Vandelay Industries'")
    assert _found(db, "vandelay") == [(HitKind.APPLICATION, "Vandelay Industries")]
    assert _found(db, "initech") == []
