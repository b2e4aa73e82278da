"""Questions come from the engine's output: the right answer and every distractor."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from tightrope.core.assessment import Assessment
from tightrope.core.dates import add_years
from tightrope.core.errors import TightropeError
from tightrope.core.vocabulary import Action, FactorRole, Verdict
from tightrope.practice.bank import Bank, Vignette
from tightrope.practice.neighbours import RuleRef, neighbouring_rules
from tightrope.practice.questions import (
    Question,
    format_date,
    generate_question,
    generate_questions,
    grade,
)
from tightrope.practice.verification import assess_vignette
from tightrope.practice.vocabulary import QuestionKind

BANK = Bank.builtin()
SEEDS = (1, 2, 99)


@cache
def material(vignette_id: str) -> tuple[Vignette, Assessment, tuple[RuleRef, ...]]:
    from tightrope.api import builtin_library

    library = builtin_library()
    vignette = BANK.get(vignette_id)
    return (vignette, assess_vignette(vignette, library),
            neighbouring_rules(vignette.case, vignette.as_of, library))


def all_questions(seed: int) -> list[tuple[Question, Assessment, tuple[RuleRef, ...]]]:
    found = []
    for vignette in BANK.vignettes:
        _, assessment, neighbours = material(vignette.id)
        for question in generate_questions(vignette, assessment, neighbours, seed=seed):
            found.append((question, assessment, neighbours))
    return found


def test_every_kind_is_generated_for_a_vignette_that_supports_them_all() -> None:
    vignette, assessment, neighbours = material(
        "psych-former-client-asks-out-after-eighteen-months")
    questions = generate_questions(vignette, assessment, neighbours, seed=1)
    assert [q.kind for q in questions] == list(QuestionKind)


def test_every_kind_appears_across_the_bank_and_each_vignette_has_several() -> None:
    questions = all_questions(1)
    kinds = {q.kind for q, _, _ in questions}
    assert kinds == set(QuestionKind)
    per_vignette: dict[str, int] = {}
    for question, _, _ in questions:
        per_vignette[question.vignette_id] = per_vignette.get(question.vignette_id, 0) + 1
    assert set(per_vignette) == {v.id for v in BANK.vignettes}
    assert min(per_vignette.values()) >= 2
    for kind in QuestionKind:
        assert sum(q.kind is kind for q, _, _ in questions) >= 10, kind


@pytest.mark.parametrize("seed", SEEDS)
def test_one_right_answer_and_distractors_that_never_equal_it(seed: int) -> None:
    for question, _, _ in all_questions(seed):
        texts = [c.text for c in question.choices]
        assert len(texts) == len(set(texts)), question.id
        assert 3 <= len(question.choices) <= 4, question.id
        assert [c.key for c in question.choices] == list("ABCD"[:len(question.choices)])
        right = [c for c in question.choices if c.source.startswith("engine:")]
        assert len(right) == 1 and right[0].key == question.answer, question.id


def _from_the_engine(source: str, question: Question, assessment: Assessment,
                     neighbours: tuple[RuleRef, ...]) -> bool:
    """Is this option's origin really in the engine's output for this vignette?"""
    kind, _, detail = source.partition(":")
    factors = {f.name: f for f in assessment.factors}
    findings = {f.rule: f for f in assessment.findings}
    if source == "verdict:other":
        return True  # checked below: a different verdict
    if source == "irrelevant:caseload":
        return True  # the seed's irrelevant metric; Case has no field for it
    if kind == "factor":
        factor = factors.get(detail)
        return factor is not None and factor.role is FactorRole.considered_not_decisive
    if kind == "rule":
        if detail == "permanent":
            return any(n.is_permanent_ban and not n.binds for n in neighbours)
        if detail == "no-period":
            return any(n.effect == "permitted_only_if" and n.years is None and not n.binds
                       for n in neighbours)
        if detail.startswith("period-"):
            return any(n.years == int(detail.removeprefix("period-")) for n in neighbours)
        return detail in findings or any(n.rule == detail for n in neighbours)
    if kind == "action":
        return Action(detail) not in assessment.actions
    if kind == "what_if":
        return any(w.change == detail and not w.changes_verdict for w in assessment.what_ifs)
    if kind == "misreading":
        return findings.get(detail) is not None and findings[detail].effect == "lapsed"
    return False


@pytest.mark.parametrize("seed", SEEDS)
def test_distractors_come_from_the_engines_output(seed: int) -> None:
    for question, assessment, neighbours in all_questions(seed):
        for choice in question.choices:
            if choice.key == question.answer:
                continue
            assert _from_the_engine(choice.source, question, assessment, neighbours), (
                question.id, choice.source)
            if choice.source == "verdict:other":
                assert not choice.text.startswith(
                    {Verdict.prohibited: "Prohibited", Verdict.avoid: "Avoid",
                     Verdict.proceed_with_safeguards: "Proceed",
                     Verdict.acceptable: "Acceptable"}[assessment.verdict])


@pytest.mark.parametrize("seed", SEEDS)
def test_the_right_answer_is_read_from_the_assessment(seed: int) -> None:
    for question, assessment, _ in all_questions(seed):
        right = question.correct_choice
        kind, _, detail = right.source.removeprefix("engine:").partition(":")
        if question.kind is QuestionKind.verdict:
            assert right.source == "engine:verdict"
        elif question.kind is QuestionKind.governing_rule:
            assert assessment.governing is not None
            assert detail == assessment.governing.rule
        elif question.kind is QuestionKind.next_step:
            assert Action(detail) in assessment.actions
        elif question.kind is QuestionKind.what_would_change:
            if kind == "what_if":
                assert any(w.change == detail and w.verdict is not assessment.verdict
                           for w in assessment.what_ifs)
            else:
                assert any(u.fact == detail for u in assessment.unknowns)
        elif question.kind is QuestionKind.waiting_period:
            if right.source == "engine:until":
                assert assessment.until is not None
                assert right.text == f"Until {format_date(assessment.until)}"
            elif right.source == "engine:until-none":
                assert assessment.verdict is Verdict.prohibited and assessment.until is None
            else:
                assert kind == "lapsed" and assessment.verdict is not Verdict.prohibited
        else:
            factor = next(f for f in assessment.factors if f.name == "power_differential")
            assert factor.role is not FactorRole.considered_not_decisive


def test_the_power_question_sets_power_against_willingness_length_and_caseload() -> None:
    vignette, assessment, neighbours = material("psych-romance-three-years-after-intense-therapy")
    question = generate_question(vignette, assessment, neighbours,
                                 QuestionKind.primary_consideration, seed=5)
    assert question is not None
    assert question.correct_choice.text.startswith("The power the psychologist held")
    sources = {c.source for c in question.choices if c.key != question.answer}
    assert sources == {"factor:client_willingness", "factor:length_of_therapy",
                       "irrelevant:caseload"}
    assert any("not free consent" in point for point in question.feedback.points)


def test_waiting_period_distractors_are_the_periods_of_neighbouring_codes() -> None:
    vignette, assessment, neighbours = material(
        "psych-former-client-asks-out-after-eighteen-months")
    question = generate_question(vignette, assessment, neighbours,
                                 QuestionKind.waiting_period, seed=3)
    assert question is not None
    ended = vignette.case.professional.ended
    assert ended is not None
    texts = {c.text for c in question.choices}
    assert f"Until {format_date(add_years(ended, 2))}" in texts  # APA 10.08(a): the answer
    assert f"Until {format_date(add_years(ended, 5))}" in texts  # ACA A.5.c, not binding
    assert "It never lapses: the ban has no end date" in texts  # AAMFT 1.5


def test_a_lapsed_period_is_not_a_permission() -> None:
    vignette, assessment, neighbours = material("psych-romance-three-years-after-intense-therapy")
    question = generate_question(vignette, assessment, neighbours,
                                 QuestionKind.waiting_period, seed=3)
    assert question is not None
    assert "not a permission" in question.correct_choice.text
    assert any(c.source.startswith("misreading:") and "now permitted" in c.text
               for c in question.choices)


def test_governing_distractors_exclude_rules_that_govern_equally() -> None:
    """In California APA 10.08(a), B&P 2960(o) and Civil Code 43.93 all forbid it for two
    years; only the first is the answer, so the other two may not appear as wrong answers."""
    vignette, assessment, neighbours = material("psych-california-former-client-twenty-months")
    for seed in SEEDS:
        question = generate_question(vignette, assessment, neighbours,
                                     QuestionKind.governing_rule, seed=seed)
        assert question is not None
        labels = [c.text.split(":")[0] for c in question.choices]
        assert "US-CA B&P 2960(o)" not in labels and "US-CA Civil Code 43.93" not in labels


def test_feedback_cites_code_section_and_edition() -> None:
    for question, assessment, _ in all_questions(1):
        assert question.feedback.citations or "Gottlieb 1993" in question.feedback.basis
        if assessment.governing is None:
            continue
        first = question.feedback.citations[0]
        assert (first.code, first.section) == (assessment.governing.code,
                                               assessment.governing.section)
        assert first.edition and first.url.startswith("http")
        assert question.feedback.why and question.feedback.reason


def test_questions_are_deterministic_for_a_seed_and_vary_between_seeds() -> None:
    vignette, assessment, neighbours = material("counselor-former-client-three-years-on")
    one = generate_questions(vignette, assessment, neighbours, seed=11)
    assert one == generate_questions(vignette, assessment, neighbours, seed=11)
    orders = {tuple(c.text for c in q.choices)
              for seed in range(12)
              for q in generate_questions(vignette, assessment, neighbours, seed=seed)
              if q.kind is QuestionKind.next_step}
    assert len(orders) > 1


def test_grading_right_wrong_and_refused() -> None:
    vignette, assessment, neighbours = material("counselor-client-friend-request")
    question = generate_question(vignette, assessment, neighbours, QuestionKind.verdict, seed=1)
    assert question is not None
    right = grade(question, question.answer.lower())
    assert right.correct and right.answer_text.startswith("Prohibited")
    wrong_key = next(c.key for c in question.choices if c.key != question.answer)
    wrong = grade(question, wrong_key)
    assert not wrong.correct and wrong.chosen == wrong_key and wrong.answer == question.answer
    assert wrong.feedback.citations[0].section == "A.5.e"
    with pytest.raises(TightropeError) as caught:
        grade(question, "Z")
    assert caught.value.code == "bad-answer"


def test_questions_show_the_setting_and_date() -> None:
    vignette, assessment, neighbours = material("sw-ohio-former-client-three-years")
    question = generate_question(vignette, assessment, neighbours, QuestionKind.verdict, seed=1)
    assert question is not None
    assert question.setting == ("A social worker in Ohio (US-OH), bound by NASW and Ohio "
                                "(US-OH) law. The date is 30 August 2026.")
    assert question.as_of == dt.date(2026, 8, 30)
    assert question.code == "US-OH"
