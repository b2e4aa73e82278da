"""The vignette bank: it loads strictly, it covers what the issue asks, and every vignette
is a regression test whose expected answer must match the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.core.errors import TightropeError
from tightrope.core.library import PackLibrary
from tightrope.core.vocabulary import PROFESSION_CODES, OtherKind, Profession, Verdict
from tightrope.practice.bank import Bank, count_sentences, load_vignette_file
from tightrope.practice.verification import assess_vignette, check_bank, compare
from tightrope.practice.vocabulary import Exam, Topic

HERE = Path(__file__).parent
BUILTIN = Bank.builtin()


@pytest.mark.parametrize("vignette", BUILTIN.vignettes, ids=lambda v: v.id)
def test_expected_answer_matches_the_engine(vignette, library: PackLibrary) -> None:
    """The regression test: verdict, end date and governing rule, pinned per vignette."""
    assessment = assess_vignette(vignette, library)
    governing = assessment.governing.rule if assessment.governing else None
    assert (assessment.verdict, assessment.until, governing) == (
        vignette.expected.verdict, vignette.expected.until, vignette.expected.governing), (
        f"{vignette.id} ({vignette.source}): the engine now says {assessment.verdict.value} "
        f"until {assessment.until} governed by {governing}. Do not bend the vignette: check "
        f"the codes and models, then fix the pack, the engine or the expectation.")


def test_check_bank_reports_every_vignette_as_passing(bank: Bank, library: PackLibrary) -> None:
    results = check_bank(bank, library)
    assert len(results) == len(bank.vignettes)
    assert [r.vignette.id for r in results if not r.passed] == []


def test_a_wrong_expectation_is_reported_with_what_differs(bank: Bank,
                                                           library: PackLibrary) -> None:
    vignette = bank.get("counselor-former-client-three-years-on")
    wrong = vignette.model_copy(update={"expected": vignette.expected.model_copy(
        update={"verdict": Verdict.avoid, "until": None,
                "governing": "no-such-rule-anywhere"})})
    known = frozenset(rule.id for pack in library.packs for rule in pack.rules)
    result = compare(wrong, assess_vignette(vignette, library), known)
    assert not result.passed
    assert "verdict is prohibited, expected avoid" in result.failures
    assert "until is 2028-10-15, expected none" in result.failures
    assert any("no pack defines" in failure for failure in result.failures)


# ------------------------------------------------------------------ coverage


def test_the_bank_has_at_least_eighty_original_vignettes(bank: Bank) -> None:
    assert len(bank.vignettes) >= 80
    assert len({v.id for v in bank.vignettes}) == len(bank.vignettes)
    assert len({v.narrative for v in bank.vignettes}) == len(bank.vignettes)


def test_every_profession_is_covered(bank: Bank) -> None:
    covered = {v.profession for v in bank.vignettes}
    assert covered == set(Profession) - {Profession.other}


def test_every_code_and_state_overlay_binds_some_vignette(bank: Bank,
                                                          library: PackLibrary) -> None:
    bound: set[str] = set()
    for vignette in bank.vignettes:
        bound |= {b.pack.header.code for b in library.bindings(vignette.case, vignette.as_of)}
    codes = {code.value for codes in PROFESSION_CODES.values() for code in codes}
    overlays = {f"US-{state}" for state in ("CA", "TX", "OH", "FL")}
    assert codes | overlays <= bound


def test_every_kind_of_other_relationship_is_covered(bank: Bank) -> None:
    assert {v.case.other.kind for v in bank.vignettes} == set(OtherKind)


def test_every_verdict_has_several_vignettes(bank: Bank) -> None:
    for verdict in Verdict:
        assert sum(v.expected.verdict is verdict for v in bank.vignettes) >= 5, verdict


def test_current_former_and_prospective_clients_appear(bank: Bank) -> None:
    statuses = [v.case.professional.status.value for v in bank.vignettes]
    assert {"current", "former", "prospective"} <= set(statuses)
    assert statuses.count("prospective") >= 3


def test_small_communities_gifts_and_bartering_are_covered(bank: Bank) -> None:
    small = [v for v in bank.vignettes if v.case.context.small_community]
    assert len(small) >= 5
    gifts = [v for v in bank.vignettes if v.case.other.kind is OtherKind.gift]
    # BACB's ten-dollar cap and Texas's fifty-dollar cap, on both sides of the Texas cap.
    assert any(v.profession is Profession.behavior_analyst for v in gifts)
    assert any(v.profession is Profession.behavior_technician for v in gifts)
    texas = [v for v in gifts if v.case.practitioner.jurisdiction == "US-TX"]
    assert {v.expected.verdict for v in texas} == {Verdict.prohibited, Verdict.acceptable}
    barter = [v for v in bank.vignettes if v.case.other.kind is OtherKind.bartering]
    assert {v.expected.verdict for v in barter} >= {Verdict.avoid,
                                                    Verdict.proceed_with_safeguards}


def test_every_exam_and_topic_has_vignettes(bank: Bank) -> None:
    for exam in Exam:
        assert len(bank.select(exam=exam)) >= 5, exam
    counts = bank.topic_counts()
    assert all(counts[topic] >= 1 for topic in Topic), counts


def test_every_expectation_says_why_in_words_that_cite(bank: Bank) -> None:
    """Each reason names a code section, a law or a model, so the feedback can teach it."""
    markers = ("APA", "ACA", "NASW", "AAMFT", "CRCC", "BACB", "RBT", "AMA", "annotation",
               "Annotation", "TAC", "B&P", "Civil Code", "OAC", "64B4", "491.0112",
               "Gottlieb", "Kitchener", "Zur", "Younggren", "Texas", "Florida", "Ohio",
               "California")
    missing = [v.id for v in bank.vignettes if not any(m in v.expected.why for m in markers)]
    assert missing == []


# ------------------------------------------------------------------ the loader


def test_a_valid_file_loads() -> None:
    (vignette,) = load_vignette_file((HERE / "valid-example.yaml").read_bytes(),
                                     source="valid-example.yaml")
    assert vignette.id == "broken-example"
    assert vignette.profession is Profession.psychologist
    assert vignette.topics == (Topic.incidental_contact,)


@pytest.mark.parametrize(("name", "code", "problem", "path", "line", "message"), [
    ("bad-case", "bad-vignette", "bad-value", "vignettes[0].case.other.kind", 15,
     "'chance_meeting' is not allowed"),
    ("bad-governing", "bad-vignette", "inconsistent", "vignettes[0].expected.governing", 18,
     "is not a rule id"),
    ("bad-id", "bad-vignette", "inconsistent", "vignettes[0].id", 3, "must be kebab-case"),
    ("duplicate-key", "duplicate-key", "duplicate-key", "", 5, "appears twice"),
    ("missing-as-of", "bad-vignette", "bad-vignette", "vignettes[0].case", 10, "needs as_of"),
    ("one-sentence", "bad-vignette", "inconsistent", "vignettes[0].narrative", 5,
     "2 to 5 sentences"),
    ("unknown-field", "bad-vignette", "unknown-field", "vignettes[0].difficulty", 8,
     "unknown field 'difficulty'"),
    ("unknown-topic", "bad-vignette", "bad-value", "vignettes[0].topics[0]", 8,
     "'chance-meetings' is not allowed"),
    ("until-without-prohibition", "bad-vignette", "bad-vignette",
     "vignettes[0].expected.until", 18, "only for a prohibition"),
    ("wrong-profession", "bad-vignette", "bad-vignette",
     "vignettes[0].case.practitioner.profession", 12, "this file holds 'psychologist'"),
    ("yaml-alias", "yaml-alias", "yaml-alias", "", 7, "aliases"),
])
def test_each_broken_file_is_refused_with_its_code_path_and_line(
        name: str, code: str, problem: str, path: str, line: int, message: str) -> None:
    source = f"{name}.yaml"
    with pytest.raises(TightropeError) as caught:
        load_vignette_file((HERE / "broken" / source).read_bytes(), source=source)
    error = caught.value
    assert error.code == code
    assert [(p.code, p.path, p.line) for p in error.problems] == [(problem, path, line)]
    assert message in str(error)
    assert str(error).startswith(f"{source}:{line}")


def test_duplicate_ids_across_files_are_refused() -> None:
    text = (HERE / "valid-example.yaml").read_bytes()
    with pytest.raises(TightropeError) as caught:
        Bank.from_texts([("one.yaml", text), ("two.yaml", text)])
    assert caught.value.code == "duplicate-vignette"
    assert "one.yaml and in two.yaml" in str(caught.value)


def test_problems_in_several_files_are_all_reported() -> None:
    broken = HERE / "broken"
    with pytest.raises(TightropeError) as caught:
        Bank.from_texts([(p.name, p.read_bytes()) for p in
                         (broken / "bad-id.yaml", broken / "missing-as-of.yaml")])
    message = str(caught.value)
    assert "bad-id.yaml:3" in message and "missing-as-of.yaml:10" in message


def test_looking_up_an_unknown_vignette_suggests_close_ids(bank: Bank) -> None:
    with pytest.raises(TightropeError) as caught:
        bank.get("supermarket")
    assert caught.value.code == "no-such-vignette"
    assert "psych-client-at-the-supermarket" in str(caught.value)


def test_filters_select_by_topic_exam_and_profession(bank: Bank) -> None:
    gifts = bank.select(topic=Topic.gifts)
    assert gifts and all(Topic.gifts in v.topics for v in gifts)
    nce = bank.select(exam=Exam.NCE, profession=Profession.counselor)
    assert nce and all(v.profession is Profession.counselor for v in nce)


def test_sentence_counting_ignores_titles() -> None:
    assert count_sentences("Dr. Vale met Ms. Ode. They spoke.") == 2
    assert count_sentences("One sentence only, with Dr. Vale in it.") == 1
