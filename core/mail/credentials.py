"""The mail password, kept in the operating system's keyring and nowhere else.

One service name for the app (:data:`SERVICE_NAME`) and one keyring entry per
mail account, named by :func:`afterword.core.mail.accounts.account_key` (the account's
``username@smtp-host``). The password never goes into the database, settings,
logs or exception messages; there is no plain-text fallback. When a system has
no keyring at all, :class:`SessionPasswords` keeps a typed password in this
process's memory for the session only.

What can go wrong is reported as one of four :class:`KeyringState` values, in
words a person can act on. ``keyring`` is imported inside the functions, and
only when a password is needed: importing it costs about 50 ms, and its
backend is chosen directly for the platform (:func:`keyring_backend`).

No call here may hang: a locked Secret Service collection is detected before
anything could open an unlock prompt, and every backend call runs with a
timeout (a backend that waits on a prompt nobody answers counts as locked).
:func:`unlock_keyring` is the one call that asks the system to prompt.
"""

from __future__ import annotations

import enum
import logging
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, cast

from afterword.core.errors import AfterwordError, ValidationError
from afterword.core.storage.paths import APP_ID

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

logger = logging.getLogger(__name__)

SERVICE_NAME = APP_ID
# Long enough for a person to answer a backend's own access prompt (KeePassXC,
# macOS), short enough that a forgotten or invisible prompt does not hang a send.
KEYRING_TIMEOUT_SECONDS = 60.0
# Where the Secret Service keeps the collection keyring uses unless told otherwise.
DEFAULT_COLLECTION = "/org/freedesktop/secrets/aliases/default"

_T = TypeVar("_T")


class KeyringState(enum.StrEnum):
    STORED = "stored"
    MISSING = "missing"
    LOCKED = "locked"
    NO_BACKEND = "no_backend"
    # A Secret Service on the session bus, but no default keyring it can use
    # (never set up, and no way to ask the person to create one).
    NO_DEFAULT_KEYRING = "no_default_keyring"

    @property
    def user_message(self) -> str:
        """What to tell the person, including what they can do about it."""
        return USER_MESSAGES[self]

    @property
    def without_keyring(self) -> bool:
        """No keyring can keep the password: it can be held in memory for the session."""
        return self in (KeyringState.NO_BACKEND, KeyringState.NO_DEFAULT_KEYRING)


USER_MESSAGES: dict[KeyringState, str] = {
    KeyringState.STORED: "The password is saved in your system keyring.",
    KeyringState.MISSING: (
        "No password is saved for this account yet. Enter it once and Afterword keeps it "
        "in your system keyring."
    ),
    KeyringState.LOCKED: (
        "Your system keyring is locked. Unlock it (Afterword can ask your system to show "
        "its unlock prompt), then try again."
    ),
    KeyringState.NO_BACKEND: (
        "This system has no keyring to keep the password safe. Afterword can ask for it "
        "once per session and keep it in memory only; it is never written to disk."
    ),
    KeyringState.NO_DEFAULT_KEYRING: (
        "Your session has a keyring service but no default keyring that Afterword can "
        "use: none has been set up, and the service cannot ask you to create one. Create "
        "a default keyring in your desktop's password manager (such as Passwords and "
        "Keys), or let Afterword keep the password in memory for this session only."
    ),
}


class CredentialsError(AfterwordError):
    """The password could not be read or written; ``state`` says why."""

    state: KeyringState | None = None

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.state.user_message if self.state else ""))


# These three read as the state they report, so they go without an "Error" suffix.
class PasswordMissing(CredentialsError):
    state = KeyringState.MISSING


class KeyringLocked(CredentialsError):
    state = KeyringState.LOCKED


class NoKeyringBackend(CredentialsError):
    state = KeyringState.NO_BACKEND


class NoDefaultKeyring(NoKeyringBackend):
    state = KeyringState.NO_DEFAULT_KEYRING


class KeyringBackendError(CredentialsError):
    """The keyring answered with an error that is none of the states above."""


class SessionPasswords:
    """Passwords typed for this session, held in this process's memory only.

    For systems without a keyring. Nothing here is ever written anywhere: the
    object refuses to be pickled or copied and its ``repr`` shows no secret.
    """

    __slots__ = ("_passwords",)

    def __init__(self) -> None:
        self._passwords: dict[str, str] = {}

    def remember(self, account_key: str, password: str) -> None:
        self._passwords[_checked_key(account_key)] = _checked_password(password)

    def get(self, account_key: str) -> str | None:
        return self._passwords.get(account_key)

    def forget(self, account_key: str) -> None:
        self._passwords.pop(account_key, None)

    def clear(self) -> None:
        self._passwords.clear()

    def __contains__(self, account_key: object) -> bool:
        return account_key in self._passwords

    def __repr__(self) -> str:
        return f"<SessionPasswords for {len(self._passwords)} account(s)>"

    def __reduce__(self) -> NoReturn:
        raise TypeError("Session passwords stay in memory; they cannot be pickled or copied.")


