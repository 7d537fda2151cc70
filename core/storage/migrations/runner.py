"""Running the Alembic scripts on a connection, loading only what SQLite needs.

Alembic is only imported to upgrade an existing database (a new one is made
from the head schema, an up-to-date one needs nothing). Even then, a plain
``import alembic`` costs about 230 ms on top of SQLAlchemy: its ``ddl``
package imports the PostgreSQL, MySQL, SQL Server and Oracle support (with
SQLAlchemy's dialects and Alembic's autogenerate), and Mako's error module
imports Pygments when it is installed. :func:`load_for_sqlite` imports
``alembic.ddl`` as an empty package with just the SQLite implementation,
and keeps Pygments out while Mako loads; if that ever fails (a newer
Alembic laid out differently) it falls back to the plain import.

The scripts run through Alembic's ``MigrationContext`` and ``Operations``
directly (what ``alembic.command.upgrade`` and an ``env.py`` would do),
inside the caller's transaction.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection

logger = logging.getLogger(__name__)

# Imported by Mako's error formatting only to colour tracebacks.
_KEPT_OUT = ("pygments",)


def load_for_sqlite() -> None:
    """Import the parts of Alembic that run migrations on SQLite, and no other dialect."""
    if "alembic" in sys.modules:
        return
    # find_spec("alembic.ddl") would import alembic (and so all of it): find
    # the package's folder from the top-level spec, which imports nothing.
    top = importlib.util.find_spec("alembic")
    if top is None or not top.submodule_search_locations:
        return
    folder = Path(next(iter(top.submodule_search_locations))) / "ddl"
    spec = importlib.util.spec_from_file_location(
        "alembic.ddl", folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None:
        return
    kept_out = [name for name in _KEPT_OUT if name not in sys.modules]
    for name in kept_out:
        sys.modules[name] = None  # type: ignore[assignment]  # "import pygments" fails
    sys.modules["alembic.ddl"] = package = importlib.util.module_from_spec(spec)  # not run
    try:
        from alembic.ddl import impl, sqlite

        package.DefaultImpl = impl.DefaultImpl  # type: ignore[attr-defined]
        package.impl = impl  # type: ignore[attr-defined]
        package.sqlite = sqlite  # type: ignore[attr-defined]
        import alembic.runtime.migration  # noqa: F401  # imported with the slim package
    except Exception:
        logger.warning("Could not load Alembic for SQLite alone; loading all of it", exc_info=True)
        for name in [name for name in sys.modules if name.startswith("alembic")]:
            del sys.modules[name]
    finally:
        for name in kept_out:
            del sys.modules[name]


def upgrade(connection: Connection, target: str, scripts: Path) -> None:
    """Run the scripts in ``scripts`` up to ``target`` on ``connection`` (in its transaction)."""
    load_for_sqlite()
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    directory = ScriptDirectory(str(scripts))

    def steps(revision: Any, _context: Any) -> Any:
        return directory._upgrade_revs(target, revision)

    context = MigrationContext.configure(connection, opts={"fn": steps, "script": directory})
    with Operations.context(context):
        context.run_migrations()
