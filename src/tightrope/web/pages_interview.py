"""The guided interview pages: one step at a time, a live verdict, a result.

``GET /interview`` starts; each ``POST /interview`` reads the step, asks the core
interview what the engine still needs (:func:`~tightrope.core.interview.plan_interview`)
and shows the next questions, the errors to fix, or the result. With HTMX loaded,
``POST /interview/preview`` updates the live verdict as answers change; without
scripts the same verdict is shown on every step.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..core.interview import InterviewState, plan_interview
from ..core.questions import QUESTION_BY_FIELD
from .context import context
from .interview_form import (
    Posted,
    answered_views,
    html_id,
    read_step,
    state_json,
    step_questions,
)
from .rendering import check_csrf, errors_for, live_view, render, result_values

router = APIRouter(include_in_schema=False)

INTROS = {
    "first": "Three questions first. After that Tightrope asks only what could still change "
             "the verdict, and says why it asks.",
    "more": "These answers could still change the verdict. Leave a question blank, or choose "
            "“I don't know”, if you don't know: Tightrope then reads it cautiously.",
    "edit": "Change the answer, then continue.",
    "fix": "Some answers need another look.",
}


def plan(request: Request, posted: Posted | None) -> InterviewState:
    ctx = context(request)
    if posted is None:
        return plan_interview({}, ctx.library, ctx.today())
    return plan_interview(posted.answers, ctx.library, posted.as_of or ctx.today(),
                          skipped=posted.skipped)


def carried(state: InterviewState, posted: Posted | None) -> str:
    """The hidden ``state`` field: the answers, the skips, and a fixed date if there is one."""
    return state_json(dict(state.answers), state.skipped, posted.as_of if posted else None,
                      posted.case_id if posted else None)


def interview_page(request: Request, state: InterviewState, posted: Posted | None, *,
                   edit: str | None = None, status: int = 200) -> HTMLResponse:
    questions = step_questions(state, posted, edit=edit)
    problems = [*(posted.problems if posted else []), *state.problems]
    ids = {q.field: q.first_input_id for q in questions}
    if "professional.ended" in ids:
        ids["professional.months_since_end"] = html_id("professional.ended") + "-months"
    kind = "fix" if problems else "edit" if edit else "first" if state.case is None else "more"
    heading = {"first": "Describe the situation", "more": "A few more questions",
               "edit": "Change an answer", "fix": "Check your answers"}[kind]
    live, live_text = live_view(state)
    answers = dict(state.answers)
    return render(request, "interview.html", status=status, section="interview",
                  heading=heading, intro=INTROS[kind], questions=questions,
                  errors=errors_for(problems, ids), state=carried(state, posted),
                  answered=answered_views(answers), has_case=state.case is not None,
                  live=live, live_text=live_text)


def result_page(request: Request, state: InterviewState, posted: Posted | None,
                **extra: Any) -> HTMLResponse:
    assessment = state.assessment
    if assessment is None:  # not reachable through the forms; show the step instead
        return interview_page(request, state, posted)
    return render(request, "result.html", section="interview", state=carried(state, posted),
                  case_id=posted.case_id if posted else None,
                  complete=state.complete, remaining=state.asks,
                  **result_values(assessment, state.case), **extra)


def posted_clean(posted: Posted) -> Posted:
    """The posted step without its list of asked questions (the next step asks anew)."""
    return Posted(posted.answers, posted.skipped, [], [], posted.action, posted.as_of,
                  posted.case_id)


@router.get("/interview", response_class=HTMLResponse)
async def start(request: Request) -> HTMLResponse:
    return interview_page(request, plan(request, None), None)


@router.post("/interview", response_class=HTMLResponse)
async def step(request: Request) -> HTMLResponse:
    form = await request.form()
    check_csrf(request, form)
    posted = read_step(form)
    state = plan(request, posted)
    action = posted.action
    if posted.problems or state.problems:
        return interview_page(request, state, posted)
    if action.startswith("edit:") and action[5:] in QUESTION_BY_FIELD:
        return interview_page(request, state, posted_clean(posted), edit=action[5:])
    if action == "review" or state.case is None:
        return interview_page(request, state, posted_clean(posted))
    if action == "result" or state.complete:
        return result_page(request, state, posted)
    return interview_page(request, state, posted_clean(posted))


@router.post("/interview/preview", response_class=HTMLResponse)
async def preview(request: Request) -> HTMLResponse:
    """The live verdict for the answers on screen (HTMX); answers still being typed that
    cannot be read yet are left out rather than reported."""
    form = await request.form()
    check_csrf(request, form)
    posted = read_step(form, skip_blank=False)
    state = plan(request, posted)
    live, live_text = live_view(state)
    return render(request, "_live_update.html", live=live, live_text=live_text)


@router.post("/interview/print", response_class=HTMLResponse)
async def print_view(request: Request) -> HTMLResponse:
    form = await request.form()
    check_csrf(request, form)
    posted = read_step(form)
    state = plan(request, posted)
    if state.assessment is None:
        return interview_page(request, state, posted)
    return render(request, "print.html", state=carried(state, posted),
                  answered=answered_views(dict(state.answers)), client_ref=None,
                  **result_values(state.assessment, state.case))

