"""The guided interview: which question to ask next, derived from what the rules still need.

Not a fixed form (docassemble's lesson in STYLE.md: the interview asks only for
what the goal still needs). Given the answers so far, :func:`plan_interview`

1. asks the three required fields (profession, status of the professional
   relationship, kind of second relationship) until a case can be built;
2. then asks which other codes and which jurisdiction bind the practitioner,
   when the packs hold any that could bind them (they decide which rules apply);
3. then assesses the case and asks only the facts that could still change the
   verdict, found three ways, each from the engine itself:

   * **could change it on its own**: the engine's ``unknowns`` (one answer alone
     moves the verdict);
   * **a rule depends on it**: facts tested by a binding rule whose condition is
     still undecided (Kleene-unknown), when resolving that rule could move the
     verdict: either it could forbid or limit more than the current verdict, or
     it is what holds the verdict where it is;
   * **it weighs with others**: facts the judgement layers read cautiously while
     unknown (Gottlieb's dimensions, the client's vulnerability, the role
     conflict), when the verdict with all of them answered favourably, or all
     cautiously, differs from the current one. Each is kept only if turning it
     alone from one end to the other moves one of those two verdicts.

Questions are ordered by how far the verdict could move (a change to
``prohibited`` from ``acceptable`` first), then by how the evidence was found,
then by the layer (power first: it is the primary consideration), then in the
order of :data:`~.questions.QUESTIONS`. A fact that cannot change the verdict is
never asked. An answer of "I don't know" is recorded as *skipped*: the fact
stays unknown, the engine keeps reading it cautiously, and it is not asked again.

Pure: no I/O, no clock (the assessment date is an argument).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .assessment import Assessment
from .case import Case
from .case_loading import case_from_data
from .counterfactuals import changed, explore_changes
from .engine import Evaluation, build_assessment, evaluate, judge_case
from .errors import CaseError, Problem
from .facts import FACTS
from .findings import RuleOutcome
from .library import PackLibrary
from .packs import Rule
from .questions import QUESTION_BY_FIELD, QUESTIONS, Question
from .vocabulary import (
    PROFESSION_CODES,
    Authority,
    Benefit,
    CodeId,
    CurrentState,
    Duration,
    Initiator,
    Intensity,
    Profession,
    ProfessionalStatus,
    Service,
    Termination,
    Verdict,
    Vulnerability,
)

REQUIRED: tuple[str, ...] = ("practitioner.profession", "professional.status", "other.kind")
BINDING: tuple[str, ...] = ("practitioner.codes", "practitioner.jurisdiction")
ENDED, MONTHS = "professional.ended", "professional.months_since_end"

Reason = Literal["required", "binding", "could_change", "rule", "weighs"]
_REASON_RANK: dict[Reason, int] = {"required": 0, "binding": 1, "could_change": 2, "rule": 3,
                                   "weighs": 4}

# (favourable, cautious) ends for the facts the judgement layers read while unknown.
# The engine promises monotonicity (DESIGN.md): more power, more vulnerability, a
# practitioner's initiative never improve the verdict; these are the two ends.
_ENDS: dict[str, tuple[Any, Any]] = {
    "professional.service": (Service.consultation, Service.psychotherapy),
    MONTHS: (130.0, 1.0),
    "professional.sessions": (2, 40),
    "professional.intensity": (Intensity.low, Intensity.high),
    "professional.termination": (Termination.planned, Termination.to_start_relationship),
    "professional.may_return": (False, True),
    "professional.future_relationship_discussed": (False, True),
    "client.minor": (False, True),
    "client.vulnerabilities": ((), (Vulnerability.abuse_by_prior_professional,
                                    Vulnerability.crisis, Vulnerability.dependency)),
    "client.current_state": (CurrentState.stable, CurrentState.unstable),
    "other.initiated_by": (Initiator.client, Initiator.practitioner),
    "other.client_willing": (True, False),
    "other.avoidable": (False, True),
    "other.authority": (Authority.neither, Authority.practitioner),
    "other.duration": (Duration.brief, Duration.long),
    "other.value_usd": (5.0, 1000.0),
    "other.cash": (False, True),
    "other.benefit_to_client": (Benefit.substantial, Benefit.none),
}
_LAYER = {name: (0 if name.startswith("professional.") else 1 if name.startswith("client.")
                 else 2) for name in _ENDS}
_ORDER = {question.field: index for index, question in enumerate(QUESTIONS)}


@dataclass(frozen=True)
class Ask:
    """One question to ask, and why the engine needs it now."""

    question: Question
    reason: Reason
    because: str  # one plain sentence, shown under the question's own "why we ask"
    could_change_to: tuple[Verdict, ...] = ()
    rules: tuple[str, ...] = ()  # "APA 10.08(a)": the rules that test it
    reach: int = 0  # how far (in verdict steps) the answer could move the verdict

    @property
    def field(self) -> str:
        return self.question.field


@dataclass(frozen=True)
class InterviewState:
    answers: dict[str, Any]
    skipped: frozenset[str]
    problems: tuple[Problem, ...] = ()
    case: Case | None = None
    assessment: Assessment | None = None
    asks: tuple[Ask, ...] = ()
    answered: tuple[str, ...] = field(default=())  # fields answered, in question order

    @property
    def complete(self) -> bool:
        """A verdict, and nothing left that could change it."""
        return self.assessment is not None and not self.asks and not self.problems

    def next(self, count: int = 3) -> tuple[Ask, ...]:
        """The next step: all required questions together, else up to ``count``."""
        required = tuple(ask for ask in self.asks if ask.reason in ("required", "binding"))
        if required:
            return required[: max(count, len(REQUIRED))]
        return self.asks[:count]


# -- answers -----------------------------------------------------------------------------------

_TRUE, _FALSE = {"yes", "true", "1", "on"}, {"no", "false", "0", "off"}


def parse_answer(question: Question, raw: str | Sequence[str]) -> Any:
    """A typed answer from form text; ``None`` for blank. Raises :class:`CaseError`.

    Choice values are checked later by the case model, which names the allowed values.
    """
    values = [raw] if isinstance(raw, str) else list(raw)
    values = [value.strip() for value in values if value.strip()]
    kind = question.answer
    if kind == "choices":
        return sorted(dict.fromkeys(values))
    if not values:
        return None
    text = values[-1]
    if kind == "boolean":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise _bad(question, f"{text!r} is not yes or no", "answer yes or no")
    if kind == "number":
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise _bad(question, f"{text!r} is not a number", "write a number, such as 12"
                       ) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise _bad(question, f"{text!r} is not a number", "write a number, such as 12")
        return int(number) if question.field == "professional.sessions" and number.is_integer() \
            else number
    if kind == "jurisdiction":
        return text.upper()
    return text


def _bad(question: Question, message: str, hint: str) -> CaseError:
    return CaseError(code="bad-answer", problems=[
        Problem("bad-answer", message, path=question.field, hint=hint)])


def case_data(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Format-1 case data from dotted answers (unknown fields left out)."""
    data: dict[str, Any] = {"format": 1}
    for dotted, value in answers.items():
        if value is None or dotted not in QUESTION_BY_FIELD:
            continue
        part, name = dotted.split(".", 1)
        data.setdefault(part, {})[name] = value
    return data