def password_state(account_key: str) -> KeyringState:
    """Whether a password is stored for ``account_key``; never prompts."""
    try:
        get_password(account_key)
    except CredentialsError as exc:
        if exc.state is None:
            raise
        return exc.state
    return KeyringState.STORED


def get_password(account_key: str) -> str:
    """The stored password; raises a :class:`CredentialsError` subclass otherwise."""
    key = _checked_key(account_key)
    password = _in_keyring(lambda backend: backend.get_password(SERVICE_NAME, key))
    if not password:
        raise PasswordMissing()
    return password


def store_password(account_key: str, password: str) -> None:
    """Save (or replace) the password for ``account_key`` in the system keyring."""
    key = _checked_key(account_key)
    secret = _checked_password(password)
    _in_keyring(lambda backend: backend.set_password(SERVICE_NAME, key, secret), secret=secret)
    logger.info("Saved the mail password for %s in the system keyring", key)


def delete_password(account_key: str) -> None:
    """Remove the stored password; nothing stored is not an error."""
    from keyring.errors import PasswordDeleteError

    key = _checked_key(account_key)

    def delete(backend: KeyringBackend) -> None:
        try:
            backend.delete_password(SERVICE_NAME, key)
        except PasswordDeleteError:
            logger.debug("No mail password stored for %s; nothing to delete", key)

    _in_keyring(delete)
    logger.info("Deleted the mail password for %s from the system keyring", key)


def password_for(account_key: str, session: SessionPasswords) -> str:
    """The password to send with: the keyring's, else one typed for this session.

    Raises the keyring's :class:`CredentialsError` when neither has one, so the
    caller knows whether to ask for it (missing, no keyring) or to ask for the
    keyring to be unlocked.
    """
    try:
        return get_password(account_key)
    except (PasswordMissing, NoKeyringBackend):
        remembered = session.get(account_key)
        if remembered:
            return remembered
        raise


def unlock_keyring(timeout: float = KEYRING_TIMEOUT_SECONDS) -> bool:
    """Ask the system to show its unlock prompt; ``True`` once nothing is locked.

    Blocks until the person answers or ``timeout`` seconds pass, so a GUI
    calls it off its main thread.
    """

    def unlock(backend: KeyringBackend) -> bool:
        return all(_unlock(path, timeout) for path in _secret_service_collections(backend))

    # The margin lets the prompt's own timeout, not ours, end a wait for the person.
    return _in_keyring(unlock, refuse_locked=False, timeout=timeout + 5)


def _checked_key(account_key: str) -> str:
    if not account_key.strip():
        raise ValidationError("account", "Save the mail account before its password.")
    return account_key


def _checked_password(password: str) -> str:
    if not password:
        raise ValidationError("password", "Enter the password.")
    return password


def keyring_backend() -> KeyringBackend:
    """The keyring backend passwords go to: the platform's own, chosen directly.

    ``keyring.get_keyring()`` first probes every backend it ships and every
    plugin installed (importing the macOS and Windows modules on Linux, and
    asking each whether it works): about 50 ms on top of importing keyring.
    Here the platform's native backend (Secret Service on Linux and the BSDs,
    the macOS Keychain, the Windows Credential Manager) is taken directly if
    it works, and handed to keyring so every later call agrees. keyring's own
    choice still applies when it was configured (``PYTHON_KEYRING_BACKEND``,
    a ``keyringrc.cfg``) or set (``keyring.set_keyring``), and when the
    native backend does not work here (it then finds KWallet, say, or none).
    """
    import keyring.core

    # keyring keeps its choice in this module global; None until made.
    if getattr(keyring.core, "_keyring_backend", True) is None and not _keyring_configured():
        native = _native_backend()
        if native is not None:
            keyring.core.set_keyring(native)
    return keyring.core.get_keyring()


def _keyring_configured() -> bool:
    from keyring.util import platform_

    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return True
    return (Path(platform_.config_root()) / "keyringrc.cfg").exists()


def _native_backend() -> KeyringBackend | None:
    """The platform's own backend if it can be used here, else None."""
    backend: KeyringBackend
    try:
        if sys.platform == "darwin":
            from keyring.backends import macOS

            backend = macOS.Keyring()
        elif sys.platform == "win32":
            from keyring.backends import Windows

            backend = Windows.WinVaultKeyring()
        else:
            from keyring.backends import SecretService

            backend = SecretService.Keyring()
        # A backend's priority raises when it cannot work here (no D-Bus, say).
        backend.priority  # noqa: B018
    except Exception as exc:
        logger.info("The platform's keyring is not usable (%s); asking keyring", type(exc).__name__)
        return None
    return backend


def _backend() -> KeyringBackend:
    from keyring.backends import fail, null

    backend = keyring_backend()
    # The null backend "stores" by forgetting: as good as none for a password.
    if isinstance(backend, fail.Keyring | null.Keyring):
        raise NoKeyringBackend()
    return backend


