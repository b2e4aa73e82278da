"""The interview as HTML forms: reading a posted step, and the view of each question.

The interview needs no server-side state: the answers so far travel in one
hidden field (``state``, JSON) of each step's form, so the core flow works with
scripts off, without an account, and nothing is kept until the clinician saves
the case. Each step lists the questions it asked (``asked``); their inputs are
named ``q.<field>``. "I don't know" is an explicit choice and marks the field
skipped (still unknown, never asked again).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from ..core.errors import CaseError, Problem
from ..core.interview import ENDED, MONTHS, REQUIRED, Ask, InterviewState, parse_answer
from ..core.questions import QUESTION_BY_FIELD, QUESTIONS, Question
from .labels import answer_text, label

UNKNOWN = "__unknown__"
MAX_STATE_CHARS = 64_000


@dataclass
class Posted:
    """A posted step: the answers and skips so far, the step's problems, what was asked."""

    answers: dict[str, Any]
    skipped: set[str]
    asked: list[str]
    problems: list[Problem] = field(default_factory=list)
    action: str = "continue"
    as_of: dt.date | None = None  # a fixed assessment date (examples); else today
    case_id: str | None = None  # revising a saved case


def state_json(answers: dict[str, Any], skipped: set[str] | frozenset[str],
               as_of: dt.date | None = None, case_id: str | None = None) -> str:
    data: dict[str, Any] = {"answers": answers, "skipped": sorted(skipped)}
    if as_of is not None:
        data["as_of"] = as_of.isoformat()
    if case_id is not None:
        data["case_id"] = case_id
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)


def _read_extras(text: str) -> tuple[dt.date | None, str | None]:
    """The fixed date and the case being revised, if the state carries them."""
    try:
        data = json.loads(text) if text and len(text) <= MAX_STATE_CHARS else None
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    as_of, case_id = data.get("as_of"), data.get("case_id")
    try:
        when = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else None
    except ValueError:
        when = None
    ident = case_id if isinstance(case_id, str) and 0 < len(case_id) <= 64 else None
    return when, ident


def _read_state(text: str) -> tuple[dict[str, Any], set[str]]:
    if not text or len(text) > MAX_STATE_CHARS:
        return {}, set()
    try:
        data = json.loads(text)
    except ValueError:
        return {}, set()
    if not isinstance(data, dict):
        return {}, set()
    raw_answers = data.get("answers")
    raw_skipped = data.get("skipped")
    answers = {k: v for k, v in raw_answers.items() if k in QUESTION_BY_FIELD
               or k == MONTHS} if isinstance(raw_answers, dict) else {}
    skipped = {s for s in raw_skipped if isinstance(s, str) and s in QUESTION_BY_FIELD} \
        if isinstance(raw_skipped, list) else set()
    return answers, skipped


def read_state(text: str) -> Posted:
    """A carried state on its own (the save and sign-in forms)."""
    answers, skipped = _read_state(text)
    as_of, case_id = _read_extras(text)
    return Posted(answers, skipped, [], as_of=as_of, case_id=case_id)


def read_step(form: FormData, *, skip_blank: bool | None = None) -> Posted:
    """The answers after this step; problems name the fields that need another look.

    A question left blank counts as "I don't know" only when the clinician moves on
    (``continue``); changing another answer or asking for the result leaves it unasked.
    """
    raw_state = str(form.get("state") or "")
    answers, skipped = _read_state(raw_state)
    asked = [str(f) for f in form.getlist("asked") if str(f) in QUESTION_BY_FIELD]
    as_of, case_id = _read_extras(raw_state)
    posted = Posted(answers, skipped, asked, action=str(form.get("action") or "continue")[:80],
                    as_of=as_of, case_id=case_id)
    if skip_blank is None:
        skip_blank = posted.action == "continue"
    for name in asked:
        question = QUESTION_BY_FIELD[name]
        raw = [str(v) for v in form.getlist(f"q.{name}")]
        if name == ENDED:
            _read_end(form, posted, skip_blank)
            continue
        if UNKNOWN in raw:
            _skip(posted, name)
            continue
        if not skip_blank and not any(v.strip() for v in raw):
            continue  # nothing entered yet: neither an answer nor "I don't know"
        try:
            value = parse_answer(question, raw)
        except CaseError as error:
            posted.problems.extend(error.problems)
            posted.answers.pop(name, None)
            continue
        if value is None and name in REQUIRED:
            if skip_blank:
                posted.problems.append(Problem("missing-field", _missing(question), name, None,
                                               ""))
            posted.answers.pop(name, None)
        elif value is None:
            if skip_blank:
                _skip(posted, name)
        else:
            posted.answers[name] = value
            posted.skipped.discard(name)
    return posted


