"""Layer 4: what to do next, from the verdict, the rules and the safeguards in place.

The risk-management literature agrees on the safeguards: consult and record it,
obtain informed consent, document the decision and its rationale, set
boundaries, monitor, and refer when needed (Younggren & Gottlieb 2004; Herlihy
& Corey; Pope & Keith-Spiegel 2008). Safeguards already in place come off the
list; they manage a risk, they do not change how much power the practitioner holds.
"""

from __future__ import annotations

import datetime as dt

from .assessment import Finding
from .case import Case
from .judgement import Judgement
from .vocabulary import ACTION_ORDER, Action, OtherKind, OtherStatus, ProfessionalStatus, Verdict

# What a rule may add when the verdict already says "do not": the precautions for
# going ahead (consent, boundaries, monitoring) would only confuse.
_WHEN_REFUSING = frozenset({Action.decline, Action.wait, Action.end_and_refer, Action.refer,
                            Action.consult, Action.document, Action.supervision})


def plan_actions(case: Case, verdict: Verdict, findings: tuple[Finding, ...],
                 until: dt.date | None, judgement: Judgement) -> tuple[Action, ...]:
    actions: set[Action] = set()
    other, context = case.other, case.context
    refusing = verdict in (Verdict.prohibited, Verdict.avoid)
    if refusing:
        if other.status is OtherStatus.ongoing:
            actions.add(Action.end_and_refer)
        elif other.status is OtherStatus.past and (
            case.professional.status is not ProfessionalStatus.former
        ):
            actions.add(Action.refer)  # e.g. a former partner asking to become a client
        else:
            actions.add(Action.decline)
        if until is not None:
            actions.add(Action.wait)
        actions.update({Action.consult, Action.document})
    elif verdict is Verdict.proceed_with_safeguards:
        actions.update({Action.document, Action.set_boundaries, Action.monitor})
        if not context.consulted:
            actions.add(Action.consult)
        if not context.informed_consent:
            actions.add(Action.informed_consent)
        if judgement.unavoidable_lift or context.small_community or (
            other.status is OtherStatus.ongoing
        ):
            actions.add(Action.supervision)
    else:
        actions.add(Action.document)
        if other.kind is OtherKind.incidental_contact:
            actions.add(Action.set_boundaries)
    for finding in findings:
        if finding.effect == "lapsed":
            continue
        actions.update(finding.actions)
    if refusing:
        actions &= _WHEN_REFUSING
    else:
        # Going ahead: a rule's "decline" or "end it" would contradict the verdict.
        actions -= {Action.decline, Action.wait, Action.end_and_refer, Action.refer}
    if context.consulted and verdict is not Verdict.prohibited:
        actions.discard(Action.consult)
    if context.informed_consent:
        actions.discard(Action.informed_consent)
    return tuple(sorted(actions, key=ACTION_ORDER.__getitem__))
