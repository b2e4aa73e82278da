"""The chart note: what a clinician files in the record and shows a board.

A :class:`Note` is a view-model built from a case, its assessment and what only
the clinician knows (:class:`NoteContext`: who they are, the client's
de-identified reference, the consultations, the informed consent, the plan and
the re-assessment date). It embeds the same :class:`Explanation` the CLI and the
web app present, so every format (Markdown, HTML, PDF, FHIR) says the same thing;
renderers only present it (STYLE.md 11).

The core never reads the clock: the time the note is generated is passed in.

Content hash (so that a later edit is detectable; ``docs/notes.md``): the
SHA-256, in lowercase hex, of the note's JSON data (:meth:`Note.to_json_data`)
without the ``content_sha256`` key, serialised canonically as in RFC 8785 (JCS):
keys sorted, no insignificant whitespace, non-ASCII characters written as UTF-8.
Numbers in a note are whole numbers or short decimals, so Python's
``json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
gives exactly the JCS bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StringConstraints, ValidationError

from .assessment import Assessment
from .case import Case, CaseDate
from .documents import parse_document
from .errors import Problem, TightropeError
from .explanation import Explanation, FactorLine, explain
from .questions import QUESTIONS, Question
from .validation import problems_from_validation
from .vocabulary import Action, FactorRole

NOTE_FORMAT = 1
NOTE_TITLE = "Multiple-relationship decision note"


class NoteError(TightropeError):
    """A note record (consultations, consent, plan) or note request that cannot be used."""


def note_error(code: str, message: str, *, source: str = "", path: str = "",
               line: int | None = None, hint: str = "") -> NoteError:
    return NoteError(code=code, source=source, problems=[Problem(code, message, path, line, hint)])


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=10_000)]
ClientRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
# Minimum necessary (45 CFR 164.502(b)): initials or a pseudonymous id, never a
# full identity; the pattern keeps out e-mail addresses, dates and free text.
_CLIENT_REF = re.compile(r"^[A-Za-z0-9#][A-Za-z0-9 ._#'’-]*$")


class Identity(_Model):
    """The practitioner who writes the note."""

    name: ShortText | None = None
    credentials: ShortText | None = None


class Consultation(_Model):
    """One consultation, in the five Ws risk-management guidance asks for."""

    who: ShortText
    role: ShortText | None = None
    consulted_on: CaseDate
    advice: LongText
    decision: LongText | None = None
    rationale: LongText | None = None


class Consent(_Model):
    """The client's informed consent, as the clinician records it."""

    given: StrictBool
    given_on: CaseDate | None = None
    how: LongText | None = None


class NoteContext(_Model):
    """What only the clinician knows; every field is optional (the record file)."""

    practitioner: Identity = Identity()
    client_ref: ClientRef | None = None
    consultations: tuple[Consultation, ...] = ()
    consent: Consent | None = None
    plan: LongText | None = None
    reassess_on: CaseDate | None = None
    reviewed_by: ShortText | None = None


class Fact(_Model):
    field: str
    label: str
    value: str


class Note(_Model):
    format: Literal[1] = 1
    title: str
    generated_at: dt.datetime
    as_of: dt.date
    practitioner_name: str | None
    credentials: str | None
    profession: str
    jurisdiction: str | None
    client_ref: str | None
    relationship: str
    facts: tuple[Fact, ...]
    details: str | None
    unanswered: tuple[str, ...]
    case: dict[str, Any]
    explanation: Explanation
    residual_power: FactorLine | None
    weighed: tuple[FactorLine, ...]
    considered: tuple[FactorLine, ...]
    consultations: tuple[Consultation, ...]
    consultation_status: str
    consent: Consent | None
    consent_status: str
    plan: str
    reassess_on: dt.date | None
    reassess_status: str
    reviewed_by: str | None
    content_sha256: str

    def to_json_data(self) -> dict[str, Any]:
        """The note as plain JSON data: what the content hash is computed over."""
        return self.model_dump(mode="json")


FACT_LABELS: dict[str, str] = {
    "practitioner.profession": "Profession",
    "practitioner.codes": "Other codes that bind the practitioner",
    "practitioner.jurisdiction": "Jurisdiction",
    "professional.status": "Professional relationship",
    "professional.service": "Service",
    "professional.started": "Services started",
    "professional.ended": "Last professional contact",
    "professional.months_since_end": "Months since the last contact (approximate)",
    "professional.sessions": "Sessions",
    "professional.intensity": "Intensity of the work",
    "professional.termination": "How services ended",
    "professional.may_return": "Client may need services again",
    "professional.future_relationship_discussed": "A later relationship was invited during "
                                                  "services",
    "client.minor": "Client is a minor",
    "client.vulnerabilities": "Client's vulnerabilities",
    "client.current_state": "Client's current mental state",
    "other.kind": "Second relationship",
    "other.with": "With",
    "other.status": "Status of the second relationship",
    "other.initiated_by": "Proposed by",
    "other.client_willing": "Client wants it",
    "other.avoidable": "Avoidable",
    "other.authority": "Authority in the second relationship",
    "other.duration": "Expected duration",
    "other.value_usd": "Value (US dollars)",
    "other.cash": "Cash or a cash equivalent",
    "other.benefit_to_client": "Benefit to the client",
    "other.details": "Details",
    "context.small_community": "Shared small community",
    "context.consulted": "Consulted a colleague or supervisor",
    "context.informed_consent": "Client's informed consent",
}

