"""``POST /api/assessments``: a format-1 case in, a format-1 assessment out.

No account is needed and nothing is stored or logged: the body is parsed, the
engine runs, the result is returned. Case errors come back in the one error
shape with every problem's field path and the allowed values (the core's own
translation, :func:`~tightrope.core.case_loading.case_from_data`).

``GET /healthz`` is the trivial endpoint the benchmark compares against.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ..core.case import Case
from ..core.case_loading import case_from_data, checked_against
from ..core.engine import assess_case
from ..core.errors import case_error
from .context import context
from .errors import WebError
from .openapi import error_responses

router = APIRouter()

JSON_TYPES = ("application/json", "application/problem+json")


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def read_json_body(raw: bytes, content_type: str | None) -> Any:
    """The JSON body, refusing other media types, bad JSON and duplicate keys."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind not in JSON_TYPES:
        raise WebError(415, "unsupported-media-type", "Send the case as JSON with "
                       "Content-Type: application/json.")
    try:
        return json.loads(raw, object_pairs_hook=_no_duplicates)
    except _Duplicate as duplicate:
        raise case_error("duplicate-key", f"the key {duplicate.args[0]!r} appears twice in "
                         "one object", hint="keep one of them") from None
    except (ValueError, UnicodeDecodeError):
        raise case_error("syntax", "the body is not valid JSON",
                         hint="send a JSON object such as {\"format\": 1, ...}") from None


def checked_case(data: Any, as_of: dt.date | None, today: dt.date) -> tuple[Case, dt.date]:
    case = case_from_data(data, source="request body", today=None if as_of else today)
    when = as_of or case.as_of or today
    return checked_against(case, when), when


@router.post(
    "/api/assessments",
    tags=["assessments"],
    summary="Assess a case (no account needed; nothing is stored)",
    response_class=Response,
    responses={200: {"description": "The assessment, format 1",
                     "content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/Assessment"}}}},
               **error_responses(413, 415, 422)},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Case"}}}}},
)
async def post_assessment(
    request: Request,
    as_of: Annotated[dt.date | None, Query(description="Assessment date (default: the case's "
                                           "as_of, else today)")] = None,
    trace: Annotated[bool, Query(description="Include the full trace of every rule and "
                                 "factor")] = False,
) -> Response:
    ctx = context(request)
    data = read_json_body(await request.body(), request.headers.get("content-type"))
    case, when = checked_case(data, as_of, ctx.today())
    assessment = assess_case(case, ctx.library, when, trace=trace)
    body = assessment.model_dump_json(exclude=None if trace else {"trace"})
    return Response(body, media_type="application/json")


@router.get("/healthz", tags=["service"], summary="Liveness: the app answers",
            response_class=Response,
            responses={200: {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"status": {"type": "string"}}}}}}})
async def healthz() -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")
