"""Spaced repetition with FSRS (the Free Spaced Repetition Scheduler, py-fsrs).

One card per (vignette, question kind). An answer becomes an FSRS rating:

* wrong: ``Again`` (the card comes back at the next session, then relearns);
* right but slow (more than ``SLOW_SECONDS``): ``Hard``;
* right and quick (under ``QUICK_SECONDS``): ``Easy``;
* otherwise ``Good``.

FSRS then sets the next due date from the card's stability and difficulty, so a
failed card comes back sooner than a passed one, and the gaps grow as a card is
remembered. Fuzzing is off, so the same answers at the same times always give the
same schedule (and tests can pin it). The card's state is kept as FSRS's own JSON.

One learning step and one relearning step of ten minutes (FSRS's defaults are one
and ten minutes, then ten, made for flashcards seen many times a sitting): a
missed question is due at the start of the next session, even the same day, and
one that is answered right the first time graduates at once (two days for Good,
about a week for Easy), so a daily session keeps meeting new vignettes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fsrs import Card, Rating, State
from fsrs import Scheduler as FsrsScheduler

QUICK_SECONDS = 15.0
"""A right answer given this fast was easy: the case was recognised, not worked out."""

SLOW_SECONDS = 120.0
"""A right answer that took longer than this was hard (reading time included)."""

DESIRED_RETENTION = 0.9
LEARNING_STEPS = (dt.timedelta(minutes=10),)
RELEARNING_STEPS = (dt.timedelta(minutes=10),)

STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}


def utc(moment: dt.datetime) -> dt.datetime:
    """FSRS wants timezone-aware UTC times; a naive time is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def rating_for(correct: bool, seconds: float) -> Rating:
    if not correct:
        return Rating.Again
    if seconds > SLOW_SECONDS:
        return Rating.Hard
    if seconds < QUICK_SECONDS:
        return Rating.Easy
    return Rating.Good


@dataclass(frozen=True)
class CardState:
    """A card as stored: FSRS's JSON plus the fields we query on."""

    data: str
    due_at: dt.datetime
    state: str
    stability: float | None
    difficulty: float | None

    @classmethod
    def of(cls, card: Card) -> CardState:
        return cls(data=card.to_json(), due_at=utc(card.due), state=STATE_NAMES[card.state],
                   stability=card.stability, difficulty=card.difficulty)

    @classmethod
    def from_data(cls, data: str) -> CardState:
        return cls.of(Card.from_json(data))

    def card(self) -> Card:
        return Card.from_json(self.data)


@dataclass(frozen=True)
class ReviewOutcome:
    card: CardState
    rating: Rating

    @property
    def interval(self) -> dt.timedelta:
        """How long until the card is due again, from the review."""
        return self.card.due_at - utc(Card.from_json(self.card.data).last_review
                                      or self.card.due_at)


class Scheduler:
    """FSRS with our defaults; deterministic (no fuzz)."""

    def __init__(self, desired_retention: float = DESIRED_RETENTION) -> None:
        self._fsrs = FsrsScheduler(desired_retention=desired_retention,
                                   learning_steps=LEARNING_STEPS,
                                   relearning_steps=RELEARNING_STEPS, enable_fuzzing=False)

    def new_card(self, now: dt.datetime, card_id: int = 1) -> CardState:
        """A card never studied, due at once. ``card_id`` only labels FSRS's logs."""
        return CardState.of(Card(card_id=card_id, due=utc(now)))

    def review(self, state: CardState | None, *, correct: bool, seconds: float,
               now: dt.datetime) -> ReviewOutcome:
        card = state.card() if state is not None else Card(card_id=1, due=utc(now))
        rating = rating_for(correct, seconds)
        reviewed, _ = self._fsrs.review_card(card, rating, review_datetime=utc(now),
                                             review_duration=int(max(seconds, 0) * 1000))
        return ReviewOutcome(CardState.of(reviewed), rating)

    def retrievability(self, state: CardState, now: dt.datetime) -> float:
        """FSRS's estimate that the card would be answered right at ``now`` (0-1)."""
        return float(self._fsrs.get_card_retrievability(state.card(), utc(now)))
