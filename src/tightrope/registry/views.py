"""What the registry returns: frozen output models, separate from storage and input models.

Free text (notes, advice, rationale, the consultant's name, the case itself) is
kept out of ``repr`` so that a stray log line or traceback never shows it.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from ..core.assessment import Assessment
from ..core.case import Case
from ..core.vocabulary import Verdict
from .vocabulary import (
    CaseStatus,
    ConsentMethod,
    ConsultantRole,
    Decision,
    ReviewReason,
    Role,
    SignOffOutcome,
)


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UserView(_View):
    id: str
    username: str
    display_name: str
    role: Role
    supervisor: str | None  # username
    disabled: bool
    has_password: bool
    created_at: dt.datetime


class CaseSummary(_View):
    id: str
    client_ref: str = Field(repr=False)
    owner: str  # username
    status: CaseStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    revisions: int
    assessments: int
    latest_verdict: Verdict | None
    latest_until: dt.date | None
    review_due_on: dt.date | None
    review_reason: ReviewReason | None


class RevisionView(_View):
    id: str
    number: int
    created_at: dt.datetime
    author: str
    case: Case = Field(repr=False)
    note: str | None = Field(default=None, repr=False)


class PackPin(_View):
    id: str
    version: str
    sha256: str


class AssessmentView(_View):
    """A stored assessment, exactly as the tool gave it then; never re-run."""

    id: str
    number: int
    revision: int
    created_at: dt.datetime
    actor: str
    as_of: dt.date
    verdict: Verdict
    until: dt.date | None
    engine_version: str
    packs: tuple[PackPin, ...]
    review_due_on: dt.date | None
    review_reason: ReviewReason | None
    result: Assessment = Field(repr=False)


class ConsultationView(_View):
    id: str
    recorded_by: str
    created_at: dt.datetime
    consulted_on: dt.date
    consultant_role: ConsultantRole
    consultant: str = Field(repr=False)
    advice: str = Field(repr=False)
    decision: Decision | None
    rationale: str | None = Field(default=None, repr=False)


class ConsentView(_View):
    id: str
    recorded_by: str
    created_at: dt.datetime
    given_on: dt.date
    method: ConsentMethod
    note: str | None = Field(default=None, repr=False)


class SignOffView(_View):
    id: str
    assessment: int
    supervisor: str
    created_at: dt.datetime
    outcome: SignOffOutcome
    comment: str | None = Field(default=None, repr=False)


class CaseDetail(_View):
    summary: CaseSummary
    revisions: tuple[RevisionView, ...]
    assessments: tuple[AssessmentView, ...]
    consultations: tuple[ConsultationView, ...]
    consents: tuple[ConsentView, ...]
    sign_offs: tuple[SignOffView, ...]

    @property
    def latest(self) -> AssessmentView | None:
        return self.assessments[-1] if self.assessments else None


class AssessmentOutcome(_View):
    """A new assessment (of a new or existing case), and what changed since the one before."""

    case_id: str
    client_ref: str = Field(repr=False)
    assessment: AssessmentView
    previous_verdict: Verdict | None
    pack_changes: tuple[str, ...]
    new_revision: bool


class AuditEntry(_View):
    seq: int
    at: dt.datetime
    actor: str | None
    action: str
    details: dict[str, object]
