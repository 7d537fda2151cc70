"""A job from its posting: fetch the page (or take pasted HTML) and read what it says.

Reading order, best first: schema.org ``JobPosting`` in JSON-LD (also inside
``@graph`` and in lists), then schema.org microdata, then the page's
``og:`` tags and ``<title>``. The page is only parsed, never run: no script
executes. HTML entities in JSON-LD are decoded (an HTML-escaped description
too), and the posting's own link is resolved against the page's address.
:func:`fetch_page` has a timeout and a size limit and accepts
HTML only. :func:`save_posting` creates the application with the posting's
location, salary, date and description kept locally (postings vanish).
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from afterword.core.applications import to_record, validate_application
from afterword.core.errors import AfterwordError, ValidationError
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application
from afterword.core.storage.records import ApplicationFields, ApplicationRecord
from afterword.core.storage.validation import (
    LONG_TEXT_LIMIT,
    clock,
    long_text,
    optional_date,
    single_line,
    web_url,
)

logger = logging.getLogger(__name__)

FETCH_TIMEOUT_S = 10.0
MAX_PAGE_BYTES = 3 * 1024 * 1024
USER_AGENT = "Afterword (job posting reader; +https://github.com/afterword)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class PostingError(AfterwordError):
    """A posting that cannot be fetched or read; the message says why."""


@dataclass(frozen=True)
class Posting:
    """What a posting says; empty strings for what it does not."""

    company: str = ""
    role: str = ""
    url: str = ""
    location: str = ""
    salary: str = ""
    date_posted: date | None = None
    description: str = ""
    source: str = ""  # "JSON-LD", "microdata" or "page title"

    @property
    def found_anything(self) -> bool:
        return bool(self.company or self.role or self.description)


# -- fetching -------------------------------------------------------------------------------------


def _opener() -> urllib.request.OpenerDirector:
    """Web pages only: no file:, ftp: or data: URLs, not even through a redirect."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


_OPENER = _opener()


