"""A ``QuestionnaireResponse`` to the Tightrope interview, back into a format-1 case.

Accepts the response on its own or inside a Bundle (such as Tightrope's own
export). Each answer is checked against the question it answers (its type, and
for a choice the allowed codes); the resulting data then goes through the same
strict case loader as any case file, so every error names the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..core.case import Case
from ..core.case_loading import case_from_data
from ..core.errors import Problem, TightropeError
from ..core.questions import QUESTION_BY_FIELD, Question
from .canonical import QUESTIONNAIRE_URL, answer_system
from .questionnaire import AS_OF, LISTS_WITH_NONE, NONE_OF_THESE, SECTIONS, item_type

MAX_IMPORT_BYTES = 32 * 1024 * 1024
"""A Bundle carries the PDF note; a QuestionnaireResponse alone is a few kilobytes."""

_VALUE_KEYS = {"boolean": ("valueBoolean",), "date": ("valueDate",),
               "integer": ("valueInteger",), "decimal": ("valueDecimal", "valueInteger"),
               "text": ("valueString",), "string": ("valueString",)}


class FhirImportError(TightropeError):
    """A FHIR document that cannot be turned into a case."""


def fhir_error(code: str, message: str, *, source: str, path: str = "",
           hint: str = "") -> FhirImportError:
    return FhirImportError(code=code, source=source,
                           problems=[Problem(code, message, path, None, hint)])


def read_fhir_json(raw: bytes | str, *, source: str) -> dict[str, Any]:
    """Parse untrusted FHIR JSON (size-limited, duplicate keys refused)."""
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_IMPORT_BYTES:
        raise fhir_error("too-large", f"the file is {size:,} bytes; the limit is "
                     f"{MAX_IMPORT_BYTES:,}", source=source)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise ValueError(f"the key {key!r} appears twice")
            result[key] = value
        return result

    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        data = json.loads(text, object_pairs_hook=pairs)
    except UnicodeDecodeError:
        raise fhir_error("not-utf8", "the file is not UTF-8 text", source=source) from None
    except json.JSONDecodeError as exc:
        raise fhir_error("syntax", f"this is not valid JSON: {exc.msg} (line {exc.lineno})",
                     source=source, hint="FHIR resources are JSON documents") from None
    except (ValueError, RecursionError) as exc:
        raise fhir_error("syntax", f"this JSON cannot be used: {exc}", source=source) from None
    if not isinstance(data, dict):
        raise fhir_error("fhir-wrong-resource", "the JSON is not a FHIR resource", source=source)
    return data


def find_response(resource: Mapping[str, Any], *, source: str) -> Mapping[str, Any]:
    """The QuestionnaireResponse itself, or the one inside a Bundle."""
    kind = resource.get("resourceType")
    if kind == "QuestionnaireResponse":
        return resource
    if kind == "Bundle":
        found: list[Mapping[str, Any]] = [
            entry["resource"] for entry in resource.get("entry") or []
            if isinstance(entry, Mapping) and isinstance(entry.get("resource"), Mapping)
            and entry["resource"].get("resourceType") == "QuestionnaireResponse"]
        if len(found) == 1:
            return found[0]
        raise fhir_error("fhir-no-response" if not found else "fhir-several-responses",
                     f"the Bundle holds {len(found)} QuestionnaireResponse resources; "
                     "exactly one is needed", source=source)
    raise fhir_error("fhir-wrong-resource", f"this is a {kind or 'resource without a type'}, not "
                 "a QuestionnaireResponse", source=source,
                 hint="export one with `tightrope note CASE --format fhir`")


def _value(question: Question, answer: Mapping[str, Any], *, source: str, path: str) -> Any:
    kind = item_type(question)
    if kind == "choice":
        if "valueCoding" in answer:
            value = answer["valueCoding"]
            system = value.get("system") if isinstance(value, Mapping) else None
            if not isinstance(value, Mapping) or system not in (None,
                                                                answer_system(question.field)):
                raise fhir_error("fhir-bad-answer", f"the coding's system {system!r} is not the "
                             "one this question uses", source=source, path=path,
                             hint=f"use {answer_system(question.field)}")
            return value.get("code")
        if "valueString" in answer:
            return answer["valueString"]
        raise fhir_error("fhir-bad-answer", "a choice is answered with valueCoding",
                     source=source, path=path)
    for key in _VALUE_KEYS[kind]:
        if key in answer:
            return answer[key]
    raise fhir_error("fhir-bad-answer", f"this question is answered with "
                 f"{' or '.join(_VALUE_KEYS[kind])}", source=source, path=path)


def _leaves(items: Any, *, source: str) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for item in items or []:
        if not isinstance(item, Mapping):
            raise fhir_error("fhir-bad-answer", "an item is not an object", source=source)
        link = item.get("linkId")
        if link in SECTIONS:
            found += _leaves(item.get("item"), source=source)
        elif link == AS_OF or link in QUESTION_BY_FIELD:
            found.append(item)
        else:
            raise fhir_error("fhir-unknown-item", f"the item {link!r} is not a question of the "
                         "Tightrope interview", source=source, path=str(link),
                         hint="is this a response to another Questionnaire?")
    return found


def response_to_data(response: Mapping[str, Any], *, source: str) -> dict[str, Any]:
    """Format-1 case data (not yet validated) from a QuestionnaireResponse."""
    canonical = str(response.get("questionnaire") or "")
    if canonical.split("|")[0] != QUESTIONNAIRE_URL:
        raise fhir_error("fhir-wrong-questionnaire", f"the response answers {canonical!r}, not the "
                     "Tightrope interview", source=source, path="questionnaire",
                     hint=f"expected {QUESTIONNAIRE_URL}")
    data: dict[str, Any] = {"format": 1}
    seen: set[str] = set()
    for item in _leaves(response.get("item"), source=source):
        link = str(item["linkId"])
        if link in seen:
            raise fhir_error("fhir-bad-answer", "this question is answered twice", source=source,
                         path=link)
        seen.add(link)
        answers = [a for a in item.get("answer") or [] if isinstance(a, Mapping)]
        if not answers:
            continue
        if link == AS_OF:
            data["as_of"] = answers[0].get("valueDate")
            continue
        question = QUESTION_BY_FIELD[link]
        values = [_value(question, a, source=source, path=link) for a in answers]
        section, name = link.split(".", 1)
        target = data.setdefault(section, {})
        if question.answer == "choices":
            if NONE_OF_THESE in values and link in LISTS_WITH_NONE:
                if len(values) > 1:
                    raise fhir_error("fhir-bad-answer", "'none of these' is given with other "
                                 "answers", source=source, path=link)
                values = []
            target[name] = values
        elif len(values) > 1:
            raise fhir_error("fhir-too-many-answers", f"this question takes one answer, not "
                         f"{len(values)}", source=source, path=link)
        else:
            target[name] = values[0]
    return data


def import_response(raw: bytes | str, *, source: str = "<fhir>") -> Case:
    """Read a QuestionnaireResponse (or a Bundle holding one) and return the case."""
    response = find_response(read_fhir_json(raw, source=source), source=source)
    return case_from_data(response_to_data(response, source=source), source=source)
