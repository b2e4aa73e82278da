"""Alembic environment: always runs on a connection the caller opened (see schema.py)."""

from __future__ import annotations

from alembic import context

from tightrope.storage.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
