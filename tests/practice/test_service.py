"""Studying over days: due cards first, failed ones sooner, weak topics sooner, filters."""

from __future__ import annotations

import pytest

from tightrope.core.errors import TightropeError
from tightrope.practice.progress import ProgressStore
from tightrope.practice.service import PracticeService
from tightrope.practice.vocabulary import Exam, QuestionKind, Topic

from .conftest import FakeClock


def wrong_key(question) -> str:  # type: ignore[no-untyped-def]
    return next(c.key for c in question.choices if c.key != question.answer)


def test_a_first_session_is_all_new_and_varied(service: PracticeService) -> None:
    ana = service.store.profile("ana")
    plan = service.plan_session(ana, count=10, seed=1)
    assert (len(plan.questions), plan.due, plan.new) == (10, 0, 10)
    assert len({q.vignette_id for q in plan.questions}) == 10
    assert all(q.kind is QuestionKind.verdict for q in plan.questions)  # verdicts first
    other = service.plan_session(ana, count=10, seed=2)
    assert {q.id for q in other.questions} != {q.id for q in plan.questions}
    assert service.plan_session(ana, count=10, seed=1) == plan


def test_failed_cards_come_back_sooner_than_passed_ones(service: PracticeService,
                                                        clock: FakeClock) -> None:
    ana = service.store.profile("ana")
    plan = service.plan_session(ana, count=4, seed=3)
    failed, passed = plan.questions[:2], plan.questions[2:]
    results = {}
    for question in failed:
        results[question.id] = service.submit(ana, question, wrong_key(question), seconds=30)
    for question in passed:
        results[question.id] = service.submit(ana, question, question.answer, seconds=30)
    assert all(not results[q.id].grade.correct for q in failed)
    assert max(results[q.id].due_at for q in failed) < min(results[q.id].due_at for q in passed)
    clock.advance(minutes=15)
    later = service.plan_session(ana, count=4, seed=4)
    assert later.due == 2
    assert {q.id for q in later.questions[:2]} == {q.id for q in failed}
    assert not {q.id for q in later.questions} & {q.id for q in passed}


def test_weak_topics_come_first_among_new_questions(service: PracticeService) -> None:
    ana = service.store.profile("ana")
    gifts = service.bank.select(topic=Topic.gifts)[0]
    question = service.question(gifts.id, QuestionKind.verdict, seed=1)
    service.submit(ana, question, wrong_key(question), seconds=30)
    plan = service.plan_session(ana, count=3, seed=9)
    assert "gifts" in plan.weak_topics
    assert all("gifts" in q.topics for q in plan.questions)


def test_progress_survives_a_restart(tmp_path, bank, library, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'practice.db'}"
    with ProgressStore(url) as store:
        first = PracticeService(store, bank=bank, library=library, clock=clock)
        ana = store.profile("ana")
        for question in first.plan_session(ana, count=3, seed=1).questions:
            first.submit(ana, question, wrong_key(question), seconds=30)
    clock.advance(hours=1)
    with ProgressStore(url) as store:
        second = PracticeService(store, bank=bank, library=library, clock=clock)
        ana = store.profile("ana")
        overview = second.overview(ana)
        assert (overview.stats.overall.answered, overview.due_now, overview.cards_seen) == (
            3, 3, 3)
        assert second.plan_session(ana, count=4, seed=2).due == 3


def test_filters_by_topic_and_exam(service: PracticeService) -> None:
    ana = service.store.profile("ana")
    plan = service.plan_session(ana, count=50, topic=Topic.bartering, seed=1)
    assert plan.questions and all("bartering" in q.topics for q in plan.questions)
    plan = service.plan_session(ana, count=5, exam=Exam.BCBA, seed=1)
    assert all("BCBA" in q.exams for q in plan.questions)
    bank_size = len(service.bank.select(topic=Topic.bartering))
    assert len({q.vignette_id for q in service.plan_session(
        ana, count=50, topic=Topic.bartering, seed=1).questions}) == bank_size


def test_questions_can_be_fetched_by_id_for_a_web_route(service: PracticeService) -> None:
    question = service.question_by_id("mft-jar-of-jam:verdict", seed=4)
    assert question.id == "mft-jar-of-jam:verdict"
    assert question == service.question("mft-jar-of-jam", "verdict", seed=4)
    for bad in ("mft-jar-of-jam:colour", "mft-jar-of-jam:waiting_period"):
        with pytest.raises(TightropeError) as caught:
            service.question_by_id(bad, seed=4)
        assert caught.value.code == "no-such-question"
    with pytest.raises(TightropeError) as caught:
        service.question_by_id("no-such:verdict", seed=4)
    assert caught.value.code == "no-such-vignette"


def test_submit_grades_reschedules_and_saves(service: PracticeService) -> None:
    ana = service.store.profile("ana")
    question = service.question("counselor-client-friend-request", "verdict", seed=1)
    result = service.submit(ana, question, question.answer, seconds=5)
    assert result.grade.correct and result.rating == "easy"
    assert result.interval.days >= 1
    (review,) = service.store.reviews(ana)
    assert (review.kind, review.code, review.correct) == ("verdict", "ACA", True)
    with pytest.raises(TightropeError) as caught:
        service.submit(ana, question, "Q", seconds=5)
    assert caught.value.code == "bad-answer"
    assert len(service.store.reviews(ana)) == 1


def test_empty_filters_and_bad_counts_are_clear_errors(service: PracticeService) -> None:
    ana = service.store.profile("ana")
    with pytest.raises(TightropeError) as caught:
        service.plan_session(ana, count=0)
    assert caught.value.code == "bad-count"
    empty = PracticeService(service.store, bank=type(service.bank)(
        service.bank.select(exam=Exam.BCBA)), library=service.library, clock=service.clock)
    with pytest.raises(TightropeError) as caught:
        empty.plan_session(ana, topic=Topic.former_client_romance)
    assert caught.value.code == "no-questions"
    assert "topic former-client-romance" in str(caught.value)


def test_the_check_runs_through_the_service(service: PracticeService) -> None:
    assert all(result.passed for result in service.check())


def test_a_week_of_study(service: PracticeService, clock: FakeClock) -> None:
    """Done when a student can study for a week: questions vary, weak topics come back
    sooner, and feedback always cites. This student always misses gift questions."""
    ana = service.store.profile("ana")
    seen: set[str] = set()
    gift_share = []
    for day in range(7):
        plan = service.plan_session(ana, count=12, seed=100 + day)
        assert plan.new >= 3  # reviews never crowd out new vignettes entirely
        gifts = 0
        for question in plan.questions:
            seen.add(question.id)
            assert question.feedback.why and question.feedback.reason
            if "gifts" in question.topics:
                gifts += 1
                key = wrong_key(question)
            else:
                key = question.answer
            service.submit(ana, question, key, seconds=45)
            clock.advance(minutes=2)
        gift_share.append(gifts / len(plan.questions))
        clock.advance(days=1)
    assert len(seen) >= 12 + 6 * 3  # questions vary from day to day
    overview = service.overview(ana)
    assert overview.stats.weakest_topics[0].name == "gifts"
    # Missed gift questions come back: after the first day gifts fill more of each session
    # than their share of the bank.
    share_in_bank = sum("gifts" in q.topics
                        for v in service.bank.vignettes
                        for q in service.questions(v.id, seed=1)) / overview.cards_total
    assert min(gift_share[1:]) > share_in_bank, (gift_share, share_in_bank)
