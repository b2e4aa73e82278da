"""``/api/session``: sign in to the JSON API (a session cookie plus a CSRF token), sign out."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ..registry.vocabulary import Role
from .auth import api_actor, require_actor
from .context import context, session, set_session
from .errors import WebError
from .openapi import error_responses
from .pages_account import sign_in

router = APIRouter(tags=["session"])


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024, repr=False)


class SessionInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str
    role: Role
    csrf_token: str
    idle_timeout_seconds: int


def _info(request: Request, username: str, role: Role) -> SessionInfo:
    ctx = context(request)
    return SessionInfo(username=username, role=role,
                       csrf_token=ctx.codec.csrf_token(session(request)),
                       idle_timeout_seconds=ctx.settings.session_idle_minutes * 60)


@router.post("/api/session", summary="Sign in: sets the session cookie, returns the CSRF token",
             response_model=SessionInfo, responses=error_responses(401, 422, 429, 503))
async def create_session(request: Request, credentials: Credentials) -> SessionInfo:
    if context(request).registry is None:
        raise WebError(503, "registry-unavailable", "The case registry is not configured on "
                       "this server.")
    actor = sign_in(request, credentials.username, credentials.password)
    return _info(request, actor.username, actor.role)


@router.get("/api/session", summary="Who is signed in", response_model=SessionInfo,
            responses=error_responses(401))
async def read_session(request: Request) -> SessionInfo:
    actor = require_actor(request)
    return _info(request, actor.username, actor.role)


@router.delete("/api/session", summary="Sign out", status_code=204,
               response_class=Response, responses=error_responses(401, 403))
async def delete_session(request: Request, _: object = Depends(api_actor)) -> Response:
    ctx = context(request)
    set_session(request, ctx.codec.new(ctx.clock()))
    return Response(status_code=204)
