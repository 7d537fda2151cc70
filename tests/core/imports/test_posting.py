"""Job postings read from a real local web server and from pasted HTML."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from afterword.core.applications import get_application
from afterword.core.errors import ValidationError
from afterword.core.imports.posting import (
    Posting,
    PostingError,
    fetch_page,
    posting_from,
    read_posting,
    save_posting,
)
from afterword.core.storage.db import Database
from tests.core.imports.posting_server import POSTINGS, posting_server
from tests.core.storage.helpers import row_counts


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with posting_server() as url:
        yield url


def test_json_ld_inside_a_graph_with_places_and_a_salary_range(site: str) -> None:
    posting = posting_from(f"{site}/graph.html")
    assert posting.source == "JSON-LD"
    assert (posting.company, posting.role) == ("Northwind Traders", "Senior Data Engineer")
    assert posting.url == "https://northwind.example/jobs/42"
    assert posting.location == "Berlin, DE; Hamburg, DE"
    assert posting.salary == "EUR 70,000–85,000 per year"
    assert posting.date_posted == date(2026, 2, 27)
    assert posting.description == "Build our data platform.\nPython\nSQL & dbt"


def test_json_ld_in_a_list_after_a_broken_block(site: str) -> None:
    posting = posting_from(f"{site}/list.html")
    assert (posting.company, posting.role) == ("Litware", "Support Lead")
    assert posting.location == "Remote"
    assert posting.salary == "USD 31.50 per hour"
    assert posting.url == f"{site}/list.html"  # the page's own link when it names none


def test_microdata_when_there_is_no_json_ld(site: str) -> None:
    posting = posting_from(f"{site}/microdata.html")
    assert posting.source == "microdata"
    assert (posting.company, posting.role) == ("Fabrikam", "Product Designer")
    assert posting.date_posted == date(2026, 3, 4)
    assert posting.location == "London"
    assert posting.description == "Design things people love.\nPortfolio required."


def test_og_tags_and_title_as_the_last_resort() -> None:
    posting = read_posting((POSTINGS / "og_only.html").read_text(), "https://tailspin.example/j/1")
    assert posting.source == "page title"
    assert (posting.company, posting.role) == ("Tailspin Toys", "Backend Engineer (Go)")
    assert posting.description == "Join the platform team."


def test_pasted_html_is_read_the_same_way() -> None:
    posting = posting_from((POSTINGS / "graph.html").read_text())
    assert posting.role == "Senior Data Engineer"


def test_a_page_with_nothing_says_so(site: str) -> None:
    posting = posting_from(f"{site}/nothing.html")
    assert not posting.found_anything
    assert posting.url == f"{site}/nothing.html"


def test_redirects_are_followed(site: str) -> None:
    assert posting_from(f"{site}/moved").role == "Senior Data Engineer"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/file.pdf", "application/pdf file, not a web page"),
        ("/gone", "404"),
        ("/huge", "larger than 3 MB"),
    ],
)
def test_bad_links_get_a_clear_message(site: str, path: str, message: str) -> None:
    with pytest.raises(PostingError, match=message):
        posting_from(f"{site}{path}")


def test_a_site_that_does_not_answer_in_time(site: str) -> None:
    with pytest.raises(PostingError, match="did not answer within 1 seconds"):
        fetch_page(f"{site}/slow", timeout=1)


def test_only_web_links_and_html_are_accepted() -> None:
    with pytest.raises(ValidationError):
        fetch_page("file:///etc/passwd")
    with pytest.raises(PostingError, match="Paste a link"):
        posting_from("just some words")


def test_saving_keeps_the_posting_details(db: Database, now: datetime, site: str) -> None:
    record = save_posting(db, posting_from(f"{site}/graph.html"), now=now)
    stored = get_application(db, record.id)
    assert stored.salary == "EUR 70,000–85,000 per year"
    assert stored.location == "Berlin, DE; Hamburg, DE"
    assert stored.date_posted == date(2026, 2, 27)
    assert stored.description.startswith("Build our data platform.")


def test_a_posting_without_a_company_writes_nothing(db: Database, now: datetime) -> None:
    counts = row_counts(db)
    with pytest.raises(ValidationError, match="company"):
        save_posting(db, Posting(role="Engineer"), now=now)
    assert row_counts(db) == counts


def test_escaped_json_ld_reads_as_plain_text_and_a_relative_link_is_resolved(
    db: Database, now: datetime, site: str
) -> None:
    """The tester's page: "&amp;" in names, an escaped description, url "/jobs/42"."""
    posting = posting_from(f"{site}/escaped_json_ld.html")
    assert (posting.company, posting.role) == ("Smith & Sons GmbH", "R&D Engineer (m/w/d)")
    assert posting.description == "We build things.\nPython\nRust"
    assert posting.url == f"{site}/jobs/42"
    stored = get_application(db, save_posting(db, posting, now=now).id)
    assert (stored.company, stored.posting_url) == ("Smith & Sons GmbH", f"{site}/jobs/42")


def test_a_relative_link_in_pasted_html_is_left_out_and_saving_works(
    db: Database, now: datetime
) -> None:
    posting = posting_from((POSTINGS / "escaped_json_ld.html").read_text())
    assert posting.role == "R&D Engineer (m/w/d)" and posting.url == ""
    assert get_application(db, save_posting(db, posting, now=now).id).posting_url == ""


@pytest.mark.parametrize("link", ["javascript:apply()", "https://", "jobs 42", "http://[::1"])
def test_a_link_that_is_no_web_address_gives_way_to_the_pasted_one(link: str) -> None:
    page = (
        '<script type="application/ld+json">{"@type": "JobPosting", "title": "Dev", '
        f'"hiringOrganization": "Acme", "url": "{link}"}}</script>'
    )
    assert read_posting(page, "https://acme.example/careers/7").url == (
        "https://acme.example/careers/7"
    )


def test_a_description_that_names_a_tag_keeps_it() -> None:
    page = (
        '<script type="application/ld+json">{"@type": "JobPosting", "title": "Dev", '
        '"description": "<p>Experience with &lt;div&gt; layouts</p>"}</script>'
    )
    assert read_posting(page).description == "Experience with <div> layouts"
