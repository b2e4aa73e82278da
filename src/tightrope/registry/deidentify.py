"""De-identified export for ethics committees and teaching (docs/registry.md).

The HIPAA Safe Harbor method (45 CFR 164.514(b)(2)) lists 18 identifiers. Of
those a registry record can hold, this export:

- drops names: the client reference becomes a random code (``case-7k2m9q``);
  clinicians and supervisors become ``clinician-1``, ``supervisor-1`` ...;
- drops record ids (our own unique codes): every record gets a new random one;
- shifts every date by a random number of days (1 to 182, earlier or later),
  the same for all dates of one case and different between cases, so intervals
  (how long therapy lasted, how long since it ended, when a waiting period ends)
  survive and the engine reaches the same verdict, while no real date remains;
  times of day are dropped. The offsets are never stored;
- keeps a US state (Safe Harbor allows a state) and cuts any other first-level
  subdivision to its country;
- leaves out all free text (``other.details``, notes, advice, rationale, the
  consultant's name, comments) unless it is explicitly included, because a
  narrative of a second relationship is easy to re-identify in a small town.
  Included free text is copied as written: review it before sharing.

Date shifting keeps intervals, which Safe Harbor's "year only" rule does not;
that is deliberate (a teaching case needs its intervals), so treat the export
as de-identified data under review, not as automatically safe to publish. A
stored result is reduced to its structured parts (verdict, factors, findings,
actions, pins), since its sentences quote real dates.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..core.assessment import Assessment
from ..storage.ids import new_id
from .exchange_format import DEIDENTIFIED_KIND
from .views import CaseDetail

if TYPE_CHECKING:
    from .actors import Actor
    from .service import Registry

MAX_SHIFT_DAYS = 182
CASE_DATE_FIELDS = (("as_of",), ("professional", "started"), ("professional", "ended"))


def _shift_days(rng: random.Random) -> int:
    days = rng.randint(1, MAX_SHIFT_DAYS)
    return days if rng.random() < 0.5 else -days


class Pseudonyms:
    """Consistent role-numbered names for the people in one export."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def of(self, username: str, role: str) -> str:
        if username not in self._names:
            self._counts[role] = self._counts.get(role, 0) + 1
            self._names[username] = f"{role}-{self._counts[role]}"
        return self._names[username]


def _generalise_jurisdiction(code: str) -> str:
    country, _, _ = code.partition("-")
    return code if country == "US" else country


def deidentify_case_data(data: dict[str, Any], shift: dt.timedelta, *,
                         include_free_text: bool) -> dict[str, Any]:
    """Format-1 case data with dates shifted, free text dropped, jurisdiction generalised."""
    result = {key: dict(value) if isinstance(value, dict) else value
              for key, value in data.items()}
    for path in CASE_DATE_FIELDS:
        holder = result
        for part in path[:-1]:
            holder = holder.get(part) or {}
        value = holder.get(path[-1])
        if isinstance(value, str):
            holder[path[-1]] = (dt.date.fromisoformat(value) + shift).isoformat()
    practitioner = result.get("practitioner") or {}
    if practitioner.get("jurisdiction"):
        practitioner["jurisdiction"] = _generalise_jurisdiction(practitioner["jurisdiction"])
    other = result.get("other") or {}
    if not include_free_text:
        other.pop("details", None)
    return result


def _result_summary(result: Assessment, shift: dt.timedelta) -> dict[str, Any]:
    def moved(value: dt.date | None) -> str | None:
        return (value + shift).isoformat() if value else None

    return {
        "verdict": result.verdict.value, "until": moved(result.until),
        "primary_factor": result.primary_factor.value,
        "governing": {"rule": result.governing.rule, "code": result.governing.code,
                      "edition": result.governing.edition,
                      "section": result.governing.section} if result.governing else None,
        "factors": [{"name": f.name, "level": f.level, "role": f.role.value}
                    for f in result.factors],
        "findings": [{"rule": f.rule, "code": f.code, "edition": f.edition,
                      "section": f.section, "effect": f.effect, "applies": f.applies,
                      "until": moved(f.until)} for f in result.findings],
        "actions": [a.value for a in result.actions],
        "engine": {"version": result.engine.version,
                   "packs": [{"id": p.id, "version": p.version, "sha256": p.sha256}
                             for p in result.engine.packs]},
    }


def deidentify(details: Iterable[CaseDetail], roles: dict[str, str], *,
               include_free_text: bool = False,
               rng: random.Random | None = None) -> list[dict[str, Any]]:
    """De-identified records of the given cases (``roles`` maps username to role)."""
    rng = rng or secrets.SystemRandom()
    people = Pseudonyms()

    def who(username: str) -> str:
        return people.of(username, roles.get(username, "clinician"))

    cases = []
    for detail in details:
        shift = dt.timedelta(days=_shift_days(rng))

        def day(moment: dt.datetime | dt.date | None, shift: dt.timedelta = shift) -> str | None:
            if moment is None:
                return None
            base = moment.date() if isinstance(moment, dt.datetime) else moment
            return (base + shift).isoformat()

        def text(value: str | None) -> str | None:
            return value if include_free_text else None

        s = detail.summary
        cases.append({
            "ref": f"case-{new_id()[:6]}", "owner": who(s.owner), "status": s.status.value,
            "created_on": day(s.created_at), "closed_on": day(s.closed_at),
            "revisions": [{"number": r.number, "created_on": day(r.created_at),
                           "author": who(r.author), "note": text(r.note),
                           "case": deidentify_case_data(r.case.dump(), shift,
                                                        include_free_text=include_free_text)}
                          for r in detail.revisions],
            "assessments": [{"number": a.number, "revision": a.revision,
                             "as_of": day(a.as_of), "assessed_by": who(a.actor),
                             "review_due_on": day(a.review_due_on),
                             "review_reason": a.review_reason.value if a.review_reason
                             else None, "result": _result_summary(a.result, shift)}
                            for a in detail.assessments],
            "consultations": [{"consulted_on": day(c.consulted_on),
                               "consultant_role": c.consultant_role.value,
                               "decision": c.decision.value if c.decision else None,
                               "consultant": text(c.consultant), "advice": text(c.advice),
                               "rationale": text(c.rationale)} for c in detail.consultations],
            "consents": [{"given_on": day(c.given_on), "method": c.method.value,
                          "note": text(c.note)} for c in detail.consents],
            "sign_offs": [{"assessment": o.assessment, "outcome": o.outcome.value,
                           "supervisor": who(o.supervisor), "signed_on": day(o.created_at),
                           "comment": text(o.comment)} for o in detail.sign_offs],
        })
    return cases


def deidentified_export(registry: Registry, actor: Actor, case_ids: Iterable[str] | None = None,
                        *, scope: str = "own", include_free_text: bool = False,
                        rng: random.Random | None = None) -> dict[str, Any]:
    """The de-identified export document; each case's export is audited."""
    from sqlalchemy import select

    from ..storage.tables import User

    details = registry.exchange.details(actor, case_ids, scope=scope, action="case.export",
                                        audit_details={"deidentified": True,
                                                       "free_text": include_free_text})
    with registry.store.read() as session:
        roles = {name: role for name, role in session.execute(select(User.username, User.role))}
    return {"format": 1, "kind": DEIDENTIFIED_KIND,
            "method": "HIPAA Safe Harbor identifiers removed; dates shifted per case; "
                      + ("free text INCLUDED: review it before sharing" if include_free_text
                         else "free text left out"),
            "free_text_included": include_free_text,
            "cases": deidentify(details, roles, include_free_text=include_free_text, rng=rng)}
