"""A case as a FHIR R4 ``QuestionnaireResponse`` to the Tightrope interview.

Only the facts given are answered; a missing field stays unanswered (unknown).
:mod:`.response_import` is the inverse, and a test keeps the two a round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.questions import QUESTIONS, Question
from .canonical import QUESTIONNAIRE_URL, QUESTIONNAIRE_VERSION, answer_system, coding
from .questionnaire import (
    AS_OF,
    AS_OF_TEXT,
    LISTS_WITH_NONE,
    NONE_OF_THESE,
    SECTIONS,
    answer_display,
    item_type,
)


def _lookup(data: Mapping[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _answers(question: Question, value: Any) -> list[dict[str, Any]]:
    kind = item_type(question)
    system = answer_system(question.field)
    if question.answer == "choices":
        values = list(value)
        if not values and question.field in LISTS_WITH_NONE:
            values = [NONE_OF_THESE]
        return [{"valueCoding": coding(system, str(v), answer_display(str(v)))} for v in values]
    if kind == "choice":
        return [{"valueCoding": coding(system, str(value), answer_display(str(value)))}]
    key = {"boolean": "valueBoolean", "date": "valueDate", "integer": "valueInteger",
           "decimal": "valueDecimal", "text": "valueString", "string": "valueString"}[kind]
    return [{key: value}]


def response_items(case_data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The answered items of a case (format-1 JSON data), grouped as in the Questionnaire."""
    items: list[dict[str, Any]] = []
    if case_data.get("as_of") is not None:
        items.append({"linkId": AS_OF, "text": AS_OF_TEXT,
                      "answer": [{"valueDate": case_data["as_of"]}]})
    for section, title in SECTIONS.items():
        answered = []
        for question in QUESTIONS:
            if question.field.split(".")[0] != section:
                continue
            value = _lookup(case_data, question.field)
            if value is None:
                continue
            answers = _answers(question, value)
            if answers:
                answered.append({"linkId": question.field, "text": question.text,
                                 "answer": answers})
        if answered:
            items.append({"linkId": section, "text": title, "item": answered})
    return items


def build_response(case_data: Mapping[str, Any], *, response_id: str, authored: str,
                   author: dict[str, Any] | None = None,
                   subject: dict[str, Any] | None = None) -> dict[str, Any]:
    """The QuestionnaireResponse for a case (format-1 JSON data, as ``Case.dump()`` gives)."""
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}",
        "status": "completed",
    }
    if subject is not None:
        response["subject"] = subject
    response["authored"] = authored
    if author is not None:
        response["author"] = author
    response["item"] = response_items(case_data)
    return response
