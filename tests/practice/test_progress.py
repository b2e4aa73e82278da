"""The progress store: profiles, cards and answers survive closing and re-opening."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from tightrope.core.errors import TightropeError
from tightrope.practice.progress import (
    DATABASE_URL_ENV,
    SCHEMA_VERSION,
    ProgressStore,
    check_profile_name,
    default_database_url,
    default_profile_name,
)
from tightrope.practice.scheduler import Scheduler

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def _answer(store: ProgressStore, profile, vignette: str, kind: str, correct: bool,  # type: ignore[no-untyped-def]
            when: dt.datetime, exam_id: int | None = None) -> None:
    outcome = Scheduler().review(None, correct=correct, seconds=20, now=when)
    store.record_review(profile, vignette_id=vignette, kind=kind, topics=("gifts", "state-law"),
                        code="US-TX", correct=correct, chosen="A", answer="A" if correct else "B",
                        seconds=20, rating=int(outcome.rating), card=outcome.card,
                        reviewed_at=when, exam_id=exam_id)


def test_progress_survives_reopening_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'practice.db'}"
    with ProgressStore(url) as store:
        ana = store.profile("ana", NOW)
        _answer(store, ana, "counselor-texas-handmade-quilt", "verdict", False, NOW)
        _answer(store, ana, "counselor-texas-handmade-quilt", "verdict", True,
                NOW + dt.timedelta(minutes=5))
        exam = store.start_exam(ana, started_at=NOW, time_limit_seconds=600, question_count=2,
                                seed="7")
        _answer(store, ana, "mft-jar-of-jam", "next_step", True, NOW, exam_id=exam)
        store.finish_exam(exam, finished_at=NOW + dt.timedelta(minutes=3), answered=1,
                          correct=1, timed_out=False)
    with ProgressStore(url) as reopened:
        ana = reopened.profile("ana")
        assert ana.created_at == NOW
        reviews = reopened.reviews(ana)
        assert [(r.vignette_id, r.correct) for r in reviews] == [
            ("counselor-texas-handmade-quilt", False), ("mft-jar-of-jam", True),
            ("counselor-texas-handmade-quilt", True)]
        assert reviews[0].topics == ("gifts", "state-law") and reviews[0].code == "US-TX"
        assert reviews[0].reviewed_at.tzinfo is not None
        cards = reopened.cards(ana)
        quilt = cards[("counselor-texas-handmade-quilt", "verdict")]
        assert (quilt.reps, quilt.lapses) == (2, 1)
        assert quilt.due_at > NOW
        (record,) = reopened.exams(ana)
        assert (record.answered, record.correct, record.timed_out) == (1, 1, False)
        assert record.finished_at == NOW + dt.timedelta(minutes=3)


def test_profiles_are_separate_and_created_once(store: ProgressStore) -> None:
    ana = store.profile("ana", NOW)
    assert store.profile("ana").id == ana.id
    ben = store.profile("ben", NOW)
    _answer(store, ana, "mft-jar-of-jam", "verdict", True, NOW)
    assert store.reviews(ben) == () and store.cards(ben) == {}
    assert [p.name for p in store.profiles()] == ["ana", "ben"]
    assert store.card(ana, "mft-jar-of-jam", "verdict") is not None
    assert store.card(ben, "mft-jar-of-jam", "verdict") is None


def test_the_schema_version_is_recorded_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "practice.db"
    ProgressStore(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as connection:
        (version,) = connection.execute(
            "select value from practice_meta where key = 'schema_version'").fetchone()
        assert version == SCHEMA_VERSION
        connection.execute("update practice_meta set value = '99'")
    with pytest.raises(TightropeError) as caught:
        ProgressStore(f"sqlite:///{path}")
    assert caught.value.code == "practice-schema"
    assert "version 99" in str(caught.value)


def test_an_unusable_database_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(TightropeError) as caught:
        ProgressStore(f"sqlite:///{blocker / 'practice.db'}")
    assert caught.value.code == "practice-database"
    with pytest.raises(TightropeError) as caught:
        ProgressStore("not a url at all")
    assert caught.value.code == "practice-database"
    assert DATABASE_URL_ENV in str(caught.value)


def test_the_database_url_comes_from_the_environment_or_the_user_data_directory() -> None:
    assert default_database_url({DATABASE_URL_ENV: "sqlite:////srv/p.db"}) == \
        "sqlite:////srv/p.db"
    default = default_database_url({})
    assert default.startswith("sqlite:///") and default.endswith("practice.db")
    assert "tightrope" in default


def test_profile_names_are_checked() -> None:
    assert check_profile_name("  ana lee ") == "ana lee"
    with pytest.raises(TightropeError) as caught:
        check_profile_name("../etc")
    assert caught.value.code == "bad-profile"
    check_profile_name(default_profile_name())  # always usable
