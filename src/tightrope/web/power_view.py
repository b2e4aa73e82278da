"""The residual-power picture, drawn only from what the engine computed.

Gottlieb's (1993) three dimensions of the professional relationship (power,
duration, termination; 1 = the low-risk end, 3 = the high-risk end), the level
of residual power now, and how it weakens with time since services ended: the
levels at 0, 2, 5 and 10 years are the engine's own
:func:`~tightrope.core.power.decay_steps` applied to the trace's starting level
and floor, not invented here. The other relationship is shown through the
engine's role-conflict layer (Kitchener's predictors, each 0-2) and its duration.

When a stored assessment carries no trace, the layer is recomputed from the
stored case with :func:`~tightrope.core.power.residual_power` and the
role-conflict layer, on the stored assessment date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.assessment import Assessment
from ..core.case import Case
from ..core.facts import read_facts
from ..core.power import DIMENSION_NAMES, decay_steps, residual_power
from ..core.role_conflict import role_conflict
from ..core.vocabulary import Level, ProfessionalStatus

YEARS = (0, 2, 5, 10)
LEVEL_WORDS = {level: level.name.replace("_", " ") for level in Level}


@dataclass(frozen=True)
class Bar:
    name: str
    value: int  # 0..maximum
    maximum: int
    words: str


@dataclass(frozen=True)
class DecayPoint:
    years: int
    level: int
    words: str
    now: bool


@dataclass(frozen=True)
class PowerPicture:
    dimensions: tuple[Bar, ...]
    level_now: Bar
    decay: tuple[DecayPoint, ...]
    decay_applies: bool  # former clients: time is already running
    years_since_end: float | None
    floor_words: str
    other: tuple[Bar, ...]
    other_level: Bar
    summary: str  # the text alternative, one paragraph


def _layers(assessment: Assessment, case: Case | None) -> tuple[dict[str, Any], dict[str, Any],
                                                              dict[str, Any]] | None:
    if assessment.trace is not None:
        layers = {layer["layer"]: layer for layer in assessment.trace.layers}
        return layers["residual_power"], layers["role_conflict"], assessment.trace.facts
    if case is None:
        return None
    facts = read_facts(case, assessment.as_of)
    months = facts["professional.months_since_end"]
    power = residual_power(case, assessment.as_of,
                           float(months) if isinstance(months, int | float) else None)
    conflict = role_conflict(case)
    return ({"dimensions": {"power": power.dimensions.power,
                            "duration": power.dimensions.duration,
                            "termination": power.dimensions.termination},
             "base": power.base.name, "aggravation": power.aggravation,
             "floor": power.floor.name, "level": power.level.name},
            {"expectations": conflict.expectations, "obligations": conflict.obligations,
             "authority": conflict.authority, "level": conflict.level.name},
            {name: (list(v) if isinstance(v, tuple) else v) for name, v in facts.items()})


def power_picture(assessment: Assessment, case: Case | None = None) -> PowerPicture | None:
    found = _layers(assessment, case)
    if found is None:
        return None
    power, conflict, facts = found
    dims = power["dimensions"]
    dimensions = tuple(Bar(name.capitalize(), int(dims[name]), 3,
                           DIMENSION_NAMES[name][int(dims[name]) - 1])
                       for name in ("power", "duration", "termination"))
    start = Level.clamp(Level[power["base"]] + int(power["aggravation"]))
    floor = Level[power["floor"]]
    now = Level[power["level"]]
    months = facts.get("professional.months_since_end")
    former = facts.get("professional.status") == ProfessionalStatus.former.value
    years_since = float(months) / 12 if former and isinstance(months, int | float) else None
    decay = []
    for years in YEARS:
        level = Level(max(floor, start - decay_steps(years * 12.0 if years else 0.0)))
        is_now = years_since is not None and _bucket(years_since) == years
        decay.append(DecayPoint(years, int(level), LEVEL_WORDS[level], is_now))
    other = (Bar("Incompatible expectations", int(conflict["expectations"]), 2,
                 f"{conflict['expectations']} of 2"),
             Bar("Divergent obligations", int(conflict["obligations"]), 2,
                 f"{conflict['obligations']} of 2"),
             Bar("Your power in the new role", int(conflict["authority"]), 2,
                 f"{conflict['authority']} of 2"))
    conflict_level = Level[conflict["level"]]
    duration = facts.get("other.duration")
    summary = (f"Residual power now: {LEVEL_WORDS[now]} (on a scale from negligible to very "
               f"high). Gottlieb's dimensions of the professional relationship: "
               + "; ".join(f"{b.name.lower()} {b.words}" for b in dimensions) + ". "
               + "With time since services ended it would be "
               + ", ".join(f"{p.words} at {p.years} years" for p in decay)
               + f"; it never falls below {LEVEL_WORDS[floor]}. The other relationship's role "
               f"conflict is {LEVEL_WORDS[conflict_level]}"
               + (f" and it would last {'an ' if duration == 'intermediate' else 'a '}"
                  f"{duration} time" if duration else "") + ".")
    return PowerPicture(
        dimensions=dimensions, level_now=Bar("Residual power now", int(now), 4,
                                             LEVEL_WORDS[now]),
        decay=tuple(decay), decay_applies=former, years_since_end=years_since,
        floor_words=LEVEL_WORDS[floor], other=other,
        other_level=Bar("Role conflict", int(conflict_level), 4, LEVEL_WORDS[conflict_level]),
        summary=summary)


def _bucket(years: float) -> int:
    """The column of the picture the present falls in (the last threshold passed)."""
    passed = [y for y in YEARS if years >= y]
    return passed[-1] if passed else 0
