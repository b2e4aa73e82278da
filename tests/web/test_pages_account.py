"""Signing in and out: secure cookies, CSRF, throttling, automatic logoff, disabled accounts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.conftest import PASSWORDS, Client, client_for, web_settings
from tightrope.registry.service import Registry
from tightrope.web.app import create_app


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_signing_in_sets_a_fresh_httponly_samesite_cookie(app: Any) -> None:
    client = client_for(app)
    before = client.http.cookies.get("tightrope_session")
    response = client.login("rivera")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # local development over plain HTTP
    assert client.http.cookies.get("tightrope_session") != before
    assert response.headers["location"] == "/cases"
    assert "Sign out" in client.get("/cases").text


@pytest.mark.parametrize("username", ["rivera", "nobody"])
def test_a_failed_sign_in_never_says_which_part_was_wrong(app: Any, username: str) -> None:
    client = client_for(app)
    response = client.post("/login", {"username": username, "password": "wrong-password-1"})
    assert response.status_code == 401
    assert "The username or password is wrong." in response.text
    assert 'class="error-summary"' in response.text and "<title>Error: Sign in" in response.text


def test_sign_in_is_throttled_per_username_and_address_with_backoff(app: Any) -> None:
    client = client_for(app)
    for _ in range(5):
        assert client.post("/login", {"username": "rivera",
                                      "password": "wrong-password-1"}).status_code == 401
    response = client.post("/login", {"username": "rivera", "password": "wrong-password-1"})
    assert response.status_code == 429  # the sixth try comes too soon
    refused = client.post("/login", {"username": "rivera", "password": PASSWORDS["rivera"]})
    assert refused.status_code == 429, "even the right password waits out the backoff"
    assert int(refused.headers["retry-after"]) >= 1
    assert "Too many failed sign-ins" in refused.text
    # Another account from the same address is not locked out.
    assert client_for(app).login("okafor").status_code == 303


def test_signing_out_ends_the_session(app: Any) -> None:
    client = client_for(app, "rivera")
    response = client.post("/logout", follow_redirects=True)
    assert "You are signed out." in response.text
    assert client.get("/cases", follow_redirects=False).status_code == 303


def test_inactivity_signs_you_out_with_a_notice(web_registry: Registry) -> None:
    clock = Clock()
    app = create_app(web_settings(session_idle_minutes=15), registry=web_registry, clock=clock)
    client = client_for(app, "rivera")
    clock.now += 14 * 60
    assert client.get("/cases").status_code == 200  # activity renews the session
    clock.now += 14 * 60
    assert client.get("/cases").status_code == 200
    clock.now += 16 * 60
    page = client.get("/")
    assert "signed out after 15 minutes without activity" in page.text
    assert client.get("/cases", follow_redirects=False).headers["location"] == \
        "/login?next=/cases"


def test_signed_in_pages_carry_the_timeout_warning(app: Any) -> None:
    page = client_for(app, "rivera").get("/cases").text
    assert 'data-idle-seconds="900"' in page and 'id="timeout-dialog"' in page
    assert 'aria-labelledby="timeout-title"' in page


def test_a_form_without_the_csrf_token_is_refused(app: Any) -> None:
    client = client_for(app)
    response = client.http.post("/login", data={"username": "rivera",
                                                 "password": PASSWORDS["rivera"]})
    assert response.status_code == 403
    assert "did not come from this site" in response.text


def test_a_token_from_another_session_is_refused(app: Any) -> None:
    other = client_for(app).token()
    client = client_for(app)
    client.get("/")
    response = client.http.post("/login", data={"csrf_token": other, "username": "rivera",
                                                "password": PASSWORDS["rivera"]})
    assert response.status_code == 403


def test_a_tampered_cookie_is_an_anonymous_session(app: Any) -> None:
    client = client_for(app, "rivera")
    value = client.http.cookies["tightrope_session"]
    client.http.cookies.set("tightrope_session", value[:-3] + ("AAA" if value[-3:] != "AAA"
                                                               else "BBB"))
    assert client.get("/cases", follow_redirects=False).status_code == 303


def test_disabling_an_account_ends_its_sessions_at_once(app: Any,
                                                        web_registry: Registry) -> None:
    client = client_for(app, "okafor")
    assert client.get("/cases").status_code == 200
    admin = web_registry.accounts.authenticate("admin", PASSWORDS["admin"])
    web_registry.accounts.disable_user(admin, "okafor")
    assert client.get("/cases", follow_redirects=False).status_code == 303
    assert client.post("/login", {"username": "okafor",
                                  "password": PASSWORDS["okafor"]}).status_code == 401


def test_production_cookies_are_secure_and_host_locked(web_registry: Registry) -> None:
    app = create_app(web_settings(environment="production", cookie_secure=True),
                     registry=web_registry)
    client = Client(client_for(app).http)
    client.http.base_url = "https://testserver"  # type: ignore[assignment]
    response = client.get("/")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-tightrope_session=") and "; Secure" in cookie
    assert "max-age=31536000" in response.headers["strict-transport-security"]


def test_the_api_session_returns_a_csrf_token_and_needs_it_to_sign_out(app: Any) -> None:
    client = client_for(app)
    token = client.api_login("lee")
    info = client.http.get("/api/session").json()
    assert info["username"] == "lee" and info["role"] == "supervisor"
    assert info["csrf_token"] == token and info["idle_timeout_seconds"] == 900
    del client.http.headers["X-CSRF-Token"]
    assert client.http.delete("/api/session").status_code == 403
    assert client.http.delete("/api/session", headers={"X-CSRF-Token": token}
                              ).status_code == 204
    assert client.http.get("/api/session").status_code == 401


def test_the_api_session_refuses_bad_credentials_in_the_error_shape(app: Any) -> None:
    response = client_for(app).http.post("/api/session", json={"username": "lee",
                                                               "password": "not-it-at-all"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad-credentials"


def test_stay_signed_in_renews_the_session(app: Any) -> None:
    client = client_for(app, "rivera")
    response = client.http.post("/session/extend", headers={"X-CSRF-Token": client.token()})
    assert response.status_code == 204


def test_signing_in_to_save_keeps_the_answers(app: Any) -> None:
    client = client_for(app)
    state = json.dumps({"answers": {"practitioner.profession": "counselor",
                                    "professional.status": "former",
                                    "other.kind": "romantic_sexual"}, "skipped": []})
    page = client.post("/login/save", {"state": state}).text
    assert "Sign in to save the case you just assessed" in page
    assert 'name="pending"' in page
    response = client.post("/login", {"username": "rivera", "password": PASSWORDS["rivera"],
                                      "pending": state})
    assert response.status_code == 200
    assert "Save this case" in response.text and 'name="client_ref"' in response.text


def test_next_after_sign_in_never_leaves_the_site(app: Any) -> None:
    client = client_for(app)
    response = client.post("/login", {"username": "rivera", "password": PASSWORDS["rivera"],
                                      "next": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/cases"
