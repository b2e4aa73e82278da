"""Web fixtures: an app on a fresh registry, a small practice of accounts, signed-in clients.

The practice: ``rivera`` (clinician, supervised by ``lee``), ``okafor`` (another
clinician, supervised by ``chen``), ``lee`` and ``chen`` (supervisors) and
``admin``. Registry tests run on SQLite here; one test runs two app instances
over each configured backend (PostgreSQL too, when given).
"""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from tests.backends import (  # noqa: F401 - fixtures
    NOW,
    backend,
    fast_hasher,
    postgres_schema,
    sqlite_template,
)
from tightrope.registry.service import Registry
from tightrope.registry.vocabulary import Role
from tightrope.storage.crypto import Keyring, generate_key
from tightrope.storage.database import create_database_engine
from tightrope.storage.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tightrope.web.app import create_app
from tightrope.web.settings import WebSettings

PASSWORDS = {"admin": "admin-password-1", "lee": "lee-password-123",
             "chen": "chen-password-12", "rivera": "rivera-password1",
             "okafor": "okafor-password1"}
SECRET = "test-secret-key-" + "x" * 32
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')

BASE_CASE: dict[str, Any] = {
    "format": 1, "as_of": "2026-11-26",
    "practitioner": {"profession": "counselor"},
    "professional": {"status": "former", "service": "counseling", "ended": "2025-01-10"},
    "other": {"kind": "romantic_sexual", "with": "client", "status": "proposed"},
}


def web_settings(**changes: Any) -> WebSettings:
    values: dict[str, Any] = {"secret_key": SecretStr(SECRET), "assets_dir": Path("/nonexistent")}
    values.update(changes)
    return WebSettings(**values)


def make_registry(store: Store) -> Registry:
    return Registry(store, clock=lambda: NOW, password_hasher=fast_hasher)  # type: ignore[arg-type]


def add_people(registry: Registry) -> None:
    accounts = registry.accounts
    founder = accounts.local_actor("rivera")
    accounts.create_user(founder, "admin", role=Role.admin, password=PASSWORDS["admin"])
    admin = accounts.authenticate("admin", PASSWORDS["admin"])
    accounts.set_password(admin, "rivera", PASSWORDS["rivera"])
    for name, role in (("lee", Role.supervisor), ("chen", Role.supervisor),
                       ("okafor", Role.clinician)):
        accounts.create_user(admin, name, role=role, password=PASSWORDS[name])
    accounts.set_supervisor(admin, "rivera", "lee")
    accounts.set_supervisor(admin, "okafor", "chen")


@pytest.fixture
def web_store(sqlite_template: Path, tmp_path: Path) -> Iterator[Store]:  # noqa: F811
    path = tmp_path / "registry.sqlite3"
    shutil.copyfile(sqlite_template, path)
    store = Store(create_database_engine(make_url(f"sqlite:///{path}")),
                  Keyring.of(generate_key()))
    yield store
    store.close()


@pytest.fixture
def web_registry(web_store: Store) -> Registry:
    registry = make_registry(web_store)
    add_people(registry)
    return registry


@pytest.fixture
def app(web_registry: Registry) -> Any:
    return create_app(web_settings(), registry=web_registry)


@pytest.fixture
def stateless_app() -> Any:
    """The app with no registry: the interview, results and the assessment API only."""
    return create_app(web_settings())


@dataclass
class Client:
    """A test client that remembers its CSRF token and signs in like a person."""

    http: TestClient

    def token(self) -> str:
        page = self.http.get("/accessibility")
        found = CSRF.search(page.text)
        assert found, "every page carries a CSRF token"
        return found.group(1)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        form = {"csrf_token": self.token(), **(data or {})}
        return self.http.post(path, data=form, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.http.get(path, **kwargs)

    def login(self, username: str) -> Any:
        response = self.post("/login", {"username": username,
                                        "password": PASSWORDS[username]},
                             follow_redirects=False)
        assert response.status_code == 303, response.text[:500]
        return response

    def api_login(self, username: str) -> str:
        response = self.http.post("/api/session", json={"username": username,
                                                        "password": PASSWORDS[username]})
        assert response.status_code == 200, response.text
        token: str = response.json()["csrf_token"]
        self.http.headers["X-CSRF-Token"] = token
        return token


def client_for(app: Any, username: str | None = None) -> Client:
    client = Client(TestClient(app, raise_server_exceptions=False))
    if username:
        client.login(username)
    return client


@pytest.fixture
def anonymous(app: Any) -> Client:
    return client_for(app)


def create_case(registry: Registry, username: str, **changes: Any) -> str:
    """A case kept by ``username`` (through the registry, as the web app does)."""
    from tightrope.core.case_loading import case_from_data

    data = {**BASE_CASE, **changes}
    owner = registry.accounts.authenticate(username, PASSWORDS[username])
    return registry.cases.create(owner, case_from_data(data), "C-1042").case_id
