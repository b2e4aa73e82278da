"""`tightrope practice`: study for licensing exams with vignettes graded by the engine.

Plain terminal in, plain terminal out: Rich prints, one line is read per answer,
so it works over SSH, in a pipe and under tests. Colour only repeats what the
words say. ``q``, Ctrl-D or Ctrl-C stop a session; every answer is saved as it
is given, so stopping never loses progress.

Heavy libraries (SQLAlchemy, FSRS, Rich, the engine) are imported inside the
commands, so that `tightrope assess` starts as fast without practice mode.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from ..practice.exam import ExamResult, ExamSession
    from ..practice.progress import Profile
    from ..practice.questions import Question
    from ..practice.service import PracticeService
    from ..practice.vocabulary import Exam, Topic

QUIT_WORDS = {"q", "quit", "exit"}

COUNT = typer.Option(10, "--count", "-n", min=1, max=500, help="How many questions.")
TOPIC = typer.Option(None, "--topic", "-t", metavar="TOPIC",
                     help="Only this topic (see `tightrope practice list`).")
EXAM = typer.Option(None, "--exam", "-x", metavar="EXAM",
                    help="Only vignettes tagged for ASWB, NCE, EPPP, CRC, MFT or BCBA.")
PROFILE = typer.Option(None, "--profile", "-p", metavar="NAME",
                       help="Whose progress (default: your OS user name).")
SEED = typer.Option(None, "--seed", help="Replay a session: same questions, same order.")


def register(app: typer.Typer) -> None:
    practice = typer.Typer(
        name="practice", add_completion=False, rich_markup_mode=None,
        help="Practise for the ASWB, NCE, EPPP, CRC, MFT and BCBA exams: original vignettes "
             "graded by the same engine clinicians use. Run without a command to study.")
    practice.callback(invoke_without_command=True)(study_command)
    practice.command("exam")(exam_command)
    practice.command("stats")(stats_command)
    practice.command("list")(list_command)
    practice.command("check")(check_command)
    app.add_typer(practice, name="practice")


# ---------------------------------------------------------------- plumbing


@contextmanager
def _boundary() -> Iterator[None]:
    """Errors raised on purpose become one clear message and exit status 2."""
    from ..core.errors import TightropeError

    try:
        yield
    except TightropeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=2) from None


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


class _Reader:
    """One answer per line from stdin; None at end of input (Ctrl-D) or on a quit word."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def ask(self, prompt: str) -> str | None:
        self.console.print(prompt, end="")
        line = sys.stdin.readline()
        if not line:
            self.console.print()
            return None
        answer = line.strip()
        if not sys.stdin.isatty():
            self.console.print(answer)  # echo piped input, so a transcript reads naturally
        return None if answer.lower() in QUIT_WORDS else answer


def _filters(topic: str | None, exam: str | None) -> tuple[Topic | None, Exam | None]:
    from ..practice.errors import practice_error
    from ..practice.vocabulary import Exam, Topic, parse_choice

    chosen_topic = chosen_exam = None
    try:
        if topic:
            chosen_topic = Topic(parse_choice(topic, Topic, "topic"))
    except ValueError as exc:
        raise practice_error("no-such-topic", str(exc), path="--topic") from None
    try:
        if exam:
            chosen_exam = Exam(parse_choice(exam, Exam, "exam"))
    except ValueError as exc:
        raise practice_error("no-such-exam", str(exc), path="--exam") from None
    return chosen_topic, chosen_exam


@contextmanager
def _service(profile_name: str | None) -> Iterator[tuple[PracticeService, Profile]]:
    from ..practice.progress import ProgressStore, default_profile_name
    from ..practice.service import PracticeService

    store = ProgressStore.open()
    try:
        service = PracticeService(store)
        yield service, store.profile(profile_name or default_profile_name())
    finally:
        store.close()


