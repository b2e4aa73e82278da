"""The registry over JSON: keep a case, reassess it, record safeguards, review it."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import BASE_CASE, client_for


def test_a_case_is_kept_reviewed_and_audited_through_the_api(app: Any) -> None:
    clinician = client_for(app)
    clinician.api_login("rivera")
    created = clinician.http.post("/api/cases", json={"client_ref": "C-17", "case": BASE_CASE,
                                                      "note": "private"})
    assert created.status_code == 201
    outcome = created.json()
    case_id = outcome["case_id"]
    assert outcome["assessment"]["verdict"] == "prohibited"
    assert outcome["assessment"]["result"]["verdict"] == "prohibited"

    later = {**BASE_CASE, "professional": {**BASE_CASE["professional"], "ended": "2019-01-10"}}
    revised = clinician.http.post(f"/api/cases/{case_id}/assessments", json={"case": later})
    assert revised.status_code == 201 and revised.json()["new_revision"] is True
    consulted = clinician.http.post(f"/api/cases/{case_id}/consultations", json={
        "consultant": "Dr Adams", "consultant_role": "colleague",
        "consulted_on": "2026-11-20", "advice": "Decline."})
    assert consulted.status_code == 201
    assert clinician.http.post(f"/api/cases/{case_id}/consents", json={
        "given_on": "2026-11-21", "method": "verbal"}).status_code == 201

    supervisor = client_for(app)
    supervisor.api_login("lee")
    assert [c["id"] for c in supervisor.http.get("/api/reviews").json()] == [case_id]
    review = supervisor.http.post(f"/api/cases/{case_id}/reviews",
                                  json={"outcome": "approved", "comment": "Agreed."})
    assert review.status_code == 201 and review.json()["assessment"] == 2

    detail = clinician.http.get(f"/api/cases/{case_id}").json()
    assert [r["number"] for r in detail["revisions"]] == [1, 2]
    assert len(detail["assessments"]) == 2 and len(detail["sign_offs"]) == 1
    actions = [e["action"] for e in clinician.http.get(f"/api/cases/{case_id}/audit").json()]
    assert actions[0] == "case.create" and "case.sign_off" in actions
    assert "case.revise" in actions and "consent.record" in actions


def test_case_errors_name_the_field_from_the_body_root(app: Any) -> None:
    client = client_for(app)
    client.api_login("rivera")
    bad = {**BASE_CASE, "other": {"kind": "romance"}}
    response = client.http.post("/api/cases", json={"client_ref": "C-1", "case": bad})
    assert response.status_code == 422
    problem = response.json()["error"]["problems"][0]
    assert problem["path"] == "case.other.kind" and "romantic_sexual" in problem["hint"]


def test_input_errors_name_the_field_and_allowed_values(app: Any) -> None:
    client = client_for(app)
    client.api_login("rivera")
    case_id = client.http.post("/api/cases", json={"client_ref": "C-2",
                                                   "case": BASE_CASE}).json()["case_id"]
    response = client.http.post(f"/api/cases/{case_id}/consents",
                                json={"given_on": "2026-11-21", "method": "telepathy"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["problems"][0]["path"] == "method"


def test_a_name_as_client_ref_is_refused(app: Any) -> None:
    client = client_for(app)
    client.api_login("rivera")
    response = client.http.post("/api/cases", json={"client_ref": "Jane Doe",
                                                    "case": BASE_CASE})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "client-ref-looks-like-name"


def test_changing_requests_need_the_csrf_header(app: Any) -> None:
    client = client_for(app)
    client.api_login("rivera")
    del client.http.headers["X-CSRF-Token"]
    response = client.http.post("/api/cases", json={"client_ref": "C-3", "case": BASE_CASE})
    assert response.status_code == 403 and response.json()["error"]["code"] == "csrf-failed"
    assert client.http.get("/api/cases").status_code == 200  # reading needs no token


def test_an_admin_keeps_no_cases(app: Any) -> None:
    client = client_for(app)
    client.api_login("admin")
    response = client.http.post("/api/cases", json={"client_ref": "C-4", "case": BASE_CASE})
    assert response.status_code == 403 and response.json()["error"]["code"] == "not-allowed"


def test_due_cases_are_listed_by_date(app: Any) -> None:
    client = client_for(app)
    client.api_login("rivera")
    client.http.post("/api/cases", json={"client_ref": "C-5", "case": BASE_CASE})
    due = client.http.get("/api/cases?due_by=2031-01-01").json()
    none_due = client.http.get("/api/cases?due_by=2026-01-01").json()
    assert len(due) == 1 and due[0]["review_due_on"] and none_due == []
