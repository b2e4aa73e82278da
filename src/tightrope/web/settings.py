"""Web settings, read from the environment by the entry point (never at import).

Outside local use (``TIGHTROPE_ENV=production``) the unsafe defaults are refused:
a secret key must be given (all instances behind one proxy share it, so a
session signed by one is honoured by the others), and session cookies must be
``Secure`` (sent over HTTPS only).

- ``TIGHTROPE_SECRET_KEY``: at least 32 characters; signs session cookies and
  CSRF tokens. Local use without it gets a random key per process (sessions end
  when the server stops).
- ``TIGHTROPE_COOKIE_SECURE``: ``1``/``0``; default ``1`` in production, ``0``
  locally (a local server speaks plain HTTP on the loopback address).
- ``TIGHTROPE_SESSION_IDLE_MINUTES``: automatic sign-out after this much
  inactivity (default 15; HIPAA 164.312(a)(2)(iii)), with a warning two minutes
  before (WCAG 2.2.1).
- ``TIGHTROPE_SESSION_MAX_HOURS``: a session ends after this long regardless (12).
- ``TIGHTROPE_ALLOWED_HOSTS``: comma-separated host names the app answers to
  (default: any; set it in production behind a proxy).
- ``TIGHTROPE_ASSETS_DIR``: where the fetched HTMX file lives (default: the
  package's ``web/static/vendor``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from ..core.errors import Problem, TightropeError
from ..storage.settings import StorageSettings

MIN_SECRET_LENGTH = 32
PACKAGE_DIR = Path(__file__).parent


class SettingsError(TightropeError):
    """A web setting that is missing or unsafe where the app would run."""


def settings_error(code: str, message: str, hint: str = "") -> SettingsError:
    return SettingsError(code=code, problems=[Problem(code, message, "", None, hint)])


class WebSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    environment: Literal["local", "production"] = "local"
    secret_key: SecretStr
    cookie_secure: bool = False
    session_idle_minutes: int = Field(default=15, ge=1, le=24 * 60)
    session_warning_seconds: int = Field(default=120, ge=20, le=3600)
    session_max_hours: int = Field(default=12, ge=1, le=24 * 7)
    login_free_attempts: int = Field(default=5, ge=1, le=100)
    login_max_delay_seconds: int = Field(default=900, ge=1, le=24 * 3600)
    allowed_hosts: tuple[str, ...] = ()
    assets_dir: Path = PACKAGE_DIR / "static" / "vendor"
    max_body_bytes: int = 512 * 1024
    storage: StorageSettings | None = None

    def check(self) -> WebSettings:
        """Refuse unsafe settings outside local use."""
        if len(self.secret_key.get_secret_value()) < MIN_SECRET_LENGTH:
            raise settings_error("secret-key-too-short", f"the secret key must be at least "
                                 f"{MIN_SECRET_LENGTH} characters",
                                 "generate one with: python -c \"import secrets; "
                                 "print(secrets.token_urlsafe(48))\"")
        if self.environment == "production" and not self.cookie_secure:
            raise settings_error("insecure-cookies", "TIGHTROPE_ENV is production but "
                                 "TIGHTROPE_COOKIE_SECURE is off",
                                 "serve over HTTPS (behind a proxy) and leave secure cookies on")
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *,
                 storage: StorageSettings | None = None) -> WebSettings:
        env = os.environ if environ is None else environ
        environment = env.get("TIGHTROPE_ENV", "local").strip() or "local"
        if environment not in ("local", "production"):
            raise settings_error("bad-environment", f"TIGHTROPE_ENV is {environment!r}",
                                 "allowed: local, production")
        secret = env.get("TIGHTROPE_SECRET_KEY", "").strip()
        if not secret:
            if environment == "production":
                raise settings_error(
                    "secret-key-required", "TIGHTROPE_ENV is production but "
                    "TIGHTROPE_SECRET_KEY is not set",
                    "every instance needs the same secret key to honour the same sessions; "
                    "generate one with: python -c \"import secrets; "
                    "print(secrets.token_urlsafe(48))\"")
            secret = secrets.token_urlsafe(48)
        secure = _flag(env.get("TIGHTROPE_COOKIE_SECURE"), environment == "production")
        hosts = tuple(h.strip() for h in env.get("TIGHTROPE_ALLOWED_HOSTS", "").split(",")
                      if h.strip())
        values: dict[str, object] = {
            "environment": environment, "secret_key": SecretStr(secret),
            "cookie_secure": secure, "allowed_hosts": hosts, "storage": storage,
        }
        for name, key in (("session_idle_minutes", "TIGHTROPE_SESSION_IDLE_MINUTES"),
                          ("session_max_hours", "TIGHTROPE_SESSION_MAX_HOURS")):
            if env.get(key, "").strip():
                values[name] = _integer(env[key], key)
        if env.get("TIGHTROPE_ASSETS_DIR", "").strip():
            values["assets_dir"] = Path(env["TIGHTROPE_ASSETS_DIR"])
        try:
            settings = cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = str(first["loc"][0]) if first.get("loc") else "a setting"
            raise settings_error("bad-setting", f"{name} is out of range",
                                 str(first.get("msg", ""))) from None
        return settings.check()


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    text = value.strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise settings_error("bad-setting", f"{value!r} is not on or off", "write 1 or 0")


def _integer(value: str, name: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise settings_error("bad-setting", f"{name} is {value!r}, not a whole number",
                             "write a whole number") from None
