"""Fixtures for practice mode: the bank, the engine's packs, a clock we control, a service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from tightrope.api import builtin_library
from tightrope.core.library import PackLibrary
from tightrope.practice.bank import Bank
from tightrope.practice.progress import ProgressStore
from tightrope.practice.service import PracticeService

START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


class FakeClock:
    """A clock that only moves when a test moves it; nothing ever sleeps."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(scope="session")
def bank() -> Bank:
    return Bank.builtin()


@pytest.fixture(scope="session")
def library() -> PackLibrary:
    return builtin_library()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path) -> Iterator[ProgressStore]:  # type: ignore[no-untyped-def]
    with ProgressStore(f"sqlite:///{tmp_path / 'practice.db'}") as opened:
        yield opened


@pytest.fixture
def service(store: ProgressStore, bank: Bank, library: PackLibrary,
            clock: FakeClock) -> PracticeService:
    return PracticeService(store, bank=bank, library=library, clock=clock)
