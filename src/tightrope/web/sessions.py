"""Signed session cookies and CSRF tokens (stdlib HMAC-SHA256; no server-side state).

A session is a small JSON payload (a random session id, the signed-in user's id,
when it was issued and when it was last used) signed with the app's secret key.
Instances share nothing but the key, so any of them honours any session. The
registry is still asked on every signed-in request whether the account exists
and is enabled, so disabling an account ends its sessions at once.

Sessions end after ``session_idle_minutes`` without a request (automatic logoff,
HIPAA 164.312(a)(2)(iii)) and after ``session_max_hours`` in any case.

CSRF: a synchronizer token derived from the session id (HMAC with the secret),
carried in a hidden field of every form and in the ``X-CSRF-Token`` header of
HTMX and JSON requests, and compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, replace
from typing import Any

COOKIE_NAME = "tightrope_session"
SECURE_COOKIE_NAME = "__Host-tightrope_session"  # Secure, Path=/, no Domain: host-locked
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_REFRESH_AFTER_SECONDS = 30


@dataclass(frozen=True)
class Session:
    sid: str
    issued_at: float
    seen_at: float
    user_id: str | None = None
    notice: str | None = None  # a one-off message ("signed out after inactivity")

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


class SessionCodec:
    """Encodes, signs, checks and ages sessions with one secret key."""

    def __init__(self, secret: str, *, idle_seconds: int, max_seconds: int) -> None:
        self._key = hashlib.sha256(b"tightrope-session:" + secret.encode()).digest()
        self._csrf_key = hashlib.sha256(b"tightrope-csrf:" + secret.encode()).digest()
        self.idle_seconds = idle_seconds
        self.max_seconds = max_seconds

    def new(self, now: float, notice: str | None = None) -> Session:
        return Session(sid=secrets.token_urlsafe(18), issued_at=now, seen_at=now,
                       notice=notice)

    def encode(self, session: Session) -> str:
        payload: dict[str, Any] = {"s": session.sid, "i": int(session.issued_at),
                                   "t": int(session.seen_at)}
        if session.user_id is not None:
            payload["u"] = session.user_id
        if session.notice:
            payload["n"] = session.notice
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body}.{_b64(self._sign(body))}"

    def decode(self, value: str | None) -> Session | None:
        """The session if the cookie is genuine, else ``None``; age is checked by :meth:`age`."""
        if not value or len(value) > 2048 or "." not in value:
            return None
        body, _, signature = value.partition(".")
        try:
            given = _unb64(signature)
        except ValueError:
            return None
        if not hmac.compare_digest(given, self._sign(body)):
            return None
        try:
            data = json.loads(_unb64(body))
            session = Session(sid=str(data["s"]), issued_at=float(data["i"]),
                              seen_at=float(data["t"]),
                              user_id=str(data["u"]) if data.get("u") else None,
                              notice=str(data["n"]) if data.get("n") else None)
        except (ValueError, KeyError, TypeError):
            return None
        return session

    def age(self, session: Session, now: float) -> tuple[Session, bool]:
        """(session to use, whether it changed). An expired sign-in becomes anonymous."""
        expired = (now - session.seen_at > self.idle_seconds
                   or now - session.issued_at > self.max_seconds)
        if expired and session.signed_in:
            return self.new(now, notice="signed-out-idle"), True
        if expired:
            return self.new(now), True
        if now - session.seen_at >= _REFRESH_AFTER_SECONDS:
            return replace(session, seen_at=now), True
        return session, False

    def sign_in(self, session: Session, user_id: str, now: float) -> Session:
        """A fresh session id at sign-in, so a session fixed before it is worthless."""
        return Session(sid=secrets.token_urlsafe(18), issued_at=now, seen_at=now,
                       user_id=user_id)

    def csrf_token(self, session: Session) -> str:
        return _b64(hmac.new(self._csrf_key, session.sid.encode(), hashlib.sha256).digest())

    def csrf_ok(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token), self.csrf_token(session))

    def _sign(self, body: str) -> bytes:
        return hmac.new(self._key, body.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError("not base64") from exc
