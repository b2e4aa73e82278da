"""Bringing a database to the schema this version of Tightrope expects (Alembic).

A fresh SQLite file is upgraded automatically on first use, so one clinician
never has to set anything up. Anything else (PostgreSQL, or an existing file
at an older revision) is upgraded only by ``tightrope db upgrade``: on a
shared server, changing the schema is a deliberate step, taken once, with a
backup first.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from .database import writer
from .errors import storage_error

SCHEMA_HEAD = "0001"  # the newest revision in migrations/versions; a test keeps them equal
VERSION_TABLE = "alembic_version"


def migrations_path() -> Path:
    return Path(str(resources.files("tightrope.storage").joinpath("migrations")))


def _config(connection: Connection) -> object:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    config.attributes["connection"] = connection
    return config


def script_head() -> str | None:
    """The newest revision among the shipped migrations (reads the scripts)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def is_fresh(connection: Connection) -> bool:
    return not inspect(connection).get_table_names()


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Upgrade to the newest revision in one transaction; return (before, after)."""
    from alembic import command

    try:
        with writer(engine).begin() as connection:
            before = current_revision(connection)
            command.upgrade(_config(connection), "head")  # type: ignore[arg-type]
            after = current_revision(connection)
    except DBAPIError as exc:
        raise storage_error("database-unavailable", "the database could not be upgraded "
                            f"({type(exc.orig).__name__})",
                            hint="check TIGHTROPE_DATABASE_URL and that the server is running"
                            ) from None
    return before, after


def ensure_current(engine: Engine, *, auto_upgrade: bool) -> None:
    """Refuse to work on a database whose schema differs from this version's."""
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
            fresh = revision is None and is_fresh(connection)
    except DBAPIError as exc:
        raise storage_error("database-unavailable", "the database cannot be opened "
                            f"({type(exc.orig).__name__})",
                            hint="check TIGHTROPE_DATABASE_URL, the file's permissions, and "
                            "that the server is running") from None
    if revision == SCHEMA_HEAD:
        return
    if fresh and auto_upgrade:
        upgrade(engine)
        return
    if revision is None and not fresh:
        raise storage_error("database-foreign", "this database holds tables that are not "
                            "Tightrope's", hint="point TIGHTROPE_DATABASE_URL at an empty "
                            "database or a Tightrope registry")
    if revision is None:
        raise storage_error("database-outdated", "this database has no registry tables yet",
                            hint="run `tightrope db upgrade` to create them")
    known = _known_revisions()
    if revision not in known:
        raise storage_error("database-newer", f"this database is at schema revision "
                            f"{revision!r}, which this version of Tightrope does not know",
                            hint="upgrade Tightrope; never use an older version on a newer "
                            "database")
    raise storage_error("database-outdated", f"this database is at schema revision "
                        f"{revision!r}; this version of Tightrope needs {SCHEMA_HEAD!r}",
                        hint="back it up with `tightrope backup PATH`, then run "
                        "`tightrope db upgrade`")


def _known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
