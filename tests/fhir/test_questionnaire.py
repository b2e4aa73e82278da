"""The interview as a FHIR R4 Questionnaire, generated from core/questions.py."""

from __future__ import annotations

from typing import Any

from tests.fhir.validation import validate_resource
from tightrope.core.questions import QUESTIONS
from tightrope.core.version import ENGINE_VERSION
from tightrope.fhir.canonical import QUESTIONNAIRE_URL
from tightrope.fhir.questionnaire import AS_OF, INTEGER_FIELDS, build_questionnaire


def flatten(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for item in items:
        found.append(item)
        found += flatten(item.get("item", []))
    return found


def test_the_questionnaire_validates_and_is_canonical() -> None:
    questionnaire = build_questionnaire()
    validate_resource(questionnaire)
    assert questionnaire["url"] == QUESTIONNAIRE_URL
    assert questionnaire["url"] == "https://tightrope.example/fhir/Questionnaire/dual-relationship"
    assert questionnaire["version"] == ENGINE_VERSION
    assert questionnaire["status"] == "active"


def test_every_question_is_asked_once_with_its_type_and_help() -> None:
    items = flatten(build_questionnaire()["item"])
    link_ids = [item["linkId"] for item in items]
    assert len(link_ids) == len(set(link_ids))
    by_link = {item["linkId"]: item for item in items}
    assert by_link[AS_OF]["type"] == "date"
    for question in QUESTIONS:
        item = by_link[question.field]
        assert item["text"] == question.text
        assert item.get("required", False) is question.required
        assert item.get("repeats", False) is (question.answer == "choices")
        expected = {"choice": "choice", "choices": "choice", "boolean": "boolean",
                    "date": "date", "text": "text", "jurisdiction": "string",
                    "number": "integer" if question.field in INTEGER_FIELDS else "decimal"}
        assert item["type"] == expected[question.answer]
        codes = [o["valueCoding"]["code"] for o in item.get("answerOption", [])]
        assert set(question.options) <= set(codes)
        help_item = item["item"][0]
        assert help_item["type"] == "display" and help_item["text"] == question.why


def test_number_types_match_the_case_model() -> None:
    from tightrope.core.case import Case

    for question in QUESTIONS:
        if question.answer != "number":
            continue
        section, name = question.field.split(".")
        model = Case.model_fields[section].annotation
        annotation = str(model.model_fields[name].annotation)  # type: ignore[union-attr]
        assert ("int" in annotation) is (question.field in INTEGER_FIELDS), question.field


def test_enable_when_points_back_to_an_earlier_answer_it_can_match() -> None:
    items = flatten(build_questionnaire()["item"])
    order = {item["linkId"]: n for n, item in enumerate(items)}
    by_link = {item["linkId"]: item for item in items}
    conditional = [item for item in items if "enableWhen" in item]
    assert {item["linkId"] for item in conditional} == {"professional.ended",
                                                        "professional.months_since_end"}
    for item in conditional:
        if len(item["enableWhen"]) > 1:
            assert item["enableBehavior"] in {"all", "any"}  # R4 que-12
        for condition in item["enableWhen"]:
            target = by_link[condition["question"]]
            assert order[target["linkId"]] < order[item["linkId"]]
            if "answerCoding" in condition:
                assert condition["answerCoding"] in [o["valueCoding"]
                                                     for o in target["answerOption"]]
