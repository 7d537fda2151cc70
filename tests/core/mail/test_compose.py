"""Building the email: what a recipient's mail program reads, and what can never get in."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import datetime
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from afterword.core.errors import ValidationError
from afterword.core.mail.compose import build_email, new_message_id, wire_bytes

# Exactly these headers, once each, in every message we send.
HEADERS = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Content-Type",
    "Content-Transfer-Encoding",
    "MIME-Version",
]
BASE: dict[str, Any] = {
    "from_name": "Ada Lovelace",
    "from_address": "ada@example.com",
    "to_name": "Grace Hopper",
    "to_address": "grace@example.org",
    "subject": "Thank you",
    "body": "Dear Grace,\n\nthank you.\n",
    "bcc": None,
}


def _build(now: datetime, **changes: Any) -> bytes:
    return wire_bytes(build_email(**{**BASE, **changes}, now=now))


def _parsed(wire: bytes) -> Message:
    # compat32 hands back raw header text, decoded below the way RFC 2047 says
    # (the modern parser puts a space between adjacent encoded words in names).
    return email.message_from_bytes(wire, policy=email.policy.compat32)


def _unfolded(message: Message, name: str) -> str:
    # Unfolding removes the line breaks; the space after the colon is not content.
    return str(message[name]).replace("\r\n", "").replace("\n", "").lstrip(" \t")


def _text(message: Message, name: str) -> str:
    """What a mail program shows for an unstructured header such as Subject."""
    return str(make_header(decode_header(_unfolded(message, name))))


def _mailbox(message: Message, name: str) -> tuple[str, str]:
    """(display name, address) as a mail program shows them."""
    [(display, address)] = getaddresses([_unfolded(message, name)])
    return str(make_header(decode_header(display))), address


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "ascii").replace("\r\n", "\n")


def test_message_carries_sender_recipient_date_id_and_utf8_text(now: datetime) -> None:
    wire = _build(
        now,
        from_name="Åsa Lindqvist",
        to_name="Zoë O'Brien, PhD",
        subject="Danke für das Gespräch 🙂",
        body="Liebe Zoë,\n\nvielen Dank — es war schön.\n",
        message_id="<fixed.1@example.com>",
    )

    message = _parsed(wire)
    assert message.keys() == HEADERS
    assert _mailbox(message, "From") == ("Åsa Lindqvist", "ada@example.com")
    assert _mailbox(message, "To") == ("Zoë O'Brien, PhD", "grace@example.org")
    assert _text(message, "Subject") == "Danke für das Gespräch 🙂"
    assert parsedate_to_datetime(message["Date"]) == now
    assert message["Message-ID"] == "<fixed.1@example.com>"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert _body(message) == "Liebe Zoë,\n\nvielen Dank — es war schön.\n"
    # 7-bit clean: no server extension needed, lines within SMTP limits.
    assert wire.isascii()
    assert max(len(line) for line in wire.split(b"\r\n")) <= 998


def test_message_id_is_new_for_each_message_and_in_the_sender_domain(now: datetime) -> None:
    first = _parsed(_build(now))["Message-ID"]
    second = _parsed(_build(now))["Message-ID"]

    assert first != second
    assert re.fullmatch(r"<[^<>@\s]+@example\.com>", first)
    assert new_message_id("someone@bücher.de").endswith("@xn--bcher-kva.de>")


def test_bcc_is_on_the_object_for_the_envelope_but_never_on_the_wire(now: datetime) -> None:
    built = build_email(**{**BASE, "bcc": "ada@example.com"}, now=now)

    assert built["Bcc"] == "ada@example.com"
    wire = wire_bytes(built)
    assert b"bcc" not in wire.lower()
    assert _parsed(wire).keys() == HEADERS
    assert built["Bcc"] == "ada@example.com"  # wire_bytes left the original alone


def test_international_domain_is_sent_in_its_ascii_form(now: datetime) -> None:
    message = _parsed(_build(now, to_address="info@bücher.de"))

    assert _mailbox(message, "To") == ("Grace Hopper", "info@xn--bcher-kva.de")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("to_name", "Grace\r\nBcc: victim@example.net"),
        ("to_name", "Grace\nBcc: victim@example.net"),
        ("from_name", "Ada\rBcc: victim@example.net"),
        ("subject", "Hello\r\nBcc: victim@example.net"),
        ("subject", "Hello\u2028Bcc: victim@example.net"),
        ("subject", "Hello\x85Bcc: victim@example.net"),
        ("subject", "Hello\x00"),
        # An RFC 2047 encoded word that decodes to a line break and a header.
        ("subject", "=?utf-8?q?Hi=0D=0ABcc:_victim@example.net?="),
        ("to_name", "=?utf-8?q?Grace=0ABcc:_victim@example.net?="),
        ("to_address", "grace@example.org\r\nBcc: victim@example.net"),
        ("to_address", "grace@example.org,victim@example.net"),
        ("to_address", "Grace <grace@example.org>"),
        ("to_address", '"grace"@example.org'),
        ("to_address", "jürgen@example.org"),
        ("to_address", ""),
        ("from_address", "ada@example.com\nBcc: victim@example.net"),
        ("bcc", "ada@example.com\r\nTo: victim@example.net"),
    ],
)
def test_text_that_could_add_a_header_or_recipient_is_refused(
    now: datetime, field: str, value: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        build_email(**{**BASE, field: value}, now=now)

    assert refused.value.field == field
    assert refused.value.problem


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        build_email(**BASE, now=datetime(2026, 3, 11, 10, 0))

    assert refused.value.field == "now"


# Any text a person can type on one line: no control characters, no line
# breaks; "=?" is refused on purpose (see the test above).
_ONE_LINE = st.text(
    st.characters(
        exclude_categories=("Cc", "Cs", "Zl", "Zp"),
        include_characters="\t",
    ),
    max_size=200,
).filter(lambda text: "=?" not in text)
_TRICKY = st.lists(
    st.sampled_from([" ", "\t", '"', "\\", "'", "(", ")", "<", ">", ",", ";", ":", "@", "."])
    | st.sampled_from(["é", "山", "\u3000", "\u00a0", "🙂", "a", "Z", "_", "=", "?", "-"]),
    max_size=60,
).map("".join)
_NAME = (_ONE_LINE | _TRICKY).filter(lambda text: "=?" not in text)
# Long plain-ASCII subjects are folded by the email package itself.
_LONG_ASCII = st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=80, max_size=400)
_SUBJECT = (_ONE_LINE | _TRICKY | _LONG_ASCII).filter(lambda text: "=?" not in text)
_BODY = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), include_characters="\t\n\r"),
    max_size=2000,
)


def _spaced(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.strip())


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(from_name=_NAME, to_name=_NAME, subject=_SUBJECT, body=_BODY)
@example(
    from_name="_)\t\u3000_", to_name="Zoë " * 20 + "\u0800" * 8, subject="_)\t\u3000_", body=""
)
@example(from_name='"q" \\ x', to_name="a,b <c>", subject=".\tx", body=".\n..\nFrom me\n")
def test_any_names_subject_and_body_read_back_unchanged_with_no_extra_header(
    from_name: str, to_name: str, subject: str, body: str
) -> None:
    now = datetime.fromisoformat("2026-03-11T10:00:00+01:00")
    wire = _build(
        now,
        from_name=from_name,
        to_name=to_name,
        subject=subject,
        body=body,
        bcc="ada@example.com",
    )

    message = _parsed(wire)
    assert message.keys() == HEADERS
    assert _mailbox(message, "From") == (_spaced(from_name), "ada@example.com")
    assert _mailbox(message, "To") == (_spaced(to_name), "grace@example.org")
    assert _text(message, "Subject") == subject.strip()
    expected_body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    assert _body(message) == expected_body + "\n"
    assert wire.isascii()


@given(
    field=st.sampled_from(["from_name", "to_name", "subject"]),
    before=_NAME,
    breaker=st.sampled_from(["\r", "\n", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"]),
    after=st.sampled_from(["Bcc: victim@example.net", "To: victim@example.net", "x"]),
)
def test_a_line_break_anywhere_in_a_header_field_is_always_refused(
    field: str, before: str, breaker: str, after: str
) -> None:
    now = datetime.fromisoformat("2026-03-11T10:00:00+01:00")
    with pytest.raises(ValidationError) as refused:
        build_email(**{**BASE, field: f"x{before}{breaker}{after}"}, now=now)

    assert refused.value.field == field
