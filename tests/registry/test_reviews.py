"""The re-assessment rule (registry/reviews.py), on real engine results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import make_case
from tightrope import assess
from tightrope.registry.reviews import Review, next_review
from tightrope.registry.vocabulary import ReviewReason

CURRENT = {"professional__status": "current", "professional__ended": ...}


def review(**changes: Any) -> Review | None:
    case = make_case(**changes)
    return next_review(case, assess(case))


def test_a_timed_prohibition_is_due_when_its_waiting_period_ends() -> None:
    assert review(practitioner__profession="counselor") == Review(
        dt.date(2028, 5, 2), ReviewReason.waiting_period_ends)  # ACA A.5.c: five years


def test_with_several_timed_prohibitions_the_earliest_lapse_comes_first() -> None:
    # Bound by ACA (5 years, to 2028) and APA (2 years, to 2025): look again in 2025, when
    # the first lapses, even though the strictest still governs then.
    assert review(practitioner__profession="counselor", practitioner__codes=["APA"],
                  as_of="2024-01-01") == Review(dt.date(2025, 5, 2),
                                                ReviewReason.waiting_period_ends)


def test_a_permanent_prohibition_has_nothing_to_wait_for() -> None:
    assert review(**CURRENT) is None  # APA 10.05: never with a current client


@pytest.mark.parametrize(("changes", "reason"), [
    ({"other__kind": "community_overlap", "other__status": "ongoing",
      "other__avoidable": False, **CURRENT}, ReviewReason.community_overlap),
    ({"other__kind": "business", "other__avoidable": False},
     ReviewReason.unavoidable_relationship),
    ({"other__kind": "friendship", "other__status": "ongoing"},
     ReviewReason.ongoing_relationship),
])
def test_ongoing_or_unavoidable_relationships_are_due_every_90_days(
        changes: dict[str, Any], reason: ReviewReason) -> None:
    assert review(**changes) == Review(dt.date(2026, 11, 26) + dt.timedelta(days=90), reason)


def test_proceeding_with_safeguards_is_monitored_every_90_days() -> None:
    case = make_case(other__kind="business", other__avoidable=False)
    result = assess(case)
    assert result.verdict.value == "proceed_with_safeguards"
    # Even when the relationship itself is avoidable, the safeguards need monitoring.
    avoidable = case.with_changes({"other.avoidable": True})
    safeguarded = result.model_copy(update={"as_of": dt.date(2026, 1, 1)})
    assert next_review(avoidable, safeguarded) == Review(dt.date(2026, 4, 1),
                                                         ReviewReason.safeguards_monitoring)


def test_a_declined_relationship_that_is_not_going_on_needs_no_reminder() -> None:
    assert review(other__kind="friendship") is None  # avoid, proposed
    assert review() is None  # avoid: the APA period lapsed, but the power remains
