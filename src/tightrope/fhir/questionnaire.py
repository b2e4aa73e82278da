"""The interview as a FHIR R4 ``Questionnaire``, generated from :mod:`core.questions`.

One item per field of case format 1 (``linkId`` is the dotted field path), in
groups by section, plus the assessment date. Each question carries its "why"
as a help item (the R4 ``questionnaire-itemControl`` extension). ``enableWhen``
is used only where case format 1 itself forbids an answer: an end date, or an
approximate number of months since the end, exist only for former clients, and
the months only when the date is not known.
"""

from __future__ import annotations

from typing import Any

from ..core.questions import QUESTIONS, Question
from .canonical import (
    ITEM_CONTROL,
    ITEM_CONTROL_EXTENSION,
    QUESTIONNAIRE_ID,
    QUESTIONNAIRE_URL,
    QUESTIONNAIRE_VERSION,
    answer_system,
    coding,
)

AS_OF = "as_of"
AS_OF_TEXT = "On what date is the situation assessed?"
SECTIONS: dict[str, str] = {
    "practitioner": "The practitioner",
    "professional": "The professional relationship",
    "client": "The client",
    "other": "The second relationship",
    "context": "Safeguards so far",
}
INTEGER_FIELDS = frozenset({"professional.sessions"})
NONE_OF_THESE = "none"
"""The answer to a multiple-choice question that records an empty list ("none of these"),
which case format 1 distinguishes from no answer (unknown)."""
LISTS_WITH_NONE = frozenset({"client.vulnerabilities"})

_TYPES = {"choice": "choice", "choices": "choice", "boolean": "boolean", "date": "date",
          "text": "text", "jurisdiction": "string"}


def item_type(question: Question) -> str:
    if question.answer == "number":
        return "integer" if question.field in INTEGER_FIELDS else "decimal"
    return _TYPES[question.answer]


def answer_display(value: str) -> str:
    return "none of these" if value == NONE_OF_THESE else value.replace("_", " ")


def _former() -> dict[str, Any]:
    field = "professional.status"
    return {"question": field, "operator": "=",
            "answerCoding": coding(answer_system(field), "former", "former")}


ENABLE_WHEN: dict[str, tuple[list[dict[str, Any]], str | None]] = {
    "professional.ended": ([_former()], None),
    "professional.months_since_end": (
        [_former(), {"question": "professional.ended", "operator": "exists",
                     "answerBoolean": False}], "all"),
}


def _help(field: str, why: str) -> dict[str, Any]:
    return {"linkId": f"{field}/why", "text": why, "type": "display", "extension": [{
        "url": ITEM_CONTROL_EXTENSION,
        "valueCodeableConcept": {"coding": [coding(ITEM_CONTROL, "help", "Help-Button")]}}]}


def _item(question: Question) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": question.field, "text": question.text,
                            "type": item_type(question)}
    if question.required:
        item["required"] = True
    if question.answer == "choices":
        item["repeats"] = True
    if question.options:
        options = list(question.options)
        if question.field in LISTS_WITH_NONE:
            options.append(NONE_OF_THESE)
        system = answer_system(question.field)
        item["answerOption"] = [{"valueCoding": coding(system, value, answer_display(value))}
                                for value in options]
    if question.answer == "text":
        item["maxLength"] = 20_000
    if question.field in ENABLE_WHEN:
        conditions, behavior = ENABLE_WHEN[question.field]
        item["enableWhen"] = conditions
        if behavior:
            item["enableBehavior"] = behavior
    item["item"] = [_help(question.field, question.why)]
    return item


def build_questionnaire() -> dict[str, Any]:
    """The Questionnaire resource (plain JSON data), one per engine version."""
    groups: list[dict[str, Any]] = [{"linkId": AS_OF, "text": AS_OF_TEXT, "type": "date"}]
    for section, title in SECTIONS.items():
        items = [_item(q) for q in QUESTIONS if q.field.split(".")[0] == section]
        groups.append({"linkId": section, "text": title, "type": "group", "item": items})
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "TightropeDualRelationship",
        "title": "Tightrope: a second relationship with a client",
        "status": "active",
        "publisher": "Tightrope",
        "description": "The facts Tightrope needs to assess a proposed or existing second "
                       "relationship with a client (case format 1). Every answer is optional "
                       "except profession, professional status and the kind of relationship; "
                       "a missing answer means unknown, never no.",
        "item": groups,
    }

