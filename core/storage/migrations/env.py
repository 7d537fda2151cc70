"""Alembic environment: always runs on a connection handed in by
:mod:`afterword.core.storage.db`.
"""

from alembic import context

from afterword.core.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
)
with context.begin_transaction():
    context.run_migrations()
