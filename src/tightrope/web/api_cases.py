"""The case registry over JSON: cases, assessments, consultations, consent, reviews, users.

Every endpoint needs a session (``POST /api/session``) and, when it changes
something, the ``X-CSRF-Token`` header. Authorization is the registry's: a case
that is not yours and a case that does not exist both answer 404
``case-not-found``, so an id reveals nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from ..core.case import Case
from ..core.case_loading import case_from_data
from ..core.errors import CaseError, Problem
from ..registry.actors import Actor
from ..registry.inputs import ConsentInput, ConsultationInput, SignOffInput
from ..registry.views import (
    AssessmentOutcome,
    AuditEntry,
    CaseDetail,
    CaseSummary,
    ConsentView,
    ConsultationView,
    SignOffView,
    UserView,
)
from ..registry.vocabulary import CaseStatus, Role
from .auth import api_actor
from .context import context
from .openapi import CASE_MARK, error_responses

router = APIRouter(tags=["registry"])

# Read as plain data and validated by the core (its errors name the field and the allowed
# values); the OpenAPI document points the marked schema at the format-1 Case.
CaseData = Annotated[dict[str, Any], WithJsonSchema({"type": "object", CASE_MARK: True})]
CaseId = Annotated[str, Path(min_length=1, max_length=64, description="A case id")]
Signed = Annotated[Actor, Depends(api_actor)]
ERRORS = error_responses(401, 403, 404, 409, 422)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewCase(_Body):
    client_ref: str = Field(min_length=1, max_length=64, description="Initials or a "
                            "pseudonymous id; never the client's name")
    case: CaseData
    note: str | None = Field(default=None, max_length=20_000, repr=False)
    as_of: dt.date | None = None


class Reassessment(_Body):
    case: CaseData | None = Field(default=None, description="New facts (a new revision); "
                                  "omit to reassess the stored facts with today's packs")
    note: str | None = Field(default=None, max_length=20_000, repr=False)
    as_of: dt.date | None = None


class NewUser(_Body):
    username: str = Field(min_length=1, max_length=64)
    role: Role = Role.clinician
    display_name: str | None = Field(default=None, max_length=200)
    supervisor: str | None = Field(default=None, max_length=64)
    password: str | None = Field(default=None, max_length=1024, repr=False)


def registry(request: Request) -> Any:
    return context(request).need_registry()


def case_in(data: dict[str, Any]) -> Case:
    """A case from a request body, with problem paths given from the body's root."""
    try:
        return case_from_data(data, source="case")
    except CaseError as error:
        raise CaseError(code=error.code, problems=[
            Problem(p.code, p.message, f"case.{p.path}" if p.path else "case", p.line, p.hint)
            for p in error.problems]) from None


@router.get("/api/cases", summary="Cases you may see (own, supervisees' or both)",
            response_model=list[CaseSummary], responses=ERRORS)
def list_cases(request: Request, actor: Signed,
               scope: Literal["own", "supervisees", "all"] = "all",
               due_by: Annotated[dt.date | None, Query(description="Only cases due for "
                                                        "re-assessment by this date")] = None,
               status: Literal["open", "closed", "any"] = "open",
               limit: Annotated[int, Query(ge=1, le=500)] = 100,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
               ) -> list[CaseSummary]:
    found: list[CaseSummary] = registry(request).cases.find(
        actor, scope=scope, due_by=due_by,
        status=None if status == "any" else CaseStatus(status), limit=limit, offset=offset)
    return found


@router.post("/api/cases", summary="Keep a new case and its first assessment", status_code=201,
             response_model=AssessmentOutcome, responses=ERRORS)
def create_case(request: Request, actor: Signed, body: NewCase) -> AssessmentOutcome:
    ctx = context(request)
    case = case_in(body.case)
    outcome: AssessmentOutcome = ctx.need_registry().cases.create(
        actor, case, body.client_ref, as_of=body.as_of, note=body.note)
    return outcome


@router.get("/api/cases/{case_id}", summary="A case with every revision, assessment, "
            "consultation, consent and sign-off", response_model=CaseDetail, responses=ERRORS)
def show_case(request: Request, actor: Signed, case_id: CaseId) -> CaseDetail:
    detail: CaseDetail = registry(request).cases.show(actor, case_id)
    return detail


