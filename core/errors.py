"""The error types the core raises for things a person can act on.

Every core function that takes user input raises :class:`ValidationError`
(naming the field and the problem) and writes nothing when the input is wrong.
Storage problems that a person must hear about are :class:`DatabaseError`
subclasses with a message written for them.
"""


class AfterwordError(Exception):
    """Base of every error the core raises on purpose."""


class ValidationError(AfterwordError):
    """Input that cannot be saved: ``field`` names the field, ``problem`` says why.

    The message is written for the person who typed the value, so a GUI can
    show ``problem`` next to the field called ``field``.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class NotFoundError(AfterwordError):
    """The row a caller asked for does not exist (any more)."""

    def __init__(self, what: str, row_id: int) -> None:
        super().__init__(f"{what} {row_id} does not exist (it may have been deleted).")
        self.what = what
        self.row_id = row_id


class EditConflictError(AfterwordError):
    """An edit based on an older version of a row than the one stored: nothing was saved.

    ``what`` names the row ("application"); the form can reload it and show
    what changed before the person saves again.
    """

    def __init__(self, what: str, row_id: int) -> None:
        super().__init__(
            f"This {what} was changed elsewhere (in another window, or by another program) "
            "after you opened it. Your edit was not saved: reload to see what changed, "
            "then make your edit again."
        )
        self.what = what
        self.row_id = row_id


class DatabaseError(AfterwordError):
    """The database file cannot be used; the message says what to do."""


class DatabaseBusyError(DatabaseError):
    """Another connection held the write lock past the busy timeout; trying again may work."""


class NewerDatabaseError(DatabaseError):
    """The file was written by a newer Afterword; it is left untouched."""


class NotAnAfterwordDatabaseError(DatabaseError):
    """The file is not an Afterword database, or it is damaged; it is left untouched."""


class DamagedDatabaseError(DatabaseError):
    """The integrity check found a database file damaged: writes to it are refused
    and nothing is copied from it, so nothing more is lost; the message says what to do.

    ``reason`` is what SQLite found, when the error comes from a check.
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason
