"""The registry pages: save, list, history, consultation, consent, sign-off, audit, notes."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.web.conftest import client_for, create_case
from tightrope.registry.service import Registry

CASE_LINK = re.compile(r'href="/cases/([A-Za-z0-9_-]{8,})"')
STATE = json.dumps({"answers": {"practitioner.profession": "counselor",
                                "professional.status": "former", "other.kind": "romantic_sexual",
                                "other.with": "client", "other.status": "proposed",
                                "professional.service": "counseling",
                                "professional.ended": "2025-01-10"}, "skipped": []})


def save(client: Any, client_ref: str = "J.D.", note: str = "") -> Any:
    return client.post("/cases/new", {"state": STATE, "client_ref": client_ref, "note": note},
                       follow_redirects=False)


def test_a_signed_in_clinician_saves_a_result_and_finds_it(app: Any) -> None:
    client = client_for(app, "rivera")
    result = client.post("/interview", {"state": STATE, "action": "result"}).text
    assert "Save this case" in result and 'id="client-ref"' in result
    response = save(client, note="met at the gym")
    assert response.status_code == 303
    case_id = response.headers["location"].split("/")[2].split("?")[0]
    page = client.get(response.headers["location"]).text
    assert "Saved. The assessment below is now on record." in page
    assert "<h1>Case J.D.</h1>" in page and "Verdict: Prohibited until" in page
    assert "met at the gym" in page  # the revision note, shown to its owner
    assert case_id in client.get("/cases").text


def test_a_name_as_client_reference_is_refused_on_its_field(app: Any) -> None:
    response = save(client_for(app, "rivera"), client_ref="Jane Doe")
    assert response.status_code == 422
    assert 'href="#client-ref"' in response.text and "full name" in response.text
    assert 'aria-invalid="true"' in response.text


def test_saving_needs_an_account(app: Any) -> None:
    response = save(client_for(app))
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_due_cases_and_closed_cases_have_their_own_lists(app: Any,
                                                         web_registry: Registry) -> None:
    case_id = create_case(web_registry, "rivera")
    client = client_for(app, "rivera")
    assert case_id in client.get("/cases").text
    due = client.get("/cases?due=1").text
    assert "Cases due for re-assessment" in due
    client.post(f"/cases/{case_id}/close")
    assert case_id not in client.get("/cases").text
    assert case_id in client.get("/cases?status=closed").text
    client.post(f"/cases/{case_id}/reopen")
    assert case_id in client.get("/cases").text


def test_the_case_history_shows_revisions_assessments_and_records(app: Any,
                                                                   web_registry: Registry
                                                                   ) -> None:
    case_id = create_case(web_registry, "rivera")
    client = client_for(app, "rivera")
    assert client.post(f"/cases/{case_id}/reassess", follow_redirects=False).status_code == 303
    client.post(f"/cases/{case_id}/consultations", {
        "consultant": "Dr Adams", "consultant_role": "colleague", "consulted_on": "2026-11-20",
        "advice": "Decline and document.", "decision": "decline", "rationale": "Power."})
    client.post(f"/cases/{case_id}/consents", {"given_on": "2026-11-21", "method": "written",
                                               "note": "Discussed risks."})
    page = client.get(f"/cases/{case_id}").text
    assert "Dr Adams" in page and "Decline and document." in page
    assert "Discussed risks." in page
    history = page[page.index('id="assessments-title"'):page.index('id="revisions-title"')]
    assert history.count("<tr><th scope=\"row\">") == 2  # two assessments
    for action in ("case.create", "case.reassess", "consultation.record", "consent.record",
                   "case.view"):
        assert action in page


def test_a_bad_consultation_names_its_fields(app: Any, web_registry: Registry) -> None:
    case_id = create_case(web_registry, "rivera")
    response = client_for(app, "rivera").post(f"/cases/{case_id}/consultations", {
        "consultant": "", "consultant_role": "oracle", "consulted_on": "soon", "advice": ""})
    assert response.status_code == 422
    assert 'class="error-summary"' in response.text
    assert "consultant_role" in response.text


def test_a_supervisor_signs_off_and_the_audit_trail_shows_it(app: Any,
                                                             web_registry: Registry) -> None:
    case_id = create_case(web_registry, "rivera")
    supervisor = client_for(app, "lee")
    assert case_id in supervisor.get("/reviews").text
    page = supervisor.get(f"/cases/{case_id}").text
    assert "Review and sign off" in page
    assert "Record the client's informed consent" not in page  # only the owner
    response = supervisor.post(f"/cases/{case_id}/sign-off", {"outcome": "approved",
                                                               "comment": "Agree: decline."},
                               follow_redirects=True)
    assert response.status_code == 200
    assert "Approved</strong> by lee" in response.text
    assert "case.sign_off" in response.text
    owner_view = client_for(app, "rivera").get(f"/cases/{case_id}").text
    assert "Reviewed: Approved by lee" in owner_view


def test_the_owner_cannot_sign_off_their_own_case(app: Any, web_registry: Registry) -> None:
    case_id = create_case(web_registry, "rivera")
    client = client_for(app, "rivera")
    assert "Review and sign off" not in client.get(f"/cases/{case_id}").text
    response = client.post(f"/cases/{case_id}/sign-off", {"outcome": "approved"})
    assert response.status_code == 403
    assert "only the clinician&#39;s supervisor can sign off" in response.text


def test_the_interview_resumes_from_a_saved_case_and_saves_a_revision(
        app: Any, web_registry: Registry) -> None:
    case_id = create_case(web_registry, "rivera", professional={"status": "former"})
    client = client_for(app, "rivera")
    page = client.get(f"/cases/{case_id}/interview").text
    assert "A few more questions" in page and "case_id" in page
    state = json.dumps({"answers": {"practitioner.profession": "counselor",
                                    "professional.status": "former",
                                    "other.kind": "romantic_sexual", "other.with": "client",
                                    "other.status": "proposed",
                                    "professional.service": "counseling",
                                    "professional.ended": "2019-01-10"},
                        "skipped": [], "case_id": case_id})
    result = client.post("/interview", {"state": state, "action": "result"}).text
    assert f'action="/cases/{case_id}/revise"' in result
    response = client.post(f"/cases/{case_id}/revise", {"state": state, "note": "new date"},
                           follow_redirects=True)
    assert "case.revise" in response.text and "Revision 2" in response.text


def test_the_case_print_view_and_note_downloads(app: Any, web_registry: Registry) -> None:
    case_id = create_case(web_registry, "rivera")
    client = client_for(app, "rivera")
    printed = client.get(f"/cases/{case_id}/print").text
    assert "Client reference: C-1042" in printed and "site-header" not in printed
    page = client.get(f"/cases/{case_id}").text
    for fmt in ("md", "html", "json"):
        assert f'href="/cases/{case_id}/note.{fmt}"' in page
        response = client.get(f"/cases/{case_id}/note.{fmt}")
        assert response.status_code == 200
        assert "attachment;" in response.headers["content-disposition"]
    assert client.get(f"/cases/{case_id}/note.docx").status_code == 404


def test_the_case_page_has_one_h1_and_labelled_forms(app: Any, web_registry: Registry) -> None:
    case_id = create_case(web_registry, "rivera")
    page = client_for(app, "rivera").get(f"/cases/{case_id}").text
    assert page.count("<h1>") == 1
    for field in ("consultant", "consultant-role", "consulted-on", "advice", "given-on"):
        assert f'<label for="{field}">' in page
