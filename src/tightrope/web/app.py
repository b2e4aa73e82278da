"""The web app factory. Nothing happens at import time; everything is built here.

``create_app(settings)`` builds the context (templates, packs, session codec,
login throttle, registry) and the FastAPI app around it. Two apps on two
databases can live in one process: nothing is global.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.templating import Jinja2Templates

from ..core.errors import Problem
from ..core.library import PackLibrary
from ..core.version import ENGINE_VERSION
from . import errors
from .assets import installed_htmx
from .context import WebContext
from .labels import answer_text, label, when
from .middleware import WebMiddleware
from .openapi import build_openapi
from .sessions import SessionCodec
from .settings import PACKAGE_DIR, WebSettings
from .throttle import LoginThrottle

if TYPE_CHECKING:
    from ..registry.service import Registry

TITLES = {400: "Something in the request was wrong", 401: "Please sign in",
          403: "Not allowed", 404: "Page not found", 405: "Not allowed here",
          409: "That could not be done", 413: "Too large", 415: "Not accepted",
          422: "Please check the input", 429: "Too many attempts",
          500: "Something went wrong", 503: "Temporarily unavailable"}


def _templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(str(PACKAGE_DIR / "templates")),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    environment.filters["label"] = label
    environment.filters["answer"] = answer_text
    environment.filters["when"] = when
    return Jinja2Templates(env=environment)


def _open_registry(settings: WebSettings) -> Registry | None:
    if settings.storage is None:
        return None
    from ..registry.service import Registry
    from ..storage.store import Store

    return Registry(Store.open(settings.storage))


def create_app(settings: WebSettings, *, registry: Registry | None = None,
               library: PackLibrary | None = None,
               clock: Callable[[], float] = time.time) -> FastAPI:
    """The web app for these settings (and, for tests, a given registry, packs and clock)."""
    settings.check()
    if library is None:
        from ..api import builtin_library

        library = builtin_library()
    ctx = WebContext(
        settings=settings, templates=_templates(), library=library,
        codec=SessionCodec(settings.secret_key.get_secret_value(),
                           idle_seconds=settings.session_idle_minutes * 60,
                           max_seconds=settings.session_max_hours * 3600),
        throttle=LoginThrottle(free_attempts=settings.login_free_attempts,
                               max_delay_seconds=settings.login_max_delay_seconds),
        clock=clock, htmx=installed_htmx(settings.assets_dir),
        registry=registry if registry is not None else _open_registry(settings),
    )
    app = FastAPI(title="Tightrope", version=ENGINE_VERSION, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json")
    app.state.tightrope = ctx
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    errors.install(app, _error_page)
    app.add_middleware(WebMiddleware)
    if settings.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    _include_routes(app)
    app.mount("/static/vendor", StaticFiles(directory=settings.assets_dir, check_dir=False),
              name="vendor")
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    return app


def _include_routes(app: FastAPI) -> None:
    from . import (
        api_assessments,
        api_cases,
        api_session,
        pages_account,
        pages_admin,
        pages_cases,
        pages_home,
        pages_interview,
        pages_notes,
        pages_practice,
    )

    for module in (api_assessments, api_session, api_cases, pages_home, pages_interview,
                   pages_account, pages_cases, pages_notes, pages_admin, pages_practice):
        app.include_router(module.router)


def _error_page(request: Request, status: int, code: str, message: str,
                problems: list[Problem] | tuple[Problem, ...], cid: str) -> Response:
    """A friendly HTML error page; never the exception text."""
    from .rendering import render

    title = TITLES.get(status, "Something went wrong")
    try:
        if not hasattr(request.state, "session"):
            raise LookupError("no session on this request")
        return render(request, "error.html", status=status, title=title, message=message,
                      problems=list(problems), correlation_id=cid, code=code,
                      http_status=status)
    except Exception as exc:
        errors.log_crash(request, exc)
        return errors.plain_error_page(status, cid)


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory tightrope.web.app:app_from_env`` (one process per instance)."""
    from ..storage.settings import StorageSettings

    return create_app(WebSettings.from_env(storage=StorageSettings.from_env()))

