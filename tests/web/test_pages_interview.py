"""The guided interview without scripts: steps, errors, the live verdict, the result."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from tests.web.conftest import Client, client_for
from tightrope.core.case_loading import load_case
from tightrope.core.interview import answers_from_case

STATE = re.compile(r'name="state" value="([^"]*)"')
ASKED = re.compile(r'name="asked" value="([^"]+)"')
LIVE = re.compile(r'id="live-status"[^>]*>([^<]*)<')


def state_of(page: str) -> str:
    found = STATE.search(page)
    assert found, "every interview step carries its state"
    return html.unescape(found.group(1))


def asked(page: str) -> list[str]:
    return ASKED.findall(page)


def form_value(field: str, value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return value or []
    return str(value)


def answer_all(client: Client, full: dict[str, Any], *, limit: int = 30) -> tuple[str, int]:
    """Answer each step truthfully from ``full`` until the result page; returns it."""
    page = client.get("/interview").text
    for steps in range(1, limit):
        data: dict[str, Any] = {"state": state_of(page), "asked": asked(page),
                                "action": "continue"}
        for field in asked(page):
            value = full.get(field)
            if field == "professional.ended" and value is None and \
                    "professional.months_since_end" in full:
                data["q.professional.months_since_end"] = str(full[
                    "professional.months_since_end"])
            elif value is None:
                data[f"q.{field}"] = "__unknown__"
            else:
                data[f"q.{field}"] = form_value(field, value)
        response = client.post("/interview", data)
        assert response.status_code == 200, response.text[:800]
        page = response.text
        if "<h1>Your assessment</h1>" in page:
            return page, steps
    raise AssertionError("the interview never reached a result")


def test_the_first_step_asks_the_three_required_questions(anonymous: Client) -> None:
    page = anonymous.get("/interview").text
    assert asked(page) == ["practitioner.profession", "professional.status", "other.kind"]
    assert page.count("<h1>") == 1
    assert page.count("<fieldset") == 3 and page.count("<legend") == 3
    assert page.count("Why we ask:") == 3
    assert 'id="live-status" class="live-status visually-hidden" role="status" aria-live="polite"' in page
    assert LIVE.search(page).group(1).startswith("No verdict yet")  # type: ignore[union-attr]
    assert 'href="#main"' in page  # skip link


def test_missing_required_answers_are_listed_and_linked_to_their_fields(anonymous: Client
                                                                       ) -> None:
    page = anonymous.get("/interview").text
    response = anonymous.post("/interview", {"state": state_of(page), "asked": asked(page),
                                             "q.practitioner.profession": "counselor"})
    text = response.text
    assert "<title>Error: " in text
    assert 'class="error-summary" role="alert"' in text
    assert 'href="#q-professional-status-current"' in text
    assert 'href="#q-other-kind-romantic-sexual"' in text
    assert text.count('aria-invalid="true"') >= 2
    # The answer given is kept.
    assert json.loads(state_of(text))["answers"] == {"practitioner.profession": "counselor"}


def test_an_example_interview_reaches_its_verdict_without_scripts(anonymous: Client) -> None:
    case = load_case("src/tightrope/examples/former-client-romance.yaml")
    page, steps = answer_all(anonymous, answers_from_case(case))
    assert steps <= 8
    assert 'class="verdict-banner verdict-prohibited"' in page
    assert "Verdict: Prohibited until" in page
    for title in ("The decisive reason", "Residual power", "The rules that bind you",
                  "What to do", "What would change the verdict", "Codes applied"):
        assert f">{title}</h2>" in page
    assert page.index("The decisive reason") < page.index("Residual power") < page.index(
        "The rules that bind you") < page.index("What to do")
    assert 'class="checklist"' in page
    assert "at its source</a>" in page and 'href="https://' in page
    assert 'role="img"' in page and "<title id=\"decay-svg-title\">" in page


def test_i_dont_know_is_remembered_and_not_asked_again(anonymous: Client) -> None:
    page = anonymous.get("/interview").text
    page = anonymous.post("/interview", {
        "state": state_of(page), "asked": asked(page),
        "q.practitioner.profession": "psychologist", "q.professional.status": "former",
        "q.other.kind": "friendship"}).text
    first = asked(page)[0]
    page = anonymous.post("/interview", {"state": state_of(page), "asked": [first],
                                         f"q.{first}": "__unknown__"}).text
    assert first in json.loads(state_of(page))["skipped"]
    assert first not in asked(page)


def test_changing_an_answer_asks_that_question_again_prefilled(anonymous: Client) -> None:
    page = anonymous.get("/interview").text
    page = anonymous.post("/interview", {
        "state": state_of(page), "asked": asked(page),
        "q.practitioner.profession": "psychologist", "q.professional.status": "former",
        "q.other.kind": "friendship"}).text
    assert "Change<span class=\"visually-hidden\"> the answer to:" in page
    page = anonymous.post("/interview", {"state": state_of(page),
                                         "action": "edit:other.kind"}).text
    assert asked(page) == ["other.kind"]
    assert re.search(r'value="friendship" checked', page)


def test_the_end_date_can_be_given_as_approximate_months(anonymous: Client) -> None:
    state = json.dumps({"answers": {"practitioner.profession": "counselor",
                                    "professional.status": "former",
                                    "other.kind": "romantic_sexual", "other.with": "client",
                                    "other.status": "proposed",
                                    "professional.service": "counseling",
                                    "practitioner.codes": []},
                        "skipped": ["practitioner.jurisdiction"]})
    page = anonymous.post("/interview", {"state": state, "action": "review"}).text
    assert "professional.ended" in asked(page)
    assert 'name="q.professional.months_since_end"' in page
    page = anonymous.post("/interview", {"state": state, "asked": ["professional.ended"],
                                         "q.professional.months_since_end": "12"}).text
    answers = json.loads(state_of(page))["answers"]
    assert answers["professional.months_since_end"] == 12.0
    assert "Prohibited until about" in page


def test_the_live_verdict_updates_through_the_preview(anonymous: Client) -> None:
    page = anonymous.get("/interview").text
    response = anonymous.post("/interview/preview", {
        "state": state_of(page), "asked": asked(page),
        "q.practitioner.profession": "marriage_family_therapist",
        "q.professional.status": "former", "q.other.kind": "romantic_sexual"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith("Verdict so far:")
    assert 'id="verdict-panel" hx-swap-oob="true"' in response.text
    partial = anonymous.post("/interview/preview", {
        "state": state_of(page), "asked": asked(page),
        "q.practitioner.profession": "counselor"})
    assert "No verdict yet" in partial.text  # a partial step is no error while typing


def test_the_preview_needs_the_csrf_token(anonymous: Client) -> None:
    response = anonymous.http.post("/interview/preview", data={"state": "{}"})
    assert response.status_code == 403
    assert "did not come from this site" in response.text


def test_the_result_now_lists_the_questions_that_could_still_change_it(anonymous: Client
                                                                      ) -> None:
    state = json.dumps({"answers": {"practitioner.profession": "psychologist",
                                    "professional.status": "former",
                                    "other.kind": "friendship"}, "skipped": []})
    page = anonymous.post("/interview", {"state": state, "action": "result"}).text
    assert "<h1>Your assessment</h1>" in page
    assert "Some questions that could change this verdict are still unanswered" in page
    assert "Questions that could still change it" in page
    assert 'value="edit:' in page


def test_the_print_view_shows_the_result_and_the_facts(anonymous: Client) -> None:
    state = json.dumps({"answers": {"practitioner.profession": "counselor",
                                    "professional.status": "former",
                                    "other.kind": "romantic_sexual"}, "skipped": []})
    page = anonymous.post("/interview/print", {"state": state}).text
    assert "<h1>Multiple-relationship assessment</h1>" in page
    assert "The facts assessed" in page and "Verdict:" in page
    assert "site-header" not in page


def test_an_unsaved_result_can_be_downloaded_as_a_note(anonymous: Client) -> None:
    state = json.dumps({"answers": {"practitioner.profession": "counselor",
                                    "professional.status": "former",
                                    "other.kind": "romantic_sexual"}, "skipped": []})
    response = anonymous.post("/interview/note", {"state": state, "format": "md"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert "attachment;" in response.headers["content-disposition"]


def test_a_tampered_state_is_ignored_not_trusted(anonymous: Client) -> None:
    page = anonymous.post("/interview", {"state": '{"answers": {"evil": 1, '
                                         '"practitioner.profession": ["x"]}}'}).text
    assert "Check your answers" in page or "Describe the situation" in page
    assert "evil" not in page


def test_examples_open_in_the_interview_with_their_answers(anonymous: Client) -> None:
    examples = anonymous.get("/examples").text
    states = [html.unescape(s) for s in STATE.findall(examples)]
    assert len(states) >= 20
    page = anonymous.post("/interview", {"state": states[0], "action": "result"}).text
    assert "<h1>Your assessment</h1>" in page
    assert json.loads(states[0])["as_of"] == "2026-11-26"


def test_the_stateless_app_offers_no_saving(stateless_app: Any) -> None:
    client = client_for(stateless_app)
    state = json.dumps({"answers": {"practitioner.profession": "counselor",
                                    "professional.status": "former",
                                    "other.kind": "romantic_sexual"}, "skipped": []})
    page = client.post("/interview", {"state": state, "action": "result"}).text
    assert "Save this case" not in page and "Sign in to save" not in page
