"""The export file, format 1: every record of the chosen cases, free text in the clear.

This is the documented contract of ``tightrope cases export`` and ``import``
(docs/registry.md). Adding an optional field keeps ``format: 1``; renaming or
removing one needs ``format: 2`` and a converter. People are named by username;
records keep their ids, so an exported and re-imported case is the same case.
The case facts are format-1 case data and the assessment results are
assessment format 1, exactly as stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..core.vocabulary import Verdict
from .views import PackPin
from .vocabulary import (
    CaseStatus,
    ConsentMethod,
    ConsultantRole,
    Decision,
    ReviewReason,
    Role,
    SignOffOutcome,
)

EXPORT_KIND = "tightrope.cases"
DEIDENTIFIED_KIND = "tightrope.cases.deidentified"


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExportUser(_Part):
    username: str
    display_name: str
    role: Role


class ExportRevision(_Part):
    id: str
    number: int = Field(ge=1)
    created_at: dt.datetime
    author: str
    note: str | None = None
    case: dict[str, Any]  # case format 1


class ExportAssessment(_Part):
    id: str
    number: int = Field(ge=1)
    revision: int = Field(ge=1)
    created_at: dt.datetime
    actor: str
    as_of: dt.date
    verdict: Verdict
    until: dt.date | None = None
    engine_version: str
    packs: tuple[PackPin, ...]
    review_due_on: dt.date | None = None
    review_reason: ReviewReason | None = None
    result: dict[str, Any]  # assessment format 1, as stored


class ExportConsultation(_Part):
    id: str
    recorded_by: str
    created_at: dt.datetime
    consulted_on: dt.date
    consultant_role: ConsultantRole
    consultant: str
    advice: str
    decision: Decision | None = None
    rationale: str | None = None


class ExportConsent(_Part):
    id: str
    recorded_by: str
    created_at: dt.datetime
    given_on: dt.date
    method: ConsentMethod
    note: str | None = None


class ExportSignOff(_Part):
    id: str
    assessment: int = Field(ge=1)
    supervisor: str
    created_at: dt.datetime
    outcome: SignOffOutcome
    comment: str | None = None


class ExportCase(_Part):
    id: str
    owner: str
    client_ref: str
    status: CaseStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None = None
    revisions: tuple[ExportRevision, ...] = Field(min_length=1)
    assessments: tuple[ExportAssessment, ...] = Field(min_length=1)
    consultations: tuple[ExportConsultation, ...] = ()
    consents: tuple[ExportConsent, ...] = ()
    sign_offs: tuple[ExportSignOff, ...] = ()


class ExportFile(_Part):
    format: Literal[1]
    kind: Literal["tightrope.cases"]
    exported_at: dt.datetime
    exported_by: str
    engine_version: str
    audit_head: str  # "seq:sha256" of the source registry when it was exported
    users: tuple[ExportUser, ...]
    cases: tuple[ExportCase, ...]
