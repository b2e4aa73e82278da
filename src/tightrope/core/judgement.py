"""Layers 2-4 combined: the verdict professional judgement gives where no rule forbids.

The inputs are ordinal levels (residual power, client vulnerability, role
conflict) and a few facts about the other relationship. The mapping is one
small table of gates, written so that it can be read against the models it
follows and proved monotone by property tests:

* Power decides first (the seed idea; Gottlieb 1993 step 1): when the residual
  influence is at its highest (intense, long, open-ended work) and the second role
  conflicts materially, the second relationship is contraindicated, whatever else
  is true.
* A romantic or sexual relationship with a client or former client is never
  merely "acceptable"; where no code forbids it, it is to be avoided unless
  almost no influence remains (APA 10.08(b): "most unusual circumstances").
* Otherwise risk is read from influence plus conflict (Kitchener 1988: the
  strength of the caution rises with the risk of harm).
* A relationship that cannot be avoided (small communities; Younggren 2002;
  Zur) is managed rather than refused, unless it is romantic, proposed by the
  practitioner, or the influence and conflict are both at their highest.
* The client's wish never improves the verdict (consent under a power imbalance
  is not free: Bouhoutsos et al. 1983), but a client who does not want the
  relationship rules it out (Gottlieb 1993 step 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .vocabulary import Initiator, Level, OtherKind, PrimaryFactor, Verdict

if TYPE_CHECKING:
    from .case import Case
    from .power import ClientVulnerability, ResidualPower
    from .role_conflict import RoleConflict

NOT_CHOSEN = frozenset({OtherKind.incidental_contact, OtherKind.community_overlap})
"""Contact that happens to the practitioner rather than being entered into."""


@dataclass(frozen=True)
class JudgementInputs:
    power: Level  # residual power on the assessment date
    vulnerability: Level
    conflict: Level
    objectivity: int  # 0-2
    kind: OtherKind
    initiated_by: Initiator | None
    client_willing: bool | None
    unavoidable: bool  # known to be unavoidable (avoidable: false)


def judgement_inputs(case: Case, power: ResidualPower, vulnerability: ClientVulnerability,
                     conflict: RoleConflict) -> JudgementInputs:
    return JudgementInputs(
        power=power.level, vulnerability=vulnerability.level, conflict=conflict.level,
        objectivity=conflict.objectivity, kind=case.other.kind,
        initiated_by=case.other.initiated_by, client_willing=case.other.client_willing,
        unavoidable=case.other.avoidable is False,
    )


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    influence: Level  # power as felt by this client (power plus vulnerability)
    gate: str  # which gate decided, for the trace
    unavoidable_lift: bool


def influence_of(power: Level, vulnerability: Level) -> Level:
    bump = (1 if vulnerability >= Level.moderate else 0) + (
        1 if vulnerability >= Level.very_high else 0)
    return Level.clamp(power + bump)


def judge(inputs: JudgementInputs) -> Judgement:
    influence = influence_of(inputs.power, inputs.vulnerability)
    conflict = inputs.conflict
    if inputs.kind is OtherKind.romantic_sexual:
        if influence >= Level.low or inputs.vulnerability >= Level.moderate:
            verdict, gate = Verdict.avoid, "romantic-with-influence"
        else:
            verdict, gate = Verdict.proceed_with_safeguards, "romantic-negligible-influence"
    elif conflict == Level.negligible:
        verdict, gate = Verdict.acceptable, "no-conflict"
    elif influence >= Level.very_high and conflict >= Level.moderate:
        # Gottlieb's clearest high-risk anchor (high power, long, open-ended) rules out
        # any second role that materially conflicts, whatever else is true.
        verdict, gate = Verdict.avoid, "power-contraindicates"
    elif influence + conflict >= 6:
        verdict, gate = Verdict.avoid, "high-combined-risk"
    elif influence + conflict >= 2:
        verdict, gate = Verdict.proceed_with_safeguards, "manageable-risk"
    else:
        verdict, gate = Verdict.acceptable, "low-risk"
    if inputs.objectivity >= 2 and influence >= Level.high and verdict is Verdict.acceptable:
        verdict, gate = Verdict.proceed_with_safeguards, "objectivity-at-stake"
    lift = False
    if (verdict is Verdict.avoid and inputs.unavoidable
            and inputs.kind is not OtherKind.romantic_sexual
            and inputs.initiated_by is not Initiator.practitioner
            and not (influence >= Level.very_high and conflict >= Level.very_high)):
        verdict, gate, lift = Verdict.proceed_with_safeguards, gate + "+unavoidable", True
    if (inputs.client_willing is False and inputs.kind not in NOT_CHOSEN
            and verdict.severity < Verdict.avoid.severity):
        verdict, gate = Verdict.avoid, "client-unwilling"
    return Judgement(verdict, influence, gate, lift)


PRIORITY: tuple[PrimaryFactor, ...] = (
    PrimaryFactor.power_differential,
    PrimaryFactor.client_vulnerability,
    PrimaryFactor.role_conflict,
    PrimaryFactor.objectivity,
    PrimaryFactor.exploitation_risk,
    PrimaryFactor.unavoidability,
)
