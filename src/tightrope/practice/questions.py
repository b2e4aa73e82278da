"""Questions generated from the engine's own assessment of a vignette, and their grading.

Pure: a vignette, its assessment, the neighbouring rules and a seed in; question
objects out. Nothing here decides what is right: the right answer of every kind
is read from the assessment, and so are the distractors:

* ``verdict``: the engine's verdict against the other three;
* ``primary_consideration``: the practitioner's power over the client (the
  product's founding idea) against the factors the engine weighed and marked
  ``considered_not_decisive`` (the client's willingness, the length of therapy,
  the benefit to the client) and the caseload size, which is irrelevant;
* ``governing_rule``: the governing rule against the weaker rules that also bind
  and the matching rules of codes that do not bind this practitioner;
* ``waiting_period``: when the ban ends, against the periods neighbouring rules
  set (two years, five years, never, none), and "lapse is not permission";
* ``next_step``: the first step of the engine's plan against steps that belong to
  other verdicts and are absent from its plan;
* ``what_would_change``: a change the engine found would move the verdict against
  changes it tried that would not (consultation, consent) and the client's wish.

Feedback is the engine's explanation, with the citations of the rules behind it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from ..core.assessment import Assessment, Factor, Finding, WhatIf
from ..core.dates import add_years
from ..core.explanation import (
    ACTION_DETAILS,
    ACTION_LABELS,
    STATUS_LABELS,
    VERDICT_LABELS,
    VERDICT_MEANINGS,
    headline,
)
from ..core.vocabulary import (
    Action,
    FactorRole,
    Initiator,
    Profession,
    ProfessionalStatus,
    Verdict,
)
from .bank import Vignette
from .errors import practice_error
from .neighbours import RuleRef
from .vocabulary import QuestionKind

KEYS = "ABCDE"
MAX_CHOICES = 4

ROLE_NOUNS = {
    Profession.psychologist: "psychologist",
    Profession.counselor: "counselor",
    Profession.social_worker: "social worker",
    Profession.marriage_family_therapist: "therapist",
    Profession.rehabilitation_counselor: "rehabilitation counselor",
    Profession.behavior_analyst: "behavior analyst",
    Profession.behavior_technician: "technician",
    Profession.psychiatrist: "psychiatrist",
    Profession.other: "practitioner",
}

CASELOAD_NOTE = ("The size of a caseload says nothing about the power held over this client; "
                 "Tightrope does not even ask for it.")


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Choice(_View):
    key: str
    text: str
    source: str  # where the option came from: "engine:...", "rule:<id>", "factor:<name>"...


class Citation(_View):
    code: str
    edition: str
    section: str
    title: str
    url: str
    status: str
    until: dt.date | None = None

    @property
    def label(self) -> str:
        return f"{self.code} {self.section}"


NO_RULE_BASIS = ("No rule in the codes that bind this practitioner speaks to this case "
                 "directly; the verdict rests on residual power (Gottlieb 1993) and the "
                 "conflict of roles (Kitchener 1988).")


class Feedback(_View):
    headline: str  # the engine's verdict line, e.g. "Prohibited until 2027-06-20"
    reason: str  # the engine's decisive reason
    points: tuple[str, ...]  # what this kind of question turns on, from the assessment
    why: str  # the vignette's pinned reason, in our words
    citations: tuple[Citation, ...]
    basis: str = ""  # when no rule applies: what the verdict rests on instead


class Question(_View):
    id: str
    vignette_id: str
    kind: QuestionKind
    title: str
    narrative: str
    setting: str
    as_of: dt.date
    prompt: str
    choices: tuple[Choice, ...]
    answer: str
    feedback: Feedback
    topics: tuple[str, ...]
    exams: tuple[str, ...]
    code: str

    def choice(self, key: str) -> Choice | None:
        wanted = key.strip().upper()
        return next((c for c in self.choices if c.key == wanted), None)

    @property
    def correct_choice(self) -> Choice:
        found = self.choice(self.answer)
        assert found is not None  # built together
        return found


class Grade(_View):
    question_id: str
    correct: bool
    chosen: str
    answer: str
    chosen_text: str
    answer_text: str
    feedback: Feedback


def grade(question: Question, key: str) -> Grade:
    """Grade one answer; a key that names no choice is refused, not marked wrong."""
    chosen = question.choice(key)
    if chosen is None:
        keys = ", ".join(c.key for c in question.choices)
        raise practice_error("bad-answer", f"{key!r} is not one of the choices", path="answer",
                             hint=f"answer with one of {keys}")
    right = question.correct_choice
    return Grade(question_id=question.id, correct=chosen.key == right.key, chosen=chosen.key,
                 answer=right.key, chosen_text=chosen.text, answer_text=right.text,
                 feedback=question.feedback)


# ---------------------------------------------------------------- shared pieces


@dataclass(frozen=True)
class _Option:
    text: str
    source: str
    correct: bool = False


@dataclass(frozen=True)
class _Draft:
    prompt: str
    options: tuple[_Option, ...]
    points: tuple[str, ...]
    keep_order: bool = False


@dataclass(frozen=True)
class _Context:
    vignette: Vignette
    assessment: Assessment
    neighbours: tuple[RuleRef, ...]
    rng: random.Random

    @property
    def role(self) -> str:
        return ROLE_NOUNS[self.vignette.profession]

    def factor(self, name: str) -> Factor | None:
        return next((f for f in self.assessment.factors if f.name == name), None)


def format_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _citation(finding: Finding) -> Citation:
    return Citation(code=finding.code, edition=finding.edition, section=finding.section,
                    title=finding.title, url=finding.url, status=STATUS_LABELS[finding.status],
                    until=finding.until)


def _citation_of_rule(ref: RuleRef) -> Citation:
    return Citation(code=ref.code, edition=ref.edition, section=ref.section, title=ref.title,
                    url=ref.url, status=STATUS_LABELS.get(ref.status, ref.status))


def citations(assessment: Assessment, limit: int = 3) -> tuple[Citation, ...]:
    """The rules behind the answer: the governing one first, then the others that limit
    the verdict, then (when none limits it) the guidance that applies."""
    governing = assessment.governing.rule if assessment.governing else None
    ordered = sorted(
        assessment.findings,
        key=lambda f: (f.rule != governing,
                       -(f.limits_verdict_to.severity if f.limits_verdict_to else -1),
                       f.applies != "yes"))
    chosen: list[Finding] = []
    labels: set[str] = set()
    for finding in ordered:
        label = f"{finding.code} {finding.section}"
        if label in labels or (finding.effect == "lapsed" and finding.rule != governing):
            continue
        chosen.append(finding)
        labels.add(label)
        if len(chosen) == limit:
            break
    return tuple(_citation(f) for f in chosen)


PLACE_NAMES = {"US-CA": "California", "US-FL": "Florida", "US-OH": "Ohio", "US-TX": "Texas"}


def _place(code: str) -> str:
    name = PLACE_NAMES.get(code)
    return f"{name} ({code})" if name else code


def _joined(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def setting(vignette: Vignette, assessment: Assessment) -> str:
    """One line of context shown with every question: who, bound by what, on which date."""
    practitioner = vignette.case.practitioner
    codes = [f"{_place(p.code)} law" if p.bound_by == "jurisdiction" else p.code
             for p in assessment.engine.packs]
    bound = f"bound by {_joined(list(dict.fromkeys(codes)))}" if codes else "bound by no code"
    place = f" in {_place(practitioner.jurisdiction)}" if practitioner.jurisdiction else ""
    noun = practitioner.profession.value.replace("_", " ")
    article = "An" if noun[0] in "aeiou" else "A"
    return f"{article} {noun}{place}, {bound}. The date is {format_date(vignette.as_of)}."


def _pick(rng: random.Random, pool: Sequence[_Option], count: int,
          taken: set[str]) -> list[_Option]:
    """Up to ``count`` options from ``pool`` (seeded order), skipping texts already used."""
    candidates = [option for option in pool if option.text not in taken]
    rng.shuffle(candidates)
    picked: list[_Option] = []
    for option in candidates:
        if option.text in taken:
            continue
        picked.append(option)
        taken.add(option.text)
        if len(picked) == count:
            break
    return picked


def _with_distractors(ctx: _Context, answer: _Option, groups: Sequence[Sequence[_Option]],
                      minimum: int = 2) -> tuple[_Option, ...] | None:
    """The answer plus distractors taken group by group (most plausible first)."""
    taken = {answer.text}
    options = [answer]
    for group in groups:
        options += _pick(ctx.rng, group, MAX_CHOICES - len(options), taken)
        if len(options) == MAX_CHOICES:
            break
    if len(options) - 1 < minimum:
        return None
    return tuple(options)


# ---------------------------------------------------------------- the kinds


def _verdict(ctx: _Context) -> _Draft:
    options = tuple(
        _Option(f"{VERDICT_LABELS[v]}: {VERDICT_MEANINGS[v].replace(' below', '')}",
                "engine:verdict" if v is ctx.assessment.verdict else "verdict:other",
                v is ctx.assessment.verdict)
        for v in Verdict)
    governing = ctx.assessment.governing
    points: tuple[str, ...] = (governing.why,) if governing is not None else ()
    return _Draft("Which verdict fits this case best?", options, points, keep_order=True)


def _power_answer(ctx: _Context) -> str:
    status = ctx.vignette.case.professional.status
    if status is ProfessionalStatus.former:
        return (f"The power the {ctx.role} held over the client, and the influence that "
                "lingers after services end")
    if status is ProfessionalStatus.prospective:
        return f"The power the {ctx.role} would hold over this person as a client"
    return f"The power the {ctx.role} holds over the client while services continue"


def _primary_consideration(ctx: _Context) -> _Draft | None:
    power = ctx.factor("power_differential")
    if power is None or power.role is FactorRole.considered_not_decisive:
        return None
    other = ctx.vignette.case.other
    first: list[_Option] = []
    backup: list[_Option] = []
    points = [*power.because]
    willing = ctx.factor("client_willingness")
    if willing is not None and willing.role is FactorRole.considered_not_decisive:
        if other.client_willing and other.initiated_by is Initiator.client:
            text = "That the client wants it and asked for it first"
        elif other.client_willing:
            text = "That the client wants it"
        else:
            text = "Whether the client wants it"
        first.append(_Option(text, "factor:client_willingness"))
        points += willing.because
    length = ctx.factor("length_of_therapy")
    if length is not None and length.role is FactorRole.considered_not_decisive:
        level = length.level.replace(" 1 months", " 1 month")
        text = (f"How long services lasted ({level})" if level != "unknown"
                else "How long services lasted")
        first.append(_Option(text, "factor:length_of_therapy"))
        points.append(length.because[-1])
    first.append(_Option(f"The size of the {ctx.role}'s caseload", "irrelevant:caseload"))
    points.append(CASELOAD_NOTE)
    benefit = ctx.factor("benefit_to_client")
    if benefit is not None and benefit.role is FactorRole.considered_not_decisive:
        backup.append(_Option("How much the client would benefit", "factor:benefit_to_client"))
    if (other.initiated_by is Initiator.client and willing is not None
            and willing.role is FactorRole.considered_not_decisive):
        backup.append(_Option("Who proposed it first", "factor:client_willingness"))
    answer = _Option(_power_answer(ctx), "engine:factor:power_differential", True)
    options = _with_distractors(ctx, answer, (first, backup))
    if options is None:
        return None
    return _Draft("What is the primary consideration in deciding this case?", options,
                  tuple(points))


def _limit(finding: Finding) -> int:
    return finding.limits_verdict_to.severity if finding.limits_verdict_to else -1


def _governing_rule(ctx: _Context) -> _Draft | None:
    assessment = ctx.assessment
    if assessment.governing is None:
        return None
    governing = next(f for f in assessment.findings if f.rule == assessment.governing.rule)
    answer_label = f"{governing.code} {governing.section}"
    co_governing = {f"{f.code} {f.section}" for f in assessment.findings
                    if _limit(f) == _limit(governing)}
    profession = ctx.vignette.profession.value.replace("_", " ")
    weaker: list[_Option] = []
    points = [assessment.governing.why, governing.summary]
    for finding in assessment.findings:
        label = f"{finding.code} {finding.section}"
        if label in co_governing or label == answer_label:
            continue
        weaker.append(_Option(f"{label}: {finding.title}", f"rule:{finding.rule}"))
    elsewhere: list[_Option] = []
    guidance: list[_Option] = []
    for ref in ctx.neighbours:
        if ref.binds or ref.label in co_governing or ref.label == answer_label:
            continue
        option = _Option(f"{ref.label}: {ref.title}", f"rule:{ref.rule}")
        (guidance if ref.effect == "guidance" else elsewhere).append(option)
    answer = _Option(f"{answer_label}: {governing.title}", f"engine:governing:{governing.rule}",
                     True)
    options = _with_distractors(ctx, answer, (weaker[:1], elsewhere, weaker[1:], guidance))
    if options is None:
        return None
    for option in options[1:]:
        label = option.text.split(":", 1)[0]
        if option.source.removeprefix("rule:") in {f.rule for f in assessment.findings}:
            points.append(f"{label} binds you too, but it is less strict here.")
        else:
            points.append(f"{label} belongs to a code or law that does not bind this "
                          f"{profession}.")
    return _Draft(f"Which rule governs this case (the strictest that binds the {ctx.role})?",
                  options, tuple(points))


def _waiting_period(ctx: _Context) -> _Draft | None:
    professional = ctx.vignette.case.professional
    assessment = ctx.assessment
    ended = professional.ended
    if professional.status is not ProfessionalStatus.former or ended is None:
        return None
    lapsed = next((f for f in assessment.findings if f.effect == "lapsed" and f.until), None)
    never = _Option("It never lapses: the ban has no end date", "rule:permanent")
    no_period = _Option("There is no waiting period: it may begin now if handled carefully",
                        "rule:no-period")
    # Any period another rule sets for these facts is a fair distractor (a binding one
    # that ends sooner teaches "the strictest governs"); "never" and "no period" come
    # only from codes that do not bind, or they could be true of this case too.
    periods = sorted({ref.years for ref in ctx.neighbours if ref.years is not None})
    permanent = [ref for ref in ctx.neighbours if ref.is_permanent_ban and not ref.binds]
    open_ended = [ref for ref in ctx.neighbours if not ref.binds
                  and ref.effect == "permitted_only_if" and ref.years is None]

    def until(years: int, source: str) -> _Option:
        end = add_years(ended, years)
        if end <= ctx.vignette.as_of:
            return _Option(f"It ended on {format_date(end)}", source)
        return _Option(f"Until {format_date(end)}", source)

    points = [f"Services ended on {format_date(ended)}."]
    if assessment.verdict is Verdict.prohibited and assessment.until is not None:
        answer = _Option(f"Until {format_date(assessment.until)}", "engine:until", True)
        pool = [until(y, f"rule:period-{y}") for y in periods]
        pool += [never] if permanent else []
        pool += [no_period] if open_ended else []
        prompt = "How long does the ban on this relationship last?"
        points.append(assessment.decisive_reason)
    elif assessment.verdict is Verdict.prohibited:
        answer = _Option(never.text, "engine:until-none", True)
        pool = [until(y, f"rule:period-{y}") for y in periods]
        pool += [no_period] if open_ended else []
        prompt = "How long does the ban on this relationship last?"
        points.append(assessment.decisive_reason)
    elif lapsed is not None and lapsed.until is not None:
        label = f"{lapsed.code} {lapsed.section}"
        when = format_date(lapsed.until)
        answer = _Option(f"It ended on {when}; that lifts the ban, but it is not a "
                         "permission", f"engine:lapsed:{lapsed.rule}", True)
        pool = [_Option(f"It ended on {when}, so the relationship is now permitted",
                        f"misreading:{lapsed.rule}")]
        pool += [until(y, f"rule:period-{y}") for y in periods
                 if add_years(ended, y) > ctx.vignette.as_of]
        pool += [never] if permanent else []
        prompt = f"What does the waiting period of {label} mean for this case today?"
        points += [lapsed.summary, f"The verdict today is {headline(assessment)}."]
    else:
        return None
    options = _with_distractors(ctx, answer, (pool,))
    if options is None:
        return None
    return _Draft(prompt, options, tuple(points))


# Which planned step the question asks for, by verdict, and which steps of the other
# verdicts make distractors (never one the engine's plan contains).
_REFUSING_FIRST: tuple[Action, ...] = (
    Action.decline, Action.end_and_refer, Action.refer, Action.wait, Action.consult,
    Action.document)
_PROCEEDING_FIRST: tuple[Action, ...] = (
    Action.informed_consent, Action.set_boundaries, Action.consult, Action.monitor,
    Action.supervision, Action.document)
_ACCEPTING_FIRST: tuple[Action, ...] = (Action.document, Action.set_boundaries, Action.consult)
_PROCEEDING_ONLY: tuple[Action, ...] = (
    Action.informed_consent, Action.set_boundaries, Action.monitor)
_REFUSING_ONLY: tuple[Action, ...] = (
    Action.decline, Action.wait, Action.end_and_refer, Action.refer)


def _next_step(ctx: _Context) -> _Draft | None:
    assessment = ctx.assessment
    planned = assessment.actions
    if assessment.verdict in (Verdict.prohibited, Verdict.avoid):
        preference, opposite = _REFUSING_FIRST, _PROCEEDING_ONLY
    elif assessment.verdict is Verdict.proceed_with_safeguards:
        preference, opposite = _PROCEEDING_FIRST, _REFUSING_ONLY
    else:
        preference, opposite = _ACCEPTING_FIRST, _REFUSING_ONLY
    key = next((a for a in preference if a in planned), planned[0] if planned else None)
    if key is None:
        return None

    def option(action: Action, correct: bool = False) -> _Option:
        return _Option(f"{ACTION_LABELS[action]}: {ACTION_DETAILS[action]}",
                       f"{'engine:' if correct else ''}action:{action.value}", correct)

    pool = [option(a) for a in opposite if a not in planned]
    options = _with_distractors(ctx, option(key, True), (pool,))
    if options is None:
        return None
    points = [f"The engine's plan for a verdict of {headline(assessment).lower()}:"]
    points += [f"{n}. {ACTION_LABELS[a]}: {ACTION_DETAILS[a]}"
               for n, a in enumerate(planned, start=1)]
    return _Draft(f"Which of these should the {ctx.role} do now?", options, tuple(points))


def _change_text(what_if: WhatIf) -> str:
    change = what_if.change
    if change.startswith("on "):
        try:
            return f"Waiting until {format_date(dt.date.fromisoformat(change[3:]))}"
        except ValueError:
            return f"Waiting until {change[3:]}"
    known = {
        "after consulting a colleague": "Consulting a colleague first",
        "with the client's informed consent": "Obtaining the client's informed consent",
    }
    if change in known:
        return known[change]
    if change.startswith("if you ended services now"):
        return "Ending services now and referring the client, so that it can begin"
    return change[:1].upper() + change[1:]


def _what_would_change(ctx: _Context) -> _Draft | None:
    assessment = ctx.assessment
    # Only a change of verdict counts; a change of end date alone (ending services makes a
    # current client's ban start to run) is neither a right answer nor a distractor.
    changing = [_Option(_change_text(w), f"engine:what_if:{w.change}", True)
                for w in assessment.what_ifs if w.verdict is not assessment.verdict]
    changing += [_Option(f"Learning the answer to: {u.question}", f"engine:unknown:{u.fact}",
                         True) for u in assessment.unknowns]
    if not changing:
        return None
    answer = changing[ctx.rng.randrange(len(changing))]
    steady = [_Option(_change_text(w), f"what_if:{w.change}")
              for w in assessment.what_ifs if not w.changes_verdict]
    others = [_Option(f"A lighter caseload for the {ctx.role}", "irrelevant:caseload")]
    if ctx.vignette.case.other.client_willing is not False:
        others.append(_Option("The client saying again, firmly, that they want it",
                              "factor:client_willingness"))
    options = _with_distractors(ctx, answer, (steady, others))
    if options is None:
        return None
    taken = {o.text for o in changing}
    if any(o.text in taken for o in options[1:]):
        return None  # never offer a second right answer
    verdict = VERDICT_LABELS[assessment.verdict].lower()
    points = (*assessment.what_would_change, CASELOAD_NOTE)
    return _Draft(f"The verdict today is {verdict}. Which of these would change it, for better "
                  "or worse?", options, points)


BUILDERS: dict[QuestionKind, Callable[[_Context], _Draft | None]] = {
    QuestionKind.verdict: _verdict,
    QuestionKind.primary_consideration: _primary_consideration,
    QuestionKind.governing_rule: _governing_rule,
    QuestionKind.waiting_period: _waiting_period,
    QuestionKind.next_step: _next_step,
    QuestionKind.what_would_change: _what_would_change,
}


def question_code(vignette: Vignette, assessment: Assessment) -> str:
    """The code a question counts towards in per-code statistics."""
    return assessment.governing.code if assessment.governing else vignette.own_code


def generate_question(vignette: Vignette, assessment: Assessment,
                      neighbours: tuple[RuleRef, ...], kind: QuestionKind, *,
                      seed: int | str) -> Question | None:
    """One question of ``kind``, or None when the assessment gives this kind nothing to ask."""
    rng = random.Random(f"{seed}:{vignette.id}:{kind.value}")
    draft = BUILDERS[kind](_Context(vignette, assessment, neighbours, rng))
    if draft is None:
        return None
    options = list(draft.options)
    if not draft.keep_order:
        rng.shuffle(options)
    choices = tuple(Choice(key=KEYS[i], text=o.text, source=o.source)
                    for i, o in enumerate(options))
    answer = next(KEYS[i] for i, o in enumerate(options) if o.correct)
    cited = citations(assessment)
    feedback = Feedback(headline=headline(assessment), reason=assessment.decisive_reason,
                        points=draft.points, why=" ".join(vignette.expected.why.split()),
                        citations=cited, basis="" if cited else NO_RULE_BASIS)
    return Question(
        id=f"{vignette.id}:{kind.value}", vignette_id=vignette.id, kind=kind,
        title=vignette.title, narrative=vignette.narrative, setting=setting(vignette, assessment),
        as_of=vignette.as_of, prompt=draft.prompt, choices=choices, answer=answer,
        feedback=feedback, topics=tuple(t.value for t in vignette.topics),
        exams=tuple(e.value for e in vignette.exams), code=question_code(vignette, assessment))


def generate_questions(vignette: Vignette, assessment: Assessment,
                       neighbours: tuple[RuleRef, ...], *, seed: int | str
                       ) -> tuple[Question, ...]:
    """Every kind of question this vignette's assessment supports."""
    found = (generate_question(vignette, assessment, neighbours, kind, seed=seed)
             for kind in QuestionKind)
    return tuple(q for q in found if q is not None)
