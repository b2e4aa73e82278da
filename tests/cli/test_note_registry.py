"""`tightrope note ID`: a stored case, its stored assessment and its record, from the registry."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.backends import (  # noqa: F401 - fixtures
    Backend,
    backend,
    clinician,
    postgres_schema,
    registry,
    sqlite_template,
    store,
)
from tests.factories import make_case
from tightrope.cli.note_sources import note_inputs
from tightrope.core.errors import TightropeError
from tightrope.core.note import build_note, is_unchanged
from tightrope.registry.actors import Actor
from tightrope.registry.inputs import ConsentInput, ConsultationInput
from tightrope.registry.service import Registry

WHEN = "2026-11-27T09:30:00+00:00"


def keep_case(registry: Registry, clinician: Actor) -> str:  # noqa: F811
    case_id = registry.cases.create(clinician, make_case(), "J.D.").case_id
    registry.safeguards.consult(clinician, case_id, ConsultationInput(
        consultant="ethics line", consultant_role="ethics_consultation_service",
        consulted_on=dt.date(2026, 11, 24), advice="decline; the power differential remains",
        decision="decline", rationale="intense, long therapy"))
    registry.safeguards.consent(clinician, case_id, ConsentInput(
        given_on=dt.date(2026, 11, 25), method="written", note="referral discussed"))
    return case_id


def run(backend: Backend, *args: str) -> subprocess.CompletedProcess[str]:  # noqa: F811
    return subprocess.run([sys.executable, "-m", "tightrope", *args], capture_output=True,
                          text=True, timeout=120, env=backend.env(TIGHTROPE_USER="alice"))


def test_a_stored_case_makes_a_note_of_the_stored_assessment(
        backend: Backend, registry: Registry, clinician: Actor) -> None:  # noqa: F811
    case_id = keep_case(registry, clinician)
    result = run(backend, "note", case_id, "-f", "json", "--generated-at", WHEN,
                 "--practitioner", "Dr. A")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert is_unchanged(data)
    stored = registry.cases.show(clinician, case_id).assessments[-1]
    assert data["explanation"]["verdict"] == stored.verdict.value
    assert [c["sha256"] for c in data["explanation"]["codes"]] == [p.sha256 for p in
                                                                   stored.packs]
    assert data["client_ref"] == "J.D." and data["practitioner_name"] == "Dr. A"
    consultation = data["consultations"][0]
    assert (consultation["who"], consultation["role"], consultation["decision"]) == (
        "ethics line", "ethics consultation service", "decline")
    assert data["consent"] == {"given": True, "given_on": "2026-11-25",
                               "how": "written consent; referral discussed"}


def test_the_pdf_and_fhir_come_from_the_registry_too(
        backend: Backend, registry: Registry, clinician: Actor) -> None:  # noqa: F811
    case_id = keep_case(registry, clinician)
    result = run(backend, "note", case_id, "-f", "fhir", "--generated-at", WHEN)
    assert result.returncode == 0, result.stderr
    from tests.fhir.validation import validate_bundle

    validate_bundle(json.loads(result.stdout))


def test_the_mapping_picks_the_assessment_and_its_revision(
        registry: Registry, clinician: Actor) -> None:  # noqa: F811
    case_id = keep_case(registry, clinician)
    registry.cases.reassess(clinician, case_id, case=make_case(other__kind="friendship"))
    detail = registry.cases.show(clinician, case_id)
    first_case, first, context = note_inputs(detail, 1)
    latest_case, latest, _ = note_inputs(detail)
    assert first_case.other.kind.value == "romantic_sexual"
    assert latest_case.other.kind.value == "friendship"
    assert first == detail.assessments[0].result and latest == detail.assessments[1].result
    note = build_note(first_case, first, context,
                      generated_at=dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC))
    assert note.client_ref == "J.D." and note.consent_status.endswith("on 2026-11-25.")
    with pytest.raises(TightropeError) as caught:
        note_inputs(detail, 3)
    assert caught.value.code == "assessment-not-found"


def test_registry_errors_are_clear(backend: Backend, registry: Registry,  # noqa: F811
                                   clinician: Actor) -> None:  # noqa: F811
    case_id = keep_case(registry, clinician)
    missing = run(backend, "note", "NOSUCHCASE0")
    assert missing.returncode == 2 and "there is no case" in missing.stderr
    dated = run(backend, "note", case_id, "--as-of", "2026-01-01")
    assert dated.returncode == 2 and "keeps the date it was made on" in dated.stderr
    assert "Traceback" not in missing.stderr + dated.stderr


def test_a_record_file_adds_to_what_the_registry_holds(
        backend: Backend, registry: Registry, clinician: Actor,  # noqa: F811
        tmp_path: Path) -> None:
    case_id = keep_case(registry, clinician)
    record = tmp_path / "record.yaml"
    record.write_text("plan: Decline at the next session.\nconsultations:\n"
                      "  - {who: Dr. P, consulted_on: 2026-11-25, advice: agree}\n")
    result = run(backend, "note", case_id, "-f", "json", "--generated-at", WHEN,
                 "--record", str(record))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [c["who"] for c in data["consultations"]] == ["ethics line", "Dr. P"]
    assert data["plan"] == "Decline at the next session."
    assert data["client_ref"] == "J.D." and data["consent"]["given"] is True
