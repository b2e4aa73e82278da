"""Consultation, consent and sign-off on record; bad input named by field."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_case
from tests.registry.conftest import People
from tightrope.registry.errors import RegistryError
from tightrope.registry.inputs import (
    ConsentInput,
    ConsultationInput,
    SignOffInput,
    parse_input,
)
from tightrope.registry.service import Registry
from tightrope.registry.vocabulary import Decision, SignOffOutcome


def test_the_record_a_board_asks_for_is_all_there(registry: Registry, people: People) -> None:
    case_id = registry.cases.create(people.alice, make_case(), "J.D.").case_id
    registry.safeguards.consult(people.alice, case_id, parse_input(ConsultationInput, {
        "consultant": "ethics line", "consultant_role": "ethics_consultation_service",
        "consulted_on": "2026-11-24", "advice": "decline; the power differential remains",
        "decision": "decline", "rationale": "intense long therapy"}, what="consultation"))
    registry.safeguards.consult(people.supervisor, case_id, ConsultationInput(
        consultant="Dr Sup", consultant_role="supervisor", consulted_on=dt.date(2026, 11, 25),
        advice="agree with declining"))
    registry.safeguards.consent(people.alice, case_id, ConsentInput(
        given_on=dt.date(2026, 11, 25), method="written", note="referral discussed"))
    registry.cases.reassess(people.alice, case_id)
    registry.safeguards.sign_off(people.supervisor, case_id, SignOffInput(
        outcome="changes_requested", assessment=1, comment="add the termination details"))
    registry.safeguards.sign_off(people.supervisor, case_id, SignOffInput(outcome="approved"))

    detail = registry.cases.show(people.alice, case_id)
    first, second = detail.consultations
    assert (first.recorded_by, first.consultant, first.decision, first.rationale) == (
        "alice", "ethics line", Decision.decline, "intense long therapy")
    assert (second.recorded_by, second.decision) == ("sup", None)
    assert detail.consents[0].note == "referral discussed"
    assert [(s.assessment, s.outcome, s.supervisor) for s in detail.sign_offs] == [
        (1, SignOffOutcome.changes_requested, "sup"), (2, SignOffOutcome.approved, "sup")]
    actions = [e.action for e in registry.cases.history(people.alice, case_id)]
    assert actions == ["case.create", "consultation.record", "consultation.record",
                       "consent.record", "case.reassess", "case.sign_off", "case.sign_off",
                       "case.view"]


def test_signing_off_an_assessment_that_does_not_exist_says_which_exist(
        registry: Registry, people: People) -> None:
    case_id = registry.cases.create(people.alice, make_case(), "J.D.").case_id
    with pytest.raises(RegistryError) as caught:
        registry.safeguards.sign_off(people.supervisor, case_id,
                                     SignOffInput(outcome="approved", assessment=3))
    assert caught.value.code == "assessment-not-found"
    assert "numbered 1 to 1" in str(caught.value)


def test_bad_input_names_the_field_and_the_allowed_values() -> None:
    with pytest.raises(RegistryError) as caught:
        parse_input(ConsultationInput, {"consultant": "x", "consultant_role": "friend",
                                        "consulted_on": "2026-13-01", "advice": " ",
                                        "decision": "maybe", "extra": 1}, what="consultation")
    error = caught.value
    assert error.code == "invalid-input"
    paths = {p.path: p for p in error.problems}
    assert set(paths) == {"consultant_role", "consulted_on", "advice", "decision", "extra"}
    assert "allowed: 'supervisor', 'colleague'" in paths["consultant_role"].hint
    assert "proceed_with_safeguards" in paths["decision"].hint
    assert str(error).startswith("consultation: ")
