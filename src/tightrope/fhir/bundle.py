"""The FHIR R4 export of a note: one ``collection`` Bundle an EHR can take in.

Entries (``docs/notes.md`` has the full mapping table):

- ``Questionnaire``: the interview (:mod:`.questionnaire`).
- ``QuestionnaireResponse``: the facts as given (:mod:`.response`).
- ``RiskAssessment``: the verdict (as a qualitative risk), its basis (the
  response), the decisive reason, the rules with their citations and the actions.
- ``DocumentReference``: the note itself, LOINC 11488-4 "Consult note", as PDF and
  Markdown attachments with their SHA-1 hashes (FHIR's ``Attachment.hash``).
- ``Provenance``: who wrote it (author), who was consulted (informant), who
  reviewed it (verifier) and what assembled it (Tightrope), targeting the exact
  versions of the resources above.
- ``Practitioner``: the author.

Resource ids derive from the note's content hash, so the same note always gives
the same Bundle. References are relative (``RiskAssessment/ra-...``) and resolve
against each entry's ``fullUrl`` under the canonical base.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from ..core.note import Note
from ..core.vocabulary import Verdict
from .canonical import (
    ACT_CODE,
    BASE,
    CLIENT_REF_SYSTEM,
    CONFIDENTIALITY,
    DATA_OPERATION,
    ENGINE_SYSTEM,
    LOINC,
    NOTE_HASH_SYSTEM,
    PARTICIPANT_TYPE,
    QUESTIONNAIRE_ID,
    RISK_PROBABILITY,
    RULE_PACK_SYSTEM,
    US_CORE_DOC_CATEGORY,
    VERDICT_SYSTEM,
    coding,
)
from .questionnaire import build_questionnaire
from .response import build_response

# prohibited and avoid both mean the risk of exploitation or harm is high (DESIGN.md).
QUALITATIVE_RISK: dict[Verdict, tuple[str, str]] = {
    Verdict.prohibited: ("high", "High likelihood"),
    Verdict.avoid: ("high", "High likelihood"),
    Verdict.proceed_with_safeguards: ("moderate", "Moderate likelihood"),
    Verdict.acceptable: ("low", "Low likelihood"),
}
VERSION = "1"


def _ref(resource: dict[str, Any], *, versioned: bool = False) -> dict[str, str]:
    reference = f"{resource['resourceType']}/{resource['id']}"
    return {"reference": reference + (f"/_history/{VERSION}" if versioned else "")}


def _instant(note: Note) -> str:
    return note.generated_at.isoformat()


def _subject(note: Note) -> dict[str, Any]:
    if note.client_ref:
        return {"identifier": {"system": CLIENT_REF_SYSTEM, "value": note.client_ref},
                "display": f"Client {note.client_ref}"}
    return {"display": "Client (not identified in this note)"}


def _practitioner(note: Note, key: str) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Practitioner", "id": f"author-{key}",
                                "meta": {"versionId": VERSION}}
    if note.practitioner_name:
        resource["name"] = [{"text": note.practitioner_name}]
    resource["qualification"] = [{"code": {"text": note.credentials or note.profession}}]
    return resource


def _risk_assessment(note: Note, key: str, response: dict[str, Any],
                     author: dict[str, Any]) -> dict[str, Any]:
    view = note.explanation
    risk_code, risk_display = QUALITATIVE_RISK[view.verdict]
    engine = f"Tightrope engine {view.engine_version}"
    packs = "; ".join(f"{c.code} {c.edition}, pack {c.version}, sha256 {c.sha256}"
                      for c in view.codes) or "no rule pack"
    rationale = view.decisive_reason + (f" {view.governing}" if view.governing else "")
    notes = []
    for rule in view.rules:
        until = f", until {rule.until}" if rule.until and rule.effect == "prohibited" else ""
        notes.append({"text": f"{rule.code} {rule.section} ({rule.edition}): {rule.title}. "
                              f"{rule.effect_label}{until}; {rule.status_label}. "
                              f"{rule.summary} Source: {rule.url}"})
    notes.append({"text": view.notice})
    return {
        "resourceType": "RiskAssessment", "id": f"ra-{key}", "meta": {"versionId": VERSION},
        "status": "final",
        "method": {"coding": [coding(ENGINE_SYSTEM, "tightrope", engine) | {
                       "version": view.engine_version}]
                   + [coding(RULE_PACK_SYSTEM, c.code, f"{c.code} {c.edition}")
                      | {"version": c.version} for c in view.codes],
                   "text": f"{engine}; rule packs: {packs}"},
        "code": {"text": "Risk of exploitation of, or harm to, the client from a multiple "
                         "relationship"},
        "subject": _subject(note),
        "occurrenceDateTime": note.as_of.isoformat(),
        "performer": _ref(author),
        "basis": [_ref(response)],
        "prediction": [{
            "outcome": {"text": f"Exploitation of, or harm to, the client from: "
                                f"{note.relationship[0].lower()}{note.relationship[1:]}"},
            "qualitativeRisk": {"coding": [
                coding(RISK_PROBABILITY, risk_code, risk_display),
                coding(VERDICT_SYSTEM, view.verdict.value, view.verdict_label)],
                "text": view.headline},
            "rationale": rationale,
        }],
        "mitigation": " ".join(f"{a.label}: {a.detail}" for a in view.actions),
        "note": notes,
    }


def _attachment(content_type: str, data: bytes, title: str, note: Note) -> dict[str, Any]:
    return {"contentType": content_type, "language": "en-US",
            "data": base64.b64encode(data).decode("ascii"), "size": len(data),
            # FHIR Attachment.hash: the base64 of the SHA-1 of the data.
            "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),
            "title": title, "creation": _instant(note)}


def _document(note: Note, key: str, author: dict[str, Any], risk: dict[str, Any], *,
              pdf: bytes | None, markdown: str) -> dict[str, Any]:
    title = f"{note.title}, {note.as_of}"
    content = []
    if pdf is not None:
        content.append({"attachment": _attachment("application/pdf", pdf, title, note)})
    content.append({"attachment": _attachment("text/markdown; charset=utf-8",
                                              markdown.encode("utf-8"), title, note)})
    document: dict[str, Any] = {
        "resourceType": "DocumentReference", "id": f"note-{key}", "meta": {"versionId": VERSION},
        "masterIdentifier": {"system": NOTE_HASH_SYSTEM, "value": note.content_sha256},
        "status": "current", "docStatus": "final",
        "type": {"coding": [coding(LOINC, "11488-4", "Consult note")], "text": "Consult note"},
        "category": [{"coding": [coding(US_CORE_DOC_CATEGORY, "clinical-note",
                                        "Clinical Note")]}],
        "subject": _subject(note), "date": _instant(note), "author": [_ref(author)],
        "description": f"{note.title}: {note.explanation.headline}",
        # Restricted confidentiality, psychiatric-information sensitivity. PSY's display
        # has changed between HL7 terminology releases, so only the code is sent.
        "securityLabel": [{"coding": [coding(CONFIDENTIALITY, "R", "restricted")]},
                          {"coding": [coding(ACT_CODE, "PSY")]}],
        "content": content,
        "context": {"related": [_ref(risk)]},
    }
    return document


def _agent(code: str, display: str, who: dict[str, Any],
           role: str | None = None) -> dict[str, Any]:
    agent: dict[str, Any] = {"type": {"coding": [coding(PARTICIPANT_TYPE, code, display)]}}
    if role:
        agent["role"] = [{"text": role}]
    agent["who"] = who
    return agent


def _provenance(note: Note, key: str, targets: list[dict[str, Any]],
                author: dict[str, Any]) -> dict[str, Any]:
    agents = [_agent("author", "Author", _ref(author))]
    # provenance-participant-type has no "contributor": a consultant "reported
    # information that contributed to the resource", which is its "informant".
    agents += [_agent("informant", "Informant", {"display": c.who},
                      role=f"consultant{f' ({c.role})' if c.role else ''}")
               for c in note.consultations]
    if note.reviewed_by:
        agents.append(_agent("verifier", "Verifier", {"display": note.reviewed_by},
                             role="reviewer"))
    agents.append(_agent("assembler", "Assembler",
                         {"display": f"Tightrope {note.explanation.engine_version}"}))
    return {
        "resourceType": "Provenance", "id": f"prov-{key}", "meta": {"versionId": VERSION},
        "target": [_ref(target, versioned=True) for target in targets],
        "recorded": _instant(note),
        "activity": {"coding": [coding(DATA_OPERATION, "CREATE", "create")]},
        "agent": agents,
        "entity": [{"role": "source", "what": {"reference": f"Questionnaire/{QUESTIONNAIRE_ID}"}}],
    }


def build_bundle(note: Note, *, pdf: bytes | None, markdown: str) -> dict[str, Any]:
    """The export Bundle (plain JSON data) for ``note`` with its rendered files."""
    key = note.content_sha256[:20]
    questionnaire = build_questionnaire()
    author = _practitioner(note, key)
    response = build_response(note.case, response_id=f"qr-{key}", authored=_instant(note),
                              author=_ref(author), subject=_subject(note))
    response["meta"] = {"versionId": VERSION}
    risk = _risk_assessment(note, key, response, author)
    document = _document(note, key, author, risk, pdf=pdf, markdown=markdown)
    provenance = _provenance(note, key, [response, risk, document], author)
    resources = [questionnaire, response, risk, document, provenance, author]
    return {
        "resourceType": "Bundle", "id": f"bundle-{key}",
        "identifier": {"system": NOTE_HASH_SYSTEM, "value": note.content_sha256},
        "type": "collection", "timestamp": _instant(note),
        "entry": [{"fullUrl": f"{BASE}/{r['resourceType']}/{r['id']}", "resource": r}
                  for r in resources],
    }
