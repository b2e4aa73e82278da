"""The engine's promises (DESIGN.md), proved over generated cases with hypothesis.

* More residual power never improves the verdict; neither does more vulnerability.
* The client's willingness or initiative never improves the verdict (compared with
  not knowing it, or with a neutral initiative); the practitioner's initiative can
  only worsen it.
* Length of therapy matters through power, never as an excuse: more sessions never help.
* A period-based prohibition lifts only when its period has passed, and the lapse is
  never by itself a permission.
* Several binding codes: the strictest governs.
* Same case, same packs, same date: byte-identical result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from tightrope import Verdict
from tightrope.api import builtin_library
from tightrope.core.case import Case
from tightrope.core.case_loading import case_from_data
from tightrope.core.dates import add_years
from tightrope.core.engine import assess_case, evaluate
from tightrope.core.vocabulary import (
    Authority,
    Benefit,
    CodeId,
    Duration,
    Initiator,
    Intensity,
    OtherKind,
    OtherStatus,
    OtherWith,
    Profession,
    Service,
    Termination,
    Vulnerability,
)

AS_OF = dt.date(2026, 11, 26)
LIBRARY = builtin_library()
JURISDICTIONS = sorted({*LIBRARY.jurisdictions(), "US-NY"})


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def values(enum: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(st.sampled_from(["current", "former", "prospective"]))
    professional: dict[str, Any] = {"status": status}
    optional = {
        "service": maybe(values(Service)),
        "sessions": maybe(st.integers(0, 400)),
        "intensity": maybe(values(Intensity)),
    }
    for key, strategy in optional.items():
        value = draw(strategy)
        if value is not None:
            professional[key] = value
    if status == "former":
        ended = draw(maybe(st.dates(dt.date(2000, 1, 1), AS_OF)))
        if ended is not None:
            professional["ended"] = ended.isoformat()
            started = draw(maybe(st.dates(dt.date(1995, 1, 1), ended)))
            if started is not None:
                professional["started"] = started.isoformat()
        for key, strategy in (("termination", values(Termination)),
                              ("may_return", st.booleans()),
                              ("future_relationship_discussed", st.booleans())):
            value = draw(maybe(strategy))
            if value is not None:
                professional[key] = value
    other: dict[str, Any] = {"kind": draw(values(OtherKind))}
    for key, strategy in (("with", values(OtherWith)), ("status", values(OtherStatus)),
                          ("initiated_by", values(Initiator)), ("client_willing", st.booleans()),
                          ("avoidable", st.booleans()), ("authority", values(Authority)),
                          ("duration", values(Duration)),
                          ("value_usd", st.sampled_from([0, 5, 9, 10, 11, 25, 40, 50, 51, 60,
                                                         150, 600, 20000])),
                          ("cash", st.booleans()), ("benefit_to_client", values(Benefit))):
        value = draw(maybe(strategy))
        if value is not None:
            other[key] = value
    client: dict[str, Any] = {}
    vulnerabilities = draw(maybe(st.lists(values(Vulnerability), max_size=3, unique=True)))
    if vulnerabilities is not None:
        client["vulnerabilities"] = vulnerabilities
    for key, strategy in (("minor", st.booleans()),
                          ("current_state", st.sampled_from(["stable", "unstable", "unknown"]))):
        value = draw(maybe(strategy))
        if value is not None:
            client[key] = value
    practitioner: dict[str, Any] = {"profession": draw(values(Profession))}
    codes = draw(st.lists(values(CodeId), max_size=2, unique=True))
    if codes:
        practitioner["codes"] = codes
    jurisdiction = draw(maybe(st.sampled_from(JURISDICTIONS)))
    if jurisdiction:
        practitioner["jurisdiction"] = jurisdiction
    context = {key: value for key in ("small_community", "consulted", "informed_consent")
               if (value := draw(maybe(st.booleans()))) is not None}
    return {"format": 1, "as_of": AS_OF.isoformat(), "practitioner": practitioner,
            "professional": professional, "client": client, "other": other,
            "context": context}


@st.composite
def former_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Former clients with a known last contact, often romantic (where periods live)."""
    data = draw(cases())
    ended = draw(st.dates(dt.date(2015, 1, 1), AS_OF))
    data["professional"] = {**{k: v for k, v in data["professional"].items()
                               if k not in ("started", "months_since_end")},
                            "status": "former", "ended": ended.isoformat()}
    if draw(st.booleans()):
        data["other"] = {**data["other"], "kind": "romantic_sexual", "with": "client",
                         "status": "proposed"}
    return data


def verdict_of(data: dict[str, Any], as_of: dt.date = AS_OF) -> Verdict:
    return evaluate(case_from_data(data), LIBRARY, as_of).verdict


