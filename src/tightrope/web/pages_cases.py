"""The case registry pages: my cases, due re-assessments, a case's history, safeguards, sign-off.

Every read and write goes through the registry's services, which decide who may
see or change what (a case that is not yours looks exactly like one that does
not exist). Routes only translate forms into service calls and views into pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..core.errors import Problem, TightropeError
from ..core.interview import answers_from_case, plan_interview
from ..registry.inputs import ConsentInput, ConsultationInput, SignOffInput, parse_input
from ..registry.vocabulary import (
    CaseStatus,
    ConsentMethod,
    ConsultantRole,
    Decision,
    SignOffOutcome,
)
from .auth import require_actor
from .context import context
from .interview_form import Posted, answered_views, read_state
from .rendering import check_csrf, errors_for, render, result_values

if TYPE_CHECKING:
    from ..registry.views import CaseDetail

router = APIRouter(include_in_schema=False)

FORM_ERRORS = ("invalid-input", "client-ref-required", "invalid-client-ref",
               "client-ref-identifier", "client-ref-looks-like-name", "case-closed",
               "assessment-not-found", "bad-date")


def _plan(request: Request, posted: Posted) -> Any:
    ctx = context(request)
    return plan_interview(posted.answers, ctx.library, posted.as_of or ctx.today(),
                          skipped=posted.skipped)


def save_form_page(request: Request, pending: str, *, status: int = 200,
                   save_error: str | None = None, client_ref: str = "",
                   note: str = "") -> HTMLResponse:
    """The result of a carried interview, with the form that saves it."""
    from .pages_interview import interview_page, result_page

    posted = read_state(pending)
    state = _plan(request, posted)
    if state.assessment is None:
        return interview_page(request, state, posted)
    errors = [{"message": save_error, "href": "#client-ref"}] if save_error else []
    response = result_page(request, state, posted, save_error=save_error,
                           client_ref=client_ref, note=note, errors=errors)
    response.status_code = status
    return response


@router.post("/cases/new", response_class=HTMLResponse)
async def save_new(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form)
    actor = require_actor(request)
    pending = str(form.get("state") or "")
    client_ref = str(form.get("client_ref") or "")
    note = str(form.get("note") or "").strip()
    posted = read_state(pending)
    state = _plan(request, posted)
    if state.case is None:
        return save_form_page(request, pending)
    try:
        outcome = context(request).need_registry().cases.create(
            actor, state.case, client_ref, as_of=posted.as_of, note=note or None)
    except TightropeError as error:
        if error.code not in FORM_ERRORS:
            raise
        return save_form_page(request, pending, status=422, save_error=_message(error),
                              client_ref=client_ref, note=note)
    return RedirectResponse(f"/cases/{outcome.case_id}?saved=1", status_code=303)


@router.post("/cases/{case_id}/revise", response_class=HTMLResponse)
async def save_revision(request: Request, case_id: str) -> Response:
    form = await request.form()
    check_csrf(request, form)
    actor = require_actor(request)
    posted = read_state(str(form.get("state") or ""))
    state = _plan(request, posted)
    if state.case is None:
        return save_form_page(request, str(form.get("state") or ""))
    note = str(form.get("note") or "").strip()
    context(request).need_registry().cases.reassess(actor, case_id, case=state.case,
                                                    as_of=posted.as_of, note=note or None)
    return RedirectResponse(f"/cases/{case_id}?saved=1", status_code=303)


def _message(error: TightropeError) -> str:
    problem = error.problems[0] if error.problems else Problem(error.code, error.code)
    return problem.message + (f" ({problem.hint})" if problem.hint else "")


@router.get("/cases", response_class=HTMLResponse)
async def list_cases(request: Request, due: int = 0, status: str = "open") -> Response:
    actor = require_actor(request)
    registry = context(request).need_registry()
    wanted = CaseStatus.closed if status == "closed" else CaseStatus.open
    due_by = context(request).today() if due else None
    own = registry.cases.find(actor, scope="own", due_by=due_by, status=wanted) \
        if actor.may_own_cases else []
    supervised = registry.cases.find(actor, scope="supervisees", due_by=due_by, status=wanted) \
        if actor.role.value in ("supervisor", "admin") else []
    heading = "Cases due for re-assessment" if due else (
        "Closed cases" if wanted is CaseStatus.closed else "My cases")
    return render(request, "cases.html", section="cases", heading=heading, own=own,
                  supervised=supervised, due=bool(due), list_status=wanted.value)


@router.get("/reviews", response_class=HTMLResponse)
async def reviews(request: Request) -> Response:
    actor = require_actor(request)
    supervised = context(request).need_registry().cases.find(actor, scope="supervisees")
    return render(request, "reviews.html", section="reviews", supervised=supervised)


def _case_values(request: Request, detail: CaseDetail) -> dict[str, Any]:
    actor = require_actor(request)
    latest = detail.latest
    revision = next((r for r in detail.revisions if latest and r.number == latest.revision),
                    detail.revisions[-1] if detail.revisions else None)
    values: dict[str, Any] = {"detail": detail, "summary": detail.summary,
                              "is_owner": detail.summary.owner == actor.username,
                              "revision": revision,
                              "answered": answered_views(answers_from_case(revision.case))
                              if revision else []}
    if latest is not None:
        values.update(result_values(latest.result, revision.case if revision else None))
    return values


def _form_choices() -> dict[str, Any]:
    return {"consultant_roles": list(ConsultantRole), "decisions": list(Decision),
            "consent_methods": list(ConsentMethod), "outcomes": list(SignOffOutcome)}


def case_page(request: Request, case_id: str, *, status: int = 200,
              form_errors: dict[str, list[dict[str, str | None]]] | None = None,
              form_values: dict[str, str] | None = None) -> HTMLResponse:
    actor = require_actor(request)
    registry = context(request).need_registry()
    detail = registry.cases.show(actor, case_id)
    audit = registry.cases.history(actor, case_id)
    return render(request, "case.html", status=status, section="cases", audit=audit,
                  saved=request.query_params.get("saved") == "1",
                  form_errors=form_errors or {}, form_values=form_values or {},
                  today=context(request).today().isoformat(), notes=note_formats(),
                  **_case_values(request, detail), **_form_choices())


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def show_case(request: Request, case_id: str) -> Response:
    return case_page(request, case_id)


@router.get("/cases/{case_id}/print", response_class=HTMLResponse)
async def print_case(request: Request, case_id: str) -> Response:
    actor = require_actor(request)
    detail = context(request).need_registry().cases.show(actor, case_id)
    values = _case_values(request, detail)
    if detail.latest is None:
        return case_page(request, case_id)
    return render(request, "print.html", client_ref=detail.summary.client_ref, **values)


@router.get("/cases/{case_id}/interview", response_class=HTMLResponse)
async def resume(request: Request, case_id: str) -> Response:
    """Continue or revise a saved case's interview from its latest facts."""
    from .pages_interview import interview_page

    actor = require_actor(request)
    detail = context(request).need_registry().cases.show(actor, case_id)
    if not detail.revisions:
        return case_page(request, case_id)
    case = detail.revisions[-1].case
    posted = Posted(answers_from_case(case), set(), [], as_of=None, case_id=case_id)
    return interview_page(request, _plan(request, posted), posted)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    check_csrf(request, form)
    return {k: str(v) for k, v in form.items() if isinstance(v, str)}


