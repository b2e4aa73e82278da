"""The timed exam: a clock we move by hand, never a sleep."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tightrope.core.errors import TightropeError
from tightrope.practice.exam import ExamSession, draw_exam
from tightrope.practice.service import PracticeService

from .conftest import FakeClock


def wrong_key(question) -> str:  # type: ignore[no-untyped-def]
    return next(c.key for c in question.choices if c.key != question.answer)


def test_questions_are_drawn_across_topics(service: PracticeService) -> None:
    pool = [q for v in service.bank.vignettes for q in service.questions(v.id, seed=1)]
    drawn = draw_exam(pool, 20, random.Random(4))
    assert len(drawn) == 20 and len({q.id for q in drawn}) == 20
    assert len({q.vignette_id for q in drawn}) == 20  # a vignette at most once when possible
    assert len({q.topics[0] for q in drawn}) >= 12  # spread, not twenty romances
    assert drawn == draw_exam(pool, 20, random.Random(4))


def test_drawing_more_than_the_pool_returns_the_whole_pool(service: PracticeService) -> None:
    pool = list(service.questions("mft-jar-of-jam", seed=1))
    assert sorted(q.id for q in draw_exam(pool, 50, random.Random(1))) == sorted(
        q.id for q in pool)


def test_answers_count_until_the_time_runs_out(service: PracticeService,
                                               clock: FakeClock) -> None:
    ana = service.store.profile("ana")
    session = service.start_exam(ana, questions=4, minutes=10, seed=5)
    first, second, third, _ = session.questions
    service.answer_exam(ana, session, first.id, first.answer, seconds=30)
    clock.advance(minutes=4)
    service.answer_exam(ana, session, second.id, wrong_key(second), seconds=240)
    assert session.remaining(clock()) == dt.timedelta(minutes=6)
    clock.advance(minutes=7)
    assert session.is_over(clock())
    with pytest.raises(TightropeError) as caught:
        service.answer_exam(ana, session, third.id, third.answer, seconds=400)
    assert caught.value.code == "exam-over"
    result = service.finish_exam(session)
    assert (result.total, result.answered, result.correct) == (4, 2, 1)
    assert result.timed_out and result.score == 0.25
    assert result.duration == dt.timedelta(minutes=10)
    assert len(result.missed) == 3  # one wrong, two unanswered
    (record,) = service.store.exams(ana)
    assert (record.question_count, record.answered, record.correct, record.timed_out) == (
        4, 2, 1, True)
    assert len(service.store.reviews(ana)) == 2  # exam answers count for FSRS and stats


def test_finishing_early_is_not_a_timeout(service: PracticeService, clock: FakeClock) -> None:
    ana = service.store.profile("ana")
    session = service.start_exam(ana, questions=2, minutes=30, seed=8)
    for question in session.questions:
        clock.advance(seconds=40)
        service.answer_exam(ana, session, question.id, question.answer, seconds=40)
    result = service.finish_exam(session)
    assert (result.correct, result.timed_out, result.missed) == (2, False, ())
    assert result.duration == dt.timedelta(seconds=80)
    with pytest.raises(TightropeError) as caught:
        session.answer(session.questions[0].id, "A", now=clock(), seconds=1)
    assert caught.value.code == "exam-over"


def test_an_exam_question_is_answered_once(clock: FakeClock,
                                           service: PracticeService) -> None:
    questions = service.questions("counselor-client-friend-request", seed=1)[:2]
    session = ExamSession(questions, clock(), dt.timedelta(minutes=5))
    session.answer(questions[0].id, questions[0].answer, now=clock(), seconds=3)
    with pytest.raises(TightropeError) as caught:
        session.answer(questions[0].id, questions[0].answer, now=clock(), seconds=3)
    assert caught.value.code == "bad-answer"
    with pytest.raises(TightropeError):
        session.answer("nope:verdict", "A", now=clock(), seconds=3)
    assert session.next_question() == questions[1]


def test_exam_filters_and_sizes(service: PracticeService) -> None:
    ana = service.store.profile("ana")
    session = service.start_exam(ana, questions=5, minutes=5, exam=None, topic=None, seed=2)
    assert len(session.questions) == 5
    with pytest.raises(TightropeError) as caught:
        service.start_exam(ana, questions=0, minutes=5)
    assert caught.value.code == "bad-count"
