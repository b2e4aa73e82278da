"""Migrations: shipped, complete, run automatically only on a fresh SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tightrope.storage.crypto import Keyring, generate_key
from tightrope.storage.database import create_database_engine
from tightrope.storage.errors import StorageError
from tightrope.storage.keys import encode_key
from tightrope.storage.schema import SCHEMA_HEAD, ensure_current, script_head, upgrade
from tightrope.storage.settings import StorageSettings
from tightrope.storage.store import Store
from tightrope.storage.tables import Base


def test_the_schema_head_constant_names_the_newest_migration() -> None:
    assert script_head() == SCHEMA_HEAD


def test_the_migrations_build_exactly_the_tables_the_models_describe(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_a_fresh_sqlite_file_is_created_and_upgraded_on_first_use(tmp_path: Path) -> None:
    chosen = StorageSettings.from_env({"TIGHTROPE_DATA_DIR": str(tmp_path / "new")})
    store = Store.open(chosen)
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == SCHEMA_HEAD
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_an_outdated_or_foreign_database_is_refused_with_what_to_do(tmp_path: Path) -> None:
    engine = create_database_engine(make_url(f"sqlite:///{tmp_path / 'old.sqlite3'}"))
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    with pytest.raises(StorageError) as caught:
        ensure_current(engine, auto_upgrade=True)
    assert caught.value.code == "database-newer"
    other = create_database_engine(make_url(f"sqlite:///{tmp_path / 'other.sqlite3'}"))
    with other.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER)"))
    with pytest.raises(StorageError) as caught:
        ensure_current(other, auto_upgrade=True)
    assert caught.value.code == "database-foreign"


def test_postgresql_is_never_upgraded_behind_the_operators_back(tmp_path: Path) -> None:
    from tests.backends import postgres_url

    base = postgres_url()
    assert base is not None
    from sqlalchemy import create_engine

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    schema = "tightrope_empty_schema_test"
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        chosen = StorageSettings.from_env({
            "TIGHTROPE_DATA_DIR": str(tmp_path),
            "TIGHTROPE_DATABASE_URL": url.render_as_string(hide_password=False),
            "TIGHTROPE_KEY": encode_key(generate_key())})
        with pytest.raises(StorageError) as caught:
            Store.open(chosen)
        assert caught.value.code == "database-outdated"
        assert "tightrope db upgrade" in str(caught.value)
        engine = create_database_engine(chosen.url)
        assert upgrade(engine) == (None, SCHEMA_HEAD)
        assert upgrade(engine) == (SCHEMA_HEAD, SCHEMA_HEAD)
        Store(engine, Keyring.of(generate_key())).close()
        Store.open(chosen).close()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
