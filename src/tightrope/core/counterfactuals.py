"""What would change the answer, found by re-running the engine on changed facts.

Nothing here is canned text: each statement reports what the engine concluded
when a fact was changed, such as a later date (a waiting period ending, influence
fading), a consultation held, consent obtained, services ended and the client
referred, or an unknown fact answered one way or another.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .assessment import Unknown, WhatIf
from .case import Case
from .dates import add_months
from .engine import Evaluation, Outcome, judge_case, quick_outcome
from .facts import FACTS
from .questions import QUESTION_BY_FIELD
from .vocabulary import (
    Authority,
    Benefit,
    CurrentState,
    Duration,
    Initiator,
    Intensity,
    OtherKind,
    OtherWith,
    ProfessionalStatus,
    Service,
    Termination,
    Verdict,
    Vulnerability,
)

# Kinds where "end services and refer" is a way to make room for the other
# relationship. Ending services for that purpose is recorded honestly as
# termination "to_start_relationship", an aggravating fact.
_ENDING_MAKES_ROOM = frozenset({
    OtherKind.romantic_sexual, OtherKind.friendship, OtherKind.business, OtherKind.employment,
    OtherKind.financial, OtherKind.bartering, OtherKind.favor, OtherKind.social_media,
    OtherKind.evaluative, OtherKind.collegial, OtherKind.other,
})

# Candidate answers for facts left unknown. Enough to show whether the answer
# matters, small enough to keep an assessment fast.
_CANDIDATES: dict[str, tuple[Any, ...]] = {
    "professional.months_since_end": (1.0, 30.0, 66.0, 130.0),
    "professional.service": (Service.psychotherapy, Service.assessment, Service.consultation),
    "professional.intensity": (Intensity.low, Intensity.moderate, Intensity.high),
    "professional.sessions": (2, 10, 40),
    "professional.termination": (Termination.planned, Termination.unilateral),
    "professional.may_return": (True, False),
    "professional.future_relationship_discussed": (True, False),
    "client.minor": (True, False),
    "client.vulnerabilities": ((), (Vulnerability.trauma_history,),
                               (Vulnerability.abuse_by_prior_professional, Vulnerability.crisis)),
    "client.current_state": (CurrentState.stable, CurrentState.unstable),
    "other.with": (OtherWith.client, OtherWith.relative_or_partner),
    "other.initiated_by": (Initiator.client, Initiator.practitioner),
    "other.client_willing": (False,),
    "other.avoidable": (True, False),
    "other.authority": (Authority.practitioner, Authority.neither, Authority.other_party),
    "other.duration": (Duration.brief, Duration.long),
    "other.value_usd": (5.0, 40.0, 75.0, 300.0, 1000.0),
    "other.cash": (True, False),
    "other.benefit_to_client": (Benefit.none, Benefit.substantial),
    "context.small_community": (True, False),
}

_FIELD_NAMES = {"other.with": "with_"}

FACTS_OF_FIELD: dict[str, tuple[str, ...]] = {}
for _spec in FACTS.values():
    FACTS_OF_FIELD[_spec.field] = (*FACTS_OF_FIELD.get(_spec.field, ()), _spec.name)
FACTS_OF_FIELD["professional.months_since_end"] = FACTS_OF_FIELD["professional.ended"]



def changed(case: Case, changes: dict[str, Any]) -> Case:
    """A copy of the case with dotted facts replaced, without re-validating (fast path).

    Only values of the right type are ever passed in here (see _CANDIDATES).
    """
    parts: dict[str, dict[str, Any]] = {}
    top: dict[str, Any] = {}
    for dotted, value in changes.items():
        if "." not in dotted:
            top[dotted] = value
            continue
        part, field = dotted.split(".", 1)
        parts.setdefault(part, {})[_FIELD_NAMES.get(dotted, field)] = value
    for part, update in parts.items():
        top[part] = getattr(case, part).model_copy(update=update)
    return case.model_copy(update=top)


def _run(evaluation: Evaluation, changes: dict[str, Any], as_of: dt.date | None = None
         ) -> Outcome:
    """Re-run the engine on changed facts.

    Kleene logic is monotone in information: a rule that was decided (true or
    false) while a fact was unknown stays decided whatever the fact turns out to
    be. So when a change touches only facts no undecided rule looks at, the rules'
    part of the verdict cannot move and only the judgement layers are re-run.
    """
    case = changed(evaluation.case, changes)
    when = as_of or evaluation.as_of
    touched = {fact for field in changes for fact in FACTS_OF_FIELD.get(field, (field,))}
    was_unknown = all(_unknown_field_value(evaluation.case, field) is None for field in changes)
    # A rule reads only the facts it names: if no binding rule names a changed fact,
    # no rule can change; if the fact was unknown, only the undecided rules could.
    relevant = evaluation.open_facts if was_unknown else frozenset().union(
        *(binding.pack.facts for binding in evaluation.bindings))
    if as_of is None and not touched & relevant:
        code = evaluation.code_verdict
        if code is Verdict.prohibited:
            return Outcome(code, evaluation.until, code)
        verdict = code.worse(judge_case(case, when, reuse=evaluation).verdict)
        return Outcome(verdict, None, code)
    return quick_outcome(case, evaluation.bindings, when)


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(str(getattr(v, "value", v)) for v in value) or "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(getattr(value, "value", value))


def _later_dates(case: Case, as_of: dt.date, evaluation_findings: Any) -> list[dt.date]:
    """Dates worth trying: every waiting period's end, and the points where influence fades."""
    dates: set[dt.date] = set()
    for finding in evaluation_findings:
        if finding.until is not None and finding.until > as_of:
            dates.add(finding.until)
    professional = case.professional
    if professional.status is ProfessionalStatus.former:
        if professional.ended is not None:
            end = professional.ended
        elif professional.months_since_end is not None:
            end = as_of - dt.timedelta(days=round(professional.months_since_end * 30.44))
        else:
            end = None
        if end is not None:
            for months in (24, 60, 120):
                moment = add_months(end, months)
                if moment > as_of:
                    dates.add(moment)
    return sorted(dates)


