"""Accuracy per topic, per code and per question kind, and the weakest topics.

Pure functions over stored answers. A topic's weakness is its smoothed accuracy,
(right + 1) / (answered + 2) (Laplace's rule of succession): one lucky answer does
not make a topic strong, one slip does not make it weak, and a topic never tried
sits at one half, between the two. The study planner serves weak topics first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .progress import ReviewRecord


@dataclass(frozen=True)
class Accuracy:
    name: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def smoothed(self) -> float:
        return (self.correct + 1) / (self.answered + 2)


@dataclass(frozen=True)
class Stats:
    overall: Accuracy
    by_topic: tuple[Accuracy, ...]
    by_code: tuple[Accuracy, ...]
    by_kind: tuple[Accuracy, ...]
    weakest_topics: tuple[Accuracy, ...]
    days_studied: int
    average_seconds: float
    last_studied_at: dt.datetime | None


def _tally(pairs: Iterable[tuple[str, bool]]) -> tuple[Accuracy, ...]:
    answered: dict[str, int] = {}
    correct: dict[str, int] = {}
    for name, right in pairs:
        answered[name] = answered.get(name, 0) + 1
        correct[name] = correct.get(name, 0) + (1 if right else 0)
    return tuple(Accuracy(name, answered[name], correct[name]) for name in sorted(answered))


def weakness_order(accuracies: Iterable[Accuracy]) -> tuple[Accuracy, ...]:
    """Weakest first: lowest smoothed accuracy, then the more often missed, then by name."""
    return tuple(sorted(accuracies, key=lambda a: (a.smoothed, -(a.answered - a.correct),
                                                   a.name)))


def topic_weakness(reviews: Sequence[ReviewRecord], topics: Iterable[str]) -> dict[str, float]:
    """Smoothed accuracy for every topic named, 0.5 for those never answered."""
    found = {a.name: a.smoothed for a in _tally(
        (topic, r.correct) for r in reviews for topic in r.topics)}
    return {topic: found.get(topic, 0.5) for topic in topics}


def compute_stats(reviews: Sequence[ReviewRecord], *, weakest: int = 3) -> Stats:
    by_topic = _tally((topic, r.correct) for r in reviews for topic in r.topics)
    overall = Accuracy("overall", len(reviews), sum(1 for r in reviews if r.correct))
    days = {r.reviewed_at.date() for r in reviews}
    seconds = [r.seconds for r in reviews]
    return Stats(
        overall=overall,
        by_topic=by_topic,
        by_code=_tally((r.code, r.correct) for r in reviews),
        by_kind=_tally((r.kind, r.correct) for r in reviews),
        weakest_topics=weakness_order(a for a in by_topic if a.correct < a.answered)[:weakest],
        days_studied=len(days),
        average_seconds=sum(seconds) / len(seconds) if seconds else 0.0,
        last_studied_at=max((r.reviewed_at for r in reviews), default=None),
    )
