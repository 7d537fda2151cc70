"""Mail settings of common providers: to fill in the mail account form, and for IMAP.

The data lives in ``resources/providers.json`` so that a server change is a
data edit, not a code change. Typing an address picks a provider by its
domain; a provider without domains (Microsoft 365 on a company's own domain)
can only be chosen from :func:`all_providers`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache

from afterword.core.mail.accounts import is_local_host
from afterword.core.storage.paths import resource
from afterword.core.storage.values import MailSecurity

logger = logging.getLogger(__name__)

PROVIDERS_FILE = "providers.json"


@dataclass(frozen=True, kw_only=True)
class Provider:
    name: str
    domains: tuple[str, ...]
    host: str
    port: int
    security: MailSecurity
    username_is_email: bool
    note: str
    needs_app_password: bool
    help_url: str
    imap_host: str
    imap_port: int
    imap_security: MailSecurity
    # The provider puts what its SMTP server sends into Sent: no copy from us.
    files_sent_itself: bool
    # The OAuth sign-in it offers ("microsoft", "google"; empty: password only).
    oauth: str


def all_providers() -> tuple[Provider, ...]:
    """Every known provider, sorted by name (for a "choose your provider" list)."""
    return _load()


def provider_for_account(email: str, smtp_host: str) -> Provider | None:
    """The provider of an account: by its address, else by its outgoing server.

    The provider of the address comes first: the account belongs there.
    Otherwise the server's name identifies it (an address on a domain of its
    own served by Gmail, say), except for a server on this computer, whose
    address says nothing (Proton Mail Bridge and any local relay share 127.0.0.1).
    """
    provider = provider_for_address(email)
    if provider is None and not is_local_host(smtp_host):
        wanted = smtp_host.strip().casefold()
        provider = next((p for p in all_providers() if p.host.casefold() == wanted), None)
    return provider


def app_password_hint(email: str, smtp_host: str) -> str:
    """The app-password advice of the account's provider, if it needs one."""
    provider = provider_for_account(email, smtp_host)
    return provider.note if provider is not None and provider.needs_app_password else ""


def provider_for_address(email: str) -> Provider | None:
    """The provider serving ``email``'s domain, or ``None`` if it is not a known one."""
    _, at, domain = email.strip().rpartition("@")
    if not at:
        return None
    return _by_domain().get(domain.strip().rstrip(".").casefold())


@cache
def _load() -> tuple[Provider, ...]:
    path = resource(PROVIDERS_FILE)
    entries = json.loads(path.read_text(encoding="utf-8"))["providers"]
    providers = tuple(
        sorted(
            (
                Provider(
                    name=entry["name"],
                    domains=tuple(domain.casefold() for domain in entry["domains"]),
                    host=entry["host"],
                    port=int(entry["port"]),
                    security=MailSecurity(entry["security"]),
                    username_is_email=bool(entry["username_is_email"]),
                    note=entry["note"],
                    needs_app_password=bool(entry["needs_app_password"]),
                    help_url=entry["help_url"],
                    imap_host=entry["imap_host"],
                    imap_port=int(entry["imap_port"]),
                    imap_security=MailSecurity(entry["imap_security"]),
                    files_sent_itself=bool(entry["files_sent_itself"]),
                    oauth=entry["oauth"],
                )
                for entry in entries
            ),
            key=lambda provider: provider.name.casefold(),
        )
    )
    logger.debug("Loaded %d mail providers from %s", len(providers), path)
    return providers


@cache
def _by_domain() -> dict[str, Provider]:
    return {domain: provider for provider in _load() for domain in provider.domains}
