"""The store: one database engine and one keyring, and transactions on them.

Entry points build a store from settings (``Store.open``); nothing here runs at
import time and nothing is global, so two stores on two databases can live in
one process. Database errors are translated into :class:`StorageError` here,
at the boundary, without the driver's text (which may carry a password or a
value from a record).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from .crypto import FieldCipher, Keyring
from .database import create_database_engine, writer
from .errors import storage_error
from .schema import ensure_current
from .settings import StorageSettings


class Store:
    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self.engine = engine
        self.cipher = FieldCipher(keyring)
        self._writer = writer(engine)

    def __repr__(self) -> str:
        url = self.engine.url.render_as_string(hide_password=True)
        return f"Store({url!r}, {self.cipher!r})"

    @classmethod
    def open(cls, settings: StorageSettings, *, check_schema: bool = True) -> Store:
        """Open the configured database and key; upgrade a fresh SQLite file on first use."""
        from .keys import load_keyring

        engine = create_database_engine(settings.url)
        if check_schema:
            ensure_current(engine, auto_upgrade=engine.dialect.name == "sqlite")
        try:
            keyring = load_keyring(settings, may_create=_is_empty(engine))
        except Exception:
            engine.dispose()
            raise
        return cls(engine, keyring)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A read-write transaction, committed when the block ends without an error."""
        with _translated(), Session(self._writer, expire_on_commit=False) as session, \
                session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction with one consistent view of the database."""
        with _translated(), Session(self.engine, expire_on_commit=False) as session:
            yield session  # closing the session rolls the read transaction back

    def close(self) -> None:
        self.engine.dispose()


def _is_empty(engine: Engine) -> bool:
    """No account and no case yet: a key may be created without orphaning any record."""
    from sqlalchemy import inspect, select

    from .tables import CaseRecord, User

    with _translated(), engine.connect() as connection:
        if not inspect(connection).has_table(User.__tablename__):
            return True
        return all(connection.execute(select(model.id).limit(1)).first() is None
                   for model in (User, CaseRecord))


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        text = str(exc.orig).lower()
        if "locked" in text or "busy" in text:
            raise storage_error("database-busy", "the database stayed locked by another writer "
                                "for too long; nothing was changed",
                                hint="try again; if it persists, look for a stuck process"
                                ) from None
        raise storage_error("database-unavailable", "the database cannot be reached "
                            f"({type(exc.orig).__name__}); nothing was changed",
                            hint="check TIGHTROPE_DATABASE_URL and that the server is running"
                            ) from None
    except IntegrityError as exc:
        raise storage_error("database-conflict", "another change got there first (a record "
                            f"with the same key exists: {type(exc.orig).__name__}); nothing "
                            "was changed", hint="try again") from None
    except DBAPIError as exc:
        raise storage_error("database-error", f"the database refused the change "
                            f"({type(exc.orig).__name__}); nothing was changed",
                            hint="run `tightrope audit verify`; if it passes, please report "
                            "this") from None
