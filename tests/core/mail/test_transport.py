"""SMTP against real local servers: what arrives, and each fault mapped to what a person can do.

Every fault is produced for real: a wrong password refused by the server,
a port nothing listens on, a server that never answers, one that hangs up
before or after the message data, a 550 for one recipient, a certificate
from a CA the app does not trust.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage

import pytest
import trustme

from afterword.core.errors import ValidationError
from afterword.core.mail import transport as mail
from afterword.core.mail.compose import build_email
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MailSecurity
from tests.support.smtp import HOST, SmtpServer, free_port

TIMEOUT = 0.5


def _email(
    now: datetime, *, bcc: str | None = None, body: str = "Liebe Grace,\n\ndanke!\n"
) -> EmailMessage:
    return build_email(
        from_name="Ada Lovelace",
        from_address="ada@example.com",
        to_name="Grace Hopper",
        to_address="grace@example.org",
        subject="Danke für heute",
        body=body,
        bcc=bcc,
        now=now,
    )


@pytest.mark.parametrize("security", [MailSecurity.STARTTLS, MailSecurity.SSL, MailSecurity.NONE])
def test_message_arrives_with_headers_utf8_text_and_hidden_copy_to_self(
    smtp_server: Callable[..., SmtpServer], now: datetime, security: MailSecurity
) -> None:
    server = smtp_server(security=security)

    mail.send_email(server.settings(), server.password, _email(now, bcc="ada@example.com"))

    [received] = server.received
    assert received.login == server.username
    assert received.mail_from == "ada@example.com"
    assert received.rcpt_tos == ("grace@example.org", "ada@example.com")
    message = received.message
    assert str(message["From"]) == "Ada Lovelace <ada@example.com>"
    assert str(message["To"]) == "Grace Hopper <grace@example.org>"
    assert message["Subject"] == "Danke für heute"
    assert message["Date"].datetime == now
    assert message["Message-ID"].endswith("@example.com>")
    assert message.get_content().replace("\r\n", "\n") == "Liebe Grace,\n\ndanke!\n"
    # The copy to self is an envelope recipient only: no header names it.
    head = received.content.split(b"\r\n\r\n", 1)[0].lower()
    assert b"bcc" not in head
    assert b"ada@example.com" not in head.replace(b"from: ada lovelace <ada@example.com>", b"")


def test_lines_starting_with_a_dot_arrive_intact(server: SmtpServer, now: datetime) -> None:
    body = "Agenda:\n.\n..two dots\n.end\n"

    mail.send_email(server.settings(), server.password, _email(now, body=body))

    assert server.received[0].message.get_content().replace("\r\n", "\n") == body


def test_connection_test_logs_in_and_sends_nothing(server: SmtpServer) -> None:
    mail.test_connection(server.settings(), server.password)

    assert server.login_attempts == [server.username]
    assert server.received == []


def test_wrong_password_names_the_account_and_gives_the_app_password_hint(
    server: SmtpServer, now: datetime
) -> None:
    settings = server.settings(app_password_hint="Gmail needs an app password.")

    with pytest.raises(mail.AuthenticationFailed) as failed:
        mail.send_email(settings, "not the password", _email(now))

    assert server.username in failed.value.user_message
    assert "Gmail needs an app password." in failed.value.user_message
    assert "535" in failed.value.user_message
    assert "not the password" not in failed.value.user_message
    assert server.received == []
    with pytest.raises(mail.AuthenticationFailed):
        mail.test_connection(settings, "not the password")


def test_a_password_with_accents_is_refused_before_it_is_sent(
    smtp_server: Callable[..., SmtpServer],
) -> None:
    server = smtp_server(password="Pässwörd-42")

    with pytest.raises(mail.AuthenticationFailed) as failed:
        mail.test_connection(server.settings(), server.password)

    assert "accents" in failed.value.user_message
    assert "Pässwörd-42" not in failed.value.user_message
    assert failed.value.__context__ is None
    assert server.login_attempts == []


@pytest.mark.parametrize(
    ("address", "host", "advice"),
    [
        ("ada@gmail.com", "smtp.gmail.com", "Gmail needs an app password"),
        # A domain of its own on Google's servers: the server tells.
        ("ada@example.com", "smtp.gmail.com", "Gmail needs an app password"),
        ("ada@proton.me", "127.0.0.1", "Bridge password"),
        # A local relay is not Proton's Bridge just because it listens on 127.0.0.1.
        ("ada@example.com", "127.0.0.1", None),
        ("ada@outlook.com", "smtp-mail.outlook.com", None),
        ("ada@example.com", "mail.example.com", None),
    ],
)
def test_the_app_password_advice_comes_from_the_account_provider(
    address: str, host: str, advice: str | None
) -> None:
    account = MailAccountRecord(
        id=1,
        display_name="Ada",
        email=address,
        smtp_host=host,
        smtp_port=465,
        security=MailSecurity.SSL,
        username=address,
    )

    hint = mail.SmtpSettings.from_account(account).app_password_hint

    if advice is None:
        assert hint == ""
    else:
        assert advice in hint


def test_a_server_offering_no_usable_login_says_so(
    smtp_server: Callable[..., SmtpServer], now: datetime
) -> None:
    server = smtp_server(password_logins=False)

    with pytest.raises(mail.LoginNotOffered) as failed:
        mail.send_email(server.settings(), server.password, _email(now))

    assert "XOAUTH2" in failed.value.user_message
    assert server.login_attempts == []


def test_nothing_listening_is_unreachable(server: SmtpServer) -> None:
    settings = mail.SmtpSettings(HOST, free_port(), MailSecurity.STARTTLS, "ada", TIMEOUT)

    with pytest.raises(mail.ServerUnreachable) as failed:
        mail.test_connection(settings, server.password)

    assert str(settings.port) in failed.value.user_message


def test_an_unknown_server_name_is_unreachable() -> None:
    settings = mail.SmtpSettings("smtp.no-such-host.invalid", 587, MailSecurity.STARTTLS, "ada")

    with pytest.raises(mail.ServerUnreachable) as failed:
        mail.test_connection(settings, "secret")

    assert "no server by that name" in failed.value.user_message


@pytest.mark.parametrize("security", [MailSecurity.STARTTLS, MailSecurity.SSL])
def test_a_server_that_never_answers_times_out(stalling_port: int, security: MailSecurity) -> None:
    settings = mail.SmtpSettings(HOST, stalling_port, security, "ada", TIMEOUT)
    started = time.monotonic()

    with pytest.raises(mail.ConnectionTimedOut) as failed:
        mail.test_connection(settings, "secret")

    assert time.monotonic() - started < TIMEOUT + 2
    assert "did not answer" in failed.value.user_message


@pytest.mark.parametrize("security", [MailSecurity.STARTTLS, MailSecurity.SSL])
def test_an_untrusted_certificate_stops_before_the_password_is_sent(
    smtp_server: Callable[..., SmtpServer], now: datetime, security: MailSecurity
) -> None:
    server = smtp_server(security=security, certificate_ca=trustme.CA())

    with pytest.raises(mail.TlsCertificateError) as failed:
        mail.send_email(server.settings(), server.password, _email(now))

    assert "not trusted" in failed.value.user_message
    assert server.login_attempts == []
    assert server.received == []


def test_starttls_not_offered_stops_before_the_password_is_sent(
    smtp_server: Callable[..., SmtpServer],
) -> None:
    server = smtp_server(offer_starttls=False)

    with pytest.raises(mail.TlsNotSupported):
        mail.test_connection(server.settings(), server.password)

    assert server.login_attempts == []


def test_ssl_to_a_starttls_port_explains_the_security_setting(server: SmtpServer) -> None:
    settings = mail.SmtpSettings(server.host, server.port, MailSecurity.SSL, "ada", TIMEOUT)

    with pytest.raises(mail.TlsHandshakeFailed) as failed:
        mail.test_connection(settings, server.password)

    assert "465" in failed.value.user_message


def test_unencrypted_connections_are_only_allowed_to_this_computer() -> None:
    with pytest.raises(ValidationError) as refused:
        mail.SmtpSettings("smtp.example.com", 25, MailSecurity.NONE, "ada")

    assert refused.value.field == "security"
    assert mail.SmtpSettings("localhost", 1025, MailSecurity.NONE, "ada").host == "localhost"


def test_a_refused_recipient_is_named_and_nobody_gets_the_message(
    smtp_server: Callable[..., SmtpServer], now: datetime
) -> None:
    server = smtp_server(refuse={"grace@example.org"})

    with pytest.raises(mail.RecipientRefused) as failed:
        mail.send_email(server.settings(), server.password, _email(now, bcc="ada@example.com"))

    assert list(failed.value.addresses) == ["grace@example.org"]
    assert failed.value.addresses["grace@example.org"].startswith("550")
    assert "grace@example.org" in failed.value.user_message
    assert server.received == []


def test_a_message_over_the_size_limit_is_too_large(
    smtp_server: Callable[..., SmtpServer], now: datetime
) -> None:
    server = smtp_server(data_size_limit=300)

    with pytest.raises(mail.MessageTooLarge):
        mail.send_email(server.settings(), server.password, _email(now, body="x " * 400))

    assert server.received == []


def test_a_hang_up_before_the_data_means_not_sent(
    smtp_server: Callable[..., SmtpServer], now: datetime
) -> None:
    server = smtp_server(drop_at_rcpt=True)

    with pytest.raises(mail.ConnectionLost) as failed:
        mail.send_email(server.settings(), server.password, _email(now))

    assert not isinstance(failed.value, mail.DeliveryUncertain)
    assert server.received == []


def test_a_hang_up_after_the_data_means_it_may_have_arrived(
    smtp_server: Callable[..., SmtpServer], now: datetime
) -> None:
    server = smtp_server(drop_after_data=True)

    with pytest.raises(mail.DeliveryUncertain) as failed:
        mail.send_email(server.settings(), server.password, _email(now))

    assert "may have arrived" in failed.value.user_message
    assert len(server.received) == 1


def test_no_answer_after_the_data_means_it_may_have_arrived(
    smtp_server: Callable[..., SmtpServer], now: datetime
) -> None:
    server = smtp_server(stall_after_data=TIMEOUT * 4)

    with pytest.raises(mail.DeliveryUncertain):
        mail.send_email(server.settings(timeout=TIMEOUT), server.password, _email(now))

    assert len(server.received) == 1


@pytest.mark.parametrize(
    "reply",
    [
        "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.",
        "534 5.7.9 Application-specific password required. Learn more at "
        "https://support.google.com/mail/?p=InvalidSecondFactor",
        "535 5.7.30 Basic authentication is not supported for Client Submission",
    ],
)
def test_a_provider_refusing_password_logins_gets_oauth_or_app_password_advice(
    smtp_server: Callable[..., SmtpServer], now: datetime, reply: str
) -> None:
    server = smtp_server(auth_reply=reply)

    with pytest.raises(mail.PasswordSignInRefused) as refused:
        mail.send_email(server.settings(), server.password, _email(now))

    advice = refused.value.user_message
    assert "Sign in with Microsoft" in advice
    assert "Sign in with Google" in advice
    assert "app password" in advice
    assert reply.split(" ", 2)[1] in advice
    assert server.password not in advice
    assert server.received == []


def test_microsofts_5_7_30_at_mail_from_gets_the_same_advice(
    smtp_server: Callable[..., SmtpServer], now: datetime
) -> None:
    # Exchange Online may let the password login through, then refuse the sender.
    server = smtp_server(
        mail_reply="550 5.7.30 Basic authentication is not supported for Client Submission"
    )

    with pytest.raises(mail.PasswordSignInRefused) as refused:
        mail.send_email(server.settings(), server.password, _email(now))

    assert "5.7.30" in refused.value.user_message
    assert server.received == []


def test_an_ordinary_wrong_password_is_not_mistaken_for_a_refused_sign_in_method(
    smtp_server: Callable[..., SmtpServer], now: datetime
) -> None:
    server = smtp_server(auth_reply="535 5.7.8 Authentication credentials invalid")

    with pytest.raises(mail.AuthenticationFailed) as refused:
        mail.send_email(server.settings(), server.password, _email(now))

    assert not isinstance(refused.value, mail.PasswordSignInRefused)
