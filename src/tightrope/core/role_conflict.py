"""Layer 3: how much the second role conflicts with the professional one.

Kitchener (1988) names three predictors of harm, each monotone: the more the
expectations of the two roles are incompatible, the more their obligations
diverge, and the greater the practitioner's power and prestige in the new role,
the greater the risk. Kitchener gives no weights, so they are summed unweighted.
Our per-kind starting ratings, and the adjustments for who holds authority, how
long the relationship runs, money, and benefit to the client, are a tool-level
operationalisation shown in every explanation.

Whether the relationship can be avoided (small, rural, military, faith, Deaf,
recovery and LGBTQ communities: Zur; Lazarus & Zur 2002) is judged separately
in :mod:`judgement`, because unavoidability changes what to do, not how
conflicting the roles are.
"""

from __future__ import annotations

from dataclasses import dataclass

from .case import Case
from .vocabulary import Authority, Benefit, Duration, Initiator, Level, OtherKind, OtherStatus

# (incompatible expectations, divergent obligations, power in the new role), 0-2 each.
KIND_PROFILE: dict[OtherKind, tuple[int, int, int]] = {
    OtherKind.romantic_sexual: (2, 2, 1),
    OtherKind.friendship: (2, 1, 0),
    OtherKind.business: (2, 2, 1),
    OtherKind.employment: (2, 2, 1),
    OtherKind.financial: (2, 2, 1),
    OtherKind.bartering: (1, 2, 1),
    OtherKind.gift: (1, 0, 0),
    # An unpaid service leaves one side indebted to the other: divergent obligations.
    OtherKind.favor: (1, 2, 0),
    # A personal online tie opens the practitioner's private life to the client and
    # the client's to the practitioner: the obligations of the two roles diverge.
    OtherKind.social_media: (1, 2, 0),
    # Attending a client's event steps outside the frame (ACA A.6.b): expectations
    # of a personal bond follow.
    OtherKind.event_attendance: (1, 1, 0),
    OtherKind.clinical_services: (1, 2, 0),
    OtherKind.additional_service: (1, 2, 1),
    OtherKind.evaluative: (2, 2, 2),
    OtherKind.collegial: (1, 1, 0),
    OtherKind.incidental_contact: (0, 0, 0),
    OtherKind.community_overlap: (1, 1, 0),
    OtherKind.other: (1, 1, 1),
}

TOKEN_GIFT_USD = 25.0
"""A gift at or under this value, not cash, is a token for our own judgement layer.
Codes with a stricter cap (BACB, Texas) enforce theirs through their packs."""


@dataclass(frozen=True)
class RoleConflict:
    level: Level
    expectations: int
    obligations: int
    authority: int
    adjustment: int
    objectivity: int  # 0-2: how far the practitioner's judgement is at stake
    because: tuple[str, ...]
    unknown: tuple[str, ...]


def is_token_gift(case: Case) -> bool:
    other = case.other
    return (other.kind is OtherKind.gift and other.value_usd is not None
            and other.value_usd <= TOKEN_GIFT_USD and other.cash is not True
            and other.initiated_by is not Initiator.practitioner)


# Something of value received from a client (a gift, an unpaid service) leaves the
# practitioner indebted to them, which weighs more than money that changes hands in
# a priced exchange (ACA A.10.f, AAMFT 3.9 and BACB 1.12 all single out gifts).
_RECEIVED = frozenset({OtherKind.gift, OtherKind.favor})
_PRICED = frozenset({OtherKind.bartering, OtherKind.business, OtherKind.financial})


def _money_adjustment(case: Case, because: list[str], unknown: list[str]) -> int:
    other = case.other
    if other.kind not in _RECEIVED | _PRICED:
        return 0
    value, received = other.value_usd, other.kind in _RECEIVED
    step = 0
    if value is None:
        unknown.append("other.value_usd")
        if other.kind is OtherKind.gift:
            step = 1
            because.append("value unknown, read as more than a token (+1)")
    elif received:
        if value > 500:
            step = 4 if other.kind is OtherKind.gift else 3
        elif value > 100:
            step = 3 if other.kind is OtherKind.gift else 2
        elif value > TOKEN_GIFT_USD and other.kind is OtherKind.gift:
            step = 1
        if step:
            because.append(f"something worth about ${value:,.0f} received from the client "
                           f"(+{step})")
    elif value > 500:
        step = 2
        because.append(f"value about ${value:,.0f} (+2)")
    elif value > 100:
        step = 1
        because.append(f"value about ${value:,.0f} (+1)")
    if other.cash:
        cash = 2 if received else 1
        step += cash
        because.append(f"cash or a cash equivalent (+{cash})")
    return step


def role_conflict(case: Case) -> RoleConflict:
    other = case.other
    because: list[str] = []
    unknown: list[str] = []
    expectations, obligations, power = KIND_PROFILE[other.kind]
    if other.authority is Authority.practitioner:
        power = 2
        because.append("the practitioner would hold authority in the new role")
    elif other.authority is Authority.other_party:
        power = max(power, 1)
        because.append("the client would hold authority over the practitioner, which puts "
                       "the practitioner's objectivity at stake")
    elif other.authority is Authority.neither:
        power = 0 if other.kind is not OtherKind.evaluative else power
    elif other.kind in (OtherKind.business, OtherKind.employment, OtherKind.financial,
                        OtherKind.evaluative):
        unknown.append("other.authority")
    adjustment = 0
    if other.kind not in (OtherKind.incidental_contact, OtherKind.romantic_sexual):
        if other.kind is OtherKind.gift:
            pass  # a gift is a one-off by nature: its value, not its duration, weighs
        elif other.duration is Duration.long:
            adjustment += 1
            because.append("a long-running second relationship (+1)")
        elif other.duration is Duration.brief:
            adjustment -= 1
            because.append("a brief second relationship (-1)")
        elif other.duration is None:
            unknown.append("other.duration")
        adjustment += _money_adjustment(case, because, unknown)
        if other.initiated_by is Initiator.practitioner:
            adjustment += 1
            because.append("proposed by the practitioner (+1)")
        if other.benefit_to_client is Benefit.substantial and expectations + obligations >= 2:
            adjustment -= 1
            because.append("a substantial benefit to the client (-1)")
    total = expectations + obligations + power + adjustment
    if other.kind is OtherKind.romantic_sexual:
        # Sexual contact with a client is always a violation, never a mere
        # crossing (Gutheil & Gabbard 1993, 1998).
        level = Level.very_high
    elif other.kind is OtherKind.incidental_contact:
        level = Level.negligible
    else:
        level = (Level.negligible if total <= 0 else Level.low if total <= 2
                 else Level.moderate if total == 3 else Level.high if total <= 5
                 else Level.very_high)
        if is_token_gift(case):
            level = Level.negligible
            because.append(f"a token gift (about ${other.value_usd:,.0f}, not cash)")
    objectivity = obligations
    if other.status is OtherStatus.past and other.kind is not OtherKind.romantic_sexual:
        # A personal tie that came first colours clinical judgement (ACA A.5.d).
        objectivity = max(objectivity, 2 if other.kind is OtherKind.friendship else 1)
    because.insert(0, f"Kitchener's predictors for {other.kind.value.replace('_', ' ')}: "
                      f"incompatible expectations {expectations}/2, divergent obligations "
                      f"{obligations}/2, power in the new role {power}/2")
    return RoleConflict(level, expectations, obligations, power, adjustment, objectivity,
                        tuple(because), tuple(dict.fromkeys(unknown)))
