"""The start page, the built-in examples, the accessibility statement and the API reference."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..core.case_loading import parse_case
from ..core.explanation import VERDICT_LABELS, VERDICT_MEANINGS
from ..core.interview import answers_from_case
from .interview_form import state_json
from .rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    verdicts = [(v.value, VERDICT_LABELS[v], VERDICT_MEANINGS[v]) for v in VERDICT_LABELS]
    return render(request, "home.html", section="home", verdicts=verdicts)


def example_entries() -> list[dict[str, str]]:
    from ..cli.examples import builtin_examples

    entries = []
    for example in builtin_examples():
        case = parse_case(example.text, source=f"example:{example.name}")
        entries.append({"name": example.name, "title": example.title,
                        "state": state_json(answers_from_case(case), set(), case.as_of)})
    return entries


@router.get("/examples", response_class=HTMLResponse)
async def examples(request: Request) -> HTMLResponse:
    return render(request, "examples.html", section="examples", examples=example_entries())


@router.get("/accessibility", response_class=HTMLResponse)
async def accessibility(request: Request) -> HTMLResponse:
    return render(request, "accessibility.html", section="accessibility")


@router.get("/api/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> HTMLResponse:
    """A readable, script-free reference built from the OpenAPI document."""
    document = request.app.openapi()
    operations: list[dict[str, Any]] = []
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append({
                "method": method.upper(), "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [(p.get("name"), p.get("in"), p.get("required", False),
                                p.get("description", "")) for p in operation.get(
                                    "parameters", [])],
                "responses": sorted(str(code) for code in operation.get("responses", {})),
                "auth": "no account needed" if path in ("/api/assessments", "/healthz",
                                                        "/api/session") else "signed in",
            })
    return render(request, "api_docs.html", section="api", operations=operations,
                  description=document.get("info", {}).get("description", ""))
