"""Which provider a mail account is with: found from the address or the server, or chosen.

Part of the mail account section (:mod:`afterword.gui.pages.mail_account`).
The provider decides what the form fills in (server, port, security), the
advice shown under the address and whether "Sign in with Microsoft/Google"
is offered. It is found, in this order:

1. from the address's domain (``alex@gmail.com``: Gmail);
2. chosen by hand in the "Provider" list, for an address on a domain of its
   own (Google Workspace, Microsoft 365 for work or school);
3. from the SMTP server the person typed (``smtp.office365.com``: Microsoft 365).

What the form filled in is remembered, so that when the provider goes away
(the address changed to an unknown domain) exactly those values are taken
back; a value the person typed or changed themselves is never touched.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from afterword.core.mail.providers import (
    Provider,
    all_providers,
    provider_for_account,
    provider_for_address,
)
from afterword.core.storage.values import MailSecurity
from afterword.gui.forms import select_data

logger = logging.getLogger(__name__)

OTHER_PROVIDER = "Other: enter your provider's server below"
# What an empty form holds: a value taken back returns to this.
EMPTY_HOST = ""
EMPTY_SECURITY = MailSecurity.SSL
EMPTY_PORT = 465


class ProviderFinder(QObject):
    """Keeps the "Provider" list and the server fields in step; ``changed`` carries the provider.

    ``combo`` is the list the person can choose from (made here, placed by the
    section). The section reports the person's edits of the address and the
    server through :meth:`address_edited` and :meth:`server_edited`.
    """

    changed = Signal(object)  # Provider | None

    def __init__(
        self,
        email: QLineEdit,
        host: QLineEdit,
        port: QSpinBox,
        security: QComboBox,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._email = email
        self._host = host
        self._port = port
        self._security = security
        self.provider: Provider | None = None
        self.by_hand = False
        # Field name -> the value this form put there (and may take back).
        self._filled: dict[str, object] = {}
        self.combo = QComboBox(parent)
        self.combo.setAccessibleName("Mail provider")
        self.combo.setToolTip(
            "Found from your address or server. Choose it yourself for an address on your "
            "own domain served by a provider in this list (Google Workspace, Microsoft 365)."
        )
        self.combo.addItem(OTHER_PROVIDER, None)
        for provider in all_providers():
            self.combo.addItem(provider.name, provider.name)
        # Long names must not make the whole Settings page wider than a small window.
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(16)
        self.combo.activated.connect(self._chosen)

    # -- what the person did ------------------------------------------------------------------

    def address_edited(self, address: str) -> None:
        """The address decides when its domain is known; else a choice by hand stays."""
        found = provider_for_address(address)
        if found is not None:
            self.by_hand = False
            if found is not self.provider:
                self._fill(found, host=True)
            self._show(found)
        elif not self.by_hand:
            self._take_back()
            self._found_by_server()

    def server_edited(self, _text: str) -> None:
        """A typed server is the person's; it may name the provider (Gmail's, Microsoft's)."""
        self._filled.pop("smtp_host", None)
        if self.by_hand or provider_for_address(self._email.text()) is not None:
            return
        self._found_by_server()

    def _chosen(self, index: int) -> None:
        name = self.combo.itemData(index)
        chosen = next((p for p in all_providers() if p.name == name), None)
        self.by_hand = True
        self._take_back()
        if chosen is not None:
            self._fill(chosen, host=True)
        logger.debug("Provider chosen by hand: %s", name or "other")
        self._show(chosen)

    def _found_by_server(self) -> None:
        found = provider_for_account("", self._host.text())
        if found is not self.provider:
            self._take_back()
            if found is not None:
                self._fill(found, host=False)
        self._show(found)

    # -- filling in and taking back -----------------------------------------------------------

    def _fill(self, provider: Provider, *, host: bool) -> None:
        if host:
            self._host.setText(provider.host)
            self._filled["smtp_host"] = provider.host
        # Security first: choosing it moves the port to the usual one.
        select_data(self._security, provider.security)
        self._port.setValue(provider.port)
        self._filled["security"] = provider.security
        self._filled["smtp_port"] = provider.port

    def _take_back(self) -> None:
        """Empty what this form filled in and nobody changed since."""
        filled, self._filled = self._filled, {}
        if filled.get("smtp_host") == self._host.text():
            self._host.setText(EMPTY_HOST)
        if filled.get("security") != self._security.currentData():
            return  # security chosen by hand: the port goes with it
        select_data(self._security, EMPTY_SECURITY)  # moves 587 back to 465 by itself
        if filled.get("smtp_port") == self._port.value():
            self._port.setValue(EMPTY_PORT)

    def loaded(self, email: str, host: str) -> None:
        """A saved account was put into the form: find its provider, fill in nothing.

        Server settings that are the address's provider's count as filled in by
        the form: a new address on another domain takes them back.
        """
        self.by_hand = False
        self._filled = {}
        found = provider_for_account(email, host)
        if found is not None and found is provider_for_address(email):
            values = {
                "smtp_host": (host, found.host),
                "security": (self._security.currentData(), found.security),
                "smtp_port": (self._port.value(), found.port),
            }
            self._filled = {name: shown for name, (shown, its) in values.items() if shown == its}
        self._show(found)

    def _show(self, provider: Provider | None) -> None:
        self.provider = provider
        # Index 0 is "Other".
        self.combo.setCurrentIndex(max(self.combo.findData(provider.name), 0) if provider else 0)
        self.changed.emit(provider)
