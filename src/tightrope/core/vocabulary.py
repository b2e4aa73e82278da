"""The closed vocabularies of case format 1 and assessment format 1 (DESIGN.md).

They are public contract: renaming or removing a value needs ``format: 2``.
Order matters where it says so (verdicts, levels): the engine compares them.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Profession(StrEnum):
    psychologist = "psychologist"
    counselor = "counselor"
    social_worker = "social_worker"
    marriage_family_therapist = "marriage_family_therapist"
    rehabilitation_counselor = "rehabilitation_counselor"
    behavior_analyst = "behavior_analyst"
    behavior_technician = "behavior_technician"
    psychiatrist = "psychiatrist"
    other = "other"


class ProfessionalStatus(StrEnum):
    current = "current"
    former = "former"
    prospective = "prospective"


class Service(StrEnum):
    psychotherapy = "psychotherapy"
    counseling = "counseling"
    couples_family_therapy = "couples_family_therapy"
    group_therapy = "group_therapy"
    assessment = "assessment"
    forensic_evaluation = "forensic_evaluation"
    case_management = "case_management"
    vocational_rehabilitation = "vocational_rehabilitation"
    behavior_intervention = "behavior_intervention"
    consultation = "consultation"
    supervision = "supervision"
    teaching = "teaching"
    other = "other"


class Intensity(StrEnum):
    low = "low"
    moderate = "moderate"
    high = "high"


class Termination(StrEnum):
    planned = "planned"
    unilateral = "unilateral"
    unclear = "unclear"
    to_start_relationship = "to_start_relationship"


class Vulnerability(StrEnum):
    trauma_history = "trauma_history"
    dependency = "dependency"
    cognitive_impairment = "cognitive_impairment"
    severe_mental_illness = "severe_mental_illness"
    crisis = "crisis"
    substance_use = "substance_use"
    abuse_by_prior_professional = "abuse_by_prior_professional"
    isolation = "isolation"
    grief = "grief"
    economic_hardship = "economic_hardship"
    housing_instability = "housing_instability"
    harassment_or_violence = "harassment_or_violence"
    other = "other"


class CurrentState(StrEnum):
    stable = "stable"
    unstable = "unstable"
    unknown = "unknown"


class OtherKind(StrEnum):
    romantic_sexual = "romantic_sexual"
    friendship = "friendship"
    business = "business"
    employment = "employment"
    financial = "financial"
    bartering = "bartering"
    gift = "gift"
    favor = "favor"
    social_media = "social_media"
    event_attendance = "event_attendance"
    clinical_services = "clinical_services"
    additional_service = "additional_service"
    evaluative = "evaluative"
    collegial = "collegial"
    incidental_contact = "incidental_contact"
    community_overlap = "community_overlap"
    other = "other"


class OtherWith(StrEnum):
    client = "client"
    relative_or_partner = "relative_or_partner"
    close_associate = "close_associate"


class OtherStatus(StrEnum):
    proposed = "proposed"
    ongoing = "ongoing"
    past = "past"


class Initiator(StrEnum):
    client = "client"
    practitioner = "practitioner"
    mutual = "mutual"
    third_party = "third_party"
    circumstance = "circumstance"


class Authority(StrEnum):
    practitioner = "practitioner"
    neither = "neither"
    other_party = "other_party"


class Duration(StrEnum):
    brief = "brief"
    intermediate = "intermediate"
    long = "long"


class Benefit(StrEnum):
    none = "none"
    some = "some"
    substantial = "substantial"


class Verdict(StrEnum):
    """Ordered from worst to best (DESIGN.md, Verdicts)."""

    prohibited = "prohibited"
    avoid = "avoid"
    proceed_with_safeguards = "proceed_with_safeguards"
    acceptable = "acceptable"

    @property
    def severity(self) -> int:
        """Higher is worse: acceptable 0 ... prohibited 3."""
        return _SEVERITY[self]

    def worse(self, other: Verdict) -> Verdict:
        return self if self.severity >= other.severity else other

    def is_worse_than(self, other: Verdict) -> bool:
        return self.severity > other.severity


_SEVERITY = {
    Verdict.acceptable: 0,
    Verdict.proceed_with_safeguards: 1,
    Verdict.avoid: 2,
    Verdict.prohibited: 3,
}


class PrimaryFactor(StrEnum):
    code_prohibition = "code_prohibition"
    power_differential = "power_differential"
    client_vulnerability = "client_vulnerability"
    role_conflict = "role_conflict"
    objectivity = "objectivity"
    exploitation_risk = "exploitation_risk"
    unavoidability = "unavoidability"
    none = "none"


class Action(StrEnum):
    """Ordered as a clinician would do them."""

    decline = "decline"
    wait = "wait"
    end_and_refer = "end_and_refer"
    refer = "refer"
    consult = "consult"
    document = "document"
    informed_consent = "informed_consent"
    set_boundaries = "set_boundaries"
    monitor = "monitor"
    supervision = "supervision"


ACTION_ORDER = {action: position for position, action in enumerate(Action)}


class FactorRole(StrEnum):
    decisive = "decisive"
    contributing = "contributing"
    considered_not_decisive = "considered_not_decisive"


class Level(IntEnum):
    """An ordinal strength used for residual power, vulnerability and role conflict."""

    negligible = 0
    low = 1
    moderate = 2
    high = 3
    very_high = 4

    @classmethod
    def clamp(cls, value: int) -> Level:
        return _LEVELS[max(0, min(4, value))]


_LEVELS = tuple(Level)  # by value: the what-ifs clamp thousands of times a second


class CodeId(StrEnum):
    """Codes a practitioner can name in ``practitioner.codes``; each has a rule pack."""

    APA = "APA"
    ACA = "ACA"
    NASW = "NASW"
    AAMFT = "AAMFT"
    CRCC = "CRCC"
    BACB = "BACB"
    BACB_RBT = "BACB-RBT"
    APA_PSYCHIATRY = "APA-PSYCHIATRY"
    AMA = "AMA"


PROFESSION_CODES: dict[Profession, tuple[CodeId, ...]] = {
    # The profession's own code (DESIGN.md, case format 1). Psychiatrists are
    # bound by the American Psychiatric Association's annotations, which sit on
    # top of the AMA Principles of Medical Ethics, so both apply.
    Profession.psychologist: (CodeId.APA,),
    Profession.counselor: (CodeId.ACA,),
    Profession.social_worker: (CodeId.NASW,),
    Profession.marriage_family_therapist: (CodeId.AAMFT,),
    Profession.rehabilitation_counselor: (CodeId.CRCC,),
    Profession.behavior_analyst: (CodeId.BACB,),
    Profession.behavior_technician: (CodeId.BACB_RBT,),
    Profession.psychiatrist: (CodeId.APA_PSYCHIATRY, CodeId.AMA),
    Profession.other: (),
}