_KIND_PHRASES: dict[str, tuple[str, str]] = {
    "romantic_sexual": ("romantic or sexual relationship", "with"),
    "friendship": ("friendship", "with"),
    "business": ("business relationship", "with"),
    "employment": ("employment relationship", "with"),
    "financial": ("financial arrangement", "with"),
    "bartering": ("bartering arrangement", "with"),
    "gift": ("gift", "involving"),
    "favor": ("favor", "involving"),
    "social_media": ("social-media connection", "with"),
    "event_attendance": ("attendance at an event", "of"),
    "clinical_services": ("provision of clinical services", "to"),
    "additional_service": ("second professional role", "with"),
    "evaluative": ("evaluative role", "over"),
    "collegial": ("collegial relationship", "with"),
    "incidental_contact": ("incidental contact", "with"),
    "community_overlap": ("overlap in a small community", "with"),
    "other": ("second relationship", "with"),
}
_WITH_PHRASES = {
    "client": "",
    "relative_or_partner": "a relative or partner of ",
    "close_associate": "a close associate of ",
}


def _words(value: str) -> str:
    return value.replace("_", " ")


def _plain(value: Any) -> Any:
    """JSON data with whole-number floats as integers, so the canonical form is JCS."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _lookup(data: Mapping[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _display(question: Question, value: Any) -> str:
    if question.answer == "boolean":
        return "yes" if value else "no"
    if question.answer == "choices":
        return ", ".join(_words(str(item)) for item in value) or "none"
    if question.field == "other.kind":
        return _KIND_PHRASES[str(value)][0]
    if question.answer == "choice":
        return _words(str(value))
    if question.field == "other.value_usd":
        return f"${value:,}"
    return str(value)


def _not_applicable(data: Mapping[str, Any]) -> set[str]:
    """Questions case format 1 does not allow here, so not "unanswered": an end date for
    someone who is not a former client, or both an end date and a number of months."""
    professional = data.get("professional", {})
    if professional.get("status") != "former":
        return {"professional.ended", "professional.months_since_end"}
    if "ended" in professional:
        return {"professional.months_since_end"}
    if "months_since_end" in professional:
        return {"professional.ended"}
    return set()


def _facts(data: Mapping[str, Any]) -> tuple[tuple[Fact, ...], tuple[str, ...]]:
    facts: list[Fact] = []
    unanswered: list[str] = []
    skipped = _not_applicable(data)
    for question in QUESTIONS:
        label = FACT_LABELS[question.field]
        value = _lookup(data, question.field)
        if value is None:
            if question.field not in skipped:
                unanswered.append(label)
        elif question.field != "other.details" and not (
                question.field == "practitioner.codes" and not value):
            facts.append(Fact(field=question.field, label=label,
                              value=_display(question, value)))
    return tuple(facts), tuple(unanswered)


def relationship_summary(case: Case) -> str:
    """One line naming the second relationship, e.g. "A proposed friendship with a former
    client"."""
    other = case.other
    kind, preposition = _KIND_PHRASES.get(other.kind.value, (_words(other.kind.value), "with"))
    status = f"{other.status.value} " if other.status is not None else ""
    whom = _WITH_PHRASES[other.with_.value] if other.with_ is not None else ""
    client = f"{case.professional.status.value} client"
    return f"{_article(status or kind).capitalize()} {status}{kind} {preposition} {whom}" \
           f"{_article(client)} {client}"


def _article(phrase: str) -> str:
    return "an" if phrase[:1] in ("a", "e", "i", "o", "u") else "a"


def _consultation_status(case: Case, context: NoteContext, view: Explanation) -> str:
    count = len(context.consultations)
    if count:
        return f"{count} consultation{'s' if count > 1 else ''} recorded."
    if case.context.consulted:
        return ("The case records that a colleague or supervisor was consulted; who, when and "
                "what they advised are not recorded in this note.")
    recommended = any(a.action is Action.consult for a in view.actions)
    return "No consultation is recorded." + (
        " Consultation is recommended before acting." if recommended else "")


def _consent_status(case: Case, context: NoteContext) -> str:
    consent = context.consent
    if consent is not None:
        if not consent.given:
            return "The client has not given informed consent."
        when = f" on {consent.given_on}" if consent.given_on else ""
        return f"The client gave informed consent{when}."
    if case.context.informed_consent is True:
        return ("The case records the client's informed consent; when and how are not "
                "recorded in this note.")
    if case.context.informed_consent is False:
        return "The client has not given informed consent."
    return "Informed consent is not recorded."


def _reassess_status(context: NoteContext, view: Explanation) -> str:
    if context.reassess_on is not None:
        return f"Reassess on {context.reassess_on}, or sooner if anything changes."
    if view.until is not None:
        return (f"No date set. The waiting period ends on {view.until}: reassess then, "
                "because its end is not a permission.")
    return "No date set: reassess whenever the facts change."


