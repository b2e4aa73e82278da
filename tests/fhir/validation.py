"""Validating our FHIR output: fhir.resources R4B models plus checks the models don't make.

fhir.resources 8 ships R5 (default), R4B and STU3 models; true R4 models exist only
in fhir.resources 6 on pydantic 1. R4B (4.3.0) changed resources outside the ones we
emit (medication definitions, evidence, subscriptions) and added types we do not
use, so the R4B models check the same structure R4 defines for Bundle,
Questionnaire, QuestionnaireResponse, RiskAssessment, DocumentReference, Provenance
and Practitioner (docs/notes.md, "Validation").

The models check structure, cardinality and primitive formats, but not the codes
of required value-set bindings; ``REQUIRED_CODES`` checks those for every coded
element we emit (values from the R4 specification).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

REQUIRED_CODES: dict[tuple[str, ...], frozenset[str]] = {
    ("Bundle", "type"): frozenset({"document", "message", "transaction", "transaction-response",
                                   "batch", "batch-response", "history", "searchset",
                                   "collection"}),
    ("Questionnaire", "status"): frozenset({"draft", "active", "retired", "unknown"}),
    ("Questionnaire", "item", "type"): frozenset({
        "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
        "string", "text", "url", "choice", "open-choice", "attachment", "reference",
        "quantity"}),
    ("Questionnaire", "item", "enableWhen", "operator"): frozenset({
        "exists", "=", "!=", ">", "<", ">=", "<="}),
    ("Questionnaire", "item", "enableBehavior"): frozenset({"all", "any"}),
    ("QuestionnaireResponse", "status"): frozenset({"in-progress", "completed", "amended",
                                                    "entered-in-error", "stopped"}),
    ("RiskAssessment", "status"): frozenset({"registered", "preliminary", "final", "amended",
                                             "corrected", "cancelled", "entered-in-error",
                                             "unknown"}),
    ("DocumentReference", "status"): frozenset({"current", "superseded", "entered-in-error"}),
    ("DocumentReference", "docStatus"): frozenset({"preliminary", "final", "amended",
                                                   "entered-in-error"}),
    ("Provenance", "entity", "role"): frozenset({"derivation", "revision", "quotation",
                                                 "source", "removal"}),
}


def _values(value: Any, path: tuple[str, ...]) -> Iterator[Any]:
    """Values at ``path``; Questionnaire items are followed at any depth."""
    if isinstance(value, list):
        for item in value:
            yield from _values(item, path)
        return
    if not isinstance(value, dict):
        return
    if not path:
        yield value
        return
    head, rest = path[0], path[1:]
    if head in value:
        if rest:
            yield from _values(value[head], rest)
        else:
            yield value[head]
    if head == "item" and "item" in value:  # nested items
        yield from _values(value["item"], path)


def check_required_codes(resource: dict[str, Any]) -> None:
    for (kind, *path), allowed in REQUIRED_CODES.items():
        if resource["resourceType"] != kind:
            continue
        for value in _values(resource, tuple(path)):
            assert value in allowed, f"{kind}.{'.'.join(path)} = {value!r} is not allowed"


def validate_resource(resource: dict[str, Any]) -> None:
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    check_required_codes(resource)


def references(value: Any) -> Iterator[str]:
    """Every Reference.reference string anywhere in a resource."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def validate_bundle(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validate the Bundle and each entry; every reference must resolve inside it.

    Returns the resources by "Type/id"."""
    Bundle.model_validate(bundle)
    check_required_codes(bundle)
    by_key: dict[str, dict[str, Any]] = {}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        validate_resource(resource)
        key = f"{resource['resourceType']}/{resource['id']}"
        assert entry["fullUrl"].endswith("/" + key), entry["fullUrl"]
        assert key not in by_key, f"{key} appears twice"
        by_key[key] = resource
    for resource in by_key.values():
        for reference in references(resource):
            key, _, version = reference.partition("/_history/")
            assert key in by_key, f"{reference} (in {resource['resourceType']}) does not resolve"
            if version:
                assert by_key[key]["meta"]["versionId"] == version, reference
    return by_key
