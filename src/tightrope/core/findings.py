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

from .assessment import Finding
from .case import Case
from .conditions import LeafResult, Tri, evaluate
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


def _finding(rule: Rule, *, effect: str, applies: str, summary: str,
             limits: Verdict | None, until: dt.date | None = None,
             approximate: bool = False) -> Finding:
    return Finding(
        rule=rule.id, code=rule.code, edition=rule.edition, section=rule.section,
        title=rule.title, effect=effect,  # type: ignore[arg-type]
        applies=applies,  # type: ignore[arg-type]
        until=until, until_approximate=approximate, limits_verdict_to=limits,
        summary=summary, requirements=rule.effect.requirements, actions=rule.actions,
        status=rule.status,  # type: ignore[arg-type]
        url=rule.url, pack=rule.pack_id,
    )


def _hard_stop(rule: Rule, case: Case, as_of: dt.date, applies: Tri) -> Finding:
    effect = rule.effect
    if applies is None:
        return _finding(rule, effect="prohibited", applies="possibly", limits=Verdict.avoid,
                        summary=f"{rule.rationale} Whether it applies depends on facts not yet "
                                "given; until they are, treat it as a reason to hold back.")
    if effect.type == "prohibited" or effect.years is None:
        return _finding(rule, effect="prohibited", applies="yes", limits=Verdict.prohibited,
                        summary=rule.rationale)
    end = period_end(case, as_of, effect.years)
    span = f"{effect.years} year{'s' if effect.years != 1 else ''}"
    if end.running:
        return _finding(rule, effect="prohibited", applies="yes", limits=Verdict.prohibited,
                        summary=f"{rule.rationale} It applies while services continue and for "
                                f"{span} after the last professional contact.")
    if not end.known or end.until is None:
        return _finding(rule, effect="prohibited", applies="possibly", limits=Verdict.avoid,
                        summary=f"{rule.rationale} It forbids this for {span} after the last "
                                "professional contact, and that date is not known.")
    about = "about " if end.approximate else ""
    if as_of < end.until:
        return _finding(rule, effect="prohibited", applies="yes", limits=Verdict.prohibited,
                        until=end.until, approximate=end.approximate,
                        summary=f"{rule.rationale} The {span} end on {about}{end.until}.")
    return _finding(rule, effect="lapsed", applies="yes", limits=None, until=end.until,
                    approximate=end.approximate,
                    summary=f"The {span} of this rule ended on {about}{end.until}. That lifts "
                            "the ban but is not a permission: the relationship is still judged "
                            "on the influence that remains.")


def evaluate_rule(rule: Rule, binding: Binding, case: Case, as_of: dt.date,
                  facts: dict[str, FactValue]) -> RuleOutcome:
    if not rule.in_effect(as_of):
        return RuleOutcome(rule, binding, False, False, (), None, None)
    applies, leaves = evaluate(rule.when, facts)
    violated: Tri = None
    finding: Finding | None = None
    if applies is not False:
        state = "yes" if applies else "possibly"
        effect = rule.effect
        if rule.is_hard_stop and effect.type != "permitted_only_if":
            finding = _hard_stop(rule, case, as_of, applies)
        elif effect.type == "permitted_only_if":
            violated = False
            if rule.violated_if is not None:
                violated, more = evaluate(rule.violated_if, facts)
                leaves = leaves + more
            otherwise = effect.otherwise or Verdict.avoid
            if otherwise is Verdict.prohibited and not (applies and violated):
                otherwise = Verdict.avoid  # not known to be breached: hold back, don't forbid
            if violated is False:
                limits, summary = effect.best, rule.rationale
            elif violated:
                limits, summary = otherwise, f"{rule.rationale} A condition it sets is not met."
            else:
                limits = otherwise
                summary = (f"{rule.rationale} Whether its conditions are met is not yet known.")
            finding = _finding(rule, effect="permitted_only_if", applies=state, summary=summary,
                               limits=limits)
        else:
            finding = _finding(rule, effect="guidance", applies=state, summary=rule.rationale,
                               limits=effect.best)
    return RuleOutcome(rule, binding, True, applies, tuple(leaves), violated, finding)


def evaluate_rules(bindings: tuple[Binding, ...], case: Case, as_of: dt.date,
                   facts: dict[str, FactValue]) -> tuple[RuleOutcome, ...]:
    return tuple(evaluate_rule(rule, binding, case, as_of, facts)
                 for binding in bindings for rule in binding.pack.rules)
