"""FSRS through our wrapper: failed cards come back sooner, passed ones later and later."""

from __future__ import annotations

import datetime as dt

from fsrs import Rating

from tightrope.practice.scheduler import (
    QUICK_SECONDS,
    SLOW_SECONDS,
    CardState,
    Scheduler,
    rating_for,
)

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def test_ratings_come_from_correctness_and_time() -> None:
    assert rating_for(False, 5) is Rating.Again
    assert rating_for(False, 500) is Rating.Again
    assert rating_for(True, QUICK_SECONDS - 1) is Rating.Easy
    assert rating_for(True, 40) is Rating.Good
    assert rating_for(True, SLOW_SECONDS + 1) is Rating.Hard


def test_a_failed_card_comes_back_sooner_than_a_passed_one() -> None:
    scheduler = Scheduler()
    failed = scheduler.review(None, correct=False, seconds=40, now=NOW)
    passed = scheduler.review(None, correct=True, seconds=40, now=NOW)
    easy = scheduler.review(None, correct=True, seconds=5, now=NOW)
    assert failed.card.due_at < passed.card.due_at < easy.card.due_at
    assert failed.rating is Rating.Again and failed.card.state == "learning"


def test_failing_a_well_known_card_brings_it_back_within_the_day() -> None:
    scheduler = Scheduler()
    outcome = scheduler.review(None, correct=True, seconds=5, now=NOW)
    for _ in range(3):
        outcome = scheduler.review(outcome.card, correct=True, seconds=30,
                                   now=outcome.card.due_at)
    kept = scheduler.review(outcome.card, correct=True, seconds=30, now=outcome.card.due_at)
    lapsed = scheduler.review(outcome.card, correct=False, seconds=30, now=outcome.card.due_at)
    assert lapsed.card.state == "relearning"
    assert lapsed.card.due_at - outcome.card.due_at < dt.timedelta(days=1)
    assert kept.card.due_at - outcome.card.due_at > dt.timedelta(days=30)


def test_intervals_grow_while_a_card_is_remembered() -> None:
    scheduler = Scheduler()
    outcome = scheduler.review(None, correct=True, seconds=5, now=NOW)
    gaps = []
    for _ in range(4):
        reviewed_at = outcome.card.due_at
        outcome = scheduler.review(outcome.card, correct=True, seconds=30, now=reviewed_at)
        gaps.append(outcome.card.due_at - reviewed_at)
    assert gaps == sorted(gaps) and gaps[0] < gaps[-1]


def test_the_schedule_is_deterministic_and_survives_serialisation() -> None:
    first = Scheduler().review(None, correct=True, seconds=30, now=NOW)
    second = Scheduler().review(None, correct=True, seconds=30, now=NOW)
    assert first.card == second.card
    restored = CardState.from_data(first.card.data)
    assert restored == first.card
    assert Scheduler().retrievability(restored, NOW + dt.timedelta(days=3)) < 1.0


def test_naive_times_are_read_as_utc() -> None:
    naive = Scheduler().review(None, correct=True, seconds=30, now=NOW.replace(tzinfo=None))
    aware = Scheduler().review(None, correct=True, seconds=30, now=NOW)
    assert naive.card.due_at == aware.card.due_at
