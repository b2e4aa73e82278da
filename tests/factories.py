"""Factories for test cases: one base case, changed by dotted paths (no zoo of near-copies)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from tightrope import Case
from tightrope.core.case_loading import case_from_data

AS_OF = dt.date(2026, 11, 26)

BASE: dict[str, Any] = {
    "format": 1,
    "as_of": AS_OF.isoformat(),
    "practitioner": {"profession": "psychologist"},
    "professional": {
        "status": "former", "service": "psychotherapy", "started": "2021-01-10",
        "ended": "2023-05-02", "sessions": 40, "intensity": "high", "termination": "planned",
        "may_return": True, "future_relationship_discussed": False,
    },
    "client": {"minor": False, "vulnerabilities": [], "current_state": "stable"},
    "other": {
        "kind": "romantic_sexual", "with": "client", "status": "proposed",
        "initiated_by": "client", "client_willing": True, "avoidable": True,
        "authority": "neither", "duration": "long", "benefit_to_client": "none",
    },
    "context": {"small_community": False, "consulted": False, "informed_consent": False},
}


def case_data(**changes: Any) -> dict[str, Any]:
    """The base case as data, with changes given as ``professional__ended="2024-01-01"``;
    a value of ``...`` removes the field (makes it unknown)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        *parents, leaf = key.split("__")
        target = data
        for part in parents:
            target = target.setdefault(part, {})
        if value is ...:
            target.pop(leaf, None)
        else:
            target[leaf] = value
    return data


def make_case(**changes: Any) -> Case:
    return case_from_data(case_data(**changes), source="<test>")
