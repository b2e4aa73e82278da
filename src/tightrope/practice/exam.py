"""A timed exam simulation: N questions drawn across topics, a time limit, a score.

No feedback until the end, as in the real exams. The clock is never read here:
every call takes ``now``, so the caller decides what time it is (the CLI passes
the wall clock, tests pass whatever they like and never sleep).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from .errors import practice_error
from .questions import Grade, Question, grade
from .stats import Accuracy


def draw_exam(pool: Sequence[Question], count: int, rng: random.Random) -> tuple[Question, ...]:
    """Up to ``count`` questions spread over topics: take turns between topics, each turn a
    question from a vignette not yet used when possible, then shuffle the order."""
    by_topic: dict[str, list[Question]] = {}
    for question in pool:
        by_topic.setdefault(question.topics[0], []).append(question)
    for questions in by_topic.values():
        rng.shuffle(questions)
    topics = sorted(by_topic)
    rng.shuffle(topics)
    chosen: list[Question] = []
    used_vignettes: set[str] = set()
    used_ids: set[str] = set()
    for allow_repeat in (False, True):
        progress = True
        while len(chosen) < count and progress:
            progress = False
            for topic in topics:
                if len(chosen) == count:
                    break
                for question in by_topic[topic]:
                    if question.id in used_ids:
                        continue
                    if not allow_repeat and question.vignette_id in used_vignettes:
                        continue
                    chosen.append(question)
                    used_ids.add(question.id)
                    used_vignettes.add(question.vignette_id)
                    progress = True
                    break
    rng.shuffle(chosen)
    return tuple(chosen)


@dataclass(frozen=True)
class ExamAnswer:
    question_id: str
    grade: Grade
    seconds: float
    answered_at: dt.datetime


@dataclass(frozen=True)
class ExamResult:
    total: int
    answered: int
    correct: int
    timed_out: bool
    duration: dt.timedelta
    by_topic: tuple[Accuracy, ...]
    by_kind: tuple[Accuracy, ...]
    missed: tuple[tuple[Question, ExamAnswer | None], ...]  # wrong or unanswered

    @property
    def score(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass
class ExamSession:
    questions: tuple[Question, ...]
    started_at: dt.datetime
    time_limit: dt.timedelta
    exam_id: int | None = None
    answers: dict[str, ExamAnswer] = field(default_factory=dict)
    finished_at: dt.datetime | None = None

    @property
    def deadline(self) -> dt.datetime:
        return self.started_at + self.time_limit

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        return max(self.deadline - now, dt.timedelta(0))

    def is_over(self, now: dt.datetime) -> bool:
        return self.finished_at is not None or now >= self.deadline

    def next_question(self) -> Question | None:
        return next((q for q in self.questions if q.id not in self.answers), None)

    def answer(self, question_id: str, key: str, *, now: dt.datetime,
               seconds: float) -> ExamAnswer:
        """Record one answer; refused once the time is up or the exam is finished."""
        if self.is_over(now):
            raise practice_error("exam-over", "the exam is over; this answer was not counted",
                                 hint="start a new exam with `tightrope practice exam`")
        question = next((q for q in self.questions if q.id == question_id), None)
        if question is None:
            raise practice_error("no-such-question", f"{question_id!r} is not in this exam")
        if question_id in self.answers:
            raise practice_error("bad-answer", "this question has already been answered")
        recorded = ExamAnswer(question_id, grade(question, key), seconds, now)
        self.answers[question_id] = recorded
        return recorded

    def finish(self, now: dt.datetime) -> ExamResult:
        if self.finished_at is None:
            self.finished_at = min(now, self.deadline)
        timed_out = now >= self.deadline and len(self.answers) < len(self.questions)
        topic_pairs: dict[str, list[bool]] = {}
        kind_pairs: dict[str, list[bool]] = {}
        missed: list[tuple[Question, ExamAnswer | None]] = []
        for question in self.questions:
            answer = self.answers.get(question.id)
            right = answer is not None and answer.grade.correct
            for topic in question.topics:
                topic_pairs.setdefault(topic, []).append(right)
            kind_pairs.setdefault(question.kind.value, []).append(right)
            if not right:
                missed.append((question, answer))
        return ExamResult(
            total=len(self.questions),
            answered=len(self.answers),
            correct=sum(1 for a in self.answers.values() if a.grade.correct),
            timed_out=timed_out,
            duration=self.finished_at - self.started_at,
            by_topic=tuple(Accuracy(t, len(v), sum(v)) for t, v in sorted(topic_pairs.items())),
            by_kind=tuple(Accuracy(k, len(v), sum(v)) for k, v in sorted(kind_pairs.items())),
            missed=tuple(missed),
        )
