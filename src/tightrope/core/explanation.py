"""The explanation view-model: one object every renderer presents.

The CLI text, the Markdown, the HTML page, the PDF note and the FHIR export all
render an :class:`Explanation` built here from an assessment. Renderers only
present it; none evaluates a rule or reads the store (STYLE.md 11). Wording for
verdicts, actions, factors and statuses lives here, once.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from .assessment import Assessment, Finding
from .vocabulary import Action, FactorRole, Verdict

VERDICT_LABELS = {
    Verdict.prohibited: "Prohibited",
    Verdict.avoid: "Avoid",
    Verdict.proceed_with_safeguards: "Proceed with safeguards",
    Verdict.acceptable: "Acceptable",
}

VERDICT_MEANINGS = {
    Verdict.prohibited: "A binding code or law forbids it on this date.",
    Verdict.avoid: "Not forbidden outright, but the risk of exploitation or harm is high: "
                   "decline, or end it and refer.",
    Verdict.proceed_with_safeguards: "A real but manageable or unavoidable risk: it may go "
                                     "ahead with the safeguards below.",
    Verdict.acceptable: "Ordinary contact with negligible risk, if handled well.",
}

ACTION_LABELS = {
    Action.decline: "Decline",
    Action.wait: "Wait",
    Action.end_and_refer: "End it and refer",
    Action.refer: "Refer",
    Action.consult: "Consult",
    Action.document: "Document",
    Action.informed_consent: "Informed consent",
    Action.set_boundaries: "Set boundaries",
    Action.monitor: "Monitor",
    Action.supervision: "Supervision",
}

ACTION_DETAILS = {
    Action.decline: "Decline the relationship, kindly and clearly, and note that you did.",
    Action.wait: "Do not begin before the waiting period ends; even then, assess it afresh.",
    Action.end_and_refer: "End the second relationship, or end services and refer the client "
                          "to a colleague, in the client's interest.",
    Action.refer: "Refer the person to another practitioner.",
    Action.consult: "Consult a colleague or supervisor; record who, when, what they advised "
                    "and what you decided.",
    Action.document: "Record the facts, the options you weighed, your decision and your "
                     "reasons in the client's record.",
    Action.informed_consent: "Discuss the risks, the alternatives and the client's right to "
                             "refuse, and record their informed consent.",
    Action.set_boundaries: "Agree clear limits on the second role (where, when, what is "
                           "discussed) with the client.",
    Action.monitor: "Watch for signs of harm and reassess at the next change or on the "
                    "reminder date.",
    Action.supervision: "Review the relationship regularly in supervision or peer consultation.",
}

STATUS_LABELS = {
    "V": "verified",
    "P": "partly verified",
    "U": "unverified",
}

EFFECT_LABELS = {
    "prohibited": "forbids",
    "lapsed": "waiting period over",
    "permitted_only_if": "allows only if",
    "guidance": "guidance",
}

ROLE_LABELS = {
    FactorRole.decisive: "decisive",
    FactorRole.contributing: "contributing",
    FactorRole.considered_not_decisive: "considered, not decisive",
}

FACTOR_LABELS = {
    "power_differential": "Residual power",
    "client_vulnerability": "Client vulnerability",
    "role_conflict": "Role conflict",
    "objectivity": "Objectivity",
    "exploitation_risk": "Exploitation risk",
    "unavoidability": "Unavoidability",
    "client_willingness": "Client's willingness",
    "length_of_therapy": "Length of therapy",
    "benefit_to_client": "Benefit to the client",
}


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RuleLine(_View):
    code: str
    edition: str
    section: str
    title: str
    effect: str
    effect_label: str
    applies: str
    until: dt.date | None
    until_approximate: bool
    timing: str  # " until 2027-05-02", ", ended about 2026-03-01" or ""
    summary: str
    requirements: tuple[str, ...]
    status: str
    status_label: str
    url: str
    rule: str


class ActionLine(_View):
    action: Action
    label: str
    detail: str


class FactorLine(_View):
    name: str
    label: str
    level: str
    role: FactorRole
    role_label: str
    because: tuple[str, ...]


class CodeLine(_View):
    code: str
    edition: str
    version: str
    bound_by: str
    sha256: str


class Explanation(_View):
    verdict: Verdict
    verdict_label: str
    verdict_meaning: str
    headline: str
    as_of: dt.date
    until: dt.date | None
    decisive_reason: str
    primary_factor: str
    governing: str | None
    rules: tuple[RuleLine, ...]
    actions: tuple[ActionLine, ...]
    what_would_change: tuple[str, ...]
    unknown_questions: tuple[str, ...]
    factors: tuple[FactorLine, ...]
    codes: tuple[CodeLine, ...]
    engine_version: str
    coverage: tuple[str, ...]
    notice: str


def headline(assessment: Assessment) -> str:
    label = VERDICT_LABELS[assessment.verdict]
    if assessment.until is not None:
        about = "about " if assessment.until_approximate else ""
        return f"{label} until {about}{assessment.until}"
    if assessment.verdict is Verdict.prohibited:
        return f"{label}, with no end date"
    return label


def _timing(finding: Finding) -> str:
    if finding.until is None:
        return ""
    about = "about " if finding.until_approximate else ""
    if finding.effect == "prohibited":
        return f" until {about}{finding.until}"
    return f", ended {about}{finding.until}"


def _rule_line(finding: Finding) -> RuleLine:
    return RuleLine(
        code=finding.code, edition=finding.edition, section=finding.section,
        title=finding.title, effect=finding.effect,
        effect_label=(EFFECT_LABELS[finding.effect] if finding.applies == "yes"
                      else f"may apply: {EFFECT_LABELS[finding.effect]}"),
        applies=finding.applies, until=finding.until,
        until_approximate=finding.until_approximate, timing=_timing(finding),
        summary=finding.summary,
        requirements=finding.requirements, status=finding.status,
        status_label=STATUS_LABELS[finding.status], url=finding.url, rule=finding.rule,
    )


def _rule_order(finding: Finding) -> tuple[int, int]:
    limit = finding.limits_verdict_to
    return (-(limit.severity if limit else -1), 0 if finding.applies == "yes" else 1)


def explain(assessment: Assessment) -> Explanation:
    findings = sorted(assessment.findings, key=_rule_order)
    governing = None
    if assessment.governing is not None:
        governing = assessment.governing.why
    return Explanation(
        verdict=assessment.verdict,
        verdict_label=VERDICT_LABELS[assessment.verdict],
        verdict_meaning=VERDICT_MEANINGS[assessment.verdict],
        headline=headline(assessment),
        as_of=assessment.as_of,
        until=assessment.until,
        decisive_reason=assessment.decisive_reason,
        primary_factor=assessment.primary_factor.value,
        governing=governing,
        rules=tuple(_rule_line(f) for f in findings),
        actions=tuple(ActionLine(action=a, label=ACTION_LABELS[a], detail=ACTION_DETAILS[a])
                      for a in assessment.actions),
        what_would_change=assessment.what_would_change,
        unknown_questions=tuple(u.question for u in assessment.unknowns),
        factors=tuple(FactorLine(name=f.name, label=FACTOR_LABELS.get(f.name, f.name),
                                 level=f.level.replace("_", " "), role=f.role,
                                 role_label=ROLE_LABELS[f.role], because=f.because)
                      for f in assessment.factors),
        codes=tuple(CodeLine(code=p.code, edition=p.edition, version=p.version,
                             bound_by=p.bound_by, sha256=p.sha256)
                    for p in assessment.engine.packs),
        engine_version=assessment.engine.version,
        coverage=assessment.coverage,
        notice=assessment.notice,
    )
