"""One small ASGI middleware: correlation ids, sessions, body limit and security headers.

Written as plain ASGI (not ``BaseHTTPMiddleware``) so that it adds almost nothing
to each request. For every HTTP request it

- gives the request a correlation id (echoed in ``X-Correlation-ID`` and in every
  error), so a clinician can report a failure without revealing anything;
- reads and ages the signed session cookie (automatic logoff after inactivity),
  and writes it back when it changed;
- refuses bodies larger than the configured limit;
- adds the security headers: a strict Content-Security-Policy (scripts and
  styles from this origin only), no framing, no sniffing, no referrer, and
  ``Cache-Control: no-store`` on everything but static files, since pages hold
  case content.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import SECURITY_HEADERS
from .sessions import COOKIE_NAME, SECURE_COOKIE_NAME

if TYPE_CHECKING:
    from .context import WebContext

class BodyTooLarge(Exception):
    """Raised from ``receive`` when a body grows past the limit (turned into a 413)."""


class WebMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ctx: WebContext = scope["app"].state.tightrope
        state: dict[str, Any] = scope.setdefault("state", {})
        cid = secrets.token_hex(8)
        state["correlation_id"] = cid
        path: str = scope["path"]
        static = path.startswith("/static/")
        if not static:
            self._load_session(ctx, scope, state, api=path.startswith("/api/"))
        limit = ctx.settings.max_body_bytes
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(scope, send, cid)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
                headers["x-correlation-id"] = cid
                if ctx.settings.cookie_secure:
                    headers.setdefault("strict-transport-security",
                                       "max-age=31536000; includeSubDomains")
                if static:
                    headers.setdefault("cache-control", "public, max-age=3600")
                else:
                    headers["cache-control"] = "no-store"
                    if state.get("session_changed"):
                        headers.append("set-cookie", _cookie(ctx, state["session"]))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            await _too_large(scope, send, cid)

    @staticmethod
    def _load_session(ctx: WebContext, scope: Scope, state: dict[str, Any], *,
                      api: bool) -> None:
        codec = ctx.codec
        now = ctx.clock()
        raw = _header(scope, b"cookie")
        name = SECURE_COOKIE_NAME if ctx.settings.cookie_secure else COOKIE_NAME
        value = cookie_parser(raw).get(name) if raw else None
        decoded = codec.decode(value)
        if decoded is None:
            state["session"] = codec.new(now)
            # The stateless API sets no cookie unless a route signs someone in.
            state["session_changed"] = not api
            return
        current, changed = codec.age(decoded, now)
        if current.notice:
            state["notice"] = current.notice
            current, changed = replace(current, notice=None), True
        state["session"] = current
        state["session_changed"] = changed


def _cookie(ctx: WebContext, session: Any) -> str:
    secure = ctx.settings.cookie_secure
    name = SECURE_COOKIE_NAME if secure else COOKIE_NAME
    value = ctx.codec.encode(session)
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax",
             f"Max-Age={ctx.codec.max_seconds}"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


async def _too_large(scope: Scope, send: Send, cid: str) -> None:
    if scope["path"].startswith("/api/"):
        body = json.dumps({"error": {"code": "too-large", "message": "The request body is too "
                                     "large.", "problems": [], "correlation_id": cid}}).encode()
        kind = b"application/json"
    else:
        body = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too "
                f"large - Tightrope</title></head><body><main><h1>Too large</h1><p>That was "
                f"more than Tightrope accepts in one request.</p><p>Correlation id: <code>"
                f"{cid}</code></p></main></body></html>").encode()
        kind = b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
               (b"x-correlation-id", cid.encode()), (b"cache-control", b"no-store")]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})

