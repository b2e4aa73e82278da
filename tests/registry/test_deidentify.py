"""De-identified export: Safe Harbor identifiers gone, dates shifted per case, no free text."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import pytest

from tests.factories import make_case
from tests.registry.conftest import People
from tightrope import assess
from tightrope.core.case_loading import case_from_data
from tightrope.registry.deidentify import MAX_SHIFT_DAYS, deidentified_export
from tightrope.registry.inputs import ConsentInput, ConsultationInput, SignOffInput
from tightrope.registry.service import Registry

FREE_TEXT = ["met at the lake", "Dr Marlowe", "she told me about her divorce",
             "consent after long talk", "well reasoned", "a note on revision"]


@pytest.fixture
def cases(registry: Registry, people: People) -> list[str]:
    ids = []
    for ref, jurisdiction in (("J.D.", "US-FL"), ("K.L.", "CA-ON")):
        case = make_case(practitioner__profession="counselor",
                         practitioner__jurisdiction=jurisdiction,
                         other__details=FREE_TEXT[0], as_of="2026-06-01")
        case_id = registry.cases.create(people.alice, case, ref, note=FREE_TEXT[5]).case_id
        registry.safeguards.consult(people.alice, case_id, ConsultationInput(
            consultant=FREE_TEXT[1], consultant_role="colleague", consulted_on="2026-06-03",
            advice=FREE_TEXT[2], decision="wait", rationale=FREE_TEXT[4]))
        registry.safeguards.consent(people.alice, case_id, ConsentInput(
            given_on="2026-06-04", method="written", note=FREE_TEXT[3]))
        registry.safeguards.sign_off(people.supervisor, case_id, SignOffInput(
            outcome="approved"))
        ids.append(case_id)
    return ids


def export(registry: Registry, people: People, **options: Any) -> dict[str, Any]:
    return deidentified_export(registry, people.alice, rng=random.Random(7), **options)


def test_no_names_ids_free_text_or_real_dates_remain(registry: Registry, people: People,
                                                     cases: list[str]) -> None:
    document = export(registry, people)
    text = json.dumps(document)
    for identifier in [*cases, "J.D.", "K.L.", "alice", '"sup"', "Dr Sup", *FREE_TEXT,
                       "2026-06-01", "2026-06-03", "2026-06-04", "2023-05-02", "2021-01-10",
                       "CA-ON", "2026-11-26"]:  # the last: when the records were written
        assert identifier not in text, identifier
    assert document["kind"] == "tightrope.cases.deidentified"
    assert document["free_text_included"] is False
    first, second = document["cases"]
    assert first["owner"] == second["owner"] == "clinician-1"
    assert first["sign_offs"][0]["supervisor"] == "supervisor-1"
    assert first["ref"] != second["ref"] and first["ref"].startswith("case-")
    jurisdictions = {c["revisions"][0]["case"]["practitioner"]["jurisdiction"]
                     for c in document["cases"]}
    assert jurisdictions == {"US-FL", "CA"}  # a US state is kept; other regions cut to country


def _offset(case: dict[str, Any]) -> dt.timedelta:
    return dt.date.fromisoformat(case["revisions"][0]["case"]["as_of"]) - dt.date(2026, 6, 1)


def test_dates_shift_together_within_a_case_and_differently_between_cases(
        registry: Registry, people: People, cases: list[str]) -> None:
    document = export(registry, people)
    offsets = [_offset(case) for case in document["cases"]]
    assert offsets[0] != offsets[1]
    for case, offset in zip(document["cases"], offsets, strict=True):
        assert dt.timedelta(days=1) <= abs(offset) <= dt.timedelta(days=MAX_SHIFT_DAYS)
        facts = case["revisions"][0]["case"]["professional"]
        assert dt.date.fromisoformat(facts["ended"]) == dt.date(2023, 5, 2) + offset
        assert dt.date.fromisoformat(facts["started"]) == dt.date(2021, 1, 10) + offset
        assert case["consultations"][0]["consulted_on"] == str(dt.date(2026, 6, 3) + offset)
        assert case["consents"][0]["given_on"] == str(dt.date(2026, 6, 4) + offset)
        result = case["assessments"][0]["result"]
        assert result["until"] == str(dt.date(2028, 5, 2) + offset)  # ACA's five years
        assert case["assessments"][0]["review_due_on"] == result["until"]


def test_a_de_identified_case_still_gets_the_same_verdict(registry: Registry, people: People,
                                                          cases: list[str]) -> None:
    for case in export(registry, people)["cases"]:
        facts = case_from_data(case["revisions"][0]["case"])
        fresh = assess(facts)
        stored = case["assessments"][0]["result"]
        assert fresh.verdict.value == stored["verdict"]
        # Intervals survive; "five years after" may land a day apart across a 29 February.
        gap = fresh.until - dt.date.fromisoformat(stored["until"]) if fresh.until else None
        assert gap is not None and abs(gap) <= dt.timedelta(days=1)


def test_free_text_is_included_only_when_asked(registry: Registry, people: People,
                                               cases: list[str]) -> None:
    document = export(registry, people, include_free_text=True)
    assert document["free_text_included"] is True
    assert "review it before sharing" in document["method"]
    case = document["cases"][0]
    assert case["revisions"][0]["case"]["other"]["details"] == FREE_TEXT[0]
    assert case["consultations"][0]["advice"] == FREE_TEXT[2]


def test_each_de_identified_export_is_audited(registry: Registry, people: People,
                                              cases: list[str]) -> None:
    export(registry, people)
    last = registry.cases.history(people.alice, cases[0])[-1]
    assert (last.action, last.details) == ("case.export", {"deidentified": True,
                                                           "free_text": False})
