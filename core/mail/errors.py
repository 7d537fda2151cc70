"""What can go wrong with mail, in words a person can act on.

Every failure of sending (SMTP), filing in Sent or reading (IMAP) and
signing in (OAuth) is a :class:`MailError` whose ``user_message`` says what
happened and what to do; no password or token ever appears in one. The
subclasses are named for what happened (the GUI matches on them), not with
an ``Error`` suffix. :mod:`afterword.core.mail.transport` exports them too.
"""

from __future__ import annotations

from afterword.core.errors import AfterwordError


class MailError(AfterwordError):
    """Sending or connecting failed; ``user_message`` is written for the person.

    The subclasses are named for what happened (the GUI matches on them), not
    with an ``Error`` suffix, hence the N818 exemptions.
    """

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class AuthenticationFailed(MailError):
    """The server refused the user name or password."""

    def __init__(self, username: str, server_reply: str, app_password_hint: str = "") -> None:
        hint = f" {app_password_hint}" if app_password_hint else ""
        super().__init__(
            f"The server refused the user name “{username}” or its password.{hint} "
            f"(The server said: {server_reply})"
        )
        self.app_password_hint = app_password_hint


class PasswordSignInRefused(AuthenticationFailed):
    """The provider refuses password sign-in here (5.7.30, 5.7.139, Gmail's 5.7.9)."""

    def __init__(self, username: str, server_reply: str) -> None:
        MailError.__init__(
            self,
            f"The server no longer accepts a password sign-in for “{username}” from mail "
            "programs. Sign in with your provider instead (“Sign in with Microsoft” or "
            "“Sign in with Google” in the mail account settings), or, if your provider "
            "offers them, create an app password and enter it in place of your usual "
            f"password. (The server said: {server_reply})",
        )
        self.app_password_hint = ""


class LoginNotOffered(MailError):
    """The server offers no login that works here (or none on this connection)."""

    def __init__(self, host: str, offered: str = "") -> None:
        detail = (
            f" It offers only {offered}, which Afterword cannot use; an app password may help."
            if offered
            else " Check the security setting (SSL/TLS or STARTTLS) and the port."
        )
        super().__init__(f"{host} does not offer a password login on this connection.{detail}")


class ServerUnreachable(MailError):
    """No connection could be made (unknown name, nothing listening, no network)."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(
            f"Could not connect to {host} on port {port}: {reason}. Check the server name "
            "and port in the mail account settings, and that this computer is online."
        )


class ConnectionTimedOut(MailError):
    """The server stopped answering before the message was handed over."""

    def __init__(self, host: str, timeout: float) -> None:
        super().__init__(
            f"{host} did not answer within {timeout:g} seconds; the message was not sent. "
            "Try again later. If it keeps happening, check the port and security setting "
            "(465 is usually SSL/TLS, 587 STARTTLS)."
        )


class DeadlinePassed(MailError):
    """The whole send took longer than its deadline before the message was handed over."""

    def __init__(self, host: str, deadline: float) -> None:
        super().__init__(
            f"{host} answered so slowly that sending did not finish within {deadline:g} "
            "seconds, so Afterword gave up before handing the message over; it was not "
            "sent. Try again later."
        )


class ConnectionLost(MailError):
    """The server closed the connection before the message was handed over."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"{host} closed the connection before the message was handed over, "
            "so it was not sent. Try again in a moment."
        )


class TlsCertificateError(MailError):
    """The server's certificate is not trusted (unknown issuer, wrong name, expired)."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(
            f"The security certificate of {host} is not trusted ({reason}), so Afterword did "
            "not log in or send anything. Check the server name; on a company or public "
            "network, something may be intercepting the connection."
        )


class TlsNotSupported(MailError):
    """STARTTLS was asked for but the server does not offer it."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(
            f"{host} does not offer encryption (STARTTLS) on port {port}, so Afterword did "
            "not log in. Choose SSL/TLS (usually port 465) or check the port."
        )


class TlsHandshakeFailed(MailError):
    """An encrypted connection could not be set up (often: wrong security for the port)."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(
            f"Could not set up an encrypted connection with {host} on port {port} ({reason}). "
            "The port may expect a different security setting: 465 is usually SSL/TLS, "
            "587 STARTTLS."
        )


class SenderRefused(MailError):
    """The server would not accept mail from the From address."""

    def __init__(self, address: str, server_reply: str) -> None:
        super().__init__(
            f"The server would not send mail from {address} (it said: {server_reply}). "
            "The From address usually has to be the mail account's own address."
        )


class RecipientRefused(MailError):
    """The server refused one or more recipients; nothing was sent to anyone."""

    def __init__(self, addresses: dict[str, str]) -> None:
        refused = "; ".join(f"{address} ({reply})" for address, reply in addresses.items())
        super().__init__(
            f"The server refused the recipient {refused}. Nothing was sent; check the address."
        )
        self.addresses = dict(addresses)


class MessageTooLarge(MailError):
    """The server's size limit is smaller than the message."""

    def __init__(self, server_reply: str) -> None:
        super().__init__(
            f"The message is too large for the server (it said: {server_reply}). "
            "Shorten it and send it again."
        )


class MessageRejected(MailError):
    """The server refused the message itself (spam filter, policy, temporary trouble)."""

    def __init__(self, server_reply: str) -> None:
        super().__init__(
            f"The server did not accept the message (it said: {server_reply}). "
            "Nothing was delivered; you can try again."
        )


class DeliveryUncertain(MailError):
    """The connection failed after the message was handed over: it may have arrived."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"The connection to {host} failed after the message was handed over, so it may "
            "have arrived. Look in your Sent folder or ask the recipient before sending it "
            "again, or the person may get it twice."
        )


class TokenRefused(MailError):
    """The server refused the access token of an OAuth sign-in (XOAUTH2)."""

    def __init__(self, host: str, username: str, server_reply: str) -> None:
        super().__init__(
            f"{host} refused the sign-in for “{username}” (it said: {server_reply}). Sign in "
            "again in the mail account settings. If it keeps happening, your organisation "
            "may not allow sending from mail programs (“Authenticated SMTP”): ask your IT team."
        )
