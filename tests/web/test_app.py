"""The factory: no import-time work, no globals; many instances over one database."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from tests.backends import Backend
from tests.web.conftest import BASE_CASE, add_people, client_for, make_registry, web_settings
from tightrope.registry.service import Registry
from tightrope.storage.store import Store
from tightrope.web.app import create_app


def test_importing_the_app_builds_nothing() -> None:
    code = ("import sys; import tightrope.web.app as m; "
            "assert not hasattr(m, 'app'); "
            "assert 'tightrope.registry.service' not in sys.modules; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.stdout.strip() == "ok", result.stderr


def test_the_cli_does_not_import_the_web_stack_to_assess() -> None:
    code = ("import sys; from tightrope.cli.app import app; "
            "print(sorted(m for m in ('fastapi', 'uvicorn', 'sqlalchemy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_two_apps_on_two_databases_live_in_one_process(web_registry: Registry,
                                                       web_store: Store, tmp_path: Any,
                                                       sqlite_template: Any) -> None:
    import shutil

    from sqlalchemy.engine import make_url

    from tightrope.storage.crypto import Keyring, generate_key
    from tightrope.storage.database import create_database_engine

    shutil.copyfile(sqlite_template, tmp_path / "second.sqlite3")
    second_store = Store(create_database_engine(make_url(f"sqlite:///{tmp_path}/second.sqlite3")),
                         Keyring.of(generate_key()))
    second = make_registry(second_store)
    add_people(second)
    first_app = create_app(web_settings(), registry=web_registry)
    second_app = create_app(web_settings(), registry=second)
    one = client_for(first_app)
    one.api_login("rivera")
    one.http.post("/api/cases", json={"client_ref": "C-1", "case": BASE_CASE})
    two = client_for(second_app)
    two.api_login("rivera")
    assert len(one.http.get("/api/cases").json()) == 1
    assert two.http.get("/api/cases").json() == []
    second_store.close()


def test_instances_over_one_database_share_sessions_and_cases(backend: Backend) -> None:
    """Stateless instances: a session signed by one is honoured by another (same secret),
    and what one saves the other shows. Runs on PostgreSQL too when it is configured."""
    stores = [backend.open(), backend.open()]
    registries = [make_registry(store) for store in stores]
    add_people(registries[0])
    first, second = (create_app(web_settings(), registry=r) for r in registries)
    client = client_for(first)
    client.api_login("rivera")
    case_id = client.http.post("/api/cases", json={"client_ref": "C-1",
                                                   "case": BASE_CASE}).json()["case_id"]
    other = client_for(second)  # another instance, the same browser's cookies
    other.http.cookies = client.http.cookies
    shown = other.http.get(f"/api/cases/{case_id}")
    assert shown.status_code == 200 and shown.json()["summary"]["client_ref"] == "C-1"
    for store in stores:
        store.close()
