"""Alembic migrations of the registry schema, shipped inside the package.

Run them with ``tightrope db upgrade`` (see :mod:`tightrope.storage.schema`).
Each revision is frozen in time: it spells out its own DDL instead of reading
today's models, so an old database upgrades the same way years from now.
"""
