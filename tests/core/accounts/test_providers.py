"""Typing an address fills in the provider's server settings and shows its note."""

from __future__ import annotations

import json

import pytest

from afterword.core.mail.accounts import is_local_host, validate_mail_account
from afterword.core.mail.providers import all_providers, provider_for_address
from afterword.core.storage.paths import resource
from afterword.core.storage.records import MailAccountFields
from afterword.core.storage.values import MailSecurity


@pytest.mark.parametrize(
    ("address", "name", "host", "port", "security"),
    [
        ("someone@gmail.com", "Gmail", "smtp.gmail.com", 465, MailSecurity.SSL),
        ("someone@googlemail.com", "Gmail", "smtp.gmail.com", 465, MailSecurity.SSL),
        (
            "someone@hotmail.com",
            "Outlook.com / Hotmail",
            "smtp-mail.outlook.com",
            587,
            MailSecurity.STARTTLS,
        ),
        (
            "someone@outlook.com",
            "Outlook.com / Hotmail",
            "smtp-mail.outlook.com",
            587,
            MailSecurity.STARTTLS,
        ),
        ("someone@icloud.com", "iCloud Mail", "smtp.mail.me.com", 587, MailSecurity.STARTTLS),
        ("someone@me.com", "iCloud Mail", "smtp.mail.me.com", 587, MailSecurity.STARTTLS),
        ("someone@yahoo.com", "Yahoo Mail", "smtp.mail.yahoo.com", 465, MailSecurity.SSL),
        ("someone@fastmail.com", "Fastmail", "smtp.fastmail.com", 465, MailSecurity.SSL),
        ("someone@zohomail.com", "Zoho Mail", "smtp.zoho.com", 465, MailSecurity.SSL),
        ("someone@gmx.de", "GMX", "mail.gmx.net", 587, MailSecurity.STARTTLS),
        ("someone@gmx.com", "GMX.com", "mail.gmx.com", 587, MailSecurity.STARTTLS),
        (
            "someone@proton.me",
            "Proton Mail (via Bridge)",
            "127.0.0.1",
            1025,
            MailSecurity.STARTTLS,
        ),
    ],
)
def test_an_address_fills_in_its_providers_server(
    address: str, name: str, host: str, port: int, security: MailSecurity
) -> None:
    provider = provider_for_address(address)
    assert provider is not None
    assert (provider.name, provider.host, provider.port, provider.security) == (
        name,
        host,
        port,
        security,
    )


def test_the_domain_is_matched_whatever_its_case_or_surrounding_space() -> None:
    provider = provider_for_address("  Jo.Example+jobs@GMail.COM ")
    assert provider is not None and provider.name == "Gmail"


@pytest.mark.parametrize(
    "address", ["jo@example.com", "jo@gmail.com.example.org", "gmail.com", "jo@", "", "@"]
)
def test_unknown_or_incomplete_addresses_find_no_provider(address: str) -> None:
    assert provider_for_address(address) is None


@pytest.mark.parametrize("address", ["jo@gmail.com", "jo@icloud.com", "jo@yahoo.com"])
def test_providers_that_need_an_app_password_say_so(address: str) -> None:
    provider = provider_for_address(address)
    assert provider is not None
    assert provider.needs_app_password
    assert "app" in provider.note.lower() and "password" in provider.note.lower()


def test_microsoft_365_can_be_chosen_but_not_guessed_from_a_domain() -> None:
    office = [p for p in all_providers() if p.name.startswith("Microsoft 365")]
    assert len(office) == 1
    assert (office[0].host, office[0].port, office[0].security) == (
        "smtp.office365.com",
        587,
        MailSecurity.STARTTLS,
    )
    assert office[0].domains == ()


def test_every_provider_the_issue_names_is_offered() -> None:
    names = " ".join(provider.name for provider in all_providers())
    for wanted in (
        "Gmail",
        "Outlook.com",
        "Hotmail",
        "Microsoft 365",
        "iCloud",
        "Yahoo",
        "Fastmail",
        "Zoho",
        "GMX",
        "Proton Mail",
    ):
        assert wanted in names


def test_every_provider_is_a_valid_account_with_a_note_and_help() -> None:
    providers = all_providers()
    assert [p.name.casefold() for p in providers] == sorted(p.name.casefold() for p in providers)
    for provider in providers:
        # Building an account from the preset must pass the same checks a person's input does.
        validate_mail_account(
            MailAccountFields(
                display_name="Jo",
                email="jo@example.com",
                smtp_host=provider.host,
                smtp_port=provider.port,
                security=provider.security,
                username="jo@example.com",
            )
        )
        assert provider.note.strip()
        assert provider.help_url.startswith("https://")
        assert provider.security is not MailSecurity.NONE or is_local_host(provider.host)


def test_the_settings_come_from_the_data_file_and_no_domain_is_claimed_twice() -> None:
    data = json.loads(resource("providers.json").read_text(encoding="utf-8"))
    assert {entry["name"] for entry in data["providers"]} == {p.name for p in all_providers()}
    domains = [domain for entry in data["providers"] for domain in entry["domains"]]
    assert len(domains) == len(set(domains))
