"""The practice service: what the terminal and the web app call. No UI in here.

It joins the bank, the engine, the question generator, FSRS and the progress
store. The clock is injected (``clock``), so tests and the web app decide what
"now" is; a session's seed is given or drawn once, so a session can be replayed.

Planning a study session (``plan_session``):

1. cards that are due (FSRS), earliest first, weak topics first among equals, up to
   three quarters of the session while unseen questions remain (so a student with a
   backlog still meets new vignettes; the rest of the backlog waits its turn);
2. then questions never seen, weakest topics first (smoothed accuracy, see
   :mod:`stats`), a vignette's verdict question before its other kinds;
3. then, if the filters leave too few, cards not yet due, soonest first.

One question per vignette per session where the pool allows, so questions vary.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..core.assessment import Assessment
from ..core.library import PackLibrary
from .bank import Bank, Vignette
from .errors import practice_error
from .exam import ExamAnswer, ExamResult, ExamSession, draw_exam
from .neighbours import RuleRef, neighbouring_rules
from .progress import ExamRecord, Profile, ProgressStore
from .questions import Grade, Question, generate_question, generate_questions, grade
from .scheduler import Scheduler
from .stats import Stats, compute_stats, topic_weakness
from .verification import VignetteCheck, assess_vignette, check_bank
from .vocabulary import Exam, QuestionKind, Topic

Clock = Callable[[], dt.datetime]

NEW_SHARE = 0.25
"""The share of a session kept for unseen questions when reviews would fill it."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_seed() -> int:
    """A fresh session seed (the only randomness not given by the caller)."""
    return random.SystemRandom().randrange(1, 10**9)


@dataclass(frozen=True)
class SessionPlan:
    seed: int
    questions: tuple[Question, ...]
    due: int  # how many of them were due for review
    new: int  # how many had never been seen
    weak_topics: tuple[str, ...]


@dataclass(frozen=True)
class AnswerResult:
    grade: Grade
    rating: str  # again | hard | good | easy
    due_at: dt.datetime
    interval: dt.timedelta  # until the card is due again


@dataclass(frozen=True)
class Overview:
    profile: Profile
    stats: Stats
    due_now: int
    cards_seen: int
    cards_total: int
    exams: tuple[ExamRecord, ...]


@dataclass(frozen=True)
class _Material:
    vignette: Vignette
    assessment: Assessment
    neighbours: tuple[RuleRef, ...]