def answers_from_case(case: Case) -> dict[str, Any]:
    """The dotted answers a stored case stands for (to resume or revise it)."""
    data = case.dump()
    answers: dict[str, Any] = {}
    for question in QUESTIONS:
        part, name = question.field.split(".", 1)
        value = data.get(part, {}).get(name)
        if value is not None:
            answers[question.field] = value
    return answers


# -- planning ----------------------------------------------------------------------------------

def plan_interview(answers: Mapping[str, Any], library: PackLibrary, as_of: dt.date, *,
                   skipped: Iterable[str] = ()) -> InterviewState:
    """What to ask next, given the answers so far (``None`` values count as skipped)."""
    given = {k: v for k, v in answers.items() if k in QUESTION_BY_FIELD and v is not None}
    skip = frozenset(s for s in skipped if s in QUESTION_BY_FIELD) | frozenset(
        k for k, v in answers.items() if v is None and k in QUESTION_BY_FIELD)
    skip -= frozenset(given)
    answered = tuple(q.field for q in QUESTIONS if q.field in given)
    missing = [f for f in REQUIRED if f not in given]
    if missing:
        asks = tuple(Ask(QUESTION_BY_FIELD[f], "required", "Every assessment needs this.")
                     for f in missing)
        return InterviewState(given, skip, asks=asks, answered=answered)
    try:
        case = case_from_data(case_data(given), source="interview", today=as_of)
    except CaseError as error:
        problems = tuple(error.problems)
        asks = tuple(Ask(QUESTION_BY_FIELD[f], "required" if f in REQUIRED else "could_change",
                         "Please check this answer.")
                     for f in dict.fromkeys(p.path for p in problems)
                     if f in QUESTION_BY_FIELD)
        return InterviewState(given, skip, problems=problems, asks=asks, answered=answered)
    evaluation = evaluate(case, library, as_of)
    changes, what_ifs, unknowns = explore_changes(evaluation)
    assessment = build_assessment(evaluation, what_would_change=changes, what_ifs=what_ifs,
                                  unknowns=unknowns, with_trace=True)
    done = frozenset(given) | skip
    if ENDED in done or MONTHS in done:
        done |= {ENDED, MONTHS}
    planned = (*_binding_asks(case, library, as_of, done),
               *_fact_asks(evaluation, assessment, done))
    return InterviewState(given, skip, case=case, assessment=assessment, asks=planned,
                          answered=answered)


