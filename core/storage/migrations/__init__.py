"""Alembic migrations, shipped inside the package and applied when a database opens.

``KNOWN_REVISIONS`` lists every revision this version of Afterword knows, in
order; a database stamped with anything else was written by a newer version.
It is kept as data here so that opening an up-to-date database never has to
import Alembic (a test checks it against the scripts in ``versions/``).
"""

KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]
