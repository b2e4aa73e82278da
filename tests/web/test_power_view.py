"""The residual-power picture is drawn from the engine's own numbers, never invented."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_case
from tightrope.api import builtin_library
from tightrope.core.engine import assess_case
from tightrope.core.power import residual_power
from tightrope.core.vocabulary import Level
from tightrope.web.power_view import YEARS, power_picture

AS_OF = dt.date(2026, 11, 26)


def test_the_dimensions_and_level_are_the_traces() -> None:
    assessment = assess_case(make_case(), builtin_library(), AS_OF, trace=True)
    picture = power_picture(assessment)
    assert picture is not None
    layer = next(x for x in assessment.trace.layers  # type: ignore[union-attr]
                 if x["layer"] == "residual_power")
    assert [b.value for b in picture.dimensions] == [layer["dimensions"][n] for n in
                                                     ("power", "duration", "termination")]
    assert picture.level_now.value == Level[layer["level"]]


@pytest.mark.parametrize("years", YEARS)
def test_each_point_in_time_is_what_the_engine_gives_for_that_time(years: int) -> None:
    case = make_case()
    assessment = assess_case(case, builtin_library(), AS_OF, trace=True)
    picture = power_picture(assessment)
    assert picture is not None
    engine = residual_power(case, AS_OF, years * 12.0)
    point = next(p for p in picture.decay if p.years == years)
    assert point.level == engine.level


def test_the_present_is_marked_and_time_never_erases_deep_work() -> None:
    assessment = assess_case(make_case(), builtin_library(), AS_OF, trace=True)
    picture = power_picture(assessment)
    assert picture is not None
    assert [p.years for p in picture.decay if p.now] == [2]  # ended 2023-05-02
    assert picture.decay[-1].level >= Level.low
    assert "never falls below" in picture.summary


def test_a_stored_assessment_without_a_trace_is_recomputed_from_its_case() -> None:
    case = make_case()
    traced = power_picture(assess_case(case, builtin_library(), AS_OF, trace=True))
    untraced = assess_case(case, builtin_library(), AS_OF)
    assert power_picture(untraced) is None
    assert power_picture(untraced, case) == traced