@router.post("/api/cases/{case_id}/assessments", summary="Reassess (with new facts: a new "
             "revision)", status_code=201, response_model=AssessmentOutcome, responses=ERRORS)
def reassess_case(request: Request, actor: Signed, case_id: CaseId,
                  body: Reassessment) -> AssessmentOutcome:
    ctx = context(request)
    case = case_in(body.case) if body.case is not None else None
    outcome: AssessmentOutcome = ctx.need_registry().cases.reassess(
        actor, case_id, case=case, as_of=body.as_of, note=body.note)
    return outcome


@router.get("/api/cases/{case_id}/audit", summary="The case's audit trail (no content)",
            response_model=list[AuditEntry], responses=ERRORS)
def case_audit(request: Request, actor: Signed, case_id: CaseId) -> list[AuditEntry]:
    entries: list[AuditEntry] = registry(request).cases.history(actor, case_id)
    return entries


@router.post("/api/cases/{case_id}/consultations", summary="Record a consultation",
             status_code=201, response_model=ConsultationView, responses=ERRORS)
def record_consultation(request: Request, actor: Signed, case_id: CaseId,
                        body: ConsultationInput) -> ConsultationView:
    view: ConsultationView = registry(request).safeguards.consult(actor, case_id, body)
    return view


@router.post("/api/cases/{case_id}/consents", summary="Record the client's informed consent",
             status_code=201, response_model=ConsentView, responses=ERRORS)
def record_consent(request: Request, actor: Signed, case_id: CaseId,
                   body: ConsentInput) -> ConsentView:
    view: ConsentView = registry(request).safeguards.consent(actor, case_id, body)
    return view


@router.post("/api/cases/{case_id}/reviews", summary="A supervisor's review: approve or ask "
             "for changes", status_code=201, response_model=SignOffView, responses=ERRORS)
def review_case(request: Request, actor: Signed, case_id: CaseId,
                body: SignOffInput) -> SignOffView:
    view: SignOffView = registry(request).safeguards.sign_off(actor, case_id, body)
    return view


@router.post("/api/cases/{case_id}/close", summary="Close a case", response_model=CaseSummary,
             responses=ERRORS)
def close_case(request: Request, actor: Signed, case_id: CaseId) -> CaseSummary:
    view: CaseSummary = registry(request).cases.close(actor, case_id)
    return view


@router.post("/api/cases/{case_id}/reopen", summary="Reopen a closed case",
             response_model=CaseSummary, responses=ERRORS)
def reopen_case(request: Request, actor: Signed, case_id: CaseId) -> CaseSummary:
    view: CaseSummary = registry(request).cases.reopen(actor, case_id)
    return view


@router.get("/api/reviews", summary="Your supervisees' open cases, for review",
            response_model=list[CaseSummary], responses=ERRORS)
def reviews(request: Request, actor: Signed) -> list[CaseSummary]:
    found: list[CaseSummary] = registry(request).cases.find(actor, scope="supervisees")
    return found


@router.get("/api/users", summary="Every account (admins only)", response_model=list[UserView],
            responses=ERRORS)
def list_users(request: Request, actor: Signed) -> list[UserView]:
    users: list[UserView] = registry(request).accounts.list_users(actor)
    return users


@router.post("/api/users", summary="Create an account (admins only)", status_code=201,
             response_model=UserView, responses=ERRORS)
def create_user(request: Request, actor: Signed, body: NewUser) -> UserView:
    view: UserView = registry(request).accounts.create_user(
        actor, body.username, role=body.role, display_name=body.display_name,
        supervisor=body.supervisor, password=body.password)
    return view


@router.post("/api/users/{username}/disable", summary="Disable an account (admins only)",
             response_model=UserView, responses=ERRORS)
def disable_user(request: Request, actor: Signed,
                 username: Annotated[str, Path(min_length=1, max_length=64)]) -> UserView:
    view: UserView = registry(request).accounts.disable_user(actor, username)
    return view


@router.post("/api/users/{username}/enable", summary="Enable an account (admins only)",
             response_model=UserView, responses=ERRORS)
def enable_user(request: Request, actor: Signed,
                username: Annotated[str, Path(min_length=1, max_length=64)]) -> UserView:
    view: UserView = registry(request).accounts.enable_user(actor, username)
    return view