def _check_context(context: NoteContext, as_of: dt.date, written_on: dt.date) -> None:
    if context.client_ref is not None and not _CLIENT_REF.match(context.client_ref):
        raise note_error("bad-client-ref", f"{context.client_ref!r} does not look like a "
                         "de-identified reference", path="client_ref",
                         hint="use initials or a pseudonymous id such as C-0142: letters, "
                         "digits, spaces and . _ # ' -")
    for index, consultation in enumerate(context.consultations):
        if consultation.consulted_on > written_on:
            raise note_error("bad-date", f"the consultation is dated {consultation.consulted_on}"
                             f", after the note is written ({written_on})",
                             path=f"consultations[{index}].consulted_on",
                             hint="record consultations once they have happened")
    if context.consent and context.consent.given_on and context.consent.given_on > written_on:
        raise note_error("bad-date", f"consent is dated {context.consent.given_on}, after the "
                         f"note is written ({written_on})", path="consent.given_on")
    if context.consent and not context.consent.given and context.consent.given_on:
        raise note_error("inconsistent", "consent.given_on is set but consent.given is false",
                         path="consent.given_on", hint="remove the date or set given: true")
    if context.reassess_on is not None and context.reassess_on < as_of:
        raise note_error("bad-date", f"the re-assessment date ({context.reassess_on}) is before "
                         f"the assessment date ({as_of})", path="reassess_on")


def build_note(case: Case, assessment: Assessment, context: NoteContext | None = None, *,
               generated_at: dt.datetime) -> Note:
    """The note for ``case`` as assessed, written at ``generated_at`` (timezone-aware)."""
    if generated_at.tzinfo is None or generated_at.utcoffset() is None:
        raise note_error("naive-datetime", "the time the note is generated has no time zone",
                         path="generated_at", hint="pass a timezone-aware datetime")
    context = context or NoteContext()
    generated_at = generated_at.replace(microsecond=0)
    _check_context(context, assessment.as_of, generated_at.date())
    view = explain(assessment)
    data = _plain(case.dump())
    facts, unanswered = _facts(data)
    power = next((f for f in view.factors if f.name == "power_differential"), None)
    fields: dict[str, Any] = dict(
        title=NOTE_TITLE, generated_at=generated_at, as_of=assessment.as_of,
        practitioner_name=context.practitioner.name, credentials=context.practitioner.credentials,
        profession=_words(case.practitioner.profession.value),
        jurisdiction=case.practitioner.jurisdiction, client_ref=context.client_ref,
        relationship=relationship_summary(case), facts=facts,
        details=case.other.details or None, unanswered=unanswered,
        case=data, explanation=view, residual_power=power,
        weighed=tuple(f for f in view.factors
                      if f.role is not FactorRole.considered_not_decisive
                      and f.name != "power_differential"),
        considered=tuple(f for f in view.factors
                         if f.role is FactorRole.considered_not_decisive
                         and f.name != "power_differential"),
        consultations=context.consultations,
        consultation_status=_consultation_status(case, context, view),
        consent=context.consent, consent_status=_consent_status(case, context),
        plan=context.plan or "No plan is recorded beyond the recommended actions.",
        reassess_on=context.reassess_on, reassess_status=_reassess_status(context, view),
        reviewed_by=context.reviewed_by, content_sha256="",
    )
    draft = Note(**fields)
    return draft.model_copy(update={"content_sha256": content_sha256(draft.to_json_data())})


def written(note: Note) -> str:
    """When the note was written, for people: ``2026-11-27 09:30 UTC+01:00``."""
    offset = note.generated_at.strftime("%z")
    return f"{note.generated_at:%Y-%m-%d %H:%M} UTC{offset[:3]}:{offset[3:]}"


def canonical_json(data: Any) -> bytes:
    """RFC 8785 canonical JSON for note data (see the module docstring)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def content_sha256(note_data: Mapping[str, Any]) -> str:
    """The content hash of a note's JSON data; any ``content_sha256`` key is left out."""
    content = {key: value for key, value in note_data.items() if key != "content_sha256"}
    return hashlib.sha256(canonical_json(content)).hexdigest()


def is_unchanged(note_data: Mapping[str, Any]) -> bool:
    """True when the note data still matches the content hash it carries."""
    return note_data.get("content_sha256") == content_sha256(note_data)


def parse_note_context(raw: bytes | str, *, source: str = "<record>") -> NoteContext:
    """Read a note record (YAML or JSON) into a :class:`NoteContext`, or one clear error."""

    def make(code: str, message: str, path: str, line: int | None, hint: str) -> NoteError:
        return note_error(code, message, source=source, path=path, line=line, hint=hint)

    document = parse_document(raw, source=source, make_error=make)
    if not isinstance(document.data, dict):
        raise note_error("not-a-mapping", "a note record must be a mapping of fields, such as "
                         "practitioner, client_ref and consultations", source=source)
    try:
        return NoteContext.model_validate(document.data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, document, NoteContext)
        raise NoteError(code=problems[0].code, source=source, problems=problems) from None
