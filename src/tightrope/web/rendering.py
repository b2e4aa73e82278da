"""Rendering pages: the shared template variables, the verdict's symbols, CSRF checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from ..core.assessment import Assessment
from ..core.case import Case
from ..core.explanation import VERDICT_LABELS, explain, headline
from ..core.interview import InterviewState
from .auth import resolve_actor
from .context import context, page_vars, session
from .errors import WebError
from .power_view import power_picture

# Each verdict has a symbol of its own shape as well as its colour and its word:
# never colour alone (WCAG 1.4.1).
ICONS = {"prohibited": "✖", "avoid": "▲", "proceed_with_safeguards": "◆", "acceptable": "✓"}


def render(request: Request, name: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    ctx = context(request)
    resolve_actor(request)  # every page shows who is signed in
    data: dict[str, Any] = {"section": None, "icons": ICONS,
                            "has_practice": practice_available(), "errors": [],
                            "save_error": None, "client_ref": None, "note": None,
                            "case_id": None, "remaining": (), "pending": ""}
    data.update(page_vars(request))
    data.update(values)
    response: HTMLResponse = ctx.templates.TemplateResponse(request, name, data,
                                                             status_code=status)
    return response


def practice_available() -> bool:
    from importlib.util import find_spec

    try:
        return find_spec("tightrope.practice.questions") is not None
    except ModuleNotFoundError:
        return False


def check_csrf(request: Request, form: FormData | None = None) -> None:
    """Every state-changing request carries the session's CSRF token (form field or header)."""
    ctx = context(request)
    token = request.headers.get("x-csrf-token")
    if not token and form is not None:
        value = form.get("csrf_token")
        token = value if isinstance(value, str) else None
    if not ctx.codec.csrf_ok(session(request), token):
        raise WebError(403, "csrf-failed", "This form has expired or did not come from this "
                       "site. Go back, reload the page and try again.")


@dataclass(frozen=True)
class Live:
    verdict: str
    label: str
    icon: str
    headline: str
    remaining: str


def live_view(state: InterviewState) -> tuple[Live | None, str]:
    """The verdict so far, and the one sentence the live region announces."""
    assessment = state.assessment
    if assessment is None:
        return None, ("No verdict yet: answer the first three questions."
                      if not state.problems else "No verdict yet: please check the answers.")
    count = len(state.asks)
    remaining = ("Nothing left to answer could change it." if count == 0 else
                 f"{count} more question{'s' if count != 1 else ''} could change it.")
    text = headline(assessment)
    live = Live(assessment.verdict.value, VERDICT_LABELS[assessment.verdict],
                ICONS[assessment.verdict.value], text, remaining)
    return live, f"Verdict so far: {text}. {remaining}"


def result_values(assessment: Assessment, case: Case | None) -> dict[str, Any]:
    """What the result body template needs: the explanation and the power picture."""
    return {"view": explain(assessment), "power": power_picture(assessment, case)}


def errors_for(problems: list[Any], ids: dict[str, str]) -> list[dict[str, str | None]]:
    """The error summary: one line per problem, linked to its field when it has one."""
    items: list[dict[str, str | None]] = []
    for problem in problems:
        href = f"#{ids[problem.path]}" if problem.path in ids else None
        message = problem.message + (f" ({problem.hint})" if problem.hint else "")
        items.append({"message": message, "href": href})
    return items
