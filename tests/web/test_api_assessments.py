"""POST /api/assessments: format-1 case in, format-1 assessment out, no account, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import BASE_CASE, client_for
from tightrope.api import assess
from tightrope.core.case_loading import load_case

EXAMPLES = sorted((Path(__file__).parents[2] / "src" / "tightrope" / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES[:6], ids=lambda p: p.stem)
def test_the_api_gives_the_same_assessment_as_the_python_api(stateless_app: Any,
                                                             path: Path) -> None:
    case = load_case(path)
    response = client_for(stateless_app).http.post("/api/assessments", json=case.dump())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    expected = assess(case).to_json_data()
    assert response.json() == json.loads(json.dumps(expected))


def test_the_contract_fields_are_there_and_the_trace_only_on_request(stateless_app: Any
                                                                     ) -> None:
    client = client_for(stateless_app)
    body = client.http.post("/api/assessments", json=BASE_CASE).json()
    for name in ("verdict", "until", "primary_factor", "factors", "findings", "actions",
                 "what_would_change", "engine"):
        assert name in body
    assert body["verdict"] == "prohibited" and body["until"] == "2030-01-10"
    assert "trace" not in body
    traced = client.http.post("/api/assessments?trace=true", json=BASE_CASE).json()
    assert {layer["layer"] for layer in traced["trace"]["layers"]} >= {"residual_power"}


def test_as_of_in_the_query_overrides_the_case(stateless_app: Any) -> None:
    client = client_for(stateless_app)
    body = client.http.post("/api/assessments?as_of=2031-01-01", json=BASE_CASE).json()
    assert body["as_of"] == "2031-01-01" and body["verdict"] != "prohibited"


def test_a_date_after_the_assessment_date_is_refused_on_its_field(stateless_app: Any) -> None:
    client = client_for(stateless_app)
    case = {**BASE_CASE, "professional": {**BASE_CASE["professional"], "ended": "2027-01-01"}}
    response = client.http.post("/api/assessments", json=case)
    assert response.status_code == 422
    assert response.json()["error"]["problems"][0]["path"] == "professional.ended"


def test_no_account_is_needed_and_no_cookie_is_set(app: Any) -> None:
    response = client_for(app).http.post("/api/assessments", json=BASE_CASE)
    assert response.status_code == 200
    assert "set-cookie" not in response.headers


def test_nothing_is_stored(app: Any, web_registry: Any) -> None:
    from sqlalchemy import func, select

    from tightrope.storage.tables import AuditEvent, CaseRecord

    def counts() -> tuple[int, int]:
        with web_registry.store.read() as session:
            return (session.scalar(select(func.count()).select_from(CaseRecord)) or 0,
                    session.scalar(select(func.count()).select_from(AuditEvent)) or 0)

    before = counts()
    assert client_for(app).http.post("/api/assessments", json=BASE_CASE).status_code == 200
    assert counts() == before


def test_the_openapi_document_describes_the_contracts(stateless_app: Any) -> None:
    document = client_for(stateless_app).get("/api/openapi.json").json()
    operation = document["paths"]["/api/assessments"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Case"}
    schemas = document["components"]["schemas"]
    assert {"Case", "Assessment", "ApiError"} <= set(schemas)
    assert "HTTPValidationError" not in schemas
    for path in document["paths"].values():
        for op in path.values():
            assert op["responses"]["4XX"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ApiError"}


def test_healthz_is_trivial(stateless_app: Any) -> None:
    assert client_for(stateless_app).get("/healthz").json() == {"status": "ok"}
