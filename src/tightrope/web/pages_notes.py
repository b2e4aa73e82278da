"""Note downloads: the chart note of a saved case (with its safeguards), or of a result.

The notes themselves are built by :func:`~tightrope.core.note.build_note` and
rendered by :func:`~tightrope.render.note_output.render_note` (PDF, HTML,
Markdown, FHIR R4, JSON); this module only gathers what the registry holds about
the case into a :class:`~tightrope.core.note.NoteContext`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from .auth import require_actor
from .context import context
from .errors import WebError
from .interview_form import read_step
from .labels import label
from .rendering import check_csrf

if TYPE_CHECKING:
    from ..core.note import NoteContext
    from ..registry.views import CaseDetail

router = APIRouter(include_in_schema=False)


def _format(name: str) -> Any:
    try:
        from ..render.note_output import NoteFormat
    except ModuleNotFoundError:
        raise WebError(404, "not-found", "Notes are not available on this server.") from None
    try:
        return NoteFormat(name)
    except ValueError:
        raise WebError(404, "not-found", f"There is no note format {name!r}.") from None


def _now(request: Request) -> dt.datetime:
    return dt.datetime.fromtimestamp(context(request).clock()).astimezone()


def note_context(detail: CaseDetail, as_of: dt.date) -> NoteContext:
    """What the registry knows about the case, as the note's context; any part that the
    note would refuse (a reference in another style, a past review date) is left out."""
    from ..core.note import Consent, Consultation, NoteContext

    latest = detail.latest
    approved = [s for s in detail.sign_offs
                if latest and s.assessment == latest.number and s.outcome.value == "approved"]
    consent = detail.consents[-1] if detail.consents else None
    data: dict[str, Any] = {
        "client_ref": detail.summary.client_ref,
        "consultations": [Consultation(
            who=c.consultant, role=label(c.consultant_role), consulted_on=c.consulted_on,
            advice=c.advice, decision=label(c.decision) if c.decision else None,
            rationale=c.rationale) for c in detail.consultations],
        "consent": Consent(given=True, given_on=consent.given_on,
                           how=label(consent.method) + (f": {consent.note}" if consent.note
                                                        else "")) if consent else None,
        "reassess_on": detail.summary.review_due_on
        if detail.summary.review_due_on and detail.summary.review_due_on >= as_of else None,
        "reviewed_by": f"{approved[-1].supervisor} (approved {approved[-1].created_at:%Y-%m-%d})"
        if approved else None,
    }
    try:
        return NoteContext.model_validate(data)
    except ValidationError:
        data["client_ref"] = None
        return NoteContext.model_validate(data)


def _download(body: bytes, fmt: Any, filename: str) -> Response:
    return Response(body, media_type=fmt.media_type, headers={
        "content-disposition": f'attachment; filename="{filename}"'})


@router.get("/cases/{case_id}/note.{fmt}")
async def case_note(request: Request, case_id: str, fmt: str) -> Response:
    from ..core.note import build_note
    from ..render.note_output import note_filename, render_note

    kind = _format(fmt)
    actor = require_actor(request)
    detail = context(request).need_registry().cases.show(actor, case_id)
    latest = detail.latest
    if latest is None:
        raise WebError(404, "not-found", "This case has no assessment yet.")
    revision = next(r for r in detail.revisions if r.number == latest.revision)
    note = build_note(revision.case, latest.result, note_context(detail, latest.as_of),
                      generated_at=_now(request))
    return _download(render_note(note, kind), kind, note_filename(note, kind))


@router.post("/interview/note")
async def interview_note(request: Request) -> Response:
    """The note of an unsaved result (no safeguards on record yet)."""
    from ..core.interview import plan_interview
    from ..core.note import build_note
    from ..render.note_output import note_filename, render_note

    form = await request.form()
    check_csrf(request, form)
    kind = _format(str(form.get("format") or ""))
    posted = read_step(form)
    ctx = context(request)
    state = plan_interview(posted.answers, ctx.library, posted.as_of or ctx.today(),
                           skipped=posted.skipped)
    if state.case is None or state.assessment is None:
        raise WebError(422, "bad-request", "Answer the first three questions before asking "
                       "for a note.")
    note = build_note(state.case, state.assessment, generated_at=_now(request))
    return _download(render_note(note, kind), kind, note_filename(note, kind))
