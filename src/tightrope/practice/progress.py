"""Progress kept per user: profiles, FSRS cards, every answer, and exams (SQLAlchemy 2).

By default a SQLite file, ``practice.db`` in ``platformdirs.user_data_dir("tightrope")``;
set ``TIGHTROPE_PRACTICE_DATABASE_URL`` (any SQLAlchemy URL) to put it elsewhere.

Schema (all tables prefixed ``practice_`` so they can share a database):

* ``practice_meta``: key/value; ``schema_version`` is ``1``. Tables are made with
  ``metadata.create_all`` (new tables only, never altered). A database written by
  another schema version is refused with ``practice-schema`` rather than misread; a
  future version will ship a migration.
* ``practice_profiles``: one row per local profile (named after the OS user unless
  ``--profile`` says otherwise).
* ``practice_cards``: one FSRS card per (profile, vignette, question kind): its JSON
  state, when it is due, how often it was reviewed and failed.
* ``practice_reviews``: every answer: vignette, kind, topics, code, right or wrong,
  the choice, seconds taken, FSRS rating, when, and the exam it belonged to.
* ``practice_exams``: timed simulations: start, end, limit, size, score.

No client data lives here: vignettes are invented, and only their ids are stored.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from .errors import PracticeError, practice_error
from .scheduler import CardState, utc

SCHEMA_VERSION = "1"
DATABASE_URL_ENV = "TIGHTROPE_PRACTICE_DATABASE_URL"
PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$")


class Base(DeclarativeBase):
    pass


class MetaRow(Base):
    __tablename__ = "practice_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class ProfileRow(Base):
    __tablename__ = "practice_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CardRow(Base):
    __tablename__ = "practice_cards"
    __table_args__ = (UniqueConstraint("profile_id", "vignette_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("practice_profiles.id"), index=True)
    vignette_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    data: Mapped[str] = mapped_column(Text)
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    state: Mapped[str] = mapped_column(String(20))
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ExamRow(Base):
    __tablename__ = "practice_exams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("practice_profiles.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    time_limit_seconds: Mapped[int] = mapped_column(Integer)
    question_count: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    timed_out: Mapped[bool] = mapped_column(Boolean, default=False)
    seed: Mapped[str] = mapped_column(String(40))


class ReviewRow(Base):
    __tablename__ = "practice_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("practice_profiles.id"), index=True)
    vignette_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    topics: Mapped[str] = mapped_column(String(400))  # comma-separated topic values
    code: Mapped[str] = mapped_column(String(40))
    correct: Mapped[bool] = mapped_column(Boolean)
    chosen: Mapped[str] = mapped_column(String(2))
    answer: Mapped[str] = mapped_column(String(2))
    seconds: Mapped[float] = mapped_column(Float)
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    exam_id: Mapped[int | None] = mapped_column(ForeignKey("practice_exams.id"))


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    created_at: dt.datetime


@dataclass(frozen=True)
class CardRecord:
    vignette_id: str
    kind: str
    state: CardState
    reps: int
    lapses: int

    @property
    def due_at(self) -> dt.datetime:
        return self.state.due_at


@dataclass(frozen=True)
class ReviewRecord:
    vignette_id: str
    kind: str
    topics: tuple[str, ...]
    code: str
    correct: bool
    seconds: float
    rating: int
    reviewed_at: dt.datetime
    exam_id: int | None = None


@dataclass(frozen=True)
class ExamRecord:
    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    time_limit_seconds: int
    question_count: int
    answered: int
    correct: int
    timed_out: bool


def default_database_url(env: Mapping[str, str] | None = None) -> str:
    """The URL from TIGHTROPE_PRACTICE_DATABASE_URL, else SQLite in the user data directory."""
    env = os.environ if env is None else env
    configured = env.get(DATABASE_URL_ENV, "").strip()
    if configured:
        return configured
    from platformdirs import user_data_dir

    directory = Path(user_data_dir("tightrope"))
    return f"sqlite:///{directory / 'practice.db'}"


def default_profile_name() -> str:
    """The OS user's name when it makes a valid profile name, else ``student``."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "student"
    return name if PROFILE_NAME.match(name) else "student"


