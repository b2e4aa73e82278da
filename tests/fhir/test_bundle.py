"""The FHIR R4 export: every resource validates, references resolve, the mapping holds."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
from typing import Any

import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from tests.fhir.validation import validate_bundle
from tests.note_factories import make_note, record
from tightrope.cli.examples import builtin_examples
from tightrope.core.note import Note, is_unchanged
from tightrope.fhir.bundle import build_bundle
from tightrope.fhir.canonical import QUESTIONNAIRE_URL
from tightrope.fhir.response_import import import_response
from tightrope.render.note_markdown import render_note_markdown
from tightrope.render.note_pdf import render_note_pdf
from tightrope.render.note_typst import ATTACHMENT_NAME

EXAMPLES = builtin_examples()
RISK = {"prohibited": "high", "avoid": "high", "proceed_with_safeguards": "moderate",
        "acceptable": "low"}


def export(note: Note, *, pdf: bool = True) -> dict[str, Any]:
    return build_bundle(note, pdf=render_note_pdf(note) if pdf else None,
                        markdown=render_note_markdown(note))


def by_type(resources: dict[str, dict[str, Any]], kind: str) -> dict[str, Any]:
    (found,) = [r for key, r in resources.items() if key.startswith(kind + "/")]
    return found


@pytest.fixture(scope="module")
def full() -> tuple[Note, dict[str, Any]]:
    note = make_note(context=record())
    return note, export(note)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_example_exports_a_valid_bundle(example: Any) -> None:
    note = make_note(example.name)
    bundle = export(note, pdf=False)
    resources = validate_bundle(bundle)
    assert bundle["type"] == "collection"
    assert sorted(r["resourceType"] for r in resources.values()) == [
        "DocumentReference", "Practitioner", "Provenance", "Questionnaire",
        "QuestionnaireResponse", "RiskAssessment"]
    risk = by_type(resources, "RiskAssessment")
    prediction = risk["prediction"][0]
    codes = {c["system"]: c["code"] for c in prediction["qualitativeRisk"]["coding"]}
    verdict = note.explanation.verdict.value
    assert codes["http://terminology.hl7.org/CodeSystem/risk-probability"] == RISK[verdict]
    assert codes["https://tightrope.example/fhir/CodeSystem/verdict"] == verdict
    response = by_type(resources, "QuestionnaireResponse")
    assert import_response(json.dumps(response)).dump() == note.case


def test_the_full_export_validates_with_the_record(full: tuple[Note, dict[str, Any]]) -> None:
    note, bundle = full
    resources = validate_bundle(bundle)
    assert bundle["timestamp"] == "2026-11-27T09:30:00+00:00"
    assert bundle["identifier"]["value"] == note.content_sha256
    response = by_type(resources, "QuestionnaireResponse")
    assert response["questionnaire"] == f"{QUESTIONNAIRE_URL}|0.1.0"
    assert response["status"] == "completed"
    assert response["subject"]["identifier"]["value"] == "C-0142"


def test_the_risk_assessment_carries_verdict_basis_rules_and_actions(
        full: tuple[Note, dict[str, Any]]) -> None:
    note, bundle = full
    resources = validate_bundle(bundle)
    risk = by_type(resources, "RiskAssessment")
    response = by_type(resources, "QuestionnaireResponse")
    assert risk["status"] == "final"
    assert risk["basis"] == [{"reference": f"QuestionnaireResponse/{response['id']}"}]
    assert risk["occurrenceDateTime"] == "2026-11-26"
    method = {c["code"]: c for c in risk["method"]["coding"]}
    assert method["tightrope"]["version"] == "0.1.0" and method["APA"]["version"] == "2017.0.0"
    assert note.explanation.codes[0].sha256 in risk["method"]["text"]
    prediction = risk["prediction"][0]
    assert prediction["rationale"].startswith(note.explanation.decisive_reason)
    assert prediction["qualitativeRisk"]["text"] == "Prohibited until 2027-05-02"
    assert risk["mitigation"].startswith("Decline: ")
    assert any(n["text"].startswith("APA 10.08(a) (2002, amended 2010 and 2016)")
               and "https://www.apa.org/ethics/code" in n["text"] for n in risk["note"])


def test_the_document_reference_holds_the_note(full: tuple[Note, dict[str, Any]]) -> None:
    note, bundle = full
    document = by_type(validate_bundle(bundle), "DocumentReference")
    assert document["type"]["coding"] == [{"system": "http://loinc.org", "code": "11488-4",
                                           "display": "Consult note"}]
    assert document["category"][0]["coding"][0]["code"] == "clinical-note"
    assert document["masterIdentifier"]["value"] == note.content_sha256
    labels = {(c["system"].rsplit("/", 1)[1], c["code"])
              for label in document["securityLabel"] for c in label["coding"]}
    assert labels == {("v3-Confidentiality", "R"), ("v3-ActCode", "PSY")}
    pdf, markdown = (c["attachment"] for c in document["content"])
    assert pdf["contentType"] == "application/pdf"
    assert markdown["contentType"].startswith("text/markdown")
    for attachment in (pdf, markdown):
        data = base64.b64decode(attachment["data"])
        assert attachment["size"] == len(data)
        assert base64.b64decode(attachment["hash"]) == hashlib.sha1(data).digest()
        assert attachment["creation"] == "2026-11-27T09:30:00+00:00"
    reader = PdfReader(io.BytesIO(base64.b64decode(pdf["data"])))
    assert is_unchanged(json.loads(reader.attachments[ATTACHMENT_NAME][0]))
    assert base64.b64decode(markdown["data"]).decode() == render_note_markdown(note)


def test_provenance_names_who_did_what_to_which_version(
        full: tuple[Note, dict[str, Any]]) -> None:
    _, bundle = full
    resources = validate_bundle(bundle)
    provenance = by_type(resources, "Provenance")
    targets = {t["reference"].split("/")[0] for t in provenance["target"]}
    assert targets == {"QuestionnaireResponse", "RiskAssessment", "DocumentReference"}
    assert all("/_history/1" in t["reference"] for t in provenance["target"])
    assert provenance["recorded"] == "2026-11-27T09:30:00+00:00"
    agents = {a["type"]["coding"][0]["code"]: a for a in provenance["agent"]}
    assert set(agents) == {"author", "informant", "verifier", "assembler"}
    assert agents["author"]["who"]["reference"].startswith("Practitioner/")
    assert agents["informant"]["who"]["display"] == "Dr. B. Chen"
    assert agents["informant"]["role"][0]["text"] == "consultant (clinical supervisor)"
    assert agents["assembler"]["who"]["display"] == "Tightrope 0.1.0"
    practitioner = by_type(resources, "Practitioner")
    assert practitioner["name"] == [{"text": "Dr. A. Rivera"}]


def test_the_same_note_exports_the_same_bundle(full: tuple[Note, dict[str, Any]]) -> None:
    note, bundle = full
    assert export(note) == bundle


@pytest.mark.parametrize(("path", "value"), [
    (("entry", 2, "resource", "status"), "maybe"),
    (("entry", 0, "resource", "item", 1, "item", 0, "type"), "dropdown"),
    (("entry", 2, "resource", "bogus"), 1),
    (("entry", 3, "resource", "date"), "27 November 2026"),
    (("entry", 1, "resource", "item", 0, "answer", 0, "valueDate"), "2026-13-40"),
])
def test_the_validation_is_not_vacuous(full: tuple[Note, dict[str, Any]],
                                       path: tuple[Any, ...], value: Any) -> None:
    bundle = copy.deepcopy(full[1])
    target = bundle
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises((ValidationError, AssertionError)):
        validate_bundle(bundle)


def test_a_dangling_reference_is_caught(full: tuple[Note, dict[str, Any]]) -> None:
    bundle = copy.deepcopy(full[1])
    bundle["entry"][2]["resource"]["basis"] = [{"reference": "QuestionnaireResponse/missing"}]
    with pytest.raises(AssertionError, match="does not resolve"):
        validate_bundle(bundle)
