"""The closed vocabularies of the registry (stored as text; renaming one needs a migration)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    clinician = "clinician"
    supervisor = "supervisor"
    admin = "admin"


class CaseStatus(StrEnum):
    open = "open"
    closed = "closed"


class ConsultantRole(StrEnum):
    """Whom the clinician consulted (DESIGN.md, safeguards: consultation)."""

    supervisor = "supervisor"
    colleague = "colleague"
    ethics_committee = "ethics_committee"
    ethics_consultation_service = "ethics_consultation_service"
    professional_association = "professional_association"
    licensing_board = "licensing_board"
    attorney = "attorney"
    risk_management = "risk_management"
    other = "other"


class Decision(StrEnum):
    """What the clinician decided to do about the second relationship."""

    proceed = "proceed"
    proceed_with_safeguards = "proceed_with_safeguards"
    wait = "wait"
    decline = "decline"
    end_and_refer = "end_and_refer"
    refer = "refer"
    undecided = "undecided"


class ConsentMethod(StrEnum):
    written = "written"
    verbal = "verbal"
    electronic = "electronic"


class SignOffOutcome(StrEnum):
    approved = "approved"
    changes_requested = "changes_requested"


class ReviewReason(StrEnum):
    """Why a case is due for re-assessment (see :mod:`reviews`)."""

    waiting_period_ends = "waiting_period_ends"
    ongoing_relationship = "ongoing_relationship"
    unavoidable_relationship = "unavoidable_relationship"
    community_overlap = "community_overlap"
    safeguards_monitoring = "safeguards_monitoring"
