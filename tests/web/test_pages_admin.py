"""Account administration pages: an admin lists, adds, disables and enables accounts."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import client_for


def test_an_admin_adds_an_account_that_can_sign_in(app: Any) -> None:
    admin = client_for(app, "admin")
    page = admin.get("/admin/users").text
    for name in ("rivera", "okafor", "lee", "chen", "admin"):
        assert f'<th scope="row">{name}</th>' in page
    response = admin.post("/admin/users", {"username": "diaz", "role": "clinician",
                                           "supervisor": "lee",
                                           "password": "diaz-password-12"},
                          follow_redirects=True)
    assert '<th scope="row">diaz</th>' in response.text
    newcomer = client_for(app)
    assert newcomer.post("/login", {"username": "diaz", "password": "diaz-password-12"},
                         follow_redirects=False).status_code == 303


def test_a_bad_account_names_the_field(app: Any) -> None:
    response = client_for(app, "admin").post("/admin/users", {
        "username": "bad name!", "role": "clinician", "password": "long-enough-pass"})
    assert response.status_code == 422
    assert 'href="#new-username"' in response.text
    short = client_for(app, "admin").post("/admin/users", {
        "username": "diaz", "role": "clinician", "password": "short"})
    assert short.status_code == 422 and 'href="#new-password"' in short.text


def test_disabling_and_enabling_an_account(app: Any) -> None:
    admin = client_for(app, "admin")
    admin.post("/admin/users/okafor/disable")
    assert "Disabled" in admin.get("/admin/users").text
    assert client_for(app).post("/login", {"username": "okafor",
                                           "password": "okafor-password1"}).status_code == 401
    admin.post("/admin/users/okafor/enable")
    assert client_for(app, "okafor").get("/cases").status_code == 200


def test_an_admin_is_sent_to_accounts_not_cases(app: Any) -> None:
    response = client_for(app).post("/login", {"username": "admin",
                                               "password": "admin-password-1"},
                                    follow_redirects=False)
    assert response.headers["location"] == "/admin/users"
    page = client_for(app, "admin").get("/admin/users").text
    assert 'href="/cases"' not in page  # no "My cases" for an account that keeps none