def _binding_asks(case: Case, library: PackLibrary, as_of: dt.date,
                  done: frozenset[str]) -> list[Ask]:
    profession = case.practitioner.profession
    asks = []
    own = {code.value for code in PROFESSION_CODES[profession]}
    others = sorted({p.header.code for p in library.packs if p.header.kind == "code"
                     and p.in_effect(as_of) and p.header.code not in own
                     and p.header.code in {c.value for c in CodeId}})
    if "practitioner.codes" not in done and others:
        asks.append(Ask(QUESTION_BY_FIELD["practitioner.codes"], "binding",
                        "Tightrope applies the rules of each code you tick."))
    places = sorted({p.header.jurisdiction for p in library.packs
                     if p.header.kind == "jurisdiction" and p.header.jurisdiction
                     and p.in_effect(as_of) and (not p.header.binds or profession
                                                 in p.header.binds)})
    if "practitioner.jurisdiction" not in done and places:
        asks.append(Ask(QUESTION_BY_FIELD["practitioner.jurisdiction"], "binding",
                        f"Tightrope has state rules for {', '.join(places)} that could bind "
                        f"a {Profession(profession).value.replace('_', ' ')}."))
    return asks


def _askable(field_name: str, case: Case, done: frozenset[str]) -> str | None:
    """The question to ask for a case field, or ``None`` if it is not ours to ask now."""
    if field_name == MONTHS:
        field_name = ENDED
    if field_name in done or field_name not in QUESTION_BY_FIELD:
        return None
    if field_name.startswith("practitioner.") or field_name in REQUIRED:
        return None
    if field_name in (ENDED, "professional.started") and (
            case.professional.status is not ProfessionalStatus.former):
        return None
    return field_name


