"""Database backends for storage and registry tests: SQLite always, PostgreSQL when given.

Set ``TIGHTROPE_TEST_DATABASE_URL`` (for example
``postgresql+psycopg:///tightrope_test?host=/var/run/postgresql``) to run every
backend-parametrized test on PostgreSQL too; each test session works in a
schema of its own, created here and dropped at the end. Without the URL the
PostgreSQL tests are skipped, unless ``TIGHTROPE_REQUIRE_POSTGRES=1`` (CI),
which turns the skip into a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import URL, create_engine, text
from sqlalchemy.engine import make_url

from tightrope.registry.actors import Actor
from tightrope.registry.service import Registry
from tightrope.storage.crypto import Keyring, generate_key
from tightrope.storage.database import create_database_engine
from tightrope.storage.keys import encode_key
from tightrope.storage.schema import upgrade
from tightrope.storage.settings import parse_database_url
from tightrope.storage.store import Store
from tightrope.storage.tables import Base

BACKENDS = ["sqlite", "postgresql"]
only_sqlite = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
only_postgresql = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)


@dataclass
class Backend:
    """One database for one test: its URL and a key, usable from other processes too."""

    name: str
    url: URL
    key: bytes

    @property
    def url_text(self) -> str:
        return self.url.render_as_string(hide_password=False)

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a child process that opens this database with this key."""
        env = dict(os.environ)
        env.update({"TIGHTROPE_DATABASE_URL": self.url_text,
                    "TIGHTROPE_KEY": encode_key(self.key), **extra})
        return env

    def open(self) -> Store:
        return Store(create_database_engine(self.url), Keyring.of(self.key))


def postgres_url() -> URL | None:
    text_url = os.environ.get("TIGHTROPE_TEST_DATABASE_URL", "").strip()
    if not text_url:
        if os.environ.get("TIGHTROPE_REQUIRE_POSTGRES") == "1":
            pytest.fail("TIGHTROPE_REQUIRE_POSTGRES=1 but TIGHTROPE_TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL tests need TIGHTROPE_TEST_DATABASE_URL, e.g. "
                    "postgresql+psycopg:///tightrope_test?host=/var/run/postgresql")
    return parse_database_url(text_url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating once is faster)."""
    path = tmp_path_factory.mktemp("template") / "registry.sqlite3"
    engine = create_database_engine(make_url(f"sqlite:///{path}"))
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[URL]:
    """A schema of this test session's own in the test database, migrated, then dropped."""
    base = postgres_url()
    assert base is not None
    schema = f"tightrope_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    engine = create_database_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _reset_postgres(url: URL) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables
                           if t.name != "audit_head")
        connection.execute(text(f"TRUNCATE {tables} CASCADE"))
        connection.execute(text("UPDATE audit_head SET seq = 0, hash = :genesis"),
                           {"genesis": "0" * 64})
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "registry.sqlite3"
        shutil.copyfile(template, path)
        return Backend("sqlite", make_url(f"sqlite:///{path}"), generate_key())
    url: URL = request.getfixturevalue("postgres_schema")
    _reset_postgres(url)
    return Backend("postgresql", url, generate_key())


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    opened = backend.open()
    yield opened
    opened.close()


def fast_hasher() -> PasswordHasher:
    """Argon2id with the cheapest parameters: tests check behaviour, not hardness."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def registry(store: Store) -> Registry:
    return Registry(store, clock=lambda: NOW, password_hasher=fast_hasher)


@pytest.fixture
def clinician(registry: Registry) -> Actor:
    return registry.accounts.local_actor("alice")
