"""Assessment format 1: the public output contract (DESIGN.md).

``verdict``, ``until``, ``primary_factor``, ``factors``, ``findings``,
``actions``, ``what_would_change`` and ``engine`` are the contract; the other
fields are the richer additions the contract allows (the governing rule, the
unknowns that could change the verdict, the structured what-ifs and the trace).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .vocabulary import Action, FactorRole, PrimaryFactor, Verdict


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Factor(_Out):
    name: str
    level: str
    role: FactorRole
    because: tuple[str, ...]


class Finding(_Out):
    rule: str
    code: str
    edition: str
    section: str
    title: str
    effect: Literal["prohibited", "lapsed", "permitted_only_if", "guidance"]
    applies: Literal["yes", "possibly"]
    until: dt.date | None = None
    until_approximate: bool = False
    limits_verdict_to: Verdict | None = None
    summary: str
    requirements: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    status: Literal["V", "P", "U"]
    url: str
    pack: str


class Governing(_Out):
    rule: str
    code: str
    edition: str
    section: str
    why: str


class Unknown(_Out):
    fact: str
    question: str
    could_change_to: tuple[Verdict, ...]


class WhatIf(_Out):
    change: str
    facts: dict[str, Any]
    verdict: Verdict
    until: dt.date | None = None
    changes_verdict: bool
    changes_until: bool = False


class PackRef(_Out):
    id: str
    code: str
    edition: str
    version: str
    sha256: str
    bound_by: Literal["profession", "listed", "jurisdiction"]


class EngineInfo(_Out):
    version: str
    packs: tuple[PackRef, ...]


class Trace(_Out):
    facts: dict[str, Any]
    rules: tuple[dict[str, Any], ...]
    layers: tuple[dict[str, Any], ...]


class Assessment(_Out):
    verdict: Verdict
    until: dt.date | None = None
    until_approximate: bool = False
    primary_factor: PrimaryFactor
    governing: Governing | None = None
    decisive_reason: str
    factors: tuple[Factor, ...]
    findings: tuple[Finding, ...]
    actions: tuple[Action, ...]
    what_would_change: tuple[str, ...]
    what_ifs: tuple[WhatIf, ...] = ()
    unknowns: tuple[Unknown, ...] = ()
    as_of: dt.date
    coverage: tuple[str, ...] = ()
    notice: str
    engine: EngineInfo
    trace: Trace | None = None

    def to_json_data(self) -> dict[str, Any]:
        """Plain JSON-ready data; the trace only when it was asked for."""
        return self.model_dump(mode="json", exclude_none=False,
                               exclude={"trace"} if self.trace is None else set())
