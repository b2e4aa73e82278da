"""The question behind each case field, and why it matters, in plain words.

Used wherever Tightrope must ask for a missing fact: the unknowns listed in an
assessment, the guided interview, the FHIR Questionnaire. Questions are data,
one per field of case format 1, so every adapter asks the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .vocabulary import (
    Authority,
    Benefit,
    CodeId,
    CurrentState,
    Duration,
    Initiator,
    Intensity,
    OtherKind,
    OtherStatus,
    OtherWith,
    Profession,
    ProfessionalStatus,
    Service,
    Termination,
    Vulnerability,
)


@dataclass(frozen=True)
class Question:
    field: str  # dotted path in case format 1
    text: str
    why: str
    answer: str  # "choice" | "choices" | "boolean" | "date" | "number" | "text" | "jurisdiction"
    options: tuple[str, ...] = ()
    required: bool = False


def _options(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


QUESTIONS: tuple[Question, ...] = (
    Question("practitioner.profession", "What is your profession?",
             "Your profession decides which code of ethics binds you.", "choice",
             _options(Profession), required=True),
    Question("practitioner.codes", "Which other codes bind you (memberships, other licences)?",
             "When several codes bind you, the strictest governs.", "choices",
             _options(CodeId)),
    Question("practitioner.jurisdiction", "Where are you licensed (for example US-FL)?",
             "Some states add rules of their own, including criminal law.", "jurisdiction"),
    Question("professional.status", "Is this person a current, former or prospective client?",
             "Codes treat current and former clients differently, and waiting periods start "
             "when services end.", "choice", _options(ProfessionalStatus), required=True),
    Question("professional.service", "What service do (or did) you provide?",
             "Psychotherapy reaches a person's inner life; an evaluation or a class gives a "
             "different kind of power.", "choice", _options(Service)),
    Question("professional.started", "When did services start?",
             "With the end date it gives the length of services, one part of residual power.",
             "date"),
    Question("professional.ended", "When was your last professional contact?",
             "Waiting periods run from the last contact, and influence fades (but may not "
             "vanish) with time.", "date"),
    Question("professional.months_since_end",
             "If you don't know the date: about how many months ago was the last contact?",
             "An approximate time still lets the waiting periods be checked.", "number"),
    Question("professional.sessions", "About how many sessions were there?",
             "Longer work deepens the influence the practitioner holds.", "number"),
    Question("professional.intensity",
             "How intense was the work (disclosure, dependence, transference)?",
             "Intense work leaves the most lasting influence.", "choice", _options(Intensity)),
    Question("professional.termination", "How did services end?",
             "A planned ending leaves less open; ending services in order to start another "
             "relationship is an aggravating fact, and a crime in some states.", "choice",
             _options(Termination)),
    Question("professional.may_return", "Could the client need your services again?",
             "If they might return, the professional relationship is not really over.",
             "boolean"),
    Question("professional.future_relationship_discussed",
             "Did anything said or done during services invite a later relationship?",
             "APA 10.08(b) names this as a factor against any later relationship.", "boolean"),
    Question("client.minor", "Is the client a minor?",
             "Minors are more exposed to an adult's influence, and the law protects them.",
             "boolean"),
    Question("client.vulnerabilities", "Which of these apply to the client?",
             "Vulnerabilities make the same influence weigh more heavily.", "choices",
             _options(Vulnerability)),
    Question("client.current_state", "How is the client's mental state now?",
             "An unstable state makes a second relationship riskier (APA 10.08(b)(5)).",
             "choice", _options(CurrentState)),
    Question("other.kind", "What kind of second relationship is it?",
             "Each kind of relationship conflicts with the professional role differently.",
             "choice", _options(OtherKind), required=True),
    Question("other.with", "Who is the second relationship with?",
             "Relationships with a client's relatives or partners are covered by many codes too.",
             "choice", _options(OtherWith)),
    Question("other.status", "Is it proposed, already ongoing, or in the past?",
             "An ongoing relationship has to be ended or managed; a past sexual relationship "
             "bars taking the person as a client.", "choice", _options(OtherStatus)),
    Question("other.initiated_by", "Who proposed it?",
             "A practitioner's initiative makes exploitation more likely; a client's does not "
             "make it less.", "choice", _options(Initiator)),
    Question("other.client_willing", "Does the client want it?",
             "A client who does not want it rules it out. Wanting it never rules it in.",
             "boolean"),
    Question("other.avoidable", "Could you reasonably avoid it?",
             "Unavoidable overlaps (small towns, shared communities) are managed, not refused.",
             "boolean"),
    Question("other.authority", "Who would hold authority in the second relationship?",
             "Being the client's employer, landlord, lender or teacher adds power.", "choice",
             _options(Authority)),
    Question("other.duration", "How long would the second relationship last?",
             "A one-off contact conflicts less than a continuing one.", "choice",
             _options(Duration)),
    Question("other.value_usd", "About how much is it worth, in US dollars?",
             "Some codes cap gifts (BACB about $10, Texas counselors $50).", "number"),
    Question("other.cash", "Is it cash or a cash equivalent (a gift card)?",
             "Cash gifts are treated more strictly than tokens.", "boolean"),
    Question("other.benefit_to_client", "Would it benefit the client?",
             "Benefit to the client is weighed, though it cannot outweigh power.", "choice",
             _options(Benefit)),
    Question("other.details", "Anything else about the situation? (kept encrypted)",
             "Your own notes for the record; they do not change the verdict.", "text"),
    Question("context.small_community",
             "Do you and the client share a small community (rural, military, faith, Deaf, "
             "recovery, LGBTQ)?",
             "In small communities overlapping roles are common and often unavoidable.",
             "boolean"),
    Question("context.consulted", "Have you consulted a colleague or supervisor about it?",
             "Consultation is the first safeguard every model names.", "boolean"),
    Question("context.informed_consent",
             "Has the client given informed consent after discussing the risks?",
             "Consent is necessary for going ahead, never sufficient.", "boolean"),
)

QUESTION_BY_FIELD: dict[str, Question] = {question.field: question for question in QUESTIONS}
