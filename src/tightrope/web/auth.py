"""Who is signed in: the session's account, checked against the registry on every request.

The session cookie carries only the account id. Each signed-in request asks the
registry for the account as it is now (:func:`~tightrope.registry.access.current_user`),
so a disabled or deleted account loses access at once, and a changed role takes
effect at once. Authorization itself stays in the registry: the web app never
decides who may see a case.
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING

from fastapi import Request

from ..core.errors import TightropeError
from .context import context, session, set_session
from .errors import WebError

if TYPE_CHECKING:
    from ..registry.actors import Actor

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def resolve_actor(request: Request) -> Actor | None:
    """The signed-in account, or ``None``; a session whose account is gone is ended."""
    if hasattr(request.state, "actor"):
        found: Actor | None = request.state.actor
        return found
    current = session(request)
    ctx = context(request)
    actor: Actor | None = None
    if current.user_id is not None and ctx.registry is not None:
        from ..registry.access import current_user
        from ..registry.accounts import actor_of
        from ..registry.actors import Actor as ActorType
        from ..registry.vocabulary import Role

        try:
            with ctx.registry.store.read() as db:
                user = current_user(db, ActorType(current.user_id, "", Role.clinician))
                actor = actor_of(user)
        except TightropeError as error:
            if error.code != "account-disabled":
                raise
            set_session(request, ctx.codec.new(ctx.clock()))
    request.state.actor = actor
    return actor


def require_actor(request: Request) -> Actor:
    """The signed-in account; pages redirect to sign-in, the API answers 401."""
    actor = resolve_actor(request)
    if actor is None:
        if request.url.path.startswith("/api/"):
            raise WebError(401, "sign-in-required", "Sign in first: POST /api/session with "
                           "your username and password.")
        target = urllib.parse.quote(request.url.path, safe="/")
        raise WebError(303, "sign-in-required", "Please sign in.",
                       headers={"location": f"/login?next={target}"})
    return actor


def api_actor(request: Request) -> Actor:
    """For the JSON API: signed in, and the CSRF header on every request that changes data."""
    actor = require_actor(request)
    if request.method in UNSAFE_METHODS:
        token = request.headers.get("x-csrf-token")
        if not context(request).codec.csrf_ok(session(request), token):
            raise WebError(403, "csrf-failed", "Send the X-CSRF-Token header that POST "
                           "/api/session returned.")
    return actor


def safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme): no open redirects."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