def _time_changes(evaluation: Evaluation) -> list[WhatIf]:
    case, as_of = evaluation.case, evaluation.as_of
    results: list[WhatIf] = []
    current = Outcome(evaluation.verdict, evaluation.until, evaluation.code_verdict)
    for moment in _later_dates(case, as_of, evaluation.findings):
        later = _run(evaluation, {"as_of": moment}, moment)
        if later.verdict is not current.verdict:
            results.append(WhatIf(change=f"on {moment}", facts={"as_of": moment.isoformat()},
                                  verdict=later.verdict, until=later.until,
                                  changes_verdict=True))
            current = later
        if len(results) >= 3:
            break
    return results


def _safeguard_changes(evaluation: Evaluation) -> list[WhatIf]:
    case, as_of = evaluation.case, evaluation.as_of
    trials: list[tuple[str, dict[str, Any]]] = []
    if not case.context.consulted:
        trials.append(("after consulting a colleague", {"context.consulted": True}))
    if not case.context.informed_consent:
        trials.append(("with the client's informed consent", {"context.informed_consent": True}))
    professional = case.professional
    if professional.status is ProfessionalStatus.current and case.other.kind in _ENDING_MAKES_ROOM:
        trials.append(("if you ended services now and referred the client, in order to begin "
                       "it", {"professional.status": ProfessionalStatus.former,
                              "professional.ended": as_of,
                              "professional.termination": Termination.to_start_relationship,
                              "professional.may_return": False}))
    results = []
    for text, facts in trials:
        outcome = _run(evaluation, facts)
        results.append(WhatIf(
            change=text, facts={k: _value_text(v) if not isinstance(v, dt.date) else v.isoformat()
                                for k, v in facts.items()},
            verdict=outcome.verdict, until=outcome.until,
            changes_verdict=outcome.verdict is not evaluation.verdict,
            changes_until=outcome.verdict is evaluation.verdict
            and outcome.until != evaluation.until))
    return results