def with_(data: dict[str, Any], part: str, **changes: Any) -> dict[str, Any]:
    copy = {key: (dict(value) if isinstance(value, dict) else value)
            for key, value in data.items()}
    for key, value in changes.items():
        if value is None:
            copy[part].pop(key, None)
        else:
            copy[part][key] = value
    return copy


def not_better(after: Verdict, before: Verdict) -> bool:
    return after.severity >= before.severity


# ---------------------------------------------------------------- power


INTENSITY_UP = [("low", "moderate"), ("moderate", "high"), ("low", "high")]


@given(cases(), st.sampled_from(INTENSITY_UP))
def test_more_intense_work_never_improves_the_verdict(data: dict[str, Any],
                                                      step: tuple[str, str]) -> None:
    low = with_(data, "professional", intensity=step[0])
    high = with_(data, "professional", intensity=step[1])
    assert not_better(verdict_of(high), verdict_of(low))


@given(cases(), st.integers(0, 200), st.integers(1, 200))
def test_more_sessions_never_improve_the_verdict(data: dict[str, Any], sessions: int,
                                                 more: int) -> None:
    short = with_(data, "professional", sessions=sessions)
    long = with_(data, "professional", sessions=sessions + more)
    assert not_better(verdict_of(long), verdict_of(short))


@given(former_cases())
def test_an_open_ending_never_improves_the_verdict(data: dict[str, Any]) -> None:
    closed = with_(data, "professional", may_return=False, termination="planned")
    opened = [with_(data, "professional", may_return=True, termination="planned"),
              with_(data, "professional", may_return=False, termination="unilateral"),
              with_(data, "professional", may_return=False,
                    termination="to_start_relationship")]
    for case in opened:
        assert not_better(verdict_of(case), verdict_of(closed))


@given(former_cases())
def test_an_invitation_during_services_never_improves_the_verdict(data: dict[str, Any]) -> None:
    without = with_(data, "professional", future_relationship_discussed=False)
    invited = with_(data, "professional", future_relationship_discussed=True)
    assert not_better(verdict_of(invited), verdict_of(without))


@given(cases(), st.sampled_from(["authority"]))
def test_authority_in_the_new_role_never_improves_the_verdict(data: dict[str, Any],
                                                             _: str) -> None:
    neither = with_(data, "other", authority="neither")
    holds = with_(data, "other", authority="practitioner")
    assert not_better(verdict_of(holds), verdict_of(neither))


# ---------------------------------------------------------------- vulnerability


@given(cases(), values(Vulnerability))
def test_another_vulnerability_never_improves_the_verdict(data: dict[str, Any],
                                                          extra: str) -> None:
    known = list(data["client"].get("vulnerabilities") or [])
    assume(extra not in known)
    before = with_(data, "client", vulnerabilities=known)
    after = with_(data, "client", vulnerabilities=[*known, extra])
    assert not_better(verdict_of(after), verdict_of(before))


@given(cases())
def test_an_unstable_state_or_a_minor_never_improves_the_verdict(data: dict[str, Any]) -> None:
    stable = with_(data, "client", current_state="stable", minor=False)
    for worse in (with_(data, "client", current_state="unstable", minor=False),
                  with_(data, "client", current_state="stable", minor=True)):
        assert not_better(verdict_of(worse), verdict_of(stable))


# ---------------------------------------------------------------- willingness, initiative


@given(cases())
def test_the_clients_wish_never_improves_the_verdict(data: dict[str, Any]) -> None:
    willing = verdict_of(with_(data, "other", client_willing=True))
    unknown = verdict_of(with_(data, "other", client_willing=None))
    unwilling = verdict_of(with_(data, "other", client_willing=False))
    assert not_better(willing, unknown)
    assert not_better(unwilling, willing)  # only a "no" can change it, and only for the worse


@given(cases(), st.sampled_from(["mutual", "third_party", "circumstance"]))
def test_the_clients_initiative_never_improves_the_verdict(data: dict[str, Any],
                                                          neutral: str) -> None:
    """Against any other known initiator but the practitioner. (Against "unknown" a
    client's request can look better only because an unknown initiator might be the
    practitioner, which the engine treats cautiously.)"""
    by_client = verdict_of(with_(data, "other", initiated_by="client"))
    otherwise = verdict_of(with_(data, "other", initiated_by=neutral))
    assert not_better(by_client, otherwise)


@given(cases(), st.sampled_from([None, "client", "mutual", "third_party", "circumstance"]))
def test_the_practitioners_initiative_can_only_worsen_it(data: dict[str, Any],
                                                        other: str | None) -> None:
    by_practitioner = verdict_of(with_(data, "other", initiated_by="practitioner"))
    assert not_better(by_practitioner, verdict_of(with_(data, "other", initiated_by=other)))


