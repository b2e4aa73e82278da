"""Accuracy per topic, code and kind, and the weakest topics, from stored answers."""

from __future__ import annotations

import datetime as dt

from tightrope.practice.progress import ReviewRecord
from tightrope.practice.stats import Accuracy, compute_stats, topic_weakness, weakness_order

DAY = dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC)


def answer(topics: tuple[str, ...], code: str, correct: bool, kind: str = "verdict",
           days: int = 0, seconds: float = 30) -> ReviewRecord:
    return ReviewRecord("v", kind, topics, code, correct, seconds, 3 if correct else 1,
                        DAY + dt.timedelta(days=days))


REVIEWS = (
    answer(("gifts",), "ACA", True),
    answer(("gifts", "state-law"), "US-TX", False, days=1),
    answer(("bartering",), "NASW", False, kind="next_step", days=1),
    answer(("bartering",), "NASW", False, kind="next_step", days=2, seconds=90),
    answer(("former-client-romance",), "APA", True, days=2),
)


def test_accuracy_per_topic_code_and_kind() -> None:
    stats = compute_stats(REVIEWS)
    assert stats.overall == Accuracy("overall", 5, 2)
    topics = {a.name: (a.answered, a.correct) for a in stats.by_topic}
    assert topics == {"gifts": (2, 1), "state-law": (1, 0), "bartering": (2, 0),
                      "former-client-romance": (1, 1)}
    codes = {a.name: (a.answered, a.correct) for a in stats.by_code}
    assert codes == {"ACA": (1, 1), "US-TX": (1, 0), "NASW": (2, 0), "APA": (1, 1)}
    kinds = {a.name: a.accuracy for a in stats.by_kind}
    assert kinds == {"next_step": 0.0, "verdict": 2 / 3}
    assert stats.days_studied == 3
    assert stats.average_seconds == 42.0
    assert stats.last_studied_at == DAY + dt.timedelta(days=2)


def test_the_weakest_topics_are_those_missed_most_reliably() -> None:
    stats = compute_stats(REVIEWS)
    assert [a.name for a in stats.weakest_topics] == ["bartering", "state-law", "gifts"]


def test_smoothing_keeps_one_lucky_answer_from_looking_mastered() -> None:
    once = Accuracy("a", 1, 1)
    often = Accuracy("b", 10, 9)
    assert once.accuracy == 1.0 and once.smoothed < often.smoothed
    assert [a.name for a in weakness_order([often, once])] == ["a", "b"]


def test_topics_never_answered_sit_in_the_middle() -> None:
    weakness = topic_weakness(REVIEWS, ["bartering", "gifts", "social-media"])
    assert weakness["bartering"] < weakness["social-media"] == 0.5 <= weakness["gifts"]


def test_no_answers_no_division_by_zero() -> None:
    stats = compute_stats(())
    assert stats.overall.accuracy == 0.0 and stats.weakest_topics == ()
    assert stats.last_studied_at is None