def _secret_service_collections(backend: KeyringBackend) -> Iterator[str]:
    """The Secret Service collections ``backend`` would read, if it uses any."""
    from keyring.backends import SecretService, chainer

    members = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    for member in members:
        if isinstance(member, SecretService.Keyring):
            yield getattr(member, "preferred_collection", DEFAULT_COLLECTION)


def _existing_collection(connection: Any, path: str) -> Any:
    import secretstorage
    from secretstorage.exceptions import ItemNotFoundException

    try:
        return secretstorage.Collection(connection, path)
    except ItemNotFoundException:
        # keyring creates the default collection on first use (that asks the person).
        return None


def _refuse_locked_collections(backend: KeyringBackend) -> None:
    # keyring's Secret Service backend answers a locked collection with an
    # unlock prompt and waits for it; look first so that reading never prompts.
    if any(_is_locked(path) for path in _secret_service_collections(backend)):
        raise KeyringLocked()


def _is_locked(collection_path: str) -> bool:
    import secretstorage

    with closing(secretstorage.dbus_init()) as connection:
        collection = _existing_collection(connection, collection_path)
        return collection is not None and bool(collection.is_locked())


def _unlock(collection_path: str, timeout: float) -> bool:
    import secretstorage

    with closing(secretstorage.dbus_init()) as connection:
        collection = _existing_collection(connection, collection_path)
        if collection is None or not collection.is_locked():
            return True
        try:
            collection.unlock(timeout=timeout)
        except TimeoutError:
            logger.info("Nobody answered the keyring's unlock prompt within %s s", timeout)
            return False
        unlocked = not collection.is_locked()
    if not unlocked:
        logger.info("The keyring's unlock prompt was dismissed")
    return unlocked


def _in_keyring(
    work: Callable[[KeyringBackend], _T],
    *,
    secret: str = "",
    refuse_locked: bool = True,
    timeout: float | None = None,
) -> _T:
    """Run ``work`` against the keyring with a timeout, mapping every failure to a state.

    Our exceptions are raised ``from None``: a chained backend exception would
    put text we do not control into crash dialogs and logs.
    """

    def attempt() -> _T:
        backend = _backend()
        if refuse_locked:
            _refuse_locked_collections(backend)
        return work(backend)

    try:
        return _with_timeout(attempt, KEYRING_TIMEOUT_SECONDS if timeout is None else timeout)
    except CredentialsError:
        raise
    except Exception as exc:
        raise _translated(exc, secret) from None


def _with_timeout(work: Callable[[], _T], timeout: float) -> _T:
    outcome: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            outcome.put((True, work()))
        except Exception as exc:
            outcome.put((False, exc))

    # A daemon thread: if the backend never returns, it must not keep the app alive.
    threading.Thread(target=run, name="afterword-keyring", daemon=True).start()
    try:
        succeeded, value = outcome.get(timeout=timeout)
    except queue.Empty:
        logger.warning("The system keyring did not answer within %s s", timeout)
        raise KeyringLocked(
            f"The system keyring did not answer within {timeout:g} seconds. It may be "
            "waiting for you to unlock it or to allow access; do that, then try again."
        ) from None
    if not succeeded:
        raise value
    return cast(_T, value)


def _translated(exc: Exception, secret: str) -> CredentialsError:
    from keyring import errors

    logger.warning("The system keyring refused: %s", type(exc).__name__)
    if isinstance(exc, errors.NoKeyringError):
        return NoKeyringBackend()
    # InitError is how keyring reports "Prompt dismissed" when it needed to unlock,
    # and also when it needed to create the default keyring and could not ask.
    if isinstance(exc, errors.InitError) and _default_collection_missing():
        return NoDefaultKeyring()
    if isinstance(exc, errors.KeyringLocked | errors.InitError):
        return KeyringLocked()
    secretstorage_error = _secretstorage_state(exc)
    if secretstorage_error is not None:
        return secretstorage_error
    detail = str(exc).replace(secret, "•••") if secret else str(exc)
    return KeyringBackendError(
        f"The system keyring reported an error ({type(exc).__name__}: {detail}). "
        "Try again; if it keeps happening, check your system's keyring or password manager."
    )


def _default_collection_missing() -> bool:
    """Whether the Secret Service has no default keyring (False if that cannot be told)."""
    try:
        import secretstorage

        with closing(secretstorage.dbus_init()) as connection:
            return _existing_collection(connection, DEFAULT_COLLECTION) is None
    except Exception:  # no Secret Service to ask: the caller's error stands
        return False


def _secretstorage_state(exc: Exception) -> CredentialsError | None:
    try:
        from secretstorage import exceptions
    except ImportError:  # not on Linux
        return None
    if isinstance(exc, exceptions.LockedException | exceptions.PromptDismissedException):
        return KeyringLocked()
    if isinstance(exc, exceptions.SecretServiceNotAvailableException):
        return NoKeyringBackend()
    return None