def fetch_page(url: str, *, timeout: float = FETCH_TIMEOUT_S, limit: int = MAX_PAGE_BYTES) -> str:
    """The HTML at ``url`` (http or https), or :class:`PostingError` saying what went wrong."""
    url = web_url("posting_url", url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            if kind not in _HTML_TYPES:
                raise PostingError(
                    f"The link gives a {kind} file, not a web page. Paste the page's HTML instead."
                )
            data = response.read(limit + 1)
            charset = response.headers.get_content_charset() or "utf-8"
    except PostingError:
        raise
    except TimeoutError as exc:
        raise PostingError(
            f"The site did not answer within {timeout:.0f} seconds. Try again, or paste the "
            "page's HTML."
        ) from exc
    except urllib.error.HTTPError as exc:
        raise PostingError(f"The site answered “{exc.code} {exc.reason}”.") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise PostingError(
                f"The site did not answer within {timeout:.0f} seconds. Try again, or paste "
                "the page's HTML."
            ) from exc
        raise PostingError(f"The page could not be fetched ({reason}).") from exc
    if len(data) > limit:
        raise PostingError(
            f"The page is larger than {limit // 1024 // 1024} MB; paste the part with the job."
        )
    try:
        return data.decode(charset, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


# -- reading --------------------------------------------------------------------------------------


class _PageReader(HTMLParser):
    """Collects JSON-LD blocks, microdata of a JobPosting, meta tags and the title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.json_ld: list[str] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self.microdata: dict[str, str] = {}
        self._in: str | None = None  # "ld", "title", or None
        self._buffer: list[str] = []
        self._scope_depth = 0  # > 0 while inside an itemscope JobPosting
        self._depth = 0
        self._prop: tuple[str, int] | None = None  # itemprop being read, at depth

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self._depth += 1
        if tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._in, self._buffer = "ld", []
        elif tag == "title" and not self.title:
            self._in, self._buffer = "title", []
        elif tag == "meta":
            key = values.get("property") or values.get("name") or values.get("itemprop")
            if key:
                if self._scope_depth and values.get("itemprop"):
                    self.microdata.setdefault(values["itemprop"], values.get("content", ""))
                self.meta.setdefault(key.lower(), values.get("content", ""))
        if "jobposting" in values.get("itemtype", "").lower() and not self._scope_depth:
            self._scope_depth = self._depth
        elif self._scope_depth and values.get("itemprop") and tag != "meta":
            name = values["itemprop"]
            content = values.get("content") or values.get("datetime") or ""
            if content:
                self.microdata.setdefault(name, content)
            elif self._prop is None:
                self._prop, self._buffer = (name, self._depth), []
        if tag in ("br", "p", "li", "div", "h1", "h2", "h3", "tr") and self._prop is not None:
            self._buffer.append("\n")
        if tag in ("meta", "br", "img", "link", "input", "hr"):
            self._depth -= 1  # void elements have no end tag

    def handle_endtag(self, tag: str) -> None:
        if self._in == "ld" and tag == "script":
            self.json_ld.append("".join(self._buffer))
            self._in = None
        elif self._in == "title" and tag == "title":
            self.title = " ".join("".join(self._buffer).split())
            self._in = None
        if self._prop is not None and self._depth <= self._prop[1]:
            self.microdata.setdefault(self._prop[0], "".join(self._buffer))
            self._prop = None
        if self._scope_depth and self._depth <= self._scope_depth:
            self._scope_depth = 0
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in is not None or self._prop is not None:
            self._buffer.append(data)


def _job_postings(value: Any) -> Iterator[dict[str, Any]]:
    """Every JobPosting object in a JSON-LD value (lists, ``@graph``, nested)."""
    if isinstance(value, list):
        for item in value:
            yield from _job_postings(item)
    elif isinstance(value, dict):
        kind = value.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "JobPosting" in kinds:
            yield value
        if "@graph" in value:
            yield from _job_postings(value["@graph"])


def _name(value: Any) -> str:
    """A name as text; HTML entities are decoded ("Smith &amp; Sons" is "Smith & Sons").

    JSON-LD is script text, which the HTML parser leaves as written, and
    sites often HTML-escape the strings in it.
    """
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name", "")
    return " ".join(unescape(str(value or "")).split())


def _link(found: Any, page: str) -> str:
    """The posting's own link, made absolute against the page's address; else the page's.

    A link that is still no web address ("/jobs/42" in pasted HTML, "javascript:…")
    is dropped rather than kept to make saving fail.
    """
    text = unescape(str(found or "")).strip()
    if not text:
        return page
    try:
        return web_url("posting_url", urljoin(page, text) if page else text)
    except (ValidationError, ValueError):  # ValueError: urljoin on a broken "http://[::1"
        logger.info("A posting names a link that is no web address; the page's own is kept")
        return page


def _place(value: Any) -> str:
    places = value if isinstance(value, list) else [value]
    found = []
    for place in places:
        address = place.get("address", place) if isinstance(place, dict) else place
        if isinstance(address, dict):
            parts = [
                _name(address.get(key))
                for key in ("addressLocality", "addressRegion", "addressCountry")
            ]
            text = ", ".join(p for p in parts if p)
        else:
            text = _name(address)
        if text and text not in found:
            found.append(text)
    return "; ".join(found)


def _amount(value: Any) -> str:
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def _salary(value: Any) -> str:
    if not isinstance(value, dict):
        return _name(value)
    currency = str(value.get("currency", ""))
    amount = value.get("value", value)
    unit = ""
    if isinstance(amount, dict):
        unit = str(amount.get("unitText", "")).lower()
        low, high, single = amount.get("minValue"), amount.get("maxValue"), amount.get("value")
    else:
        low = high = None
        single = amount
    try:
        if low is not None and high is not None:
            text = f"{_amount(low)}–{_amount(high)}"
        elif single is not None or low is not None:
            text = _amount(single if single is not None else low)
        else:
            return ""
    except (TypeError, ValueError):
        return ""
    per = f" per {unit}" if unit else ""
    return f"{currency} {text}{per}".strip()


def _date(value: Any) -> date | None:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


_BLOCKS = re.compile(r"<\s*(br|/p|/li|/h\d|/div|/tr)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
# Markup left after one round means the description was HTML-escaped
# ("&lt;p&gt;…&lt;/p&gt;"). Closing tags and line breaks tell it from prose
# that merely names a tag ("experience with <div> layouts").
_ESCAPED_MARKUP = re.compile(
    r"<\s*(/\s*(p|li|ul|ol|div|span|h\d|b|i|em|strong|tr|td|table)|br\s*/?)\s*>",
    re.IGNORECASE,
)


def html_to_text(html: str) -> str:
    """Readable plain text from a description's HTML (paragraphs kept as lines)."""
    text = _plain(html)
    if _ESCAPED_MARKUP.search(text):
        text = _plain(text)
    return text[:LONG_TEXT_LIMIT]


def _plain(html: str) -> str:
    text = _BLOCKS.sub("\n", html)
    text = unescape(_TAGS.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _from_json_ld(job: dict[str, Any], url: str) -> Posting:
    location = _place(job.get("jobLocation"))
    if str(job.get("jobLocationType", "")).upper() == "TELECOMMUTE":
        location = f"Remote{'; ' + location if location else ''}"
    return Posting(
        company=_name(job.get("hiringOrganization")),
        role=_name(job.get("title")),
        url=_link(job.get("url"), url),
        location=location,
        salary=_salary(job.get("baseSalary")),
        date_posted=_date(job.get("datePosted")),
        description=html_to_text(str(job.get("description", ""))),
        source="JSON-LD",
    )


def read_posting(html: str, url: str = "") -> Posting:
    """What the page says about the job; an empty :class:`Posting` if nothing."""
    reader = _PageReader()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError) as exc:  # HTMLParser's complaints about broken markup
        logger.info("Broken HTML in a posting: %s", exc)
    for block in reader.json_ld:
        try:
            data = json.loads(block)
        except ValueError:
            continue  # a broken block: the next source may still work
        for job in _job_postings(data):
            posting = _from_json_ld(job, url)
            if posting.found_anything:
                return posting
    micro = reader.microdata
    if micro.get("title") or micro.get("description"):
        return Posting(
            company=_name(micro.get("hiringOrganization") or micro.get("name")),
            role=_name(micro.get("title")),
            url=url,
            location=_name(micro.get("addressLocality") or micro.get("jobLocation")),
            salary=_name(micro.get("baseSalary") or micro.get("salary")),
            date_posted=_date(micro.get("datePosted")),
            description=html_to_text(micro.get("description", "")),
            source="microdata",
        )
    title = reader.meta.get("og:title") or reader.title
    if title:
        return Posting(
            company=_name(reader.meta.get("og:site_name")),
            role=_name(title),
            url=_link(reader.meta.get("og:url"), url),
            description=html_to_text(reader.meta.get("og:description", "")),
            source="page title",
        )
    return Posting(url=url)


def posting_from(source: str) -> Posting:
    """A link is fetched; anything else is taken as the page's HTML (off the GUI thread)."""
    text = source.strip()
    if re.match(r"https?://\S+$", text):
        posting = read_posting(fetch_page(text), text)
        return posting if posting.url else replace(posting, url=text)
    if "<" not in text:
        raise PostingError("Paste a link (https://…) or the page's HTML.")
    return read_posting(text)


def save_posting(db: Database, posting: Posting, *, now: datetime) -> ApplicationRecord:
    """Create the application, keeping location, salary, date posted and description."""
    values = validate_application(
        ApplicationFields(company=posting.company, role=posting.role, posting_url=posting.url)
    )
    extras = {
        "location": single_line("location", posting.location),
        "salary": single_line("salary", posting.salary),
        "description": long_text("description", posting.description),
        "date_posted": optional_date("date_posted", posting.date_posted),
    }
    clock(now)
    with db.session() as session:
        row = Application(
            company=values.company,
            role=values.role,
            posting_url=values.posting_url,
            status=values.status,
            created_at=now,
            updated_at=now,
            **extras,
        )
        session.add(row)
        session.flush()
        logger.info("Saved application %s from a job posting", row.id)
        return to_record(row)