def _fact_asks(evaluation: Evaluation, assessment: Assessment, done: frozenset[str]) -> list[Ask]:
    case, verdict = evaluation.case, assessment.verdict
    found: dict[str, Ask] = {}

    def offer(ask: Ask) -> None:
        held = found.get(ask.field)
        if held is None:
            found[ask.field] = ask
            return
        first, second = sorted((held, ask), key=lambda a: _REASON_RANK[a.reason])
        found[ask.field] = Ask(first.question, first.reason, first.because,
                               first.could_change_to or second.could_change_to,
                               tuple(dict.fromkeys((*first.rules, *second.rules))),
                               max(first.reach, second.reach))

    for unknown in assessment.unknowns:
        name = _askable(unknown.fact, case, done)
        if name is not None:
            reach = max(abs(v.severity - verdict.severity) for v in unknown.could_change_to)
            targets = " or ".join(v.value.replace("_", " ") for v in unknown.could_change_to)
            offer(Ask(QUESTION_BY_FIELD[name], "could_change",
                      f"Your answer alone could change the verdict to {targets}.",
                      unknown.could_change_to, reach=reach))
    fields = _weighed_fields(case, done)
    bounds = _code_bounds(evaluation)
    lowest = lowest_reachable(evaluation, case, done)
    for ask in _rule_asks(evaluation, verdict, case, done, lowest):
        offer(ask)
    for ask in _weighing_asks(evaluation, verdict, case, fields, bounds):
        offer(ask)
    return sorted(found.values(), key=_rank)


def _rank(ask: Ask) -> tuple[int, int, int, int]:
    return (-ask.reach, _REASON_RANK[ask.reason], _LAYER.get(ask.field, 3),
            _ORDER.get(ask.field, 99))


def _worst_limit(rule: Rule) -> Verdict:
    """The most a rule could limit the verdict to, once its open facts are known."""
    effect = rule.effect
    if effect.type in ("prohibited", "prohibited_for_period"):
        return Verdict.prohibited
    if effect.type == "guidance":
        return effect.best or Verdict.acceptable
    return effect.otherwise or Verdict.avoid


def _undecided(outcome: RuleOutcome) -> bool:
    finding = outcome.finding
    return outcome.in_effect and (outcome.applies is None or (
        finding is not None and finding.effect == "permitted_only_if"
        and outcome.violated is None))


@dataclass(frozen=True)
class _Bounds:
    """How good and how bad the binding rules could still turn out (Kleene: decided rules
    stay decided, so only the undecided ones can move)."""

    code_best: Verdict
    code_worst: Verdict


def _code_bounds(evaluation: Evaluation) -> _Bounds:
    best = worst = Verdict.acceptable
    for outcome in evaluation.outcomes:
        limit = outcome.finding.limits_verdict_to if outcome.finding else None
        if _undecided(outcome):
            worst = worst.worse(_worst_limit(outcome.rule))
            if outcome.applies is True:  # it applies; only whether its conditions hold is open
                best = best.worse(outcome.rule.effect.best or Verdict.acceptable)
        elif limit is not None:
            best, worst = best.worse(limit), worst.worse(limit)
    return _Bounds(best, worst)


def _rule_asks(evaluation: Evaluation, verdict: Verdict, case: Case, done: frozenset[str],
               lowest: Verdict) -> list[Ask]:
    """Facts that undecided binding rules test, when deciding the rule could move the verdict:
    it could limit more than the verdict, or it holds the verdict above the lowest reachable."""
    by_field: dict[str, tuple[int, list[str]]] = {}
    for outcome in evaluation.outcomes:
        if not _undecided(outcome):
            continue
        rule = outcome.rule
        held = outcome.finding.limits_verdict_to if outcome.finding else None
        reach = max(_worst_limit(rule).severity - verdict.severity,
                    (held.severity - lowest.severity) if held is not None else 0)
        if reach <= 0:
            continue
        facts = rule.when.facts() | (rule.violated_if.facts() if rule.violated_if else set())
        for fact in sorted(facts):
            if evaluation.facts.get(fact) is not None:
                continue
            name = _askable(FACTS[fact].field, case, done)
            if name is None:
                continue
            best_reach, cited = by_field.get(name, (0, []))
            by_field[name] = (max(best_reach, reach), [*cited, f"{rule.code} {rule.section}"])
    asks = []
    for name, (reach, cited) in by_field.items():
        rules = tuple(dict.fromkeys(cited))
        asks.append(Ask(QUESTION_BY_FIELD[name], "rule",
                        f"Whether {_join(rules)} applies to you depends on it.",
                        rules=rules, reach=reach))
    return asks


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _weighed_fields(case: Case, done: frozenset[str]) -> list[str]:
    """Unknown facts the judgement layers read: every one may push a bound either way, since
    the engine reads some cautiously (intensity, time) and others neutrally (authority,
    benefit) while unknown."""
    fields: list[str] = []
    for probe in _ENDS:
        name = ENDED if probe == MONTHS else probe
        if _askable(name, case, done) is None:
            continue
        if probe == MONTHS and (case.professional.ended is not None
                                or case.professional.months_since_end is not None):
            continue
        if probe != MONTHS and _value(case, probe) is not None:
            continue
        fields.append(probe)
    return fields


