"""Every pack's YAML scenarios, one pytest test each (the same runner as `packs test`)."""

from __future__ import annotations

from collections import Counter

import pytest

from tightrope.api import builtin_library
from tightrope.core.scenarios import builtin_scenarios, run_scenario

SCENARIOS = builtin_scenarios()


@pytest.mark.parametrize("scenario", SCENARIOS,
                         ids=[f"{s.pack}: {s.name}" for s in SCENARIOS])
def test_scenario(scenario) -> None:  # type: ignore[no-untyped-def]
    result = run_scenario(scenario, builtin_library())
    assert result.passed, "; ".join(result.failures)


def test_every_pack_ships_at_least_five_scenarios() -> None:
    counts = Counter(s.pack for s in SCENARIOS)
    for pack in builtin_library().packs:
        assert counts[pack.id] >= 5, f"{pack.id} has {counts[pack.id]} scenarios"


def test_period_rules_have_edge_date_scenarios() -> None:
    """For each waiting period some scenario sits on the day before and on the day it ends."""
    library = builtin_library()
    for pack in library.packs:
        for rule in pack.rules:
            if rule.effect.type != "prohibited_for_period":
                continue
            before = on = False
            for scenario in (s for s in SCENARIOS if s.pack == pack.id):
                until = scenario.expect.until
                if rule.id in scenario.expect.fired and until is not None:
                    before = before or (until - scenario.case.as_of).days == 1
                if rule.id in scenario.expect.lapsed:
                    on = on or scenario.case.professional.ended is not None
            assert before and on, f"{rule.id}: add day-before and day-of scenarios"
