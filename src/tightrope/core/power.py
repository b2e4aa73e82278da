"""Layer 2: residual power, the primary consideration.

How much influence the practitioner holds, or still holds, over the client.

* Gottlieb (1993) rates the professional relationship on three continua from
  the client's point of view: **power** (how deep an influence on the person's
  inner life), **duration** (brief, intermediate, long) and **termination**
  (specific, uncertain, indefinite). Gottlieb gives no numeric rule; we use the
  "power-led" operationalisation noted in ``knowledge/models.md`` 9.2(a): start
  from the power level, raise one step if the relationship was long or its end
  is open, lower one step if it was brief *and* ended specifically. This keeps
  both anchors of the model: high/long/indefinite is the highest risk,
  low/brief/specific the lowest. It is a tool-level choice, labelled as such.
* APA 10.08(b) adds factors for former clients: time since termination; nature,
  duration and intensity of services; how termination happened; client history
  and current state; likelihood of harm; and anything said during services that
  invited a later relationship. Termination *in order to* start the other
  relationship and an invitation during services aggravate the residual power.
* Time weakens the influence but, after intense, long psychotherapy, never
  removes it (transference outlasts termination: Malmquist & Notman 2001; harm
  in at least 80% of post-termination sexual cases: Pope & Vetter 1991). The
  decay therefore stops two steps below where it started.

Every function here is pure and monotone: more power, a longer or more open
relationship, or more vulnerability never lowers a level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .case import Case
from .facts import THERAPY_SERVICES
from .vocabulary import CurrentState, Intensity, Level, ProfessionalStatus, Service, Termination
from .vocabulary import Vulnerability as V

DIMENSION_NAMES = {
    "power": ("low", "mid-range", "high"),
    "duration": ("brief", "intermediate", "long"),
    "termination": ("specific", "uncertain", "indefinite"),
}

# Services whose power comes from judging or gatekeeping rather than from the
# intimacy of treatment (evaluations, benefits, grades).
EVALUATIVE_SERVICES = frozenset({
    Service.assessment, Service.forensic_evaluation, Service.case_management,
    Service.vocational_rehabilitation, Service.supervision, Service.teaching,
})

# Vulnerabilities that by themselves leave a person much more exposed to
# exploitation (APA 10.08(b)(4)-(5): history and current mental state).
SEVERE_VULNERABILITIES = frozenset({
    V.abuse_by_prior_professional, V.crisis, V.severe_mental_illness,
    V.cognitive_impairment, V.dependency,
})


@dataclass(frozen=True)
class Dimensions:
    """Gottlieb's three continua, each 1 (low-risk end) to 3 (high-risk end)."""

    power: int
    duration: int
    termination: int

    def describe(self) -> str:
        return ", ".join(f"{name} {DIMENSION_NAMES[name][getattr(self, name) - 1]}"
                         for name in ("power", "duration", "termination"))


@dataclass(frozen=True)
class ResidualPower:
    dimensions: Dimensions
    base: Level  # at the end of services (or now, for current clients)
    aggravation: int
    decay_steps: int
    floor: Level
    level: Level  # what remains on the assessment date
    months_since_end: float | None
    because: tuple[str, ...]
    unknown: tuple[str, ...] = field(default=())


def _power_dimension(case: Case, unknown: list[str], because: list[str]) -> int:
    professional = case.professional
    service, intensity = professional.service, professional.intensity
    if intensity is None:
        unknown.append("professional.intensity")
    if service is None:
        unknown.append("professional.service")
    if service in THERAPY_SERVICES or service is Service.behavior_intervention or service in (
        None, Service.other
    ):
        # Treatment reaches the client's inner life; unknown intensity is read as
        # high, the cautious end.
        level = 2 if intensity in (Intensity.low, Intensity.moderate) else 3
    elif service in EVALUATIVE_SERVICES:
        level = {Intensity.low: 1, Intensity.high: 3}.get(intensity, 2) if intensity else 2
    else:  # consultation: closest to peers
        level = 2 if intensity is Intensity.high else 1
    what = service.value.replace("_", " ") if service else "an unknown service"
    how = f"{intensity.value} intensity" if intensity else "intensity unknown, read as high"
    because.append(f"Power: {DIMENSION_NAMES['power'][level - 1]} ({what}, {how}).")
    return level


def _duration_dimension(case: Case, as_of: dt.date, unknown: list[str],
                        because: list[str]) -> int:
    professional = case.professional
    levels: list[int] = []
    notes: list[str] = []
    if professional.sessions is not None:
        sessions = professional.sessions
        levels.append(1 if sessions <= 3 else 2 if sessions <= 20 else 3)
        notes.append(f"{sessions} sessions")
    if professional.started is not None:
        end = professional.ended or as_of
        months = (end - professional.started).days / 30.44
        levels.append(1 if months < 1 else 2 if months <= 6 else 3)
        notes.append(f"over {max(months, 0):.0f} months")
    if not levels:
        unknown.append("professional.sessions")
        because.append("Duration: unknown, read as long.")
        return 3
    level = max(levels)  # the longer reading wins: the cautious one
    because.append(f"Duration: {DIMENSION_NAMES['duration'][level - 1]} ({', '.join(notes)}).")
    return level


