"""One JSON error shape for every API error, friendly pages for every HTML error.

Every error the API returns looks like this (``tests/web/test_errors.py`` pins it)::

    {"error": {"code": "bad-value", "message": "...",
               "problems": [{"path": "other.kind", "message": "...", "hint": "..."}],
               "correlation_id": "3f1c..."}}

Errors are translated here, at the boundary (STYLE.md 15). A server error
returns only a generic message and the correlation id; the log line carries the
id, the route and the exception's type and frames, never its message (which may
quote a case) nor the request body.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..core.errors import Problem, TightropeError

log = logging.getLogger("tightrope.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
       "object-src 'none'")
SECURITY_HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ("cross-origin-opener-policy", "same-origin"),
)

GENERIC_SERVER_ERROR = ("Tightrope hit an internal error. Nothing about your case was shown "
                        "or logged. Please try again; if it happens again, report the "
                        "correlation id.")


class ApiProblem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    message: str
    hint: str


class ApiErrorBody(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    message: str
    problems: list[ApiProblem]
    correlation_id: str


class ApiError(BaseModel):
    """The one error shape of the JSON API."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    error: ApiErrorBody


@dataclass
class WebError(Exception):
    """An error a route raises on purpose, with its HTTP status and a stable code."""

    status: int
    code: str
    message: str
    problems: tuple[Problem, ...] = ()
    headers: dict[str, str] | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


# Status for the errors the core and the registry raise on purpose.
STATUS_BY_CODE: dict[str, int] = {
    "case-not-found": 404,
    "not-found": 404,
    "not-allowed": 403,
    "account-disabled": 403,
    "sign-in-required": 401,
    "csrf-failed": 403,
    "too-many-attempts": 429,
    "database-busy": 503,
    "database-unavailable": 503,
    "registry-unavailable": 503,
    "bad-credentials": 401,
    "user-not-found": 404,
    "assessment-not-found": 404,
    "invalid-input": 422,
    "invalid-username": 422,
    "weak-password": 422,
    "invalid-supervisor": 422,
    "invalid-client-ref": 422,
    "client-ref-required": 422,
    "client-ref-identifier": 422,
    "client-ref-looks-like-name": 422,
}
STATUS_BY_CLASS: dict[str, int] = {
    "CaseError": 422, "NoteError": 422, "RegistryError": 409, "AccessError": 403,
    "StorageError": 503,
}


def correlation_id(request: Request) -> str:
    return str(getattr(request.state, "correlation_id", "") or "unknown")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_data(code: str, message: str, problems: tuple[Problem, ...] | list[Problem],
               cid: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message,
                      "problems": [{"path": p.path, "message": p.message, "hint": p.hint}
                                   for p in problems],
                      "correlation_id": cid}}


def status_for(error: TightropeError) -> int:
    if error.code in STATUS_BY_CODE:
        return STATUS_BY_CODE[error.code]
    for cls in type(error).__mro__:
        if cls.__name__ in STATUS_BY_CLASS:
            return STATUS_BY_CLASS[cls.__name__]
    return 400


def summary(error: TightropeError) -> str:
    if len(error.problems) == 1:
        problem = error.problems[0]
        return problem.message if not problem.path else f"{problem.path}: {problem.message}"
    if error.problems:
        return f"{len(error.problems)} problems; see the list"
    return error.code


_HTTP_CODES = {400: "bad-request", 401: "sign-in-required", 403: "forbidden",
               404: "not-found", 405: "method-not-allowed", 406: "not-acceptable",
               413: "too-large", 415: "unsupported-media-type", 422: "bad-request",
               429: "too-many-attempts"}
_HTTP_MESSAGES = {404: "There is no such page or endpoint.",
                  405: "This method is not allowed here.",
                  413: "The request body is too large.",
                  415: "Send JSON (Content-Type: application/json)."}


def _validation_problems(exc: RequestValidationError) -> list[Problem]:
    problems = []
    for item in exc.errors():
        loc = [str(part) for part in item.get("loc", ()) if part not in ("body", "query",
                                                                          "path")]
        kind = str(item.get("type", ""))
        message = {"missing": "this is required", "json_invalid": "this is not valid JSON",
                   }.get(kind, str(item.get("msg", "this value is not valid")))
        problems.append(Problem("bad-request", message, ".".join(loc), None, ""))
    return problems


def install(app: FastAPI, render_error_page: Any) -> None:
    """Register the handlers; ``render_error_page(request, status, title, message, cid)``."""

    def respond(request: Request, status: int, code: str, message: str,
                problems: tuple[Problem, ...] | list[Problem],
                headers: dict[str, str] | None = None) -> Response:
        cid = correlation_id(request)
        # A server error is answered outside the middleware: give it the headers here too.
        extra = {"x-correlation-id": cid, "cache-control": "no-store",
                 **(dict(SECURITY_HEADERS) if status >= 500 else {}), **(headers or {})}
        if wants_json(request):
            return JSONResponse(error_data(code, message, problems, cid), status_code=status,
                                headers=extra)
        page: Response = render_error_page(request, status, code, message, problems, cid)
        page.headers.update(extra)
        return page

    async def on_web_error(request: Request, exc: Exception) -> Response:
        error = cast(WebError, exc)
        if 300 <= error.status < 400 and error.headers and "location" in error.headers:
            return RedirectResponse(error.headers["location"], status_code=error.status)
        return respond(request, error.status, error.code, error.message, error.problems,
                       error.headers)

    async def on_tightrope_error(request: Request, exc: Exception) -> Response:
        exc = cast(TightropeError, exc)
        status = status_for(exc)
        if status >= 500:
            log.warning("error %s (%s) correlation_id=%s path=%s", exc.code,
                        type(exc).__name__, correlation_id(request), _route(request))
        return respond(request, status, exc.code, summary(exc), exc.problems)

    async def on_validation(request: Request, exc: Exception) -> Response:
        problems = _validation_problems(cast(RequestValidationError, exc))
        return respond(request, 422, "bad-request", "The request is not valid; see the "
                       "problems.", problems)

    async def on_http(request: Request, exc: Exception) -> Response:
        error = cast(StarletteHTTPException, exc)
        code = _HTTP_CODES.get(error.status_code, "http-error")
        message = _HTTP_MESSAGES.get(error.status_code, "The request could not be served.")
        return respond(request, error.status_code, code, message, [],
                       dict(error.headers) if error.headers else None)

    async def on_crash(request: Request, exc: Exception) -> Response:
        log_crash(request, exc)
        return respond(request, 500, "internal-error", GENERIC_SERVER_ERROR, [])

    app.add_exception_handler(WebError, on_web_error)
    app.add_exception_handler(TightropeError, on_tightrope_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", "") or "unmatched")


def log_crash(request: Request, exc: BaseException) -> None:
    """The id, the route template, the exception type and its frames: never its message."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}"
                       for f in reversed(frames[-8:]))
    log.error("internal error correlation_id=%s method=%s route=%s type=%s at %s",
              correlation_id(request), request.method, _route(request),
              type(exc).__name__, where)


def plain_error_page(status: int, cid: str) -> HTMLResponse:
    """A last-resort page when the template itself cannot be rendered."""
    return HTMLResponse(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error - "
        "Tightrope</title></head><body><main><h1>Something went wrong</h1><p>"
        f"{GENERIC_SERVER_ERROR}</p><p>Correlation id: <code>{cid}</code></p>"
        "<p><a href=\"/\">Back to the start</a></p></main></body></html>", status_code=status)
