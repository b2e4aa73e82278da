"""The OpenAPI document: FastAPI's, plus the public contracts it cannot see.

``POST /api/assessments`` reads its body itself (so that case errors use the
core's own translation), so the format-1 ``Case`` and ``Assessment`` schemas and
the one error shape (``ApiError``) are added to the components here.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from ..core.assessment import Assessment
from ..core.case import Case
from ..core.version import ENGINE_VERSION
from .errors import ApiError

REF = "#/components/schemas/{model}"
CASE_MARK = "x-tightrope-case"

DESCRIPTION = """\
Tightrope's JSON API. `POST /api/assessments` needs no account and stores nothing.
The case registry endpoints need a session: `POST /api/session` with a username and
password returns a CSRF token and sets an HttpOnly session cookie; send the cookie and
the token (header `X-CSRF-Token`) with every request that changes something.

Every error has one shape: `{"error": {"code", "message", "problems": [{"path",
"message", "hint"}], "correlation_id"}}`. A server error carries only a generic
message and the correlation id.
"""

_STATUS_TEXT = {400: "Bad request", 401: "Sign-in required", 403: "Not allowed",
                404: "Not found (or not yours: the two look the same)", 409: "Conflict",
                413: "Body too large", 415: "Not JSON", 422: "Invalid input",
                429: "Too many attempts", 503: "Service unavailable"}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI response entries in the one error shape."""
    return {status: {"description": _STATUS_TEXT.get(status, "Error"),
                     "content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/ApiError"}}}}
            for status in statuses}


def _schema(model: type[BaseModel], mode: str) -> tuple[dict[str, Any], dict[str, Any]]:
    schema = model.model_json_schema(by_alias=True, ref_template=REF,
                                     mode=mode)  # type: ignore[arg-type]
    definitions = schema.pop("$defs", {})
    return schema, definitions


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(title="Tightrope", version=ENGINE_VERSION, description=DESCRIPTION,
                           routes=app.routes)
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name, model, mode in (("Case", Case, "validation"),
                              ("Assessment", Assessment, "serialization"),
                              ("ApiError", ApiError, "serialization")):
        schema, definitions = _schema(model, mode)
        for key, value in definitions.items():
            components.setdefault(key, value)
        components.setdefault(name, schema)
    _one_error_shape(document)
    _point_at_case(document)
    app.openapi_schema = document
    return document


def _one_error_shape(document: dict[str, Any]) -> None:
    """Every operation answers errors in the one shape; FastAPI's own 422 model never appears."""
    error = {"description": "Error (the one error shape)", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ApiError"}}}}
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {**error, "description": "Invalid input"}
            responses.setdefault("4XX", error)
            responses.setdefault("5XX", {**error, "description": "Server error: only a "
                                         "generic message and the correlation id"})
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


def _point_at_case(node: Any) -> Any:
    """Replace every schema marked as a case with a reference to the Case schema."""
    if isinstance(node, dict):
        if node.get(CASE_MARK):
            return {"$ref": "#/components/schemas/Case"}
        for key, value in list(node.items()):
            node[key] = _point_at_case(value)
    elif isinstance(node, list):
        return [_point_at_case(item) for item in node]
    return node
