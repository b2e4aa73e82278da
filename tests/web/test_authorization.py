"""The authorization matrix: every case endpoint x every role x own, foreign and missing ids.

The roles: anonymous; ``rivera``, the clinician who keeps case A; ``okafor``, another
clinician (keeps case B); ``lee``, rivera's supervisor; ``chen``, a supervisor of
someone else (okafor); ``admin``. A case that is not yours must look exactly like a
case that does not exist (same status, same code, same message but for the id), and
no response to anyone who may not see a case may contain anything from it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.web.conftest import (
    BASE_CASE,
    PASSWORDS,
    Client,
    add_people,
    client_for,
    make_registry,
    web_settings,
)
from tightrope.core.case_loading import case_from_data
from tightrope.registry.service import Registry
from tightrope.storage.crypto import Keyring, generate_key
from tightrope.storage.database import create_database_engine
from tightrope.storage.store import Store
from tightrope.web.app import create_app

ACTORS = ("anonymous", "rivera", "okafor", "lee", "chen", "admin")
OWNERS = {"A": "rivera", "B": "okafor"}
SUPERVISORS = {"A": "lee", "B": "chen"}
MARKERS = {"A": "RIV-7731", "B": "OKA-5519"}  # client references: never shown to others
SECRET_NOTES = {"A": "rivera-private-note-3141", "B": "okafor-private-note-2718"}
MISSING = "NoSuchCase000000"

REVISE_STATE = json.dumps({"answers": {"practitioner.profession": "counselor",
                                       "professional.status": "former",
                                       "other.kind": "friendship"}, "skipped": []})
CONSULTATION = {"consultant": "Dr Adams", "consultant_role": "colleague",
                "consulted_on": "2026-11-20", "advice": "Decline."}
CONSENT = {"given_on": "2026-11-21", "method": "written"}


@dataclass(frozen=True)
class Endpoint:
    name: str
    api: bool
    method: str
    path: str  # with {id}
    permission: str  # view | consult | change | sign_off
    body: dict[str, Any] | None = None


ENDPOINTS = (
    Endpoint("api show", True, "GET", "/api/cases/{id}", "view"),
    Endpoint("api audit", True, "GET", "/api/cases/{id}/audit", "view"),
    Endpoint("api reassess", True, "POST", "/api/cases/{id}/assessments", "change", {}),
    Endpoint("api revise", True, "POST", "/api/cases/{id}/assessments", "change",
             {"case": BASE_CASE}),
    Endpoint("api consult", True, "POST", "/api/cases/{id}/consultations", "consult",
             CONSULTATION),
    Endpoint("api consent", True, "POST", "/api/cases/{id}/consents", "change", CONSENT),
    Endpoint("api review", True, "POST", "/api/cases/{id}/reviews", "sign_off",
             {"outcome": "approved"}),
    Endpoint("api close", True, "POST", "/api/cases/{id}/close", "change"),
    Endpoint("api reopen", True, "POST", "/api/cases/{id}/reopen", "change"),
    Endpoint("page show", False, "GET", "/cases/{id}", "view"),
    Endpoint("page print", False, "GET", "/cases/{id}/print", "view"),
    Endpoint("page resume", False, "GET", "/cases/{id}/interview", "view"),
    Endpoint("page note", False, "GET", "/cases/{id}/note.md", "view"),
    Endpoint("page consult", False, "POST", "/cases/{id}/consultations", "consult",
             CONSULTATION),
    Endpoint("page consent", False, "POST", "/cases/{id}/consents", "change", CONSENT),
    Endpoint("page sign-off", False, "POST", "/cases/{id}/sign-off", "sign_off",
             {"outcome": "changes_requested"}),
    Endpoint("page reassess", False, "POST", "/cases/{id}/reassess", "change"),
    Endpoint("page revise", False, "POST", "/cases/{id}/revise", "change",
             {"state": REVISE_STATE}),
    Endpoint("page close", False, "POST", "/cases/{id}/close", "change"),
    Endpoint("page reopen", False, "POST", "/cases/{id}/reopen", "change"),
)


@dataclass
class Practice:
    app: Any
    registry: Registry
    ids: dict[str, str]
    clients: dict[str, Client]


@pytest.fixture(scope="module")
def practice(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[Practice]:
    path = tmp_path_factory.mktemp("matrix") / "registry.sqlite3"
    shutil.copyfile(sqlite_template, path)
    store = Store(create_database_engine(make_url(f"sqlite:///{path}")),
                  Keyring.of(generate_key()))
    registry = make_registry(store)
    add_people(registry)
    admin = registry.accounts.authenticate("admin", PASSWORDS["admin"])
    registry.accounts.create_user(admin, "spare")
    ids = {}
    for key, owner in OWNERS.items():
        actor = registry.accounts.authenticate(owner, PASSWORDS[owner])
        ids[key] = registry.cases.create(actor, case_from_data(BASE_CASE), MARKERS[key],
                                         note=SECRET_NOTES[key]).case_id
    app = create_app(web_settings(), registry=registry)
    clients = {}
    for actor in ACTORS:
        client = client_for(app)
        if actor != "anonymous":
            client.api_login(actor)
        clients[actor] = client
    yield Practice(app, registry, ids, clients)
    store.close()


def expected(endpoint: Endpoint, actor: str, target: str) -> str:
    if actor == "anonymous":
        return "sign-in"
    if target == "missing" or actor not in (OWNERS[target], SUPERVISORS[target]):
        return "hidden"
    owner = actor == OWNERS[target]
    if endpoint.permission == "change" and not owner:
        return "forbidden"
    if endpoint.permission == "sign_off" and owner:
        return "forbidden"
    return "ok"


def call(client: Client, endpoint: Endpoint, case_id: str) -> Any:
    path = endpoint.path.format(id=case_id)
    if endpoint.api:
        if endpoint.method == "GET":
            return client.http.get(path)
        return client.http.post(path, json=endpoint.body if endpoint.body is not None else None)
    if endpoint.method == "GET":
        return client.http.get(path, follow_redirects=False)
    return client.post(path, endpoint.body or {}, follow_redirects=False)


def outcome(endpoint: Endpoint, response: Any) -> str:
    status = response.status_code
    if endpoint.api:
        if status in (200, 201):
            return "ok"
        code = response.json()["error"]["code"]
        return {(404, "case-not-found"): "hidden", (403, "not-allowed"): "forbidden",
                (401, "sign-in-required"): "sign-in"}.get((status, code), f"{status} {code}")
    if status == 200 or (status == 303 and response.headers["location"].startswith("/cases/")):
        return "ok"
    if status == 303 and response.headers["location"].startswith("/login"):
        return "sign-in"
    return {404: "hidden", 403: "forbidden"}.get(status, str(status))


def comparable(response: Any, case_id: str) -> tuple[int, str]:
    """A response with the case id and the per-request ids taken out."""
    text = response.text.replace(case_id, "<id>")
    text = re.sub(r'"correlation_id":"[0-9a-f]+"', "", text)
    text = re.sub(r"[0-9a-f]{16}", "<cid>", text)
    return response.status_code, text


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_every_endpoint_for_every_role_and_case(practice: Practice, endpoint: Endpoint,
                                                actor: str) -> None:
    client = practice.clients[actor]
    for target in ("A", "B", "missing"):
        case_id = practice.ids.get(target, MISSING)
        response = call(client, endpoint, case_id)
        want = expected(endpoint, actor, target)
        got = outcome(endpoint, response)
        assert got == want, f"{endpoint.name} by {actor} on case {target}: {got}, not {want}"
        if want != "ok":
            for key in ("A", "B"):
                assert MARKERS[key] not in response.text
                assert SECRET_NOTES[key] not in response.text
        if want == "hidden":
            # Not yours looks exactly like not there.
            missing = call(client, endpoint, MISSING)
            assert comparable(response, case_id) == comparable(missing, MISSING)


@pytest.mark.parametrize("actor", ACTORS)
def test_lists_show_only_what_each_role_may_see(practice: Practice, actor: str) -> None:
    client = practice.clients[actor]
    visible = {key for key in ("A", "B") if actor in (OWNERS[key], SUPERVISORS[key])}
    api = client.http.get("/api/cases")
    pages = client.http.get("/cases").text + client.http.get("/reviews").text
    reviews = client.http.get("/api/reviews")
    for key in ("A", "B"):
        seen = practice.ids[key] in api.text or MARKERS[key] in pages \
            or practice.ids[key] in reviews.text
        assert seen == (key in visible), f"{actor} and case {key}"
    if actor == "anonymous":
        assert api.status_code == 401


@pytest.mark.parametrize("actor", ACTORS)
def test_only_an_admin_manages_accounts(practice: Practice, actor: str) -> None:
    client = practice.clients[actor]
    listing = client.http.get("/api/users")
    page = client.http.get("/admin/users", follow_redirects=False)
    created = client.http.post("/api/users", json={"username": f"new-{actor}",
                                                   "password": "new-password-123"})
    disabled = client.http.post("/api/users/spare/disable")
    if actor == "admin":
        assert listing.status_code == 200 and page.status_code == 200
        assert created.status_code == 201 and disabled.status_code == 200
        # An admin sees accounts, never case content.
        assert not any(m in listing.text + page.text for m in MARKERS.values())
    elif actor == "anonymous":
        assert listing.status_code == created.status_code == disabled.status_code == 401
        assert page.status_code == 303
    else:
        assert listing.status_code == created.status_code == disabled.status_code == 403
        assert page.status_code == 403


def test_the_matrix_covers_every_case_route(practice: Practice) -> None:
    """A new case route must join the matrix."""
    covered = {(e.method, e.path.replace("{id}", "{case_id}")) for e in ENDPOINTS}
    covered |= {("GET", "/cases/{case_id}/note.{fmt}")}
    for route in practice.app.routes:
        path = getattr(route, "path", "")
        if "{case_id}" not in path:
            continue
        for method in getattr(route, "methods", set()) - {"HEAD"}:
            assert (method, path) in covered or (method, path.replace(
                "note.{fmt}", "note.md")) in covered, f"{method} {path} is not in the matrix"
