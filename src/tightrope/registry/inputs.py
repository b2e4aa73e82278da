"""What the registry accepts besides cases: frozen input models that name bad fields."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..core.errors import Problem
from ..core.validation import problems_from_validation
from .errors import RegistryError
from .vocabulary import ConsentMethod, ConsultantRole, Decision, Role, SignOffOutcome

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=20_000)]


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ConsultationInput(_Input):
    """A consultation: with whom (a name or a role description), when, the advice given,
    and, when made, the decision and its rationale."""

    consultant: ShortText = Field(repr=False)
    consultant_role: ConsultantRole
    consulted_on: dt.date
    advice: LongText = Field(repr=False)
    decision: Decision | None = None
    rationale: LongText | None = Field(default=None, repr=False)


class ConsentInput(_Input):
    given_on: dt.date
    method: ConsentMethod
    note: LongText | None = Field(default=None, repr=False)


class SignOffInput(_Input):
    outcome: SignOffOutcome
    assessment: Annotated[int, Field(ge=1)] | None = None  # default: the latest
    comment: LongText | None = Field(default=None, repr=False)


Model = TypeVar("Model", bound=BaseModel)


def parse_input(model: type[Model], data: dict[str, Any], *, what: str) -> Model:
    """Validate input data, or raise ``invalid-input`` naming every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [Problem("invalid-input", p.message, p.path, None, p.hint)
                    for p in input_problems(exc, model)]
        raise RegistryError(code="invalid-input", problems=problems, source=what) from None


def input_problems(exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """The core's field-by-field problems, with dates, times and empty text in our words."""
    problems = []
    for error, problem in zip(exc.errors(), problems_from_validation(exc, None, model),
                              strict=True):
        message, hint = problem.message, problem.hint or _allowed(model, problem)
        kind = error["type"]
        if kind.startswith("date"):
            message, hint = f"{error.get('input')!r} is not a date", "write YYYY-MM-DD"
        elif kind.startswith(("datetime", "timezone")):
            message = f"{error.get('input')!r} is not a time with a time zone"
            hint = "write it as 2026-11-26T15:00:00Z"
        elif kind == "string_too_short":
            message = "this must not be empty"
        problems.append(Problem(problem.code, message, problem.path, None, hint))
    return problems


def _allowed(model: type[BaseModel], problem: Problem) -> str:
    field = model.model_fields.get(problem.path)
    annotation = getattr(field, "annotation", None)
    for candidate in getattr(annotation, "__args__", (annotation,)):
        members = getattr(candidate, "__members__", None)
        if members:
            return "allowed: " + ", ".join(members)
    return ""


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise RegistryError(code="invalid-input", problems=[Problem(
            "invalid-input", f"{value!r} is not a role", "role", None,
            "allowed: " + ", ".join(Role))]) from None
