"""Keeping cases: every revision and assessment kept, stored results never re-run."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest

from tests.backends import NOW
from tests.factories import make_case
from tightrope.core.errors import CaseError
from tightrope.core.library import PackLibrary
from tightrope.core.vocabulary import Verdict
from tightrope.registry.actors import Actor
from tightrope.registry.cases import pack_changes
from tightrope.registry.errors import RegistryError
from tightrope.registry.service import Registry
from tightrope.registry.vocabulary import CaseStatus, ReviewReason

COUNSELOR = {"practitioner__profession": "counselor"}  # ACA: five years after therapy ends


def newer_packs() -> PackLibrary:
    """The built-in packs with APA re-issued as 2017.1.0 and one rationale reworded."""
    root = resources.files("tightrope").joinpath("rulepacks")
    texts = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml") and not entry.name.endswith(".scenarios.yaml"):
            content = entry.read_text()
            if entry.name == "apa-2017.yaml":
                content = content.replace("version: 2017.0.0", "version: 2017.1.0").replace(
                    "is forbidden without exception.", "is forbidden, always.")
            texts.append((entry.name, content))
    return PackLibrary.from_texts(texts)


def test_a_kept_case_holds_its_facts_assessment_pins_and_review_date(
        registry: Registry, clinician: Actor) -> None:
    outcome = registry.cases.create(clinician, make_case(**COUNSELOR), "J.D.", note="asked")
    assessment = outcome.assessment
    assert (assessment.verdict, assessment.until) == (Verdict.prohibited, dt.date(2028, 5, 2))
    assert [(p.id, p.version) for p in assessment.packs] == [("aca", "2014.0.0")]
    assert len(assessment.packs[0].sha256) == 64 and assessment.engine_version
    assert (assessment.review_due_on, assessment.review_reason) == (
        dt.date(2028, 5, 2), ReviewReason.waiting_period_ends)
    detail = registry.cases.show(clinician, outcome.case_id)
    assert detail.summary.client_ref == "J.D."
    assert detail.summary.created_at == NOW and detail.summary.owner == "alice"
    assert detail.revisions[0].case == make_case(**COUNSELOR)
    assert detail.revisions[0].note == "asked"
    assert detail.assessments[0].result.verdict is Verdict.prohibited


def test_reassessing_adds_an_assessment_and_a_revision_only_when_facts_change(
        registry: Registry, clinician: Actor) -> None:
    case_id = registry.cases.create(clinician, make_case(**COUNSELOR), "J.D.").case_id
    same = registry.cases.reassess(clinician, case_id)
    assert not same.new_revision and same.assessment.number == 2
    assert same.assessment.revision == 1 and same.previous_verdict is Verdict.prohibited
    again = registry.cases.reassess(clinician, case_id, case=make_case(**COUNSELOR))
    assert not again.new_revision  # identical facts are not a new revision
    changed = registry.cases.reassess(clinician, case_id, note="she is now a colleague",
                                      case=make_case(**COUNSELOR, other__kind="collegial"))
    assert changed.new_revision and changed.assessment.revision == 2
    detail = registry.cases.show(clinician, case_id)
    assert [r.number for r in detail.revisions] == [1, 2]
    assert [a.number for a in detail.assessments] == [1, 2, 3, 4]
    assert detail.revisions[0].case.other.kind.value == "romantic_sexual"  # kept as it was
    assert detail.summary.latest_verdict is changed.assessment.verdict
    history = registry.cases.history(clinician, case_id)
    assert [e.action for e in history] == ["case.create", "case.reassess", "case.reassess",
                                           "case.revise", "case.view"]
    assert all(e.actor == "alice" for e in history)
    assert history[3].details["assessment"] == 4


def test_reassessing_uses_today_not_the_date_stored_in_the_case(
        registry: Registry, clinician: Actor) -> None:
    early = make_case(as_of="2024-01-01")  # APA's two years not yet passed then
    outcome = registry.cases.create(clinician, early, "J.D.")
    assert outcome.assessment.verdict is Verdict.prohibited
    assert outcome.assessment.review_due_on == dt.date(2025, 5, 2)
    later = registry.cases.reassess(clinician, outcome.case_id)
    assert later.assessment.as_of == NOW.date()
    assert later.assessment.verdict is Verdict.avoid  # lapse is not permission
    assert later.previous_verdict is Verdict.prohibited


def test_an_old_assessment_is_shown_as_stored_even_after_the_packs_change(
        registry: Registry, clinician: Actor) -> None:
    case = make_case(professional__status="current", professional__ended=...)
    case_id = registry.cases.create(clinician, case, "J.D.").case_id
    first = registry.cases.show(clinician, case_id).assessments[0]
    upgraded = Registry(registry.store, clock=registry.clock, library=newer_packs)
    outcome = upgraded.cases.reassess(clinician, case_id)
    assert outcome.pack_changes == ("apa 2017.0.0 -> 2017.1.0",)
    detail = upgraded.cases.show(clinician, case_id)
    assert detail.assessments[0] == first  # never silently re-run
    assert detail.assessments[0].packs[0].version == "2017.0.0"
    assert detail.assessments[1].packs[0].version == "2017.1.0"
    assert detail.assessments[0].packs[0].sha256 != detail.assessments[1].packs[0].sha256


def test_pack_changes_name_versions_content_and_coverage() -> None:
    old = [{"id": "apa", "version": "1", "sha256": "a"}, {"id": "aca", "version": "1",
                                                          "sha256": "b"}]
    new = [{"id": "apa", "version": "1", "sha256": "c"}, {"id": "us-fl", "version": "2",
                                                          "sha256": "d"}]
    assert pack_changes(old, new) == ("aca 1 no longer applies",
                                      "apa 1 changed content (sha256 differs)",
                                      "us-fl 2 now applies")


def test_cases_due_for_reassessment_are_found_soonest_first(
        registry: Registry, clinician: Actor) -> None:
    community = make_case(other__kind="community_overlap", other__status="ongoing",
                          other__avoidable=False, professional__status="current",
                          professional__ended=...)
    waiting = registry.cases.create(clinician, make_case(**COUNSELOR), "W1").case_id
    ongoing = registry.cases.create(clinician, community, "O1").case_id
    registry.cases.create(clinician, make_case(other__kind="friendship"), "N1")  # none due
    assert [c.id for c in registry.cases.find(clinician, due_by=NOW.date())] == []
    in_100_days = NOW.date() + dt.timedelta(days=100)
    assert [c.id for c in registry.cases.find(clinician, due_by=in_100_days)] == [ongoing]
    assert [c.id for c in registry.cases.find(clinician, due_by=dt.date(2030, 1, 1))] == \
        [ongoing, waiting]
    assert len(registry.cases.find(clinician)) == 3
    registry.cases.close(clinician, ongoing)
    assert [c.id for c in registry.cases.find(clinician, due_by=dt.date(2030, 1, 1))] == \
        [waiting]
    assert [c.id for c in registry.cases.find(clinician, status=CaseStatus.closed)] == \
        [ongoing]
    reopened = registry.cases.reopen(clinician, ongoing)
    assert reopened.review_due_on == NOW.date() + dt.timedelta(days=90)


def test_a_closed_case_must_be_reopened_before_it_is_reassessed(
        registry: Registry, clinician: Actor) -> None:
    case_id = registry.cases.create(clinician, make_case(), "J.D.").case_id
    registry.cases.close(clinician, case_id)
    with pytest.raises(RegistryError) as caught:
        registry.cases.reassess(clinician, case_id)
    assert caught.value.code == "case-closed"
    assert f"tightrope cases reopen {case_id}" in str(caught.value)
    with pytest.raises(RegistryError) as caught:
        registry.cases.close(clinician, case_id)
    assert caught.value.code == "case-already-closed"


def test_facts_dated_after_the_assessment_date_are_refused_by_field(
        registry: Registry, clinician: Actor) -> None:
    with pytest.raises(CaseError) as caught:
        registry.cases.create(clinician, make_case(as_of=...), "J.D.",
                              as_of=dt.date(2022, 1, 1))
    assert caught.value.code == "bad-date"
    assert caught.value.problems[0].path == "professional.ended"
    assert registry.cases.find(clinician) == []
