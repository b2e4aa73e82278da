"""Property-based fuzzing of the JSON API from its own OpenAPI document (in-process ASGI).

Every operation gets generated requests, valid (positive) and invalid (negative),
signed in as a clinician (as an admin for the account endpoints). No request may
cause a server error, and every response must match the document: status codes,
media types and schemas, errors in the one error shape. The number of examples is
bounded so the whole file runs in well under a minute.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.web.conftest import BASE_CASE, client_for, web_settings
from tightrope.registry.service import Registry
from tightrope.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 30


def _operations() -> list[Any]:
    """Every operation in the document (the routes do not depend on the database), in both
    modes; an operation with no parameters and no body has no invalid requests to make."""
    document = create_app(web_settings()).openapi()
    found = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            modes = [GenerationMode.POSITIVE]
            if operation.get("parameters") or operation.get("requestBody"):
                modes.append(GenerationMode.NEGATIVE)
            found += [pytest.param(method.upper(), path, mode,
                                   id=f"{method.upper()} {path} {mode.value}")
                      for mode in modes]
    return found


@pytest.mark.parametrize(("method", "path", "mode"), _operations())
def test_no_request_causes_a_server_error(web_registry: Registry, method: str, path: str,
                                          mode: GenerationMode) -> None:
    app = create_app(web_settings(), registry=web_registry)
    who = client_for(app)
    token = who.api_login("admin" if path.startswith("/api/users") else "rivera")
    if not path.startswith("/api/users"):
        who.http.post("/api/cases", json={"client_ref": "C-9", "case": BASE_CASE})
    cookies = dict(who.http.cookies)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operation = schema[path][method]
    if method == "DELETE":  # signing out would end the session the other examples use
        cookies = {}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate(headers={"X-CSRF-Token": token}, cookies=cookies,
                               checks=CHECKS)

    run()
