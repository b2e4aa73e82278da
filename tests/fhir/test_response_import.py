"""QuestionnaireResponse to case: the round trip, and clear errors for anything else."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.core.test_engine_properties import cases
from tests.fhir.validation import validate_resource
from tightrope.cli.examples import builtin_examples
from tightrope.core.case_loading import case_from_data, parse_case
from tightrope.core.errors import CaseError, TightropeError
from tightrope.fhir.response import build_response
from tightrope.fhir.response_import import FhirImportError, import_response

EXAMPLES = builtin_examples()


def response_for(data: dict[str, Any]) -> dict[str, Any]:
    return build_response(data, response_id="qr-1", authored="2026-11-27T09:30:00+00:00")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_example_round_trips(example: Any) -> None:
    case = parse_case(example.text, source=example.name)
    response = response_for(case.dump())
    validate_resource(response)
    assert import_response(json.dumps(response)) == case


@given(cases(), st.one_of(st.none(), st.text(min_size=1, max_size=30)),
       st.one_of(st.none(), st.floats(0, 600, allow_nan=False)))
def test_any_case_round_trips(data: dict[str, Any], details: str | None,
                              months: float | None) -> None:
    if details is not None:
        data["other"]["details"] = details
    if months is not None and data["professional"]["status"] == "former" \
            and "ended" not in data["professional"]:
        data["professional"]["months_since_end"] = months
    case = case_from_data(data)
    assert import_response(json.dumps(response_for(case.dump()))) == case


def test_an_empty_list_is_not_an_unknown() -> None:
    known = parse_case("format: 1\npractitioner: {profession: counselor}\n"
                       "professional: {status: current}\nclient: {vulnerabilities: []}\n"
                       "other: {kind: gift}\n")
    unknown = parse_case("format: 1\npractitioner: {profession: counselor}\n"
                         "professional: {status: current}\nother: {kind: gift}\n")
    assert import_response(json.dumps(response_for(known.dump()))).client.vulnerabilities == ()
    assert import_response(json.dumps(response_for(unknown.dump()))).client.vulnerabilities \
        is None


def _response(*items: dict[str, Any], questionnaire: str | None = None) -> str:
    data = response_for({"format": 1, "practitioner": {"profession": "counselor"},
                         "professional": {"status": "current"}, "other": {"kind": "gift"}})
    if questionnaire is not None:
        data["questionnaire"] = questionnaire
    data["item"] += list(items)
    return json.dumps(data)


@pytest.mark.parametrize(("raw", "code", "path"), [
    ("not json", "syntax", ""),
    ('{"resourceType": "Patient"}', "fhir-wrong-resource", ""),
    ('{"resourceType": "Bundle", "entry": []}', "fhir-no-response", ""),
    (_response(questionnaire="http://example.org/Questionnaire/phq9"),
     "fhir-wrong-questionnaire", "questionnaire"),
    (_response({"linkId": "favourite.colour", "answer": [{"valueString": "blue"}]}),
     "fhir-unknown-item", "favourite.colour"),
    (_response({"linkId": "context", "item": [{"linkId": "context.consulted",
                                               "answer": [{"valueString": "yes"}]}]}),
     "fhir-bad-answer", "context.consulted"),
    (_response({"linkId": "client", "item": [{"linkId": "client.current_state", "answer": [
        {"valueCoding": {"code": "stable"}}, {"valueCoding": {"code": "unstable"}}]}]}),
     "fhir-too-many-answers", "client.current_state"),
    (_response({"linkId": "client", "item": [{"linkId": "client.current_state", "answer": [
        {"valueCoding": {"system": "http://snomed.info/sct", "code": "stable"}}]}]}),
     "fhir-bad-answer", "client.current_state"),
    (_response({"linkId": "client", "item": [{"linkId": "client.vulnerabilities", "answer": [
        {"valueCoding": {"code": "none"}}, {"valueCoding": {"code": "grief"}}]}]}),
     "fhir-bad-answer", "client.vulnerabilities"),
])
def test_what_cannot_be_a_case_is_refused_clearly(raw: str, code: str, path: str) -> None:
    with pytest.raises(FhirImportError) as caught:
        import_response(raw, source="qr.json")
    assert caught.value.code == code
    assert caught.value.problems[0].path == path
    assert str(caught.value).startswith("qr.json")


def test_answers_are_checked_by_the_case_loader_too() -> None:
    raw = _response({"linkId": "client", "item": [{"linkId": "client.current_state",
                                                   "answer": [{"valueCoding": {
                                                       "code": "wobbly"}}]}]})
    with pytest.raises(CaseError) as caught:
        import_response(raw, source="qr.json")
    assert caught.value.code == "bad-value"
    assert caught.value.problems[0].path == "client.current_state"
    assert isinstance(caught.value, TightropeError)
