"""The facts a rule pack may test, read from a case on an assessment date.

Packs never touch the case directly: they name facts from this registry, and
the loader refuses any other name. A fact is *unknown* (``None``) when the case
leaves it out; conditions over unknown facts are themselves unknown, never false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from .case import Case
from .dates import months_between, whole_years_between
from .vocabulary import (
    Authority,
    Benefit,
    CurrentState,
    Duration,
    Initiator,
    Intensity,
    OtherKind,
    OtherStatus,
    OtherWith,
    Profession,
    ProfessionalStatus,
    Service,
    Termination,
    Vulnerability,
)

FactValue = str | bool | float | int | tuple[str, ...] | None

THERAPY_SERVICES = frozenset({
    Service.psychotherapy, Service.counseling, Service.couples_family_therapy,
    Service.group_therapy,
})


@dataclass(frozen=True)
class FactSpec:
    """What a fact is, which values it takes and which case field answers it."""

    name: str
    kind: str  # "enum" | "bool" | "number" | "list" | "text"
    values: tuple[str, ...]
    field: str  # the case field a person would answer to make it known
    description: str
    read: Callable[[Case, dt.date], FactValue]


def _enum(value: Enum | None) -> str | None:
    return None if value is None else str(value.value)


def months_since_end(case: Case, as_of: dt.date) -> float | None:
    professional = case.professional
    if professional.status is not ProfessionalStatus.former:
        return None
    if professional.ended is not None:
        return months_between(professional.ended, as_of)
    return professional.months_since_end


def _years_since_end(case: Case, as_of: dt.date) -> float | None:
    professional = case.professional
    if professional.status is not ProfessionalStatus.former:
        return None
    if professional.ended is not None:
        return whole_years_between(professional.ended, as_of)
    if professional.months_since_end is not None:
        return float(int(professional.months_since_end // 12))
    return None


def _is_therapy(case: Case, _: dt.date) -> bool | None:
    service = case.professional.service
    return None if service is None else service in THERAPY_SERVICES


def _vulnerabilities(case: Case, _: dt.date) -> tuple[str, ...] | None:
    found = case.client.vulnerabilities
    return None if found is None else tuple(sorted(v.value for v in found))


def _values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


def _spec(name: str, kind: str, values: tuple[str, ...], field: str, description: str,
          read: Callable[[Case, dt.date], FactValue]) -> FactSpec:
    return FactSpec(name, kind, values, field, description, read)


FACTS: dict[str, FactSpec] = {spec.name: spec for spec in (
    _spec("practitioner.profession", "enum", _values(Profession), "practitioner.profession",
          "the practitioner's profession", lambda c, _: _enum(c.practitioner.profession)),
    _spec("practitioner.jurisdiction", "text", (), "practitioner.jurisdiction",
          "where the practitioner is licensed (ISO 3166-2)",
          lambda c, _: c.practitioner.jurisdiction),
    _spec("professional.status", "enum", _values(ProfessionalStatus), "professional.status",
          "whether the person is a current, former or prospective client",
          lambda c, _: _enum(c.professional.status)),
    _spec("professional.service", "enum", _values(Service), "professional.service",
          "what service the practitioner provides", lambda c, _: _enum(c.professional.service)),
    _spec("professional.is_therapy", "bool", (), "professional.service",
          "whether the service is psychotherapy or counseling of some kind", _is_therapy),
    _spec("professional.months_since_end", "number", (), "professional.ended",
          "months since the last professional contact (former clients)", months_since_end),
    _spec("professional.years_since_end", "number", (), "professional.ended",
          "whole years since the last professional contact (former clients); a waiting "
          "period of N years has passed exactly when this reaches N", _years_since_end),
    _spec("professional.sessions", "number", (), "professional.sessions",
          "how many sessions there were", lambda c, _: c.professional.sessions),
    _spec("professional.intensity", "enum", _values(Intensity), "professional.intensity",
          "depth of disclosure, dependence and transference",
          lambda c, _: _enum(c.professional.intensity)),
    _spec("professional.termination", "enum", _values(Termination), "professional.termination",
          "how the professional relationship ended",
          lambda c, _: _enum(c.professional.termination)),
    _spec("professional.may_return", "bool", (), "professional.may_return",
          "whether the client could need this practitioner's services again",
          lambda c, _: c.professional.may_return),
    _spec("professional.future_relationship_discussed", "bool", (),
          "professional.future_relationship_discussed",
          "whether anything during services invited a later relationship",
          lambda c, _: c.professional.future_relationship_discussed),
    _spec("client.minor", "bool", (), "client.minor", "whether the client is a minor",
          lambda c, _: c.client.minor),
    _spec("client.vulnerabilities", "list", _values(Vulnerability), "client.vulnerabilities",
          "the client's vulnerabilities", _vulnerabilities),
    _spec("client.current_state", "enum", _values(CurrentState), "client.current_state",
          "the client's current mental state", lambda c, _: _enum(c.client.current_state)),
    _spec("other.kind", "enum", _values(OtherKind), "other.kind",
          "the kind of second relationship", lambda c, _: _enum(c.other.kind)),
    _spec("other.with", "enum", _values(OtherWith), "other.with",
          "who the second relationship is with", lambda c, _: _enum(c.other.with_)),
    _spec("other.status", "enum", _values(OtherStatus), "other.status",
          "whether the second relationship is proposed, ongoing or past",
          lambda c, _: _enum(c.other.status)),
    _spec("other.initiated_by", "enum", _values(Initiator), "other.initiated_by",
          "who proposed the second relationship", lambda c, _: _enum(c.other.initiated_by)),
    _spec("other.client_willing", "bool", (), "other.client_willing",
          "whether the client wants it", lambda c, _: c.other.client_willing),
    _spec("other.avoidable", "bool", (), "other.avoidable",
          "whether the second relationship could be avoided", lambda c, _: c.other.avoidable),
    _spec("other.authority", "enum", _values(Authority), "other.authority",
          "who holds authority in the second relationship",
          lambda c, _: _enum(c.other.authority)),
    _spec("other.duration", "enum", _values(Duration), "other.duration",
          "how long the second relationship would last", lambda c, _: _enum(c.other.duration)),
    _spec("other.value_usd", "number", (), "other.value_usd",
          "approximate money value (gifts, bartering, business)", lambda c, _: c.other.value_usd),
    _spec("other.cash", "bool", (), "other.cash", "whether a gift is cash or a cash equivalent",
          lambda c, _: c.other.cash),
    _spec("other.benefit_to_client", "enum", _values(Benefit), "other.benefit_to_client",
          "how much the second relationship would benefit the client",
          lambda c, _: _enum(c.other.benefit_to_client)),
    _spec("context.small_community", "bool", (), "context.small_community",
          "whether practitioner and client live in a small community",
          lambda c, _: c.context.small_community),
    _spec("context.consulted", "bool", (), "context.consulted",
          "whether the practitioner has consulted a colleague",
          lambda c, _: c.context.consulted),
    _spec("context.informed_consent", "bool", (), "context.informed_consent",
          "whether the client has given informed consent",
          lambda c, _: c.context.informed_consent),
)}


def read_facts(case: Case, as_of: dt.date) -> dict[str, FactValue]:
    """Every registered fact, read once (``None`` = unknown)."""
    return {name: spec.read(case, as_of) for name, spec in FACTS.items()}
