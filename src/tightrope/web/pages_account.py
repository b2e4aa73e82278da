"""Signing in and out, on pages and through the API; the keep-alive behind the timeout warning.

Sign-in is throttled per username and address (:mod:`throttle`). A failed
sign-in says only that the username or password is wrong, never which. Each
sign-in starts a new session id, so a session planted before it is worthless.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..core.errors import TightropeError
from .auth import resolve_actor, safe_next
from .context import context, set_session
from .errors import WebError
from .interview_form import MAX_STATE_CHARS
from .rendering import check_csrf, render

router = APIRouter(include_in_schema=False)

BAD_CREDENTIALS = "The username or password is wrong."


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in(request: Request, username: str, password: str) -> Any:
    """The actor for these credentials, or a :class:`WebError` (401 or 429)."""
    ctx = context(request)
    registry = ctx.need_registry()
    address = client_address(request)
    now = ctx.clock()
    wait = ctx.throttle.wait_seconds(username, address, now)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise WebError(429, "too-many-attempts", f"Too many failed sign-ins. Wait {seconds} "
                       f"second{'s' if seconds != 1 else ''} and try again.",
                       headers={"retry-after": str(seconds)})
    if not username or not password or len(username) > 64 or len(password) > 1024:
        ctx.throttle.failed(username, address, now)
        raise WebError(401, "bad-credentials", BAD_CREDENTIALS)
    try:
        actor = registry.accounts.authenticate(username, password)
    except TightropeError as error:
        if error.code not in ("bad-credentials", "account-disabled"):
            raise
        ctx.throttle.failed(username, address, now)
        raise WebError(401, "bad-credentials", BAD_CREDENTIALS) from None
    ctx.throttle.succeeded(username, address)
    set_session(request, ctx.codec.sign_in(request.state.session, actor.id, now))
    request.state.actor = actor
    return actor


def _login_page(request: Request, *, status: int = 200, error: str | None = None,
                username: str = "", next_path: str = "/", pending: str = "") -> HTMLResponse:
    errors = [{"message": error, "href": "#username"}] if error else []
    return render(request, "login.html", status=status, section="login", errors=errors,
                  username=username, next_path=next_path, pending=pending)


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str = "/") -> Response:
    if resolve_actor(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    context(request).need_registry()
    return _login_page(request, next_path=safe_next(next))


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form)
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    next_path = safe_next(str(form.get("next") or "/"))
    pending = str(form.get("pending") or "")[:MAX_STATE_CHARS]
    try:
        actor = sign_in(request, username, password)
    except WebError as error:
        if error.status not in (401, 429):
            raise
        response = _login_page(request, status=error.status, error=error.message,
                               username=username, next_path=next_path, pending=pending)
        if error.headers:
            response.headers.update(error.headers)
        return response
    if pending and actor.may_own_cases:
        # Signed in to save an interview: show the save form with the answers kept.
        from .pages_cases import save_form_page

        return save_form_page(request, pending)
    default = "/cases" if actor.may_own_cases else "/admin/users"
    return RedirectResponse(next_path if next_path != "/" else default, status_code=303)


@router.post("/login/save", response_class=HTMLResponse)
async def login_to_save(request: Request) -> Response:
    """The result page's "Sign in to save": the sign-in form, carrying the answers."""
    form = await request.form()
    check_csrf(request, form)
    pending = str(form.get("state") or "")[:MAX_STATE_CHARS]
    if resolve_actor(request) is not None:
        from .pages_cases import save_form_page

        return save_form_page(request, pending)
    context(request).need_registry()
    return _login_page(request, pending=pending)


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form)
    ctx = context(request)
    set_session(request, ctx.codec.new(ctx.clock(), notice="signed-out"))
    return RedirectResponse("/", status_code=303)


@router.post("/session/extend")
async def extend(request: Request) -> Response:
    """The timeout warning's "Stay signed in": any request renews the session."""
    check_csrf(request)
    if resolve_actor(request) is None:
        raise WebError(401, "sign-in-required", "Your session has ended; sign in again.")
    return Response(status_code=204)
