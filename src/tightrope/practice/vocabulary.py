"""The closed vocabularies of practice mode: exams, topics and question kinds.

They are closed so that a typo in a vignette file is an error that names the
field, not a topic nobody can find. Each value has a label for screens.
"""

from __future__ import annotations

from enum import StrEnum


class Exam(StrEnum):
    """The licensing exams a vignette helps prepare for."""

    ASWB = "ASWB"
    NCE = "NCE"
    EPPP = "EPPP"
    CRC = "CRC"
    MFT = "MFT"
    BCBA = "BCBA"


EXAM_LABELS: dict[Exam, str] = {
    Exam.ASWB: "ASWB (social work)",
    Exam.NCE: "NCE (professional counseling)",
    Exam.EPPP: "EPPP (psychology)",
    Exam.CRC: "CRC (rehabilitation counseling)",
    Exam.MFT: "AMFTRB MFT exam (marriage and family therapy)",
    Exam.BCBA: "BCBA (behavior analysis)",
}


class Topic(StrEnum):
    """What a vignette is about; a vignette has one or more."""

    current_client_romance = "current-client-romance"
    former_client_romance = "former-client-romance"
    relative_of_client = "relative-of-client"
    former_partner_as_client = "former-partner-as-client"
    pretextual_termination = "pretextual-termination"
    waiting_periods = "waiting-periods"
    friendship = "friendship"
    business = "business"
    employment = "employment"
    financial = "financial"
    bartering = "bartering"
    gifts = "gifts"
    favors = "favors"
    social_media = "social-media"
    events = "events"
    physical_contact = "physical-contact"
    treating_people_you_know = "treating-people-you-know"
    role_change = "role-change"
    forensic = "forensic"
    supervision_teaching = "supervision-teaching"
    colleagues = "colleagues"
    incidental_contact = "incidental-contact"
    small_community = "small-community"
    state_law = "state-law"
    unknown_facts = "unknown-facts"


TOPIC_LABELS: dict[Topic, str] = {
    Topic.current_client_romance: "Romance with a current client",
    Topic.former_client_romance: "Romance with a former client",
    Topic.relative_of_client: "A client's relative or partner",
    Topic.former_partner_as_client: "A former partner as a client",
    Topic.pretextual_termination: "Ending services to start a relationship",
    Topic.waiting_periods: "Waiting periods",
    Topic.friendship: "Friendship",
    Topic.business: "Business dealings",
    Topic.employment: "Employment",
    Topic.financial: "Money and loans",
    Topic.bartering: "Bartering",
    Topic.gifts: "Gifts",
    Topic.favors: "Favors",
    Topic.social_media: "Social media",
    Topic.events: "Attending events",
    Topic.physical_contact: "Physical contact",
    Topic.treating_people_you_know: "Treating people you already know",
    Topic.role_change: "Changing or adding roles",
    Topic.forensic: "Forensic and evaluative roles",
    Topic.supervision_teaching: "Supervision and teaching",
    Topic.colleagues: "Colleagues",
    Topic.incidental_contact: "Chance encounters",
    Topic.small_community: "Small communities",
    Topic.state_law: "State law",
    Topic.unknown_facts: "Missing facts",
}


class QuestionKind(StrEnum):
    """The kinds of question generated from one vignette's assessment."""

    verdict = "verdict"
    primary_consideration = "primary_consideration"
    governing_rule = "governing_rule"
    waiting_period = "waiting_period"
    next_step = "next_step"
    what_would_change = "what_would_change"


KIND_LABELS: dict[QuestionKind, str] = {
    QuestionKind.verdict: "Verdict",
    QuestionKind.primary_consideration: "Primary consideration",
    QuestionKind.governing_rule: "Governing rule",
    QuestionKind.waiting_period: "Waiting period",
    QuestionKind.next_step: "Next step",
    QuestionKind.what_would_change: "What would change it",
}


def parse_choice(value: str, enum: type[StrEnum], what: str) -> StrEnum:
    """An enum member from user input, case-insensitively; ValueError names the choices."""
    for member in enum:
        if value.strip().lower() in (member.value.lower(), member.name.lower()):
            return member
    allowed = ", ".join(member.value for member in enum)
    raise ValueError(f"{value!r} is not a known {what}; choose one of: {allowed}")