def _weighing_asks(evaluation: Evaluation, verdict: Verdict, case: Case,
                   fields: list[str], bounds: _Bounds) -> list[Ask]:
    """Facts the judgement layers read cautiously, when answering them could move the verdict.

    The verdict lies between the judgement with every such fact at its favourable end
    (combined with the best the rules could still allow) and the judgement with every
    one at its cautious end (with the worst the rules could still impose). A fact is
    asked when turning it alone to the other end moves one of those two bounds.
    """
    if not fields or bounds.code_best is Verdict.prohibited:
        return []  # a certain prohibition: nothing the judgement layers read can move it
    favourable = {f: _ENDS[f][0] for f in fields}
    cautious = {f: _ENDS[f][1] for f in fields}
    judge_with = _judge_runner(evaluation)

    def low(changes: dict[str, Any]) -> Verdict:
        return judge_with(changes).worse(bounds.code_best)

    def high(changes: dict[str, Any]) -> Verdict:
        return judge_with(changes).worse(bounds.code_worst)

    lowest, highest = low(favourable), high(cautious)
    if lowest is verdict and highest is verdict:
        return []
    asks: list[Ask] = []
    for probe in fields:
        # Turn this one fact to the other end, from each end: does a bound move?
        swing = max(abs(low({**favourable, probe: cautious[probe]}).severity - lowest.severity),
                    abs(high({**cautious, probe: favourable[probe]}).severity
                        - highest.severity))
        if not swing:
            continue
        name = ENDED if probe == MONTHS else probe
        asks.append(Ask(QUESTION_BY_FIELD[name], "weighs",
                        f"It weighs in {_LAYER_NAMES[_LAYER[probe]]} together with your other "
                        "answers; while it is unknown Tightrope reads it cautiously.",
                        reach=swing))
    if not asks:  # only the combination matters: ask them all, power first
        asks = [Ask(QUESTION_BY_FIELD[ENDED if f == MONTHS else f], "weighs",
                    f"Together with your other answers it weighs in "
                    f"{_LAYER_NAMES[_LAYER[f]]}.", reach=1) for f in fields]
    return asks


_LAYER_NAMES = {0: "the residual power the professional relationship leaves",
                1: "how vulnerable the client is", 2: "how much the two roles conflict"}


def _value(case: Case, dotted: str) -> Any:
    part, name = dotted.split(".", 1)
    return getattr(getattr(case, part), "with_" if dotted == "other.with" else name)


def _judge_runner(evaluation: Evaluation) -> Callable[[dict[str, Any]], Verdict]:
    cache: dict[tuple[tuple[str, str], ...], Verdict] = {}

    def run(changes: dict[str, Any]) -> Verdict:
        key = tuple(sorted((k, repr(v)) for k, v in changes.items()))
        if key not in cache:
            probe = changed(evaluation.case, changes)
            cache[key] = judge_case(probe, evaluation.as_of).verdict
        return cache[key]

    return run


def lowest_reachable(evaluation: Evaluation, case: Case, done: frozenset[str]) -> Verdict:
    """The best verdict the unanswered facts could still lead to (see :func:`_weighing_asks`)."""
    fields = _weighed_fields(case, done)
    bounds = _code_bounds(evaluation)
    favourable = {f: _ENDS[f][0] for f in fields}
    return _judge_runner(evaluation)(favourable).worse(bounds.code_best)