# ---------------------------------------------------------------- periods


@given(former_cases())
def test_a_period_lifts_only_when_it_has_passed_and_lapse_is_not_permission(
        data: dict[str, Any]) -> None:
    case = case_from_data(data)
    evaluation = evaluate(case, LIBRARY, AS_OF)
    periods = [f for f in evaluation.findings
               if f.until is not None and f.applies == "yes" and not f.until_approximate]
    rules = {o.rule.id: o.rule for o in evaluation.outcomes}
    for finding in periods:
        rule = rules[finding.rule]
        day_before = finding.until - dt.timedelta(days=1)
        if day_before >= case.professional.ended and rule.in_effect(day_before) and any(
                b.pack.id == rule.pack_id for b in LIBRARY.bindings(case, day_before)):
            before = evaluate(case.model_copy(update={"as_of": day_before}), LIBRARY, day_before)
            assert before.verdict is Verdict.prohibited
        on = evaluate(case.model_copy(update={"as_of": finding.until}), LIBRARY, finding.until)
        for later in (f for f in on.findings if f.rule == finding.rule):
            assert later.effect == "lapsed" and later.limits_verdict_to is None
        if case.other.kind is OtherKind.romantic_sexual:
            assert on.verdict is not Verdict.acceptable


@given(former_cases())
def test_the_period_end_is_the_anniversary_of_the_last_contact(data: dict[str, Any]) -> None:
    case = case_from_data(data)
    assert case.professional.ended is not None
    evaluation = evaluate(case, LIBRARY, AS_OF)
    for outcome in evaluation.outcomes:
        years = outcome.rule.effect.years
        finding = outcome.finding
        if years and finding is not None and finding.until is not None:
            assert finding.until == add_years(case.professional.ended, years)


# ---------------------------------------------------------------- several codes


@given(cases(), st.lists(values(CodeId), min_size=2, max_size=3, unique=True))
def test_the_strictest_code_governs(data: dict[str, Any], codes: list[str]) -> None:
    base = with_(data, "practitioner", profession="other", codes=None, jurisdiction=None)
    alone = [evaluate(case_from_data(with_(base, "practitioner", codes=[code])), LIBRARY,
                      AS_OF) for code in codes]
    together = evaluate(case_from_data(with_(base, "practitioner", codes=codes)), LIBRARY, AS_OF)
    worst = max(alone, key=lambda e: e.verdict.severity)
    assert together.verdict is worst.verdict
    if together.verdict is Verdict.prohibited:
        untils = [e.until for e in alone if e.verdict is Verdict.prohibited]
        expected = None if None in untils else max(untils)  # type: ignore[type-var]
        assert together.until == expected
        assert together.governing is not None
        governing_alone = [e for e in alone if e.governing and e.governing.rule ==
                           together.governing.rule]
        assert governing_alone and governing_alone[0].verdict is Verdict.prohibited


# ---------------------------------------------------------------- determinism


@given(cases())
def test_same_case_packs_and_date_give_byte_identical_results(data: dict[str, Any]) -> None:
    first = assess_case(case_from_data(data), LIBRARY, AS_OF, trace=True)
    second = assess_case(case_from_data(dict(data)), LIBRARY, AS_OF, trace=True)
    assert first.model_dump_json() == second.model_dump_json()


@given(cases())
def test_every_finding_is_cited_and_every_hard_stop_verified(data: dict[str, Any]) -> None:
    assessment = assess_case(case_from_data(data), LIBRARY, AS_OF)
    for finding in assessment.findings:
        assert finding.section and finding.url.startswith("http") and finding.edition
        if finding.limits_verdict_to is Verdict.prohibited:
            assert finding.status == "V"
    if assessment.verdict is Verdict.prohibited:
        assert assessment.primary_factor.value == "code_prohibition"
        assert assessment.governing is not None


@given(cases())
def test_willingness_and_length_are_never_decisive(data: dict[str, Any]) -> None:
    assessment = assess_case(case_from_data(data), LIBRARY, AS_OF, )
    roles = {f.name: f.role.value for f in assessment.factors}
    if data["other"].get("client_willing") is not False:
        assert roles["client_willingness"] == "considered_not_decisive"
    if "length_of_therapy" in roles:
        assert roles["length_of_therapy"] == "considered_not_decisive"


def test_there_is_no_caseload_input() -> None:
    fields = {name for part in ("practitioner", "professional", "client", "other", "context")
              for name in Case.model_fields[part].annotation.model_fields}  # type: ignore[union-attr]
    assert not any("caseload" in name or "clients" in name for name in fields)