def _missing(question: Question) -> str:
    return f"Answer this question: {question.text[0].lower()}{question.text[1:]}"


def _skip(posted: Posted, name: str) -> None:
    posted.answers.pop(name, None)
    posted.skipped.add(name)


def _read_end(form: FormData, posted: Posted, skip_blank: bool) -> None:
    """The end date, or else approximate months since the end: one question, two ways."""
    date_raw = [str(v) for v in form.getlist(f"q.{ENDED}")]
    months_raw = [str(v) for v in form.getlist(f"q.{MONTHS}")]
    posted.answers.pop(ENDED, None)
    posted.answers.pop(MONTHS, None)
    if UNKNOWN in date_raw:
        posted.skipped.add(ENDED)
        return
    try:
        ended = parse_answer(QUESTION_BY_FIELD[ENDED], date_raw)
        months = parse_answer(QUESTION_BY_FIELD[MONTHS], months_raw)
    except CaseError as error:
        posted.problems.extend(error.problems)
        return
    if ended is not None:
        posted.answers[ENDED] = ended
    elif months is not None:
        posted.answers[MONTHS] = months
    else:
        if skip_blank:
            posted.skipped.add(ENDED)
        return
    posted.skipped.discard(ENDED)


# -- views -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True)
class QuestionView:
    field: str
    id: str
    text: str
    why: str
    because: str
    answer: str
    required: bool
    options: tuple[Option, ...]
    value: str  # for text, number and date inputs
    months: str  # the alternative to the end date
    error: str | None
    unknown_checked: bool
    rules: tuple[str, ...]

    @property
    def first_input_id(self) -> str:
        return self.options[0].id if self.options else self.id


def html_id(name: str) -> str:
    return "q-" + name.replace(".", "-").replace("_", "-")


def question_view(ask: Ask | Question, answers: dict[str, Any], skipped: set[str] | frozenset[
        str], errors: dict[str, str]) -> QuestionView:
    question = ask.question if isinstance(ask, Ask) else ask
    because = ask.because if isinstance(ask, Ask) else ""
    rules = ask.rules if isinstance(ask, Ask) else ()
    name = question.field
    base = html_id(name)
    current = answers.get(name)
    options: list[Option] = []
    if question.answer == "boolean":
        pairs = [("yes", "Yes", current is True), ("no", "No", current is False)]
        options = [Option(v, lab, f"{base}-{v}", checked) for v, lab, checked in pairs]
    elif question.answer in ("choice", "choices"):
        chosen = set(current) if isinstance(current, list) else {current}
        options = [Option(v, label(v), f"{base}-{v.lower().replace('_', '-')}", v in chosen)
                   for v in question.options]
    value = "" if current is None or isinstance(current, list | bool) else str(current)
    months = answers.get(MONTHS)
    return QuestionView(
        field=name, id=base, text=question.text, why=question.why, because=because,
        answer=question.answer, required=name in REQUIRED, options=tuple(options), value=value,
        months="" if months is None else f"{months:g}" if isinstance(months, float)
        else str(months),
        error=errors.get(name) or (errors.get(MONTHS) if name == ENDED else None),
        unknown_checked=name in skipped, rules=rules)


@dataclass(frozen=True)
class AnsweredView:
    field: str
    question: str
    answer: str


def answered_views(answers: dict[str, Any]) -> list[AnsweredView]:
    views = []
    for question in QUESTIONS:
        name = question.field
        if name == MONTHS:
            continue
        if name == ENDED and MONTHS in answers and ENDED not in answers:
            views.append(AnsweredView(ENDED, question.text,
                                      f"About {answers[MONTHS]:g} months ago"
                                      if isinstance(answers[MONTHS], float)
                                      else f"About {answers[MONTHS]} months ago"))
        elif name in answers:
            views.append(AnsweredView(name, question.text, answer_text(answers[name])))
    return views


def step_questions(state: InterviewState, posted: Posted | None, *, edit: str | None = None,
                   count: int = 3) -> list[QuestionView]:
    """The questions to show now: the one being changed, the ones to fix, or the next ones."""
    answers = state.answers | ({MONTHS: posted.answers[MONTHS]}
                               if posted and MONTHS in posted.answers else {})
    skipped = set(state.skipped)
    errors = {p.path: p.message + (f" ({p.hint})" if p.hint else "")
              for p in (*(posted.problems if posted else ()), *state.problems)}
    if edit and edit in QUESTION_BY_FIELD:
        return [question_view(QUESTION_BY_FIELD[edit], answers, skipped, errors)]
    if posted and posted.problems:
        names = list(dict.fromkeys(posted.asked))
        return [question_view(QUESTION_BY_FIELD[n], answers, skipped, errors) for n in names]
    return [question_view(ask, answers, skipped, errors) for ask in state.next(count)]
