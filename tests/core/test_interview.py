"""The guided interview asks only what could still change the verdict, and never stops early."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tightrope.api import builtin_library
from tightrope.core.case_loading import load_case
from tightrope.core.engine import assess_case
from tightrope.core.errors import CaseError
from tightrope.core.interview import (
    REQUIRED,
    InterviewState,
    answers_from_case,
    case_data,
    parse_answer,
    plan_interview,
)
from tightrope.core.questions import QUESTION_BY_FIELD
from tightrope.core.vocabulary import (
    Authority,
    Benefit,
    CurrentState,
    Duration,
    Initiator,
    Intensity,
    OtherKind,
    OtherStatus,
    OtherWith,
    Profession,
    Service,
    Termination,
    Verdict,
    Vulnerability,
)

AS_OF = dt.date(2026, 11, 26)
LIBRARY = builtin_library()
EXAMPLES = sorted((Path(__file__).parents[2] / "src" / "tightrope" / "examples").glob("*.yaml"))
NO_BINDING = {"practitioner.codes": [], "practitioner.jurisdiction": None}


def plan(answers: dict[str, Any], skipped: tuple[str, ...] = ()) -> InterviewState:
    return plan_interview(answers, LIBRARY, AS_OF, skipped=skipped)


def run_interview(full: dict[str, Any], per_step: int = 3) -> tuple[InterviewState, list[str]]:
    """Answer each question from a complete case, as a clinician who knows it would."""
    answers: dict[str, Any] = {}
    skipped: set[str] = set()
    asked: list[str] = []
    for _ in range(40):
        state = plan_interview(answers, LIBRARY, AS_OF, skipped=skipped)
        if state.complete:
            return state, asked
        assert state.asks, "an incomplete interview must have something to ask"
        for ask in state.next(per_step):
            asked.append(ask.field)
            if ask.field == "professional.ended" and "professional.months_since_end" in full:
                answers["professional.months_since_end"] = full["professional.months_since_end"]
                continue
            value = full.get(ask.field)
            if value is None and ask.question.answer == "choices":
                value = []
            if value is None:
                skipped.add(ask.field)
            else:
                answers[ask.field] = value
    raise AssertionError("the interview did not finish in 40 steps")


def test_an_empty_interview_asks_the_three_required_questions_first() -> None:
    state = plan({})
    assert [ask.field for ask in state.asks] == list(REQUIRED)
    assert all(ask.reason == "required" for ask in state.asks)
    assert state.case is None and state.assessment is None and not state.complete


def test_once_required_are_answered_it_asks_which_codes_and_state_bind_you() -> None:
    state = plan({"practitioner.profession": "counselor", "professional.status": "former",
                  "other.kind": "romantic_sexual"})
    assert state.assessment is not None  # a live verdict already
    fields = [ask.field for ask in state.next()]
    assert fields[:2] == ["practitioner.codes", "practitioner.jurisdiction"]
    assert "US-FL" in state.asks[1].because


def test_a_rule_that_depends_on_unknown_facts_asks_for_them_and_names_the_rule() -> None:
    state = plan({"practitioner.profession": "counselor", "professional.status": "former",
                  "other.kind": "romantic_sexual", **NO_BINDING})
    by_field = {ask.field: ask for ask in state.asks}
    assert {"other.with", "other.status"} <= set(by_field)
    assert "ACA A.5.c" in by_field["other.with"].rules
    assert "ACA A.5.c" in by_field["other.with"].because


def test_the_end_date_is_asked_once_the_rule_needs_it_and_decides_prohibited() -> None:
    answers = {"practitioner.profession": "counselor", "professional.status": "former",
               "other.kind": "romantic_sexual", "other.with": "client", "other.status": "proposed",
               "professional.service": "counseling", **NO_BINDING}
    state = plan(answers)
    assert state.asks[0].field == "professional.ended"
    assert state.asks[0].reach >= 1
    done = plan({**answers, "professional.ended": "2025-01-01"})
    assert done.assessment is not None and done.assessment.verdict is Verdict.prohibited
    assert "professional.ended" not in {ask.field for ask in done.asks}


def test_approximate_months_answer_the_end_date_question() -> None:
    answers = {"practitioner.profession": "counselor", "professional.status": "former",
               "other.kind": "romantic_sexual", "other.with": "client", "other.status": "proposed",
               "professional.service": "counseling", "professional.months_since_end": 12.0,
               **NO_BINDING}
    assert "professional.ended" not in {ask.field for ask in plan(answers).asks}


def test_a_certain_prohibition_with_no_end_asks_nothing_more() -> None:
    state = plan({"practitioner.profession": "marriage_family_therapist",
                  "professional.status": "former", "other.kind": "romantic_sexual",
                  "other.with": "client", "other.status": "proposed",
                  "professional.service": "psychotherapy", **NO_BINDING})
    assert state.assessment is not None and state.assessment.verdict is Verdict.prohibited
    assert state.complete and state.asks == ()


def test_facts_that_cannot_matter_are_never_asked() -> None:
    state = plan({"practitioner.profession": "psychologist", "professional.status": "current",
                  "other.kind": "incidental_contact", **NO_BINDING})
    assert state.assessment is not None and state.assessment.verdict is Verdict.acceptable
    assert state.complete
    # Free-text details never change a verdict, so the interview never asks for them.
    romance = plan({"practitioner.profession": "counselor", "professional.status": "former",
                    "other.kind": "romantic_sexual", **NO_BINDING})
    assert "other.details" not in {ask.field for ask in romance.asks}


def test_a_current_client_is_never_asked_when_services_ended() -> None:
    state = plan({"practitioner.profession": "psychologist", "professional.status": "current",
                  "other.kind": "friendship", **NO_BINDING})
    fields = {ask.field for ask in state.asks}
    assert fields and not fields & {"professional.ended", "professional.started"}


def test_skipped_questions_are_not_asked_again_and_stay_unknown() -> None:
    base = {"practitioner.profession": "psychologist", "professional.status": "former",
            "other.kind": "friendship", **NO_BINDING}
    first = plan(base).asks[0].field
    again = plan(base, skipped=(first,))
    assert first not in {ask.field for ask in again.asks}
    assert first in again.skipped and again.case is not None
    # None as an answer means the same: "I don't know".
    assert first in plan({**base, first: None}).skipped


def test_questions_are_ordered_by_how_far_the_verdict_could_move() -> None:
    state = plan({"practitioner.profession": "psychologist", "professional.status": "former",
                  "other.kind": "friendship", **NO_BINDING})
    reaches = [ask.reach for ask in state.asks]
    assert reaches == sorted(reaches, reverse=True)
    assert all(ask.reach >= 1 for ask in state.asks)
    assert all(ask.because and ask.question.why for ask in state.asks)


def test_a_wrong_answer_comes_back_as_a_problem_on_its_field() -> None:
    state = plan({"practitioner.profession": "wizard", "professional.status": "former",
                  "other.kind": "friendship"})
    assert state.case is None
    assert [p.path for p in state.problems] == ["practitioner.profession"]
    assert "psychologist" in state.problems[0].hint
    assert state.asks[0].field == "practitioner.profession"


def test_a_date_after_the_assessment_date_is_refused_on_its_field() -> None:
    state = plan({"practitioner.profession": "psychologist", "professional.status": "former",
                  "other.kind": "friendship", "professional.ended": "2030-01-01"})
    assert [p.path for p in state.problems] == ["professional.ended"]


@pytest.mark.parametrize(("field", "raw", "expected"), [
    ("other.client_willing", "yes", True),
    ("other.client_willing", "no", False),
    ("other.client_willing", "", None),
    ("professional.sessions", "12", 12),
    ("other.value_usd", "1,200.50", 1200.5),
    ("client.vulnerabilities", ["grief", "crisis", "grief"], ["crisis", "grief"]),
    ("client.vulnerabilities", [], []),
    ("practitioner.jurisdiction", "us-fl", "US-FL"),
    ("professional.ended", "2024-03-01", "2024-03-01"),
])
def test_parse_answer_reads_form_text(field: str, raw: Any, expected: Any) -> None:
    assert parse_answer(QUESTION_BY_FIELD[field], raw) == expected


@pytest.mark.parametrize(("field", "raw"), [
    ("other.client_willing", "maybe"), ("professional.sessions", "a dozen"),
    ("other.value_usd", "nan"),
])
def test_parse_answer_refuses_nonsense_naming_the_field(field: str, raw: str) -> None:
    with pytest.raises(CaseError) as caught:
        parse_answer(QUESTION_BY_FIELD[field], raw)
    assert caught.value.problems[0].path == field


def test_case_data_and_answers_from_case_round_trip() -> None:
    case = load_case(EXAMPLES[0])
    answers = answers_from_case(case)
    data = case_data(answers)
    assert data["format"] == 1
    assert data["practitioner"] == case.dump()["practitioner"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_interview_reaches_the_full_cases_verdict(path: Path) -> None:
    case = load_case(path)
    full = answers_from_case(case)
    state, asked = run_interview(full)
    expected = assess_case(case, LIBRARY, AS_OF)
    assert state.assessment is not None
    assert (state.assessment.verdict, state.assessment.until) == (expected.verdict, expected.until)
    assert len(set(asked)) == len(asked), "a question was asked twice"


def _values(enum: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


@st.composite
def full_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Complete answers: the clinician knows every fact."""
    status = draw(st.sampled_from(["current", "former", "prospective"]))
    answers: dict[str, Any] = {
        "practitioner.profession": draw(_values(Profession)),
        "practitioner.codes": [], "practitioner.jurisdiction": None,
        "professional.status": status,
        "professional.service": draw(_values(Service)),
        "professional.sessions": draw(st.integers(1, 200)),
        "professional.intensity": draw(_values(Intensity)),
        "client.minor": draw(st.booleans()),
        "client.vulnerabilities": sorted(set(draw(st.lists(_values(Vulnerability),
                                                           max_size=3)))),
        "client.current_state": draw(_values(CurrentState)),
        "other.kind": draw(_values(OtherKind)),
        "other.with": draw(_values(OtherWith)),
        "other.status": draw(_values(OtherStatus)),
        "other.initiated_by": draw(_values(Initiator)),
        "other.client_willing": draw(st.booleans()),
        "other.avoidable": draw(st.booleans()),
        "other.authority": draw(_values(Authority)),
        "other.duration": draw(_values(Duration)),
        "other.value_usd": float(draw(st.integers(0, 2000))),
        "other.cash": draw(st.booleans()),
        "other.benefit_to_client": draw(_values(Benefit)),
        "context.small_community": draw(st.booleans()),
        "context.consulted": draw(st.booleans()),
        "context.informed_consent": draw(st.booleans()),
    }
    if status == "former":
        answers["professional.ended"] = draw(st.dates(dt.date(2005, 1, 1), AS_OF)).isoformat()
        answers["professional.termination"] = draw(_values(Termination))
        answers["professional.may_return"] = draw(st.booleans())
        answers["professional.future_relationship_discussed"] = draw(st.booleans())
    if draw(st.booleans()):
        answers["practitioner.jurisdiction"] = draw(st.sampled_from(LIBRARY.jurisdictions()))
    return answers


@settings(max_examples=120)
@given(full_cases())
def test_the_interview_never_stops_while_an_answer_could_change_the_verdict(
        full: dict[str, Any]) -> None:
    """Finish the interview answering truthfully; the verdict must be the full case's."""
    state, asked = run_interview(full)
    complete = plan_interview(full, LIBRARY, AS_OF)
    assert complete.assessment is not None and state.assessment is not None
    assert state.assessment.verdict is complete.assessment.verdict, (full, asked)
    assert state.assessment.until == complete.assessment.until
    assert len(asked) <= len(full)
