"""`tightrope practice` driven as a student would, with answers piped in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tightrope.cli import practice as practice_cli
from tightrope.cli.app import app
from tightrope.core.vocabulary import Verdict
from tightrope.practice.bank import Bank
from tightrope.practice.progress import DATABASE_URL_ENV, ProgressStore
from tightrope.practice.questions import Question
from tightrope.practice.service import PracticeService
from tightrope.practice.vocabulary import Topic

runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'practice.db'}"


def planned(url: str, *, seed: int, count: int, profile: str = "ana") -> tuple[Question, ...]:
    """The questions the CLI will ask: the plan is deterministic for a seed and a database."""
    with ProgressStore(url) as store:
        return PracticeService(store).plan_session(store.profile(profile), count=count,
                                                   seed=seed).questions


def wrong(question: Question) -> str:
    return next(c.key for c in question.choices if c.key != question.answer)


def practice(url: str, *args: str, answers: str = "") -> object:
    return runner.invoke(app, ["practice", *args], input=answers, env={DATABASE_URL_ENV: url})


def test_a_session_grades_answers_cites_the_code_and_saves_on_quit(url: str) -> None:
    questions = planned(url, seed=5, count=3)
    answers = f"{questions[0].answer}\n{wrong(questions[1])}\nq\n"
    result = practice(url, "--count", "3", "--seed", "5", "--profile", "ana", answers=answers)
    assert result.exit_code == 0, result.output
    output = result.output
    assert "Profile ana: 3 questions (0 due for review, 3 new). Session seed 5." in output
    assert questions[0].title in output and questions[0].narrative[:40] in output
    assert "Question 1 of 3" in output and "Question 3 of 3" in output
    assert "Correct." in output
    assert f"Not quite: you chose {wrong(questions[1])}; the answer is " \
           f"{questions[1].answer}." in output
    assert output.count("Cite: ") >= 2 or "In short: " in output
    assert "This session: 1 of 2 right. Progress saved for profile ana" in output
    assert "Traceback" not in output
    with ProgressStore(url) as store:
        reviews = store.reviews(store.profile("ana"))
    assert [(r.vignette_id, r.correct) for r in reviews] == [
        (questions[0].vignette_id, True), (questions[1].vignette_id, False)]


def test_feedback_cites_section_and_edition(url: str) -> None:
    questions = planned(url, seed=11, count=1)
    result = practice(url, "--count", "1", "--seed", "11", answers=f"{questions[0].answer}\n")
    citation = questions[0].feedback.citations[0]
    assert f"Cite: {citation.code} {citation.section} ({citation.edition})" in \
        " ".join(result.output.split())


def test_end_of_input_stops_cleanly_and_keeps_what_was_answered(url: str) -> None:
    questions = planned(url, seed=6, count=4)
    result = practice(url, "--count", "4", "--seed", "6", answers=f"{questions[0].answer}\n")
    assert result.exit_code == 0
    assert "This session: 1 of 1 right." in result.output
    with ProgressStore(url) as store:
        assert len(store.reviews(store.profile(practice_default_profile()))) == 1


def practice_default_profile() -> str:
    from tightrope.practice.progress import default_profile_name

    return default_profile_name()


def test_a_letter_that_is_no_choice_is_asked_again(url: str) -> None:
    questions = planned(url, seed=7, count=1, profile="ben")
    result = practice(url, "-n", "1", "--seed", "7", "--profile", "ben",
                      answers=f"x\n{questions[0].answer}\n")
    assert "Please answer A, B, C or D, or q to quit." in result.output
    assert "Correct." in result.output


def test_ctrl_c_stops_cleanly_and_saves(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    questions = planned(url, seed=8, count=3)
    calls = iter([questions[0].answer])

    def ask(self: object, prompt: str) -> str | None:
        try:
            return next(calls)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(practice_cli._Reader, "ask", ask)
    result = practice(url, "-n", "3", "--seed", "8", "--profile", "ana")
    assert result.exit_code == 0, result.output
    assert "This session: 1 of 1 right. Progress saved for profile ana" in result.output


def test_the_next_day_the_missed_question_comes_back_first(url: str) -> None:
    questions = planned(url, seed=9, count=2)
    practice(url, "-n", "2", "--seed", "9", "-p", "ana",
             answers=f"{wrong(questions[0])}\n{questions[1].answer}\n")
    # The wrong answer is due within minutes, the right one days later.
    with ProgressStore(url) as store:
        cards = store.cards(store.profile("ana"))
    missed = cards[(questions[0].vignette_id, questions[0].kind.value)]
    known = cards[(questions[1].vignette_id, questions[1].kind.value)]
    assert missed.due_at < known.due_at


def test_stats_show_accuracy_per_topic_and_code(url: str) -> None:
    empty = practice(url, "stats", "--profile", "ana")
    assert "No answers yet" in empty.output
    questions = planned(url, seed=5, count=2)
    practice(url, "-n", "2", "--seed", "5", "-p", "ana",
             answers=f"{questions[0].answer}\n{wrong(questions[1])}\n")
    result = practice(url, "stats", "--profile", "ana")
    assert result.exit_code == 0, result.output
    assert "Profile ana: 2 answers, 1 right (50%)" in result.output
    for heading in ("Topic", "Code", "Question kind"):
        assert heading in result.output
    assert questions[1].topics[0] in result.output
    assert "Weakest topics:" in result.output


def test_a_timed_exam_scores_and_reviews_mistakes(url: str) -> None:
    result = practice(url, "exam", "--questions", "3", "--minutes", "30", "--seed", "2",
                      "--profile", "ana", answers="A\nB\nC\n")
    assert result.exit_code == 0, result.output
    assert "Exam for profile ana: 3 questions, 30 minutes." in result.output
    assert "left" in result.output and "Score:" in result.output
    with ProgressStore(url) as store:
        (exam,) = store.exams(store.profile("ana"))
    assert exam.answered == 3 and exam.finished_at is not None
    assert f"Score: {exam.correct} of 3" in result.output
    if exam.correct < 3:
        assert "Review what you missed" in result.output


def test_list_shows_vignettes_topics_and_exams(url: str) -> None:
    bank = Bank.builtin()
    result = practice(url, "list")
    assert result.exit_code == 0
    assert f"{len(bank.vignettes)} of {len(bank.vignettes)} vignettes." in result.output
    assert "psych-client-at-the-supermarket" in result.output
    assert "small-community" in result.output and "BCBA" in result.output
    gifts = practice(url, "list", "--topic", "gifts")
    assert f"{len(bank.select(topic=Topic.gifts))} of {len(bank.vignettes)} vignettes." \
        in gifts.output


def test_check_passes_and_fails_on_a_mismatch(url: str, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    result = practice(url, "check")
    assert result.exit_code == 0
    assert "vignettes match the engine" in result.output
    bank = Bank.builtin()
    first = bank.vignettes[0]
    other = Verdict.avoid if first.expected.verdict is not Verdict.avoid else Verdict.acceptable
    broken = first.model_copy(update={"expected": first.expected.model_copy(
        update={"verdict": other, "until": None})})
    monkeypatch.setattr(Bank, "builtin", classmethod(
        lambda cls: Bank((broken, *bank.vignettes[1:]))))
    failed = practice(url, "check")
    assert failed.exit_code == 1
    assert f"FAIL {first.id}" in failed.output and f"expected {other.value}" in failed.output


@pytest.mark.parametrize(("args", "message"), [
    (["--topic", "gossip"], "'gossip' is not a known topic"),
    (["--exam", "USMLE"], "'USMLE' is not a known exam"),
    (["--profile", "../etc"], "cannot be used as a profile name"),
    (["exam", "--topic", "gossip"], "not a known topic"),
])
def test_bad_options_are_one_clear_message(url: str, args: list[str], message: str) -> None:
    result = practice(url, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_unusable_database_is_one_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = practice(f"sqlite:///{blocker / 'practice.db'}", "stats")
    assert result.exit_code == 2
    assert "could not create the folder" in result.output


def test_the_real_command_works_with_piped_input(url: str) -> None:
    """As over SSH or in a pipe: a real process, no terminal."""
    completed = subprocess.run(
        [sys.executable, "-m", "tightrope", "practice", "-n", "1", "--seed", "3", "-p", "ana"],
        input="A\n", capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, DATABASE_URL_ENV: url})
    assert completed.returncode == 0, completed.stderr
    assert "Question 1 of 1" in completed.stdout and "Progress saved" in completed.stdout
    assert completed.stderr == ""