def _unknown_field_value(case: Case, field: str) -> Any:
    if "." not in field:
        return getattr(case, field)
    part, name = field.split(".", 1)
    return getattr(getattr(case, part), _FIELD_NAMES.get(field, name))


_MONEY_KINDS = frozenset({OtherKind.gift, OtherKind.bartering, OtherKind.business,
                          OtherKind.financial, OtherKind.favor})


def _could_matter(field: str, evaluation: Evaluation) -> bool:
    """Skip answers that neither an undecided rule nor the judgement layers read."""
    if set(FACTS_OF_FIELD.get(field, (field,))) & evaluation.open_facts:
        return True
    if evaluation.code_verdict is Verdict.prohibited:
        return False  # decided by a rule that no answer to this field can reach
    kind = evaluation.case.other.kind
    if field in ("other.value_usd", "other.cash"):
        return kind in _MONEY_KINDS
    return field != "other.with"  # only rules read other.with


def _unknowns(evaluation: Evaluation) -> list[Unknown]:
    case = evaluation.case
    found: list[Unknown] = []
    for field, candidates in _CANDIDATES.items():
        if field == "professional.months_since_end":
            professional = case.professional
            if (professional.status is not ProfessionalStatus.former
                    or professional.ended is not None
                    or professional.months_since_end is not None):
                continue
        elif _unknown_field_value(case, field) is not None or not _could_matter(field, evaluation):
            continue
        verdicts: set[Verdict] = set()
        for value in candidates:
            outcome = _run(evaluation, {field: value})
            if outcome.verdict is not evaluation.verdict:
                verdicts.add(outcome.verdict)
        if verdicts:
            asked = "professional.ended" if field == "professional.months_since_end" else field
            question = QUESTION_BY_FIELD[asked]
            found.append(Unknown(fact=asked, question=question.text,
                                 could_change_to=tuple(sorted(verdicts,
                                                              key=lambda v: -v.severity))))
    return found


def _words(verdict: Verdict) -> str:
    return verdict.value.replace("_", " ")


def _sentence(what_if: WhatIf, now: Verdict) -> str:
    until = f" until {what_if.until}" if what_if.until else ""
    if what_if.change.startswith("on "):
        text = f"On {what_if.change[3:]} the verdict would become {_words(what_if.verdict)}{until}"
        if now is Verdict.prohibited and what_if.verdict is not Verdict.acceptable:
            text += " (a waiting period that ends is not a permission)"
        return text + "."
    if what_if.changes_verdict or what_if.changes_until:
        return (f"{what_if.change.capitalize()}, the verdict would be "
                f"{_words(what_if.verdict)}{until}.")
    return (f"{what_if.change.capitalize()}, the verdict would stay "
            f"{_words(what_if.verdict)}{until}.")


def explore_changes(evaluation: Evaluation
                    ) -> tuple[tuple[str, ...], tuple[WhatIf, ...], tuple[Unknown, ...]]:
    what_ifs = _time_changes(evaluation) + _safeguard_changes(evaluation)
    unknowns = _unknowns(evaluation)
    sentences = [_sentence(w, evaluation.verdict) for w in what_ifs
                 if w.changes_verdict or w.changes_until]
    unchanged = [w.change for w in what_ifs if not (w.changes_verdict or w.changes_until)]
    if unchanged:
        sentences.append(f"The verdict would stay {_words(evaluation.verdict)} "
                         f"{' or '.join(unchanged)}.")
    for unknown in unknowns:
        options = " or ".join(_words(v) for v in unknown.could_change_to)
        sentences.append(f"Answering \"{unknown.question}\" could change the verdict to "
                         f"{options}.")
    return tuple(sentences), tuple(what_ifs), tuple(unknowns)
