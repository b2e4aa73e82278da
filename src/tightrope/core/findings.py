"""Layer 1: the binding rules. Each rule of each binding pack, evaluated on the case.

A rule whose condition is true becomes a finding. A rule whose condition is
*unknown* becomes a "possibly" finding, treated cautiously: a possible hard stop
limits the verdict to ``avoid`` (not ``prohibited``, which is reserved for what a
rule is known to forbid) and its unknown facts are named. A waiting period that
has passed leaves a ``lapsed`` finding that limits nothing: lapse is not
permission, and the later layers still judge the relationship.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .assessment import Finding
from .case import Case
from .conditions import LeafResult, Tri
from .dates import add_years, approximate_end
from .facts import FactValue
from .library import Binding
from .packs import Rule
from .vocabulary import ProfessionalStatus, Verdict


@dataclass(frozen=True)
class RuleOutcome:
    rule: Rule
    binding: Binding
    in_effect: bool
    applies: Tri
    leaves: tuple[LeafResult, ...]
    violated: Tri
    finding: Finding | None


@dataclass(frozen=True)
class PeriodEnd:
    until: dt.date | None
    approximate: bool
    running: bool  # services continue, so the period has not started
    known: bool


def period_end(case: Case, as_of: dt.date, years: int) -> PeriodEnd:
    professional = case.professional
    if professional.status is not ProfessionalStatus.former:
        return PeriodEnd(None, False, True, True)
    if professional.ended is not None:
        return PeriodEnd(add_years(professional.ended, years), False, False, True)
    if professional.months_since_end is not None:
        estimated = approximate_end(as_of, professional.months_since_end)
        return PeriodEnd(add_years(estimated, years), True, False, True)
    return PeriodEnd(None, False, False, False)


@dataclass(frozen=True)
class RuleLimit:
    """What one rule does to the verdict, before any text is written (the fast path)."""

    effect: Literal["prohibited", "lapsed", "permitted_only_if", "guidance"]
    applies: Literal["yes", "possibly"]
    limits: Verdict | None
    until: dt.date | None = None
    approximate: bool = False
    note: str = ""  # which sentence to add to the rationale
    years: int = 0


def _hard_stop_limit(rule: Rule, case: Case, as_of: dt.date, applies: Tri) -> RuleLimit:
    years = rule.effect.years
    if applies is None:
        return RuleLimit("prohibited", "possibly", Verdict.avoid, note="depends")
    if rule.effect.type == "prohibited" or years is None:
        return RuleLimit("prohibited", "yes", Verdict.prohibited)
    end = period_end(case, as_of, years)
    if end.running:
        return RuleLimit("prohibited", "yes", Verdict.prohibited, note="running", years=years)
    if not end.known or end.until is None:
        return RuleLimit("prohibited", "possibly", Verdict.avoid, note="no-anchor", years=years)
    if as_of < end.until:
        return RuleLimit("prohibited", "yes", Verdict.prohibited, end.until, end.approximate,
                         note="ends", years=years)
    return RuleLimit("lapsed", "yes", None, end.until, end.approximate, note="lapsed",
                     years=years)


def rule_limit(rule: Rule, case: Case, as_of: dt.date, facts: dict[str, FactValue],
               trace: list[LeafResult] | None = None) -> tuple[Tri, Tri, RuleLimit | None]:
    """(applies, violated, limit) for one rule; ``None`` limit when it does not apply."""
    if not rule.in_effect(as_of):
        return False, None, None
    applies = rule.when.evaluate(facts, trace)
    if applies is False:
        return False, None, None
    state: Literal["yes", "possibly"] = "yes" if applies else "possibly"
    effect = rule.effect
    if effect.type in ("prohibited", "prohibited_for_period"):
        return applies, None, _hard_stop_limit(rule, case, as_of, applies)
    if effect.type == "guidance":
        return applies, None, RuleLimit("guidance", state, effect.best)
    violated: Tri = False
    if rule.violated_if is not None:
        violated = rule.violated_if.evaluate(facts, trace)
    otherwise = effect.otherwise or Verdict.avoid
    if otherwise is Verdict.prohibited and not (applies and violated):
        otherwise = Verdict.avoid  # not known to be breached: hold back, don't forbid
    if violated is False:
        return applies, violated, RuleLimit("permitted_only_if", state, effect.best)
    return applies, violated, RuleLimit("permitted_only_if", state, otherwise,
                                        note="breached" if violated else "open")


def _summary(rule: Rule, limit: RuleLimit) -> str:
    span = f"{limit.years} year{'s' if limit.years != 1 else ''}"
    about = "about " if limit.approximate else ""
    return {
        "": rule.rationale,
        "depends": f"{rule.rationale} Whether it applies depends on facts not yet given; until "
                   "they are, treat it as a reason to hold back.",
        "running": f"{rule.rationale} It applies while services continue and for {span} after "
                   "the last professional contact.",
        "no-anchor": f"{rule.rationale} It forbids this for {span} after the last professional "
                     "contact, and that date is not known.",
        "ends": f"{rule.rationale} The {span} end on {about}{limit.until}.",
        "lapsed": f"The {span} of this rule ended on {about}{limit.until}. That lifts the ban "
                  "but is not a permission: the relationship is still judged on the influence "
                  "that remains.",
        "breached": f"{rule.rationale} A condition it sets is not met.",
        "open": f"{rule.rationale} Whether its conditions are met is not yet known.",
    }[limit.note]


def evaluate_rule(rule: Rule, binding: Binding, case: Case, as_of: dt.date,
                  facts: dict[str, FactValue], trace: bool = False) -> RuleOutcome:
    leaves: list[LeafResult] = []
    applies, violated, limit = rule_limit(rule, case, as_of, facts, leaves if trace else None)
    finding = None
    if limit is not None:
        finding = Finding(
            rule=rule.id, code=rule.code, edition=rule.edition, section=rule.section,
            title=rule.title, effect=limit.effect, applies=limit.applies,
            until=limit.until, until_approximate=limit.approximate,
            limits_verdict_to=limit.limits, summary=_summary(rule, limit),
            requirements=rule.effect.requirements, actions=rule.actions,
            status=rule.status, url=rule.url, pack=rule.pack_id,
        )
    return RuleOutcome(rule, binding, rule.in_effect(as_of), applies, tuple(leaves), violated,
                       finding)


def evaluate_rules(bindings: tuple[Binding, ...], case: Case, as_of: dt.date,
                   facts: dict[str, FactValue], trace: bool = False) -> tuple[RuleOutcome, ...]:
    """Every rule of every binding pack; ``trace`` records each leaf looked at."""
    return tuple(evaluate_rule(rule, binding, case, as_of, facts, trace)
                 for binding in bindings for rule in binding.pack.rules)
