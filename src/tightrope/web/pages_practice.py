"""Practice: exam-style vignettes graded by the same engine, explained the same way.

Built on the practice package's UI-free functions (the vignette bank, question
generation and grading). Stateless: a question is identified by its vignette,
kind and seed, so answering it regenerates the same question to grade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from .context import context
from .errors import WebError
from .rendering import check_csrf, render

if TYPE_CHECKING:
    from ..practice.bank import Bank
    from ..practice.questions import Question

router = APIRouter(include_in_schema=False)

DEFAULT_SEED = 1


def _bank(request: Request) -> Bank:
    from ..practice.bank import Bank

    cache = context(request).cache
    if "practice-bank" not in cache:
        cache["practice-bank"] = Bank.builtin()
    bank: Bank = cache["practice-bank"]
    return bank


def _question(request: Request, vignette_id: str, kind: str, seed: int) -> Question:
    from ..core.errors import TightropeError
    from ..practice.neighbours import neighbouring_rules
    from ..practice.questions import generate_question
    from ..practice.verification import assess_vignette
    from ..practice.vocabulary import QuestionKind

    ctx = context(request)
    try:
        vignette = _bank(request).get(vignette_id)
        wanted = QuestionKind(kind)
    except (TightropeError, ValueError):
        raise WebError(404, "not-found", "There is no such practice question.") from None
    key = f"practice-material:{vignette_id}"
    if key not in ctx.cache:
        ctx.cache[key] = (assess_vignette(vignette, ctx.library),
                          neighbouring_rules(vignette.case, vignette.as_of, ctx.library))
    assessment, neighbours = ctx.cache[key]
    found = generate_question(vignette, assessment, neighbours, wanted, seed=seed)
    if found is None:
        raise WebError(404, "not-found", "This vignette has no question of that kind.")
    return found


@router.get("/practice", response_class=HTMLResponse)
async def practice_home(request: Request) -> Response:
    vignettes: list[dict[str, Any]] = [
        {"id": v.id, "title": v.title, "exams": [e.value for e in v.exams],
         "profession": v.profession.value} for v in _bank(request).vignettes]
    return render(request, "practice.html", section="practice", vignettes=vignettes)


@router.get("/practice/{vignette_id}", response_class=HTMLResponse)
async def practice_question(request: Request, vignette_id: str, kind: str = "verdict",
                            seed: int = DEFAULT_SEED) -> Response:
    question = _question(request, vignette_id, kind, seed)
    return render(request, "practice_question.html", section="practice", question=question,
                  seed=seed, graded=None, errors=[])


@router.post("/practice/{vignette_id}", response_class=HTMLResponse)
async def practice_answer(request: Request, vignette_id: str) -> Response:
    from ..practice.questions import grade

    form = await request.form()
    check_csrf(request, form)
    kind = str(form.get("kind") or "verdict")
    try:
        seed = int(str(form.get("seed") or DEFAULT_SEED))
    except ValueError:
        seed = DEFAULT_SEED
    question = _question(request, vignette_id, kind, seed)
    key = str(form.get("answer") or "")
    if question.choice(key) is None:
        return render(request, "practice_question.html", status=422, section="practice",
                      question=question, seed=seed, graded=None, errors=[
                          {"message": "Choose one of the answers.",
                           "href": f"#choice-{question.choices[0].key.lower()}"}])
    return render(request, "practice_question.html", section="practice", question=question,
                  seed=seed, graded=grade(question, key), errors=[])
