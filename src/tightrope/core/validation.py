"""Translating pydantic validation errors into our problems, in our words.

Each problem names the field path (``professional.ended``), the line when the
document is known, what was wrong and what is allowed, so that neither a case
author nor a pack author ever sees pydantic's internals.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from .case import FieldConflict
from .documents import Document, format_path
from .errors import Problem


def _model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the mapping at ``loc`` (for listing allowed fields)."""
    model: type[BaseModel] = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = next(
            (f for name, f in model.model_fields.items() if (f.alias or name) == part), None
        )
        if field is None:
            return None
        annotation = field.annotation
        candidates = getattr(annotation, "__args__", (annotation,))
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not nested:
            return None
        model = nested[0]
    return model


def _allowed_fields(model: type[BaseModel]) -> str:
    return ", ".join(f.alias or name for name, f in model.model_fields.items())


def describe_error(root: type[BaseModel], error: Any) -> tuple[str, str, str]:
    """(code, message, hint) for one pydantic error, in our words."""
    kind = error["type"]
    loc = tuple(error["loc"])
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = f"allowed here: {_allowed_fields(model)}" if model else ""
        return "unknown-field", f"unknown field {loc[-1]!r}", allowed
    if kind == "missing":
        return "missing-field", "this required field is missing", ""
    if kind in ("enum", "literal_error"):
        expected = ctx.get("expected", "")
        return "bad-value", f"{value!r} is not allowed", f"allowed: {expected}"
    if kind in ("bool_type", "bool_parsing"):
        return "bad-value", f"{value!r} is not true or false", "write true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "bad-value", f"{value!r} is not a whole number", "write a whole number"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return "bad-value", f"{value!r} is not a number", "write a number"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {k: v for k, v in ctx.items()}
        return "out-of-range", f"{value!r} is out of range", f"limits: {bound}"
    if kind == "string_pattern_mismatch":
        return "bad-value", f"{value!r} is not an ISO 3166-2 code", "for example US-FL or CA-ON"
    if kind == "string_too_long":
        return "too-large", f"the text is longer than {ctx.get('max_length')} characters", ""
    if kind == "string_type":
        return "bad-value", f"{value!r} is not text", "put the text in quotes"
    if kind in ("tuple_type", "list_type"):
        return "bad-value", f"{value!r} is not a list", "write a list, for example [grief]"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "bad-value", f"{value!r} is not a mapping of fields", ""
    if kind == "value_error":
        original = ctx.get("error")
        message = str(original) if original is not None else error["msg"]
        code = "bad-date" if "date" in message else "inconsistent"
        return code, message, ""
    return "bad-value", error["msg"], ""


def problems_from_validation(exc: ValidationError, document: Document | None,
                             root: type[BaseModel]) -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        code, message, hint = describe_error(root, error)
        path = format_path(loc)
        original = (error.get("ctx") or {}).get("error")
        if isinstance(original, FieldConflict):
            path = original.path
            code = "bad-date" if "future" in str(original) else "inconsistent"
            loc = tuple(path.split("."))
        line = document.line_of(loc) if document is not None else None
        problems.append(Problem(code=code, message=message, path=path, line=line, hint=hint))
    return problems
