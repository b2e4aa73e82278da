"""Canonical URLs and code systems of the FHIR export, kept in one place.

``https://tightrope.example/fhir`` is the canonical base. ``.example`` is a
reserved domain (RFC 2606): the URLs identify Tightrope's artefacts and never
resolve, until the project publishes them at a real address, at which point
this constant changes and the Questionnaire's version with it.
"""

from __future__ import annotations

from ..core.version import ENGINE_VERSION

BASE = "https://tightrope.example/fhir"
QUESTIONNAIRE_ID = "dual-relationship"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/{QUESTIONNAIRE_ID}"
QUESTIONNAIRE_VERSION = ENGINE_VERSION
CLIENT_REF_SYSTEM = f"{BASE}/client-ref"
NOTE_HASH_SYSTEM = f"{BASE}/note-content-sha256"
VERDICT_SYSTEM = f"{BASE}/CodeSystem/verdict"
ENGINE_SYSTEM = f"{BASE}/CodeSystem/engine"
RULE_PACK_SYSTEM = f"{BASE}/CodeSystem/rule-pack"

LOINC = "http://loinc.org"
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"
US_CORE_DOC_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"
CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
ITEM_CONTROL_EXTENSION = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL = "http://hl7.org/fhir/questionnaire-item-control"


def answer_system(field: str) -> str:
    """The code system of a choice question's answers: the values of case format 1."""
    return f"{BASE}/CodeSystem/case-{field.replace('.', '-').replace('_', '-')}"


def coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    data = {"system": system, "code": code}
    if display is not None:
        data["display"] = display
    return data
