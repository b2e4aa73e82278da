"""Storage settings, read from the environment by the entry point (never at import).

- ``TIGHTROPE_DATABASE_URL``: a SQLAlchemy URL. Unset, Tightrope uses a SQLite
  file in the user's data directory (``platformdirs.user_data_dir("tightrope")``).
  ``postgresql://`` URLs use the psycopg 3 driver.
- ``TIGHTROPE_KEY``: base64 of a 32-byte key; several, comma-separated, the
  first sealing new values and the others only opening old ones.
- ``TIGHTROPE_KEY_FILE``: a JSON key file (default ``<data dir>/keys.json``,
  created with mode 0600 on first use when nothing else is configured).
- ``TIGHTROPE_ENV``: ``local`` (the default: one clinician on their own machine)
  or ``production`` (a server). Production refuses the unsafe defaults: it needs
  an explicit database URL and an explicit key, and never creates a key itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, SecretStr
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .errors import storage_error

APP_NAME = "tightrope"
DATABASE_FILE = "registry.sqlite3"
KEY_FILE = "keys.json"
ENVIRONMENTS = ("local", "production")


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


class StorageSettings(BaseModel):
    """Where the registry lives and where its keys come from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    database_url: SecretStr
    data_dir: Path
    key_material: SecretStr | None = None
    key_file: Path
    key_file_is_explicit: bool = False
    environment: Literal["local", "production"] = "local"

    @property
    def url(self) -> URL:
        return parse_database_url(self.database_url.get_secret_value())

    @property
    def may_create_key(self) -> bool:
        """A key is created on first use only for a local, unconfigured setup."""
        return self.environment == "local" and self.key_material is None

    @property
    def display_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> StorageSettings:
        env = os.environ if environ is None else environ
        environment = env.get("TIGHTROPE_ENV", "local").strip() or "local"
        if environment not in ENVIRONMENTS:
            raise storage_error("bad-environment", f"TIGHTROPE_ENV is {environment!r}",
                                hint="allowed: local, production")
        data_dir = Path(env["TIGHTROPE_DATA_DIR"]) if env.get("TIGHTROPE_DATA_DIR") \
            else default_data_dir()
        url = env.get("TIGHTROPE_DATABASE_URL", "").strip()
        key = env.get("TIGHTROPE_KEY", "").strip()
        key_file = env.get("TIGHTROPE_KEY_FILE", "").strip()
        if environment == "production":
            if not url:
                raise storage_error(
                    "database-url-required", "TIGHTROPE_ENV is production but "
                    "TIGHTROPE_DATABASE_URL is not set",
                    hint="a server must name its database, for example "
                    "postgresql://tightrope@db.example/tightrope")
            if not key and not key_file:
                raise storage_error(
                    "key-required", "TIGHTROPE_ENV is production but neither TIGHTROPE_KEY "
                    "nor TIGHTROPE_KEY_FILE is set",
                    hint="a server never creates its own key; generate one with `tightrope "
                    "keys new` and keep it apart from the database and its backups")
        if not url:
            url = f"sqlite:///{data_dir / DATABASE_FILE}"
        parse_database_url(url)
        return cls(
            database_url=SecretStr(url), data_dir=data_dir,
            key_material=SecretStr(key) if key else None,
            key_file=Path(key_file) if key_file else data_dir / KEY_FILE,
            key_file_is_explicit=bool(key_file), environment=environment,
        )


def parse_database_url(text: str) -> URL:
    """A SQLAlchemy URL we can serve: SQLite on a file, or PostgreSQL through psycopg 3."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise storage_error("database-url-invalid", "TIGHTROPE_DATABASE_URL is not a database "
                            "URL", hint="for example sqlite:////home/me/registry.sqlite3 or "
                            "postgresql://user@host/tightrope") from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        elif url.drivername != "postgresql+psycopg":
            raise storage_error("database-url-invalid", f"the driver {url.drivername!r} is not "
                                "supported", hint="use postgresql:// or postgresql+psycopg://")
        return url
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise storage_error("database-url-invalid", "an in-memory SQLite database would "
                                "lose every record when the program ends",
                                hint="give a file, for example sqlite:////home/me/registry.sqlite3")
        return url
    raise storage_error("database-url-invalid", f"the {backend!r} database is not supported",
                        hint="use SQLite (the default) or PostgreSQL")
