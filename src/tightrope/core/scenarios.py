"""Scenario tests that ship with each rule pack: a case and what the engine must say.

A scenario file sits next to its pack (``apa-2017.scenarios.yaml`` beside
``apa-2017.yaml``) so a clinician reviewing a pack reads its cases too:

.. code-block:: yaml

    pack: apa
    scenarios:
      - name: the day before the two years end
        case: {format: 1, as_of: 2027-05-01, ...}
        expect:
          verdict: prohibited
          until: 2027-05-02
          fired: [apa-2017-10-08a-sexual-former-client-two-years]

``expect`` may give ``verdict``, ``until``, ``primary_factor``, ``governing``,
``fired`` (rules that must apply for certain), ``possibly`` (rules that may
apply), ``lapsed`` (periods that must have ended) and ``not_fired``. The same
runner serves ``tightrope packs test`` and the pytest suite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .case import Case
from .case_loading import case_from_data
from .documents import parse_document
from .engine import assess_case
from .errors import CaseError, Problem, ScenarioError, TightropeError
from .library import SCENARIO_SUFFIX, PackLibrary
from .validation import problems_from_validation
from .vocabulary import PrimaryFactor, Verdict


class Expectation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    verdict: Verdict | None = None
    until: dt.date | None = None
    primary_factor: PrimaryFactor | None = None
    governing: str | None = None
    fired: tuple[str, ...] = ()
    possibly: tuple[str, ...] = ()
    lapsed: tuple[str, ...] = ()
    not_fired: tuple[str, ...] = ()


class ScenarioData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    why: str = ""
    case: dict[str, Any]
    expect: Expectation


class ScenarioFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    pack: str
    scenarios: tuple[ScenarioData, ...]


@dataclass(frozen=True)
class Scenario:
    source: str
    pack: str
    name: str
    why: str
    case: Case
    expect: Expectation


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def load_scenarios(raw: bytes | str, *, source: str) -> list[Scenario]:
    def make(code: str, message: str, path: str, line: int | None, hint: str) -> ScenarioError:
        return ScenarioError(code=code, source=source,
                             problems=[Problem(code, message, path, line, hint)])

    document = parse_document(raw, source=source, make_error=make)
    try:
        parsed = ScenarioFile.model_validate(document.data)
    except ValidationError as exc:
        raise ScenarioError(code="bad-scenario", source=source,
                            problems=problems_from_validation(exc, document, ScenarioFile)
                            ) from None
    scenarios = []
    for index, item in enumerate(parsed.scenarios):
        try:
            case = case_from_data(item.case, source=f"{source} scenario {index}")
        except CaseError as exc:
            raise ScenarioError(code="bad-scenario-case", source=source, problems=[
                Problem(p.code, p.message, f"scenarios[{index}].case.{p.path}".rstrip("."),
                        document.line_of(("scenarios", index, "case")), p.hint)
                for p in exc.problems]) from None
        if case.as_of is None:
            raise ScenarioError(code="bad-scenario-case", source=source, problems=[
                Problem("bad-scenario-case", "a scenario case needs as_of, so that it gives "
                        "the same answer every day", f"scenarios[{index}].case",
                        document.line_of(("scenarios", index, "case")))])
        scenarios.append(Scenario(source, parsed.pack, item.name, item.why, case, item.expect))
    return scenarios


def builtin_scenarios() -> list[Scenario]:
    root = resources.files("tightrope").joinpath("rulepacks")
    found: list[Scenario] = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(SCENARIO_SUFFIX):
            found.extend(load_scenarios(entry.read_bytes(), source=f"rulepacks/{entry.name}"))
    return found


def scenarios_in(directory: Path) -> list[Scenario]:
    found: list[Scenario] = []
    for path in sorted(directory.glob(f"*{SCENARIO_SUFFIX}")):
        found.extend(load_scenarios(path.read_bytes(), source=str(path)))
    return found


def run_scenario(scenario: Scenario, library: PackLibrary) -> ScenarioResult:
    case = scenario.case
    assert case.as_of is not None  # checked when loaded
    try:
        result = assess_case(case, library, case.as_of, explore=False)
    except TightropeError as exc:
        return ScenarioResult(scenario, (f"the engine refused the case: {exc}",))
    expect = scenario.expect
    failures: list[str] = []
    if expect.verdict is not None and result.verdict is not expect.verdict:
        failures.append(f"verdict {result.verdict.value}, expected {expect.verdict.value}")
    if expect.until is not None and result.until != expect.until:
        failures.append(f"until {result.until}, expected {expect.until}")
    if expect.primary_factor is not None and result.primary_factor is not expect.primary_factor:
        failures.append(f"primary factor {result.primary_factor.value}, expected "
                        f"{expect.primary_factor.value}")
    governing = result.governing.rule if result.governing else None
    if expect.governing is not None and governing != expect.governing:
        failures.append(f"governing rule {governing}, expected {expect.governing}")
    certain = {f.rule for f in result.findings if f.applies == "yes" and f.effect != "lapsed"}
    possible = {f.rule for f in result.findings if f.applies == "possibly"}
    lapsed = {f.rule for f in result.findings if f.effect == "lapsed"}
    for rule in expect.fired:
        if rule not in certain:
            failures.append(f"rule {rule} should apply but did not")
    for rule in expect.possibly:
        if rule not in possible:
            failures.append(f"rule {rule} should possibly apply but did not")
    for rule in expect.lapsed:
        if rule not in lapsed:
            failures.append(f"rule {rule} should have lapsed but did not")
    for rule in expect.not_fired:
        if rule in certain or rule in possible:
            failures.append(f"rule {rule} applied but should not")
    known = {rule.id for pack in library.packs for rule in pack.rules}
    for rule in (*expect.fired, *expect.possibly, *expect.lapsed, *expect.not_fired,
                 *([expect.governing] if expect.governing else [])):
        if rule not in known:
            failures.append(f"scenario names rule {rule}, which no pack defines")
    return ScenarioResult(scenario, tuple(failures))
