"""Neighbouring rules: what the same facts trigger in every pack Tightrope ships.

A good distractor for "which rule governs?" or "when does the waiting period
end?" is a real rule about the same situation that does not decide this case:
another section of the same code, or the matching rule of a code that does not
bind this practitioner (ACA A.5.c's five years for a psychologist bound by APA
10.08's two). We find them by evaluating every rule of every pack in effect on
the vignette's date against the case's facts. Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.case import Case
from ..core.facts import read_facts
from ..core.library import PackLibrary


@dataclass(frozen=True)
class RuleRef:
    """A rule named by its citation, with what it does and whether it binds the case."""

    rule: str
    code: str
    edition: str
    section: str
    title: str
    url: str
    status: str
    effect: str  # prohibited | prohibited_for_period | permitted_only_if | guidance
    years: int | None
    binds: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.section}"

    @property
    def is_permanent_ban(self) -> bool:
        return self.effect == "prohibited"


def neighbouring_rules(case: Case, as_of: dt.date, library: PackLibrary) -> tuple[RuleRef, ...]:
    """Every rule in effect on ``as_of`` whose condition is true for this case's facts."""
    facts = read_facts(case, as_of)
    binding = {binding.pack.id for binding in library.bindings(case, as_of)}
    found: list[RuleRef] = []
    for pack in library.packs:
        if not pack.in_effect(as_of):
            continue
        for rule in pack.rules:
            if not rule.in_effect(as_of) or rule.when.evaluate(facts, None) is not True:
                continue
            found.append(RuleRef(
                rule=rule.id, code=rule.code, edition=rule.edition, section=rule.section,
                title=rule.title, url=rule.url, status=rule.status, effect=rule.effect.type,
                years=rule.effect.years, binds=pack.id in binding))
    return tuple(found)
