"""One JSON error shape for every API error; a server error shows only a correlation id."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi import APIRouter

from tests.web.conftest import client_for, web_settings
from tightrope.web.app import create_app
from tightrope.web.errors import GENERIC_SERVER_ERROR

SECRET_CONTENT = "client disclosed a secret about Ms Example"


def assert_error_shape(body: dict[str, Any], code: str) -> None:
    """The pinned shape: exactly these keys, at exactly these places."""
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "problems", "correlation_id"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["correlation_id"], str) and len(error["correlation_id"]) == 16
    for problem in error["problems"]:
        assert set(problem) == {"path", "message", "hint"}


@pytest.fixture
def crashing_app() -> Any:
    app = create_app(web_settings())
    router = APIRouter()

    @router.post("/api/crash")
    async def crash() -> None:
        raise RuntimeError(SECRET_CONTENT)

    @router.get("/crash")
    async def crash_page() -> None:
        raise RuntimeError(SECRET_CONTENT)

    app.include_router(router)
    return app


def test_a_case_error_names_the_field_and_the_allowed_values(stateless_app: Any) -> None:
    client = client_for(stateless_app)
    response = client.http.post("/api/assessments", json={
        "format": 1, "practitioner": {"profession": "wizard"},
        "professional": {"status": "former"}, "other": {"kind": "friendship"}})
    assert response.status_code == 422
    body = response.json()
    assert_error_shape(body, "bad-value")
    problem = body["error"]["problems"][0]
    assert problem["path"] == "practitioner.profession"
    assert "psychologist" in problem["hint"] and "counselor" in problem["hint"]
    assert response.headers["x-correlation-id"] == body["error"]["correlation_id"]


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), [
    ("get", "/api/nothing-here", {}, 404, "not-found"),
    ("put", "/api/assessments", {}, 405, "method-not-allowed"),
    ("post", "/api/assessments", {"content": b"format: 1", "headers": {
        "content-type": "text/yaml"}}, 415, "unsupported-media-type"),
    ("post", "/api/assessments", {"content": b"{not json", "headers": {
        "content-type": "application/json"}}, 422, "syntax"),
    ("post", "/api/assessments", {"content": b'{"format": 1, "format": 1}', "headers": {
        "content-type": "application/json"}}, 422, "duplicate-key"),
    ("post", "/api/assessments", {"json": [1, 2]}, 422, "not-a-mapping"),
    ("post", "/api/assessments?as_of=yesterday", {"json": {}}, 422, "bad-request"),
    ("get", "/api/cases", {}, 401, "sign-in-required"),
    ("post", "/api/session", {"json": {"username": "x"}}, 422, "bad-request"),
])
def test_every_api_error_has_the_one_shape(app: Any, method: str, path: str,
                                           kwargs: dict[str, Any], status: int,
                                           code: str) -> None:
    response = getattr(client_for(app).http, method)(path, **kwargs)
    assert response.status_code == status
    assert_error_shape(response.json(), code)


def test_a_body_over_the_limit_is_refused_in_the_shape(stateless_app: Any) -> None:
    response = client_for(stateless_app).http.post(
        "/api/assessments", content=b"{" + b" " * 600_000 + b"}",
        headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert_error_shape(response.json(), "too-large")


def test_a_server_error_returns_only_a_correlation_id(crashing_app: Any,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    response = client_for(crashing_app).http.post("/api/crash", json={"x": SECRET_CONTENT})
    assert response.status_code == 500
    body = response.json()
    assert_error_shape(body, "internal-error")
    assert body["error"]["message"] == GENERIC_SERVER_ERROR
    assert body["error"]["problems"] == []
    assert SECRET_CONTENT not in response.text and "RuntimeError" not in response.text
    # The log carries the id and where it happened, never the message or the body.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert body["error"]["correlation_id"] in logged
    assert "RuntimeError" in logged
    assert SECRET_CONTENT not in logged


def test_a_page_error_is_a_friendly_page_with_the_correlation_id(crashing_app: Any) -> None:
    response = client_for(crashing_app).get("/crash")
    assert response.status_code == 500
    assert "text/html" in response.headers["content-type"]
    assert "Something went wrong" in response.text
    assert response.headers["x-correlation-id"] in response.text
    assert SECRET_CONTENT not in response.text and "Traceback" not in response.text


def test_a_missing_page_is_friendly(stateless_app: Any) -> None:
    response = client_for(stateless_app).get("/no-such-page")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text


def test_every_response_carries_the_security_headers(stateless_app: Any) -> None:
    response = client_for(stateless_app).get("/")
    headers = response.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