class PracticeService:
    def __init__(self, store: ProgressStore, *, bank: Bank | None = None,
                 library: PackLibrary | None = None, clock: Clock = utc_now,
                 scheduler: Scheduler | None = None) -> None:
        if library is None:
            from ..api import builtin_library

            library = builtin_library()
        self.store = store
        self.bank = bank if bank is not None else Bank.builtin()
        self.library = library
        self.clock = clock
        self.scheduler = scheduler or Scheduler()
        self._material: dict[str, _Material] = {}

    # ------------------------------------------------------------ questions

    def material(self, vignette_id: str) -> _Material:
        found = self._material.get(vignette_id)
        if found is None:
            vignette = self.bank.get(vignette_id)
            found = _Material(vignette, assess_vignette(vignette, self.library),
                              neighbouring_rules(vignette.case, vignette.as_of, self.library))
            self._material[vignette_id] = found
        return found

    def assessment(self, vignette_id: str) -> Assessment:
        return self.material(vignette_id).assessment

    def questions(self, vignette_id: str, *, seed: int | str) -> tuple[Question, ...]:
        m = self.material(vignette_id)
        return generate_questions(m.vignette, m.assessment, m.neighbours, seed=seed)

    def question(self, vignette_id: str, kind: QuestionKind | str, *,
                 seed: int | str) -> Question:
        """One question by vignette and kind (what a web route asks for by id)."""
        m = self.material(vignette_id)
        wanted = QuestionKind(kind)
        found = generate_question(m.vignette, m.assessment, m.neighbours, wanted, seed=seed)
        if found is None:
            raise practice_error("no-such-question", f"vignette {vignette_id!r} has no "
                                 f"{wanted.value} question", hint="its assessment gives this "
                                 "kind nothing to ask; try another kind")
        return found

    def question_by_id(self, question_id: str, *, seed: int | str) -> Question:
        """A question from its id, ``<vignette id>:<kind>`` (as in :attr:`Question.id`)."""
        vignette_id, _, kind = question_id.partition(":")
        try:
            wanted = QuestionKind(kind)
        except ValueError:
            raise practice_error("no-such-question", f"{question_id!r} is not a question id",
                                 hint="ids look like <vignette id>:<kind>, for example "
                                 "psych-client-at-the-supermarket:verdict") from None
        return self.question(vignette_id, wanted, seed=seed)

    def select(self, *, topic: Topic | None = None, exam: Exam | None = None
               ) -> tuple[Vignette, ...]:
        chosen = self.bank.select(topic=topic, exam=exam)
        if not chosen:
            what = " and ".join(f"{name} {value.value}" for name, value in
                                (("topic", topic), ("exam", exam)) if value is not None)
            raise practice_error("no-questions", f"no vignette matches {what}",
                                 hint="run `tightrope practice list` to see topics and exams")
        return chosen

    def _pool(self, vignettes: Sequence[Vignette], seed: int) -> list[Question]:
        return [q for v in vignettes for q in self.questions(v.id, seed=seed)]

    # ------------------------------------------------------------ studying

    def plan_session(self, profile: Profile, *, count: int = 10, topic: Topic | None = None,
                     exam: Exam | None = None, seed: int | None = None) -> SessionPlan:
        if count < 1:
            raise practice_error("bad-count", "a session needs at least one question",
                                 path="--count")
        seed = new_seed() if seed is None else seed
        rng = random.Random(f"plan:{seed}")
        now = self.clock()
        pool = self._pool(self.select(topic=topic, exam=exam), seed)
        cards = self.store.cards(profile)
        weakness = topic_weakness(self.store.reviews(profile), [t.value for t in Topic])
        seen_vignettes = {vignette_id for vignette_id, _ in cards}

        def weak(question: Question) -> float:
            return min(weakness.get(t, 0.5) for t in question.topics)

        due = sorted((q for q in pool if (q.vignette_id, q.kind.value) in cards
                      and cards[(q.vignette_id, q.kind.value)].due_at <= now),
                     key=lambda q: (cards[(q.vignette_id, q.kind.value)].due_at, weak(q)))
        jitter = {q.id: rng.random() for q in pool}
        new = sorted((q for q in pool if (q.vignette_id, q.kind.value) not in cards),
                     key=lambda q: (round(weak(q), 2),
                                    0 if q.kind is QuestionKind.verdict
                                    or q.vignette_id in seen_vignettes else 1,
                                    jitter[q.id]))
        ahead = sorted((q for q in pool if (q.vignette_id, q.kind.value) in cards
                        and cards[(q.vignette_id, q.kind.value)].due_at > now),
                       key=lambda q: cards[(q.vignette_id, q.kind.value)].due_at)
        reserved = math.ceil(count * NEW_SHARE) if new else 0
        chosen: list[Question] = []
        used: set[str] = set()
        for allow_repeat in (False, True):
            for limit, group in ((count - reserved, due), (count, new), (count, due),
                                 (count, ahead)):
                for question in group:
                    if len(chosen) >= limit:
                        break
                    if question in chosen or (not allow_repeat
                                              and question.vignette_id in used):
                        continue
                    chosen.append(question)
                    used.add(question.vignette_id)
        chosen.sort(key=lambda q: 0 if q in due else 1)  # due first, then new, then ahead
        due_ids = {q.id for q in due}
        weakest = sorted((t for t in weakness if weakness[t] < 0.5), key=weakness.__getitem__)
        return SessionPlan(seed, tuple(chosen), sum(1 for q in chosen if q.id in due_ids),
                           sum(1 for q in chosen if (q.vignette_id, q.kind.value) not in cards),
                           tuple(weakest[:3]))

    def submit(self, profile: Profile, question: Question, key: str, *, seconds: float,
               exam_id: int | None = None) -> AnswerResult:
        """Grade an answer, reschedule its card with FSRS and save both."""
        now = self.clock()
        result = grade(question, key)
        return self._record(profile, question, result, seconds=seconds, now=now,
                            exam_id=exam_id)

    def _record(self, profile: Profile, question: Question, result: Grade, *, seconds: float,
                now: dt.datetime, exam_id: int | None) -> AnswerResult:
        card = self.store.card(profile, question.vignette_id, question.kind.value)
        outcome = self.scheduler.review(card.state if card else None, correct=result.correct,
                                        seconds=seconds, now=now)
        self.store.record_review(
            profile, vignette_id=question.vignette_id, kind=question.kind.value,
            topics=question.topics, code=question.code, correct=result.correct,
            chosen=result.chosen, answer=result.answer, seconds=seconds,
            rating=int(outcome.rating), card=outcome.card, reviewed_at=now, exam_id=exam_id)
        return AnswerResult(result, outcome.rating.name.lower(), outcome.card.due_at,
                            outcome.card.due_at - now)

    def overview(self, profile: Profile) -> Overview:
        now = self.clock()
        cards = self.store.cards(profile)
        total = sum(len(self.questions(v.id, seed=0)) for v in self.bank.vignettes)
        return Overview(profile, compute_stats(self.store.reviews(profile)),
                        sum(1 for c in cards.values() if c.due_at <= now), len(cards), total,
                        self.store.exams(profile))

    # ------------------------------------------------------------ exams

    def start_exam(self, profile: Profile, *, questions: int = 20, minutes: float = 30,
                   topic: Topic | None = None, exam: Exam | None = None,
                   seed: int | None = None) -> ExamSession:
        if questions < 1 or minutes <= 0:
            raise practice_error("bad-count", "an exam needs at least one question and some "
                                 "time", path="--questions/--minutes")
        seed = new_seed() if seed is None else seed
        pool = self._pool(self.select(topic=topic, exam=exam), seed)
        drawn = draw_exam(pool, questions, random.Random(f"exam:{seed}"))
        now = self.clock()
        limit = dt.timedelta(minutes=minutes)
        exam_id = self.store.start_exam(profile, started_at=now,
                                        time_limit_seconds=int(limit.total_seconds()),
                                        question_count=len(drawn), seed=str(seed))
        return ExamSession(drawn, now, limit, exam_id)

    def answer_exam(self, profile: Profile, session: ExamSession, question_id: str, key: str,
                    *, seconds: float) -> ExamAnswer:
        """Record an exam answer (refused after the time limit); it also counts for FSRS."""
        now = self.clock()
        recorded = session.answer(question_id, key, now=now, seconds=seconds)
        question = next(q for q in session.questions if q.id == question_id)
        self._record(profile, question, recorded.grade, seconds=seconds, now=now,
                     exam_id=session.exam_id)
        return recorded

    def finish_exam(self, session: ExamSession) -> ExamResult:
        result = session.finish(self.clock())
        if session.exam_id is not None:
            self.store.finish_exam(session.exam_id, finished_at=session.finished_at or
                                   self.clock(), answered=result.answered,
                                   correct=result.correct, timed_out=result.timed_out)
        return result

    # ------------------------------------------------------------ checking

    def check(self) -> tuple[VignetteCheck, ...]:
        return check_bank(self.bank, self.library)