def _termination_dimension(case: Case, unknown: list[str], because: list[str]) -> int:
    professional = case.professional
    if professional.status is ProfessionalStatus.current:
        because.append("Termination: indefinite (services are continuing).")
        return 3
    if professional.status is ProfessionalStatus.prospective:
        because.append("Termination: indefinite (services would be starting).")
        return 3
    termination, may_return = professional.termination, professional.may_return
    if termination is None:
        unknown.append("professional.termination")
    if may_return is None:
        unknown.append("professional.may_return")
    if termination is Termination.to_start_relationship:
        level, why = 3, "services ended in order to start the other relationship"
    elif may_return is True:
        level, why = 3, "the client may return for services"
    elif termination is Termination.planned and may_return is False:
        level, why = 1, "planned ending, no return expected"
    elif termination is None and may_return is None:
        level, why = 3, "how services ended is unknown, read as open"
    else:
        level, why = 2, "services ended but a return is not ruled out"
    because.append(f"Termination: {DIMENSION_NAMES['termination'][level - 1]} ({why}).")
    return level


def combine(dimensions: Dimensions) -> Level:
    """Power-led aggregation (models.md 9.2(a)); monotone in every dimension."""
    level = dimensions.power
    if dimensions.duration == 3 or dimensions.termination == 3:
        level += 1
    if dimensions.duration == 1 and dimensions.termination == 1:
        level -= 1
    return Level.clamp(level)


def decay_steps(months: float | None) -> int:
    """Steps of weakening with time since the last contact.

    Unknown time is read as recent. The thresholds (2, 5 and 10 years) follow the
    waiting periods the codes use (APA 10.08 two years, ACA A.5.c five years) and
    are a tool-level choice, shown in the explanation.
    """
    if months is None or months < 24:
        return 0
    if months < 60:
        return 1
    if months < 120:
        return 2
    return 3


def residual_power(case: Case, as_of: dt.date, months_since_end: float | None) -> ResidualPower:
    unknown: list[str] = []
    because: list[str] = []
    dimensions = Dimensions(
        power=_power_dimension(case, unknown, because),
        duration=_duration_dimension(case, as_of, unknown, because),
        termination=_termination_dimension(case, unknown, because),
    )
    base = combine(dimensions)
    professional = case.professional
    aggravation = 0
    if professional.termination is Termination.to_start_relationship:
        aggravation += 1
        because.append("Services were ended in order to begin the other relationship: the "
                       "influence was used, not left behind (APA 10.08(b)(3)).")
    if professional.future_relationship_discussed:
        aggravation += 1
        because.append("Something said or done during services invited a later relationship "
                       "(APA 10.08(b)(7)).")
    start = Level.clamp(base + aggravation)
    # Never fully erased after intense, long work: stop two steps down.
    floor = Level.clamp(start - 2)
    steps = 0
    if professional.status is ProfessionalStatus.former:
        if months_since_end is None:
            unknown.append("professional.ended")
            because.append("Time since services ended: unknown, read as recent.")
        else:
            steps = decay_steps(months_since_end)
            years = months_since_end / 12
            if steps:
                because.append(f"Time since services ended: {years:.1f} years, which weakens the "
                               f"influence by {steps} step{'s' if steps > 1 else ''}.")
            else:
                because.append(f"Time since services ended: {years:.1f} years, too recent to "
                               "weaken the influence.")
    level = Level(max(floor, start - steps))
    if steps and level == floor and floor > 0:
        because.append(f"After work this deep the influence never fully fades: it stays "
                       f"{floor.name.replace('_', ' ')} however long ago services ended.")
    return ResidualPower(dimensions, base, aggravation, steps, floor, level, months_since_end,
                         tuple(because), tuple(dict.fromkeys(unknown)))


@dataclass(frozen=True)
class ClientVulnerability:
    level: Level
    points: int
    because: tuple[str, ...]
    unknown: tuple[str, ...]


def client_vulnerability(case: Case) -> ClientVulnerability:
    client = case.client
    points = 0
    because: list[str] = []
    unknown: list[str] = []
    if client.vulnerabilities is None:
        unknown.append("client.vulnerabilities")
    else:
        for item in sorted(set(client.vulnerabilities), key=lambda v: v.value):
            weight = 2 if item in SEVERE_VULNERABILITIES else 1
            points += weight
            because.append(f"{item.value.replace('_', ' ')} (+{weight})")
    if client.minor:
        points += 2
        because.append("a minor (+2)")
    elif client.minor is None:
        unknown.append("client.minor")
    if client.current_state is CurrentState.unstable:
        points += 1
        because.append("currently unstable (+1)")
    elif client.current_state in (None, CurrentState.unknown):
        unknown.append("client.current_state")
    level = (Level.negligible if points == 0 else Level.low if points == 1
             else Level.moderate if points <= 3 else Level.high if points <= 5
             else Level.very_high)
    return ClientVulnerability(level, points, tuple(because), tuple(unknown))
