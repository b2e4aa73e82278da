"""Which factor decides, which contribute, and which were weighed but did not decide.

A factor is *decisive* when it is the one that sets the verdict. We find it by
ablation: re-judge the case with that factor neutralised and see whether the
verdict changes, taking factors in the order of the product's idea: the
practitioner's power first, then the client's vulnerability, the conflict of
roles, objectivity, exploitation, and unavoidability. The client's willingness
and the length of therapy are always reported, and are ``considered_not_decisive``
whenever they did not set the verdict, with the reason why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .assessment import Factor, Finding
from .case import Case
from .judgement import PRIORITY, Judgement, JudgementInputs, judge, judgement_inputs
from .power import ClientVulnerability, ResidualPower
from .role_conflict import RoleConflict, role_conflict
from .vocabulary import (
    Benefit,
    FactorRole,
    Initiator,
    Level,
    OtherKind,
    OtherStatus,
    PrimaryFactor,
    ProfessionalStatus,
    Termination,
    Verdict,
)


@dataclass(frozen=True)
class FactorAnalysis:
    primary: PrimaryFactor
    decisive_reason: str
    factors: tuple[Factor, ...]
    changers: frozenset[PrimaryFactor]


def _label(level: Level) -> str:
    return level.name.replace("_", " ")


def _ablations(case: Case, base: JudgementInputs) -> dict[PrimaryFactor, JudgementInputs]:
    neutral_initiative = None if base.initiated_by is Initiator.practitioner else base.initiated_by
    calmer = role_conflict(case.with_changes({"other.initiated_by": None})) if (
        base.initiated_by is Initiator.practitioner) else None
    return {
        PrimaryFactor.power_differential: replace(base, power=Level.negligible),
        PrimaryFactor.client_vulnerability: replace(base, vulnerability=Level.negligible),
        PrimaryFactor.role_conflict: replace(base, conflict=Level.negligible),
        PrimaryFactor.objectivity: replace(base, objectivity=0),
        PrimaryFactor.exploitation_risk: replace(
            base, initiated_by=neutral_initiative,
            client_willing=None if base.client_willing is False else base.client_willing,
            conflict=calmer.level if calmer else base.conflict),
        PrimaryFactor.unavoidability: replace(base, unavoidable=False),
    }


def analyse_factors(case: Case, power: ResidualPower, vulnerability: ClientVulnerability,
                    conflict: RoleConflict, judgement: Judgement, verdict: Verdict,
                    code_verdict: Verdict, governing: Finding | None,
                    governing_factor: PrimaryFactor | None = None) -> FactorAnalysis:
    base = judgement_inputs(case, power, vulnerability, conflict)
    changers: set[PrimaryFactor] = set()
    for factor, ablated in _ablations(case, base).items():
        if code_verdict.worse(judge(ablated).verdict) is not verdict:
            changers.add(factor)
    primary = _primary(verdict, code_verdict, judgement, changers, power, case.other.kind,
                       governing_factor, case.other.avoidable is False)
    factors = _factors(case, power, vulnerability, conflict, judgement, primary, changers)
    if (verdict is not Verdict.prohibited and governing is not None
            and code_decides(verdict, code_verdict, judgement)):
        reason = (f"{governing.code} ({governing.edition}) {governing.section} limits this to "
                  f"{verdict.value.replace('_', ' ')}: {governing.summary}")
    else:
        reason = _decisive_reason(case, primary, verdict, power, vulnerability, conflict,
                                  judgement, governing)
    return FactorAnalysis(primary, reason, factors, frozenset(changers))


def _primary(verdict: Verdict, code_verdict: Verdict, judgement: Judgement,
             changers: set[PrimaryFactor], power: ResidualPower, kind: OtherKind,
             governing_factor: PrimaryFactor | None, unavoidable: bool) -> PrimaryFactor:
    if verdict is Verdict.prohibited:
        return PrimaryFactor.code_prohibition
    if code_decides(verdict, code_verdict, judgement):
        return governing_factor or PrimaryFactor.role_conflict
    if judgement.unavoidable_lift or (unavoidable and verdict is Verdict.proceed_with_safeguards):
        # The verdict is "manage it" because the contact cannot be avoided.
        return PrimaryFactor.unavoidability
    for factor in PRIORITY:
        if factor in changers and factor is not PrimaryFactor.unavoidability:
            return factor
    if verdict is Verdict.acceptable:
        return PrimaryFactor.none
    if kind is OtherKind.romantic_sexual or power.level >= Level.moderate:
        # For a romance, whether influence remains is the whole question.
        return PrimaryFactor.power_differential
    return PrimaryFactor.role_conflict


def code_decides(verdict: Verdict, code_verdict: Verdict, judgement: Judgement) -> bool:
    """A rule, not judgement, set this (non-prohibited) verdict."""
    return code_verdict is verdict and judgement.verdict is not verdict


def _role(factor: PrimaryFactor, primary: PrimaryFactor, changers: set[PrimaryFactor],
          noticeable: bool) -> FactorRole:
    if factor is primary:
        return FactorRole.decisive
    if factor in changers or noticeable:
        return FactorRole.contributing
    return FactorRole.considered_not_decisive


def _factors(case: Case, power: ResidualPower, vulnerability: ClientVulnerability,
             conflict: RoleConflict, judgement: Judgement, primary: PrimaryFactor,
             changers: set[PrimaryFactor]) -> tuple[Factor, ...]:
    other, professional = case.other, case.professional
    factors: list[Factor] = []
    power_because = list(power.because)
    power_because.append(f"Residual power now: {_label(power.level)}; as this client would feel "
                         f"it, with their vulnerability: {_label(judgement.influence)}.")
    factors.append(Factor(
        name="power_differential", level=power.level.name,
        role=_role(PrimaryFactor.power_differential, primary, changers,
                   power.level >= Level.moderate),
        because=tuple(power_because)))
    vulnerable_because = (
        (f"Known vulnerabilities: {'; '.join(vulnerability.because)}.",)
        if vulnerability.because else
        ("No vulnerabilities recorded." if not vulnerability.unknown else
         "The client's vulnerabilities are not yet known; none were counted.",))
    factors.append(Factor(
        name="client_vulnerability", level=vulnerability.level.name,
        role=_role(PrimaryFactor.client_vulnerability, primary, changers,
                   vulnerability.level >= Level.moderate),
        because=vulnerable_because))
    factors.append(Factor(
        name="role_conflict", level=conflict.level.name,
        role=_role(PrimaryFactor.role_conflict, primary, changers,
                   conflict.level >= Level.moderate),
        because=conflict.because))
    if conflict.objectivity >= 1 and (
        professional.status is ProfessionalStatus.prospective
        or other.kind in (OtherKind.clinical_services, OtherKind.additional_service)
        or other.status is OtherStatus.past
    ):
        level = {1: "moderate", 2: "high"}[min(conflict.objectivity, 2)]
        factors.append(Factor(
            name="objectivity", level=level,
            role=_role(PrimaryFactor.objectivity, primary, changers, conflict.objectivity >= 2),
            because=("Holding two roles with the same person divides loyalty and can cloud "
                     "clinical judgement (Kitchener 1988: divergent obligations).",)))
    exploitation = _exploitation_because(case)
    if exploitation:
        factors.append(Factor(
            name="exploitation_risk", level="high" if len(exploitation) > 1 else "moderate",
            role=_role(PrimaryFactor.exploitation_risk, primary, changers, True),
            because=tuple(exploitation)))
    if other.avoidable is False or case.context.small_community:
        because = []
        if case.context.small_community:
            because.append("Practitioner and client share a small community, where overlapping "
                           "roles are common and not in themselves harmful (Zur; Lazarus & Zur "
                           "2002).")
        if other.avoidable is False:
            because.append("The contact cannot reasonably be avoided, so the task is to manage "
                           "it (Younggren 2002).")
        else:
            because.append("Whether the contact could be avoided is not established, so it is "
                           "treated as avoidable.")
        factors.append(Factor(
            name="unavoidability", level="yes" if other.avoidable is False else "unclear",
            role=_role(PrimaryFactor.unavoidability, primary, changers, judgement.unavoidable_lift),
            because=tuple(because)))
    factors.append(_willingness(case, primary, changers))
    length = _length_of_therapy(case, power)
    if length is not None:
        factors.append(length)
    if other.benefit_to_client is not None:
        helps = other.benefit_to_client is Benefit.substantial
        factors.append(Factor(
            name="benefit_to_client", level=other.benefit_to_client.value,
            role=FactorRole.contributing if helps else FactorRole.considered_not_decisive,
            because=(("A substantial benefit to the client eases the conflict a little, but "
                      "cannot outweigh the practitioner's power (Younggren & Gottlieb 2004)."
                      if helps else "A benefit to the client was weighed; it is not enough to "
                      "change the verdict."),)))
    return tuple(factors)


def _exploitation_because(case: Case) -> list[str]:
    reasons = []
    if case.other.initiated_by is Initiator.practitioner:
        reasons.append("You proposed the relationship: initiative by the practitioner makes "
                       "exploitation more likely, never less.")
    if case.professional.termination is Termination.to_start_relationship:
        reasons.append("Services ended in order to start this relationship: ending treatment to "
                       "get around a rule does not lift it, and in some states is a crime.")
    if case.professional.future_relationship_discussed:
        reasons.append("A later relationship was invited during services (APA 10.08(b)(7)).")
    if case.other.client_willing is False:
        reasons.append("The client does not want this relationship; going ahead would override "
                       "their choice (Gottlieb 1993, step 5).")
    return reasons


def _willingness(case: Case, primary: PrimaryFactor, changers: set[PrimaryFactor]) -> Factor:
    willing, initiator = case.other.client_willing, case.other.initiated_by
    because: list[str] = []
    if willing is False:
        return Factor(name="client_willingness", level="unwilling",
                      role=(FactorRole.decisive if primary is PrimaryFactor.exploitation_risk
                            and PrimaryFactor.exploitation_risk in changers
                            else FactorRole.contributing),
                      because=("The client does not want it, which rules it out; a wish the "
                               "other way would not have ruled it in.",))
    if willing is True:
        because.append("The client wants this. A wish formed under a power imbalance is not "
                       "free consent, so it cannot outweigh the influence the practitioner "
                       "holds (Bouhoutsos et al. 1983; Gottlieb 1993).")
    else:
        because.append("Whether the client wants it is not recorded. It would not improve the "
                       "verdict either way; only a client who does not want it changes it.")
    if initiator is Initiator.client:
        because.append("The client proposed it. Who asks first does not move the responsibility, "
                       "which stays with the practitioner.")
    return Factor(name="client_willingness",
                  level="willing" if willing else "unknown",
                  role=FactorRole.considered_not_decisive, because=tuple(because))


def _length_of_therapy(case: Case, power: ResidualPower) -> Factor | None:
    professional = case.professional
    if professional.status is ProfessionalStatus.prospective:
        return None
    parts = []
    if professional.sessions is not None:
        parts.append(f"{professional.sessions} sessions")
    if professional.started is not None:
        end = professional.ended or case.as_of
        if end is not None:
            parts.append(f"over {max((end - professional.started).days / 30.44, 0):.0f} months")
    if not parts:
        level = "unknown"
        what = "The length of services is not recorded and was read as long."
    else:
        level = " ".join(parts)
        what = f"Services ran {level}."
    duration = ("brief", "intermediate", "long")[power.dimensions.duration - 1]
    return Factor(
        name="length_of_therapy", level=level, role=FactorRole.considered_not_decisive,
        because=(what, f"Length counts only through the duration dimension of residual power "
                       f"(here: {duration}); a short therapy is no excuse when the work was "
                       "intense, and a long one is not a reason on its own."))


_KIND_TEXT = {
    OtherKind.romantic_sexual: "a romantic or sexual relationship",
    OtherKind.friendship: "a friendship",
    OtherKind.business: "a business relationship",
    OtherKind.employment: "an employment relationship",
    OtherKind.financial: "a financial arrangement",
    OtherKind.bartering: "bartering",
    OtherKind.gift: "a gift",
    OtherKind.favor: "a favor",
    OtherKind.social_media: "a social media connection",
    OtherKind.event_attendance: "attending an event",
    OtherKind.clinical_services: "clinical services to someone connected to the client",
    OtherKind.additional_service: "a second professional role",
    OtherKind.evaluative: "a teaching, supervising or evaluating role",
    OtherKind.collegial: "a collegial relationship",
    OtherKind.incidental_contact: "an incidental encounter",
    OtherKind.community_overlap: "contact in a shared community",
    OtherKind.other: "this second relationship",
}


def kind_text(kind: OtherKind) -> str:
    return _KIND_TEXT[kind]


def _decisive_reason(case: Case, primary: PrimaryFactor, verdict: Verdict, power: ResidualPower,
                     vulnerability: ClientVulnerability, conflict: RoleConflict,
                     judgement: Judgement, governing: Finding | None) -> str:
    kind = kind_text(case.other.kind)
    if primary is PrimaryFactor.code_prohibition and governing is not None:
        return f"{governing.code} ({governing.edition}) {governing.section} forbids this. " \
               f"{governing.summary}"
    if primary is PrimaryFactor.power_differential:
        level = _label(power.level)
        if verdict in (Verdict.avoid, Verdict.prohibited):
            return (f"You still hold {level} power over this client "
                    f"({power.dimensions.describe()}). In {kind} that influence could shape "
                    "the relationship and the client's choices within it.")
        if power.level >= Level.moderate:
            return (f"You hold {level} power over this client ({power.dimensions.describe()}). "
                    f"The conflict of roles in {kind} is {_label(conflict.level)}, so it can be "
                    "managed, but only with the safeguards below.")
        return (f"Your residual power over this client is {level} "
                f"({power.dimensions.describe()}), low enough to manage {kind} with the "
                "safeguards below.")
    if primary is PrimaryFactor.client_vulnerability:
        return (f"This client is {_label(vulnerability.level)}ly vulnerable "
                f"({'; '.join(vulnerability.because)}), which makes the influence you hold "
                f"weigh more heavily in {kind}.")
    if primary is PrimaryFactor.role_conflict:
        return (f"The roles conflict ({_label(conflict.level)}): {conflict.because[0]}.")
    if primary is PrimaryFactor.objectivity:
        return ("A personal tie would cloud your clinical judgement: two roles with the same "
                "person divide your loyalty.")
    if primary is PrimaryFactor.exploitation_risk:
        reasons = _exploitation_because(case)
        if reasons:
            return reasons[0]
        if governing is not None:
            return f"{governing.code} {governing.section}: {governing.summary}"
        return "The risk of exploitation is too high."
    if primary is PrimaryFactor.unavoidability:
        return (f"This contact cannot reasonably be avoided, so refusing it would not protect "
                f"the client; {kind} can continue if it is managed with the safeguards below.")
    if verdict is Verdict.acceptable:
        return f"This is {kind} with negligible risk of exploitation or harm, if handled well."
    return f"{kind.capitalize()} carries a real but manageable risk."
