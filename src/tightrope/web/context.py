"""What every request needs from the app: settings, templates, packs, registry, clock.

One :class:`WebContext` per app, built by :func:`~tightrope.web.app.create_app`
and kept on ``app.state``; nothing here is global, so two apps on two databases
can live in one process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import Request
from starlette.templating import Jinja2Templates

from ..core.library import PackLibrary
from .assets import Asset
from .errors import WebError
from .sessions import Session, SessionCodec
from .settings import WebSettings
from .throttle import LoginThrottle

if TYPE_CHECKING:
    from ..registry.actors import Actor
    from ..registry.service import Registry


@dataclass
class WebContext:
    settings: WebSettings
    templates: Jinja2Templates
    library: PackLibrary
    codec: SessionCodec
    throttle: LoginThrottle
    clock: Callable[[], float]
    htmx: Asset | None
    registry: Registry | None
    cache: dict[str, Any] = field(default_factory=dict)  # read-only material built once

    def today(self) -> dt.date:
        """The server's local date: the default assessment date."""
        return dt.datetime.fromtimestamp(self.clock()).date()

    def need_registry(self) -> Registry:
        if self.registry is None:
            raise WebError(503, "registry-unavailable", "The case registry is not configured "
                           "on this server.")
        return self.registry


def context(request: Request) -> WebContext:
    found: WebContext = request.app.state.tightrope
    return found


def session(request: Request) -> Session:
    current: Session = request.state.session
    return current


def set_session(request: Request, new: Session) -> None:
    """Replace the session; the middleware writes the cookie with the response."""
    request.state.session = new
    request.state.session_changed = True


def actor_or_none(request: Request) -> Actor | None:
    found: Actor | None = getattr(request.state, "actor", None)
    return found


def page_vars(request: Request) -> dict[str, Any]:
    """Variables every page template gets."""
    ctx = context(request)
    current = session(request)
    return {
        "request": request,
        "actor": actor_or_none(request),
        "csrf_token": ctx.codec.csrf_token(current),
        "htmx": ctx.htmx,
        "idle_minutes": ctx.settings.session_idle_minutes,
        "warning_seconds": ctx.settings.session_warning_seconds,
        "notice": getattr(request.state, "notice", None),
        "has_registry": ctx.registry is not None,
    }
