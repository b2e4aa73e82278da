"""The assessment engine: a pure function of case, packs and date.

No I/O, no clock, no randomness: the same case, packs and date give a
byte-identical assessment, which is what makes golden tests and a licensing
board's "what did the tool say then?" possible. The layers follow DESIGN.md:

1. binding rules (:mod:`findings`),
2. residual power and client vulnerability (:mod:`power`),
3. role conflict of the other relationship (:mod:`role_conflict`),
4. safeguards, folded into the actions (:mod:`actions`),

combined in :mod:`judgement`; :mod:`counterfactuals` then re-runs the same
function on changed facts to say what would change the verdict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .actions import plan_actions
from .assessment import (
    Assessment,
    EngineInfo,
    Finding,
    Governing,
    PackRef,
    Trace,
    Unknown,
    WhatIf,
)
from .case import Case
from .factors import FactorAnalysis, analyse_factors
from .facts import FactValue, months_since_end, read_facts
from .findings import RuleOutcome, evaluate_rules, rule_limit
from .judgement import Judgement, judge, judgement_inputs
from .library import Binding, PackLibrary
from .power import ClientVulnerability, ResidualPower, client_vulnerability, residual_power
from .role_conflict import RoleConflict, role_conflict
from .version import ENGINE_VERSION
from .vocabulary import Verdict

NOTICE = ("Tightrope supports professional judgement and consultation; it does not replace "
          "them. Check the current text of every code cited.")


@dataclass(frozen=True)
class Evaluation:
    """Everything the engine concluded before asking "what would change?"."""

    case: Case
    as_of: dt.date
    facts: dict[str, FactValue]
    bindings: tuple[Binding, ...]
    outcomes: tuple[RuleOutcome, ...]
    findings: tuple[Finding, ...]
    code_verdict: Verdict
    governing: Finding | None
    power: ResidualPower
    vulnerability: ClientVulnerability
    conflict: RoleConflict
    judgement: Judgement
    verdict: Verdict
    analysis: FactorAnalysis
    open_facts: frozenset[str]  # facts that rules left undecided (see counterfactuals)
    coverage: tuple[str, ...]  # codes or places the packs could not cover

    @property
    def until(self) -> dt.date | None:
        if self.verdict is Verdict.prohibited and self.governing is not None:
            return self.governing.until
        return None

    @property
    def until_approximate(self) -> bool:
        return bool(self.until and self.governing and self.governing.until_approximate)


def strictness(limit: Verdict | None, applies: str, until: dt.date | None,
               position: int) -> tuple[int, int, int, int]:
    """Sort key for "the strictest governs": worst limit first; a certain rule before a
    possible one; a permanent ban before a timed one; the later end first; then the
    order of binding (profession's code, listed codes, jurisdiction) and of the pack."""
    severity = limit.severity if limit is not None else -1
    certain = 1 if applies == "yes" else 0
    horizon = 10**7 if until is None else until.toordinal()
    return (-severity, -certain, -horizon, position)


def _governing(findings: tuple[Finding, ...]) -> Finding | None:
    limiting = [(f, i) for i, f in enumerate(findings) if f.limits_verdict_to is not None]
    if not limiting:
        return None
    return min(limiting, key=lambda pair: strictness(
        pair[0].limits_verdict_to, pair[0].applies, pair[0].until, pair[1]))[0]


def evaluate(case: Case, library: PackLibrary, as_of: dt.date, *,
             trace: bool = False) -> Evaluation:
    facts = read_facts(case, as_of)
    bindings = library.bindings(case, as_of)
    outcomes = evaluate_rules(bindings, case, as_of, facts, trace)
    findings = tuple(o.finding for o in outcomes if o.finding is not None)
    code_verdict = Verdict.acceptable
    for finding in findings:
        if finding.limits_verdict_to is not None:
            code_verdict = code_verdict.worse(finding.limits_verdict_to)
    governing = _governing(findings)
    months = facts["professional.months_since_end"]
    power = residual_power(case, as_of, float(months) if isinstance(months, int | float) else None)
    vulnerability = client_vulnerability(case)
    conflict = role_conflict(case)
    judgement = judge(judgement_inputs(case, power, vulnerability, conflict))
    verdict = code_verdict.worse(judgement.verdict)
    governing_factor = next((o.rule.factor for o in outcomes
                             if governing is not None and o.finding is governing), None)
    analysis = analyse_factors(case, power, vulnerability, conflict, judgement, verdict,
                               code_verdict, governing, governing_factor)
    open_facts: set[str] = set()
    for outcome in outcomes:
        if outcome.applies is None or (outcome.violated is None and outcome.finding is not None \
                and outcome.finding.effect == "permitted_only_if"):
            open_facts |= outcome.rule.when.facts()
            if outcome.rule.violated_if is not None:
                open_facts |= outcome.rule.violated_if.facts()
        if outcome.finding is not None and outcome.rule.effect.years is not None:
            open_facts.add("professional.months_since_end")
    return Evaluation(case, as_of, facts, bindings, outcomes, findings, code_verdict, governing,
                      power, vulnerability, conflict, judgement, verdict, analysis,
                      frozenset(open_facts), library.gaps(case, as_of))


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    until: dt.date | None
    code_verdict: Verdict


def judge_case(case: Case, as_of: dt.date, reuse: Evaluation | None = None) -> Judgement:
    """Layers 2-4 alone, for a case whose rules are known not to change.

    With ``reuse``, a layer whose part of the case is unchanged (the same frozen
    object) is taken from that evaluation instead of being computed again.
    """
    if reuse is not None and case.professional is reuse.case.professional:
        power = reuse.power
    else:
        power = residual_power(case, as_of, months_since_end(case, as_of))
    if reuse is not None and case.client is reuse.case.client:
        vulnerability = reuse.vulnerability
    else:
        vulnerability = client_vulnerability(case)
    if reuse is not None and case.other is reuse.case.other:
        conflict = reuse.conflict
    else:
        conflict = role_conflict(case)
    return judge(judgement_inputs(case, power, vulnerability, conflict))


def quick_outcome(case: Case, bindings: tuple[Binding, ...], as_of: dt.date) -> Outcome:
    """The verdict and its end date only: what the counterfactuals need, nothing more."""
    facts = read_facts(case, as_of)
    code_verdict = Verdict.acceptable
    best_key: tuple[int, int, int, int] | None = None
    until: dt.date | None = None
    position = 0
    for binding in bindings:
        for rule in binding.pack.rules:
            _, _, limit = rule_limit(rule, case, as_of, facts)
            position += 1
            if limit is None or limit.limits is None:
                continue
            code_verdict = code_verdict.worse(limit.limits)
            key = strictness(limit.limits, limit.applies, limit.until, position)
            if best_key is None or key < best_key:
                best_key, until = key, limit.until
    verdict = code_verdict.worse(judge_case(case, as_of).verdict)
    return Outcome(verdict, until if verdict is Verdict.prohibited else None, code_verdict)


def _governing_out(evaluation: Evaluation) -> Governing | None:
    governing = evaluation.governing
    if governing is None or evaluation.code_verdict is Verdict.acceptable:
        return None
    limit = governing.limits_verdict_to
    others = sorted({f"{f.code} {f.section}" for f in evaluation.findings
                     if f.limits_verdict_to == limit and f.rule != governing.rule})
    if limit is Verdict.prohibited and governing.until is None:
        how = "forbids it with no end date"
    elif limit is Verdict.prohibited:
        how = f"forbids it for longest, until {governing.until}"
    else:
        how = f"limits the verdict to {limit.value if limit else 'none'}"
    why = f"Of the rules that bind you, {governing.code} {governing.section} {how}"
    why += f"; also at this level: {', '.join(others)}." if others else "."
    return Governing(rule=governing.rule, code=governing.code, edition=governing.edition,
                     section=governing.section, why=why)


def _trace(evaluation: Evaluation) -> Trace:
    rules = []
    for outcome in evaluation.outcomes:
        rules.append({
            "rule": outcome.rule.id,
            "pack": outcome.rule.pack_id,
            "bound_by": outcome.binding.reason,
            "in_effect": outcome.in_effect,
            "applies": outcome.applies,
            "violated": outcome.violated,
            "leaves": [{"fact": leaf.fact, "op": leaf.op, "expected": leaf.expected,
                        "actual": leaf.actual, "result": leaf.result}
                       for leaf in outcome.leaves],
            "finding": outcome.finding.effect if outcome.finding else None,
        })
    power, conflict, judgement = evaluation.power, evaluation.conflict, evaluation.judgement
    layers = (
        {"layer": "binding_rules", "verdict": evaluation.code_verdict.value,
         "governing": evaluation.governing.rule if evaluation.governing else None},
        {"layer": "residual_power", "dimensions": {
            "power": power.dimensions.power, "duration": power.dimensions.duration,
            "termination": power.dimensions.termination},
         "base": power.base.name, "aggravation": power.aggravation,
         "decay_steps": power.decay_steps, "floor": power.floor.name,
         "level": power.level.name, "vulnerability": evaluation.vulnerability.level.name,
         "vulnerability_points": evaluation.vulnerability.points,
         "influence": judgement.influence.name},
        {"layer": "role_conflict", "expectations": conflict.expectations,
         "obligations": conflict.obligations, "authority": conflict.authority,
         "adjustment": conflict.adjustment, "level": conflict.level.name,
         "objectivity": conflict.objectivity},
        {"layer": "judgement", "gate": judgement.gate, "verdict": judgement.verdict.value,
         "unavoidable_lift": judgement.unavoidable_lift},
        {"layer": "result", "verdict": evaluation.verdict.value,
         "primary_factor": evaluation.analysis.primary.value},
    )
    facts = {name: (list(value) if isinstance(value, tuple) else value)
             for name, value in sorted(evaluation.facts.items())}
    return Trace(facts=facts, rules=tuple(rules), layers=layers)


def build_assessment(evaluation: Evaluation, *, what_would_change: tuple[str, ...],
                     what_ifs: tuple[WhatIf, ...], unknowns: tuple[Unknown, ...],
                     with_trace: bool) -> Assessment:
    packs = tuple(PackRef(id=b.pack.id, code=b.pack.header.code, edition=b.pack.header.edition,
                          version=b.pack.version, sha256=b.pack.sha256, bound_by=b.reason)
                  for b in evaluation.bindings)
    return Assessment(
        verdict=evaluation.verdict,
        until=evaluation.until,
        until_approximate=evaluation.until_approximate,
        primary_factor=evaluation.analysis.primary,
        governing=_governing_out(evaluation),
        decisive_reason=evaluation.analysis.decisive_reason,
        factors=evaluation.analysis.factors,
        findings=evaluation.findings,
        actions=plan_actions(evaluation.case, evaluation.verdict, evaluation.findings,
                             evaluation.until, evaluation.judgement),
        what_would_change=what_would_change,
        what_ifs=what_ifs,
        unknowns=unknowns,
        as_of=evaluation.as_of,
        coverage=evaluation.coverage,
        notice=NOTICE,
        engine=EngineInfo(version=ENGINE_VERSION, packs=packs),
        trace=_trace(evaluation) if with_trace else None,
    )


def assess_case(case: Case, library: PackLibrary, as_of: dt.date, *,
                trace: bool = False, explore: bool = True) -> Assessment:
    """Assess one case on one date against a pack library. Pure and deterministic."""
    from .counterfactuals import explore_changes  # local: counterfactuals re-enter evaluate

    evaluation = evaluate(case, library, as_of, trace=trace)
    if explore:
        changes, what_ifs, unknowns = explore_changes(evaluation)
    else:
        changes, what_ifs, unknowns = (), (), ()
    return build_assessment(evaluation, what_would_change=changes, what_ifs=what_ifs,
                            unknowns=unknowns, with_trace=trace)