def check_profile_name(name: str) -> str:
    cleaned = name.strip()
    if not PROFILE_NAME.match(cleaned):
        raise practice_error("bad-profile", f"{name!r} cannot be used as a profile name",
                             path="--profile", hint="use 1-64 letters, digits, spaces or . _ @ -, "
                             "starting with a letter or digit")
    return cleaned


def _aware(moment: dt.datetime) -> dt.datetime:
    return utc(moment)  # SQLite returns naive times; everything is stored in UTC


class ProgressStore:
    """The practice database. Every method is one short transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise practice_error("practice-database", "the practice database URL cannot be read",
                                 path=DATABASE_URL_ENV, hint="give a SQLAlchemy URL such as "
                                 "sqlite:////home/me/practice.db") from None
        self._shown = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "",
                                                                               ":memory:"):
            folder = Path(parsed.database or "").expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise practice_error(
                    "practice-database", f"could not create the folder {folder} for the "
                    f"practice database ({exc.strerror})", source=self._shown,
                    hint=f"set {DATABASE_URL_ENV} to a writable location") from None
        with self._guard("open"):
            self.engine: Engine = create_engine(url)
            if parsed.get_backend_name() == "sqlite":
                event.listen(self.engine, "connect", _sqlite_foreign_keys)
            Base.metadata.create_all(self.engine)
            self._check_schema()

    @classmethod
    def open(cls, url: str | None = None, env: Mapping[str, str] | None = None
             ) -> ProgressStore:
        return cls(url or default_database_url(env))

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            detail = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0][:200]
            raise practice_error(
                "practice-database", f"could not {action} the practice database ({detail})",
                source=self._shown, hint=f"check the path and permissions, or set "
                f"{DATABASE_URL_ENV} to another location") from None

    def _check_schema(self) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(MetaRow, "schema_version")
            if row is None:
                session.add(MetaRow(key="schema_version", value=SCHEMA_VERSION))
            elif row.value != SCHEMA_VERSION:
                raise practice_error(
                    "practice-schema", f"this database has practice schema version {row.value}; "
                    f"this Tightrope reads version {SCHEMA_VERSION}", source=self._shown,
                    hint=f"use the Tightrope that wrote it, or set {DATABASE_URL_ENV} to a new "
                    "file")

    def profile(self, name: str, now: dt.datetime | None = None) -> Profile:
        """The profile with this name, created on first use."""
        name = check_profile_name(name)
        with self._guard("read or create a profile in"), Session(self.engine) as session, \
                session.begin():
            row = session.scalars(select(ProfileRow).where(ProfileRow.name == name)).first()
            if row is None:
                row = ProfileRow(name=name, created_at=utc(now or dt.datetime.now(dt.UTC)))
                session.add(row)
                session.flush()
            return Profile(row.id, row.name, _aware(row.created_at))

    def profiles(self) -> tuple[Profile, ...]:
        with self._guard("read"), Session(self.engine) as session:
            rows = session.scalars(select(ProfileRow).order_by(ProfileRow.name))
            return tuple(Profile(r.id, r.name, _aware(r.created_at)) for r in rows)

    def cards(self, profile: Profile) -> dict[tuple[str, str], CardRecord]:
        with self._guard("read cards from"), Session(self.engine) as session:
            rows = session.scalars(select(CardRow).where(CardRow.profile_id == profile.id))
            return {(r.vignette_id, r.kind): CardRecord(
                r.vignette_id, r.kind, CardState.from_data(r.data), r.reps, r.lapses)
                for r in rows}

    def card(self, profile: Profile, vignette_id: str, kind: str) -> CardRecord | None:
        with self._guard("read a card from"), Session(self.engine) as session:
            row = session.scalars(select(CardRow).where(
                CardRow.profile_id == profile.id, CardRow.vignette_id == vignette_id,
                CardRow.kind == kind)).first()
            if row is None:
                return None
            return CardRecord(row.vignette_id, row.kind, CardState.from_data(row.data),
                              row.reps, row.lapses)

    def record_review(self, profile: Profile, *, vignette_id: str, kind: str,
                      topics: tuple[str, ...], code: str, correct: bool, chosen: str,
                      answer: str, seconds: float, rating: int, card: CardState,
                      reviewed_at: dt.datetime, exam_id: int | None = None) -> None:
        """Store one answer and the card's new state together (one transaction)."""
        when = utc(reviewed_at)
        with self._guard("save an answer to"), Session(self.engine) as session, \
                session.begin():
            row = session.scalars(select(CardRow).where(
                CardRow.profile_id == profile.id, CardRow.vignette_id == vignette_id,
                CardRow.kind == kind)).first()
            if row is None:
                row = CardRow(profile_id=profile.id, vignette_id=vignette_id, kind=kind,
                              reps=0, lapses=0)
                session.add(row)
            row.data, row.due_at, row.state = card.data, card.due_at, card.state
            row.reps = (row.reps or 0) + 1
            row.lapses = (row.lapses or 0) + (0 if correct else 1)
            row.updated_at = when
            session.add(ReviewRow(
                profile_id=profile.id, vignette_id=vignette_id, kind=kind,
                topics=",".join(topics), code=code, correct=correct, chosen=chosen,
                answer=answer, seconds=float(seconds), rating=rating, reviewed_at=when,
                exam_id=exam_id))

    def reviews(self, profile: Profile) -> tuple[ReviewRecord, ...]:
        with self._guard("read answers from"), Session(self.engine) as session:
            rows = session.scalars(select(ReviewRow).where(ReviewRow.profile_id == profile.id)
                                   .order_by(ReviewRow.reviewed_at, ReviewRow.id))
            return tuple(ReviewRecord(
                r.vignette_id, r.kind, tuple(t for t in r.topics.split(",") if t), r.code,
                r.correct, r.seconds, r.rating, _aware(r.reviewed_at), r.exam_id) for r in rows)

    def start_exam(self, profile: Profile, *, started_at: dt.datetime,
                   time_limit_seconds: int, question_count: int, seed: str) -> int:
        with self._guard("start an exam in"), Session(self.engine) as session, \
                session.begin():
            row = ExamRow(profile_id=profile.id, started_at=utc(started_at),
                          time_limit_seconds=time_limit_seconds, question_count=question_count,
                          answered=0, correct=0, timed_out=False, seed=seed)
            session.add(row)
            session.flush()
            return row.id

    def finish_exam(self, exam_id: int, *, finished_at: dt.datetime, answered: int,
                    correct: int, timed_out: bool) -> None:
        with self._guard("save an exam to"), Session(self.engine) as session, \
                session.begin():
            row = session.get(ExamRow, exam_id)
            if row is None:
                raise practice_error("no-such-exam", f"there is no exam {exam_id}")
            row.finished_at, row.answered, row.correct = utc(finished_at), answered, correct
            row.timed_out = timed_out

    def exams(self, profile: Profile) -> tuple[ExamRecord, ...]:
        with self._guard("read exams from"), Session(self.engine) as session:
            rows = session.scalars(select(ExamRow).where(ExamRow.profile_id == profile.id)
                                   .order_by(ExamRow.started_at, ExamRow.id))
            return tuple(ExamRecord(
                r.id, _aware(r.started_at), _aware(r.finished_at) if r.finished_at else None,
                r.time_limit_seconds, r.question_count, r.answered, r.correct, r.timed_out)
                for r in rows)


def _sqlite_foreign_keys(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


__all__ = [
    "DATABASE_URL_ENV",
    "SCHEMA_VERSION",
    "CardRecord",
    "ExamRecord",
    "PracticeError",
    "Profile",
    "ProgressStore",
    "ReviewRecord",
    "default_database_url",
    "default_profile_name",
]