def _optional(values: dict[str, str], *names: str) -> dict[str, str | None]:
    return {name: (values.get(name) or "").strip() or None for name in names}


def _problems(error: TightropeError) -> list[dict[str, str | None]]:
    return errors_for(list(error.problems), {})


@router.post("/cases/{case_id}/consultations", response_class=HTMLResponse)
async def record_consultation(request: Request, case_id: str) -> Response:
    values = await _form(request)
    actor = require_actor(request)
    data: dict[str, Any] = {"consultant": values.get("consultant", ""),
                            "consultant_role": values.get("consultant_role", ""),
                            "consulted_on": values.get("consulted_on", ""),
                            "advice": values.get("advice", ""),
                            **_optional(values, "decision", "rationale")}
    try:
        entry = parse_input(ConsultationInput, data, what="consultation")
        context(request).need_registry().safeguards.consult(actor, case_id, entry)
    except TightropeError as error:
        if error.code not in FORM_ERRORS:
            raise
        return case_page(request, case_id, status=422,
                         form_errors={"consultation": _problems(error)}, form_values=values)
    return RedirectResponse(f"/cases/{case_id}#consultations-title", status_code=303)


@router.post("/cases/{case_id}/consents", response_class=HTMLResponse)
async def record_consent(request: Request, case_id: str) -> Response:
    values = await _form(request)
    actor = require_actor(request)
    data: dict[str, Any] = {"given_on": values.get("given_on", ""),
                            "method": values.get("method", ""), **_optional(values, "note")}
    try:
        entry = parse_input(ConsentInput, data, what="consent")
        context(request).need_registry().safeguards.consent(actor, case_id, entry)
    except TightropeError as error:
        if error.code not in FORM_ERRORS:
            raise
        return case_page(request, case_id, status=422,
                         form_errors={"consent": _problems(error)}, form_values=values)
    return RedirectResponse(f"/cases/{case_id}#consents-title", status_code=303)


@router.post("/cases/{case_id}/sign-off", response_class=HTMLResponse)
async def sign_off(request: Request, case_id: str) -> Response:
    values = await _form(request)
    actor = require_actor(request)
    data: dict[str, Any] = {"outcome": values.get("outcome", ""),
                            **_optional(values, "comment")}
    try:
        entry = parse_input(SignOffInput, data, what="sign-off")
        context(request).need_registry().safeguards.sign_off(actor, case_id, entry)
    except TightropeError as error:
        if error.code not in FORM_ERRORS:
            raise
        return case_page(request, case_id, status=422,
                         form_errors={"sign_off": _problems(error)}, form_values=values)
    return RedirectResponse(f"/cases/{case_id}?signed=1#sign-offs-title", status_code=303)


@router.post("/cases/{case_id}/reassess", response_class=HTMLResponse)
async def reassess(request: Request, case_id: str) -> Response:
    await _form(request)
    actor = require_actor(request)
    context(request).need_registry().cases.reassess(actor, case_id)
    return RedirectResponse(f"/cases/{case_id}?saved=1", status_code=303)


@router.post("/cases/{case_id}/close", response_class=HTMLResponse)
async def close(request: Request, case_id: str) -> Response:
    await _form(request)
    actor = require_actor(request)
    context(request).need_registry().cases.close(actor, case_id)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/reopen", response_class=HTMLResponse)
async def reopen(request: Request, case_id: str) -> Response:
    await _form(request)
    actor = require_actor(request)
    context(request).need_registry().cases.reopen(actor, case_id)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


def note_formats() -> list[tuple[str, str]]:
    """The note downloads on offer: every format the notes renderer provides."""
    try:
        from ..render.note_output import NoteFormat
    except ModuleNotFoundError:
        return []
    names = {"pdf": "PDF", "html": "HTML", "md": "Markdown", "fhir": "FHIR R4 bundle",
             "json": "JSON"}
    return [(fmt.value, names.get(fmt.value, fmt.value)) for fmt in NoteFormat]