def _when(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 1.5:
        return "in about a minute"
    if minutes < 90:
        return f"in {round(minutes)} minutes"
    hours = minutes / 60
    if hours < 36:
        return f"in {round(hours)} hours"
    return f"in {round(hours / 24)} days"


def _letters(question: Question) -> str:
    keys = [c.key for c in question.choices]
    return ", ".join(keys[:-1]) + f" or {keys[-1]}"


def _show_question(console: Console, question: Question, number: int, total: int,
                   extra: str = "") -> None:
    from rich.padding import Padding
    from rich.text import Text

    from ..practice.vocabulary import KIND_LABELS

    console.rule(Text(f"Question {number} of {total} · {KIND_LABELS[question.kind]}{extra}"))
    console.print(Text(question.title, style="bold"))
    console.print(Text(question.narrative))
    console.print(Text(question.setting, style="italic"))
    console.print()
    console.print(Text(question.prompt, style="bold"))
    for choice in question.choices:
        console.print(Padding(Text(f"{choice.key}. {choice.text}"), (0, 0, 0, 2), expand=False))


def _ask_choice(reader: _Reader, question: Question) -> str | None:
    while True:
        answer = reader.ask(f"Your answer ({_letters(question)}; q to quit): ")
        if answer is None:
            return None
        if question.choice(answer) is not None:
            return answer.upper()
        reader.console.print(f"Please answer {_letters(question)}, or q to quit.")


def _show_feedback(console: Console, question: Question, correct: bool, chosen: str) -> None:
    from rich.padding import Padding
    from rich.text import Text

    right = question.correct_choice
    if correct:
        console.print(Text("Correct.", style="bold green"))
    else:
        console.print(Text(f"Not quite: you chose {chosen}; the answer is {right.key}.",
                           style="bold red"))
        console.print(Padding(Text(f"{right.key}. {right.text}"), (0, 0, 0, 2), expand=False))
    feedback = question.feedback
    console.print(Text(f"Engine: {feedback.headline}. ", style="bold") +
                  Text(feedback.reason))
    for point in feedback.points[:6]:
        console.print(Padding(Text(f"- {point}"), (0, 0, 0, 2), expand=False))
    console.print(Text("In short: ", style="bold") + Text(feedback.why))
    if feedback.basis:
        console.print(Text("Basis: ", style="bold") + Text(feedback.basis))
    for cite in feedback.citations:
        line = Text("Cite: ", style="bold")
        line.append(f"{cite.code} {cite.section} ({cite.edition}): {cite.title} "
                    f"[{cite.status}] {cite.url}")
        console.print(line)


# ---------------------------------------------------------------- study


def study_command(
    ctx: typer.Context,
    count: int = COUNT,
    topic: str | None = TOPIC,
    exam: str | None = EXAM,
    profile: str | None = PROFILE,
    seed: int | None = SEED,
) -> None:
    """Study: due cards first (FSRS), then new ones, weak topics sooner."""
    if ctx.invoked_subcommand is not None:
        return
    with _boundary():
        chosen_topic, chosen_exam = _filters(topic, exam)
        console = _console()
        with _service(profile) as (service, who):
            plan = service.plan_session(who, count=count, topic=chosen_topic, exam=chosen_exam,
                                        seed=seed)
            intro = (f"Profile {who.name}: {len(plan.questions)} questions "
                     f"({plan.due} due for review, {plan.new} new). Session seed {plan.seed}.")
            console.print(intro)
            if plan.weak_topics:
                console.print("Weak topics first: " + ", ".join(plan.weak_topics) + ".")
            _study_loop(console, service, who, plan.questions)


def _study_loop(console: Console, service: PracticeService, who: Profile,
                questions: tuple[Question, ...]) -> None:
    from rich.text import Text

    reader = _Reader(console)
    answered = right = 0
    try:
        for number, question in enumerate(questions, start=1):
            _show_question(console, question, number, len(questions))
            started = time.monotonic()
            key = _ask_choice(reader, question)
            if key is None:
                break
            result = service.submit(who, question, key,
                                    seconds=time.monotonic() - started)
            answered += 1
            right += result.grade.correct
            _show_feedback(console, question, result.grade.correct, key)
            console.print(Text(f"Next review {_when(result.interval.total_seconds())} "
                               f"(rated {result.rating}).", style="dim"))
    except KeyboardInterrupt:
        console.print()
    console.rule()
    overview = service.overview(who)
    console.print(f"This session: {right} of {answered} right. Progress saved for profile "
                  f"{who.name}; {overview.due_now} cards due now.")
    if overview.stats.weakest_topics:
        console.print("Weakest topics: " + ", ".join(
            f"{a.name} ({a.correct}/{a.answered})" for a in overview.stats.weakest_topics) + ".")


# ---------------------------------------------------------------- exam


def exam_command(
    questions: int = typer.Option(20, "--questions", "-q", min=1, max=200,
                                  help="How many questions."),
    minutes: float = typer.Option(30, "--minutes", "-m", min=0.1, max=600,
                                  help="Time limit in minutes."),
    topic: str | None = TOPIC,
    exam: str | None = EXAM,
    profile: str | None = PROFILE,
    seed: int | None = SEED,
) -> None:
    """A timed exam: questions drawn across topics, no feedback until the score at the end."""
    with _boundary():
        chosen_topic, chosen_exam = _filters(topic, exam)
        console = _console()
        with _service(profile) as (service, who):
            session = service.start_exam(who, questions=questions, minutes=minutes,
                                         topic=chosen_topic, exam=chosen_exam, seed=seed)
            console.print(f"Exam for profile {who.name}: {len(session.questions)} questions, "
                          f"{minutes:g} minutes. No feedback until the end; q stops early.")
            _exam_loop(console, service, who, session)
            _show_exam_result(console, service.finish_exam(session))


def _exam_loop(console: Console, service: PracticeService, who: Profile,
               session: ExamSession) -> None:
    from ..core.errors import TightropeError

    reader = _Reader(console)
    total = len(session.questions)
    try:
        for number, question in enumerate(session.questions, start=1):
            now = service.clock()
            if session.is_over(now):
                console.print("Time is up.")
                return
            left = int(session.remaining(now).total_seconds())
            _show_question(console, question, number, total,
                           f" · {left // 60}:{left % 60:02d} left")
            started = time.monotonic()
            key = _ask_choice(reader, question)
            if key is None:
                return
            try:
                service.answer_exam(who, session, question.id, key,
                                    seconds=time.monotonic() - started)
            except TightropeError as exc:
                if exc.code != "exam-over":
                    raise
                console.print("Time ran out before this answer; it was not counted.")
                return
    except KeyboardInterrupt:
        console.print()


def _show_exam_result(console: Console, result: ExamResult) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..practice.vocabulary import KIND_LABELS

    console.rule(Text("Result"))
    console.print(Text(f"Score: {result.correct} of {result.total} "
                       f"({result.score:.0%}); answered {result.answered}"
                       f"{', time ran out' if result.timed_out else ''}.", style="bold"))
    table = Table("Topic", "Right", "Of", box=None, pad_edge=False)
    for accuracy in result.by_topic:
        table.add_row(accuracy.name, str(accuracy.correct), str(accuracy.answered))
    console.print(table)
    if result.missed:
        console.rule(Text("Review what you missed"))
    for question, answer in result.missed:
        right = question.correct_choice
        chosen = f"you chose {answer.grade.chosen}" if answer else "not answered"
        console.print(Text(f"{question.title} ({KIND_LABELS[question.kind]}): {chosen}; the answer "
                           f"is {right.key}. {right.text}", style="bold"))
        console.print(Text(question.feedback.why))
        for cite in question.feedback.citations[:1]:
            console.print(Text(f"Cite: {cite.code} {cite.section} ({cite.edition}) {cite.url}"))


# ---------------------------------------------------------------- stats, list, check


def stats_command(profile: str | None = PROFILE) -> None:
    """Accuracy per topic, per code and per question kind; weakest topics; exams."""
    with _boundary():
        from rich.table import Table

        console = _console()
        with _service(profile) as (service, who):
            overview = service.overview(who)
        stats = overview.stats
        console.print(f"Profile {who.name}: {stats.overall.answered} answers, "
                      f"{stats.overall.correct} right ({stats.overall.accuracy:.0%}), on "
                      f"{stats.days_studied} day(s). Cards seen {overview.cards_seen} of "
                      f"{overview.cards_total}; due now {overview.due_now}.")
        if not stats.overall.answered:
            console.print("No answers yet: run `tightrope practice` to start.")
            return
        for title, rows in (("Topic", stats.by_topic), ("Code", stats.by_code),
                            ("Question kind", stats.by_kind)):
            table = Table(title, "Answered", "Right", "Accuracy", box=None, pad_edge=False)
            for row in rows:
                table.add_row(row.name, str(row.answered), str(row.correct),
                              f"{row.accuracy:.0%}")
            console.print(table)
        if stats.weakest_topics:
            console.print("Weakest topics: " + ", ".join(a.name for a in stats.weakest_topics)
                          + f". Study them with `tightrope practice --topic "
                          f"{stats.weakest_topics[0].name}`.")
        for record in overview.exams:
            status = "unfinished" if record.finished_at is None else (
                f"{record.correct}/{record.question_count}"
                + (", time ran out" if record.timed_out else ""))
            console.print(f"Exam {record.started_at:%Y-%m-%d %H:%M} UTC: {status}")


def list_command(topic: str | None = TOPIC, exam: str | None = EXAM) -> None:
    """The vignettes, their topics and exams."""
    with _boundary():
        from rich.table import Table
        from rich.text import Text

        from ..practice.bank import Bank
        from ..practice.vocabulary import EXAM_LABELS, TOPIC_LABELS, Exam

        chosen_topic, chosen_exam = _filters(topic, exam)
        bank = Bank.builtin()
        console = _console()
        vignettes = bank.select(topic=chosen_topic, exam=chosen_exam)
        professions = dict.fromkeys(v.profession for v in vignettes)
        for profession in professions:
            table = Table(box=None, pad_edge=False, show_header=False)
            table.add_column("Vignette", no_wrap=True)
            table.add_column("Exams", no_wrap=True)
            table.add_column("Topics")
            for vignette in vignettes:
                if vignette.profession is profession:
                    table.add_row(vignette.id, " ".join(e.value for e in vignette.exams) or "-",
                                  ", ".join(t.value for t in vignette.topics))
            console.print(Text(profession.value.replace("_", " ").capitalize() + "s",
                               style="bold underline"))
            console.print(table)
        console.print(f"{len(vignettes)} of {len(bank.vignettes)} vignettes.")
        counts = bank.topic_counts()
        topics = Table("Topic", "Vignettes", "About", box=None, pad_edge=False)
        for name, label in TOPIC_LABELS.items():
            topics.add_row(name.value, str(counts[name]), label)
        console.print(topics)
        exams = ", ".join(f"{e.value} ({len(bank.select(exam=e))}): {EXAM_LABELS[e]}"
                          for e in Exam)
        console.print(f"Exams: {exams}.")


def check_command(verbose: bool = typer.Option(False, "--verbose", "-v",
                                               help="List every vignette, not only failures.")
                  ) -> None:
    """Grade every vignette's expected answer against the engine; exit 1 on any mismatch."""
    with _boundary():
        from ..api import builtin_library
        from ..practice.bank import Bank
        from ..practice.verification import check_bank

        results = check_bank(Bank.builtin(), builtin_library())
        failed = [r for r in results if not r.passed]
        for result in results:
            if verbose or not result.passed:
                mark = "ok  " if result.passed else "FAIL"
                typer.echo(f"{mark} {result.vignette.id}: {result.verdict}"
                           + (f" until {result.until}" if result.until else ""))
                for failure in result.failures:
                    typer.echo(f"     {failure}")
        typer.echo(f"{len(results) - len(failed)} of {len(results)} vignettes match the engine.")
        if failed:
            raise typer.Exit(code=1)
