"""Keeping cases: create, find (list), show, reassess, close and reopen, and a case's history.

The engine runs outside the write transaction (it needs no database), so a
writer holds the lock only for the inserts; a re-assessment that finds the
case changed meanwhile runs again on the new facts.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..core.assessment import Assessment
from ..core.case import Case, FieldConflict
from ..core.engine import assess_case
from ..core.errors import case_error
from ..core.vocabulary import Verdict
from ..storage.audit import append_event
from ..storage.ids import new_id
from ..storage.tables import AssessmentRecord, AuditEvent, CaseRecord, CaseRevision, User
from .access import Permission, current_user, open_case, require_owner_role, visible_cases
from .client_refs import check_client_ref
from .errors import registry_error
from .reading import assessment_view, case_facts, load_detail, sealed, summary, usernames
from .reviews import next_review
from .views import AssessmentOutcome, AuditEntry, CaseDetail, CaseSummary
from .vocabulary import CaseStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .actors import Actor
    from .service import Registry

MAX_ATTEMPTS = 5
SCOPES = ("own", "supervisees", "all")


def pack_pins(assessment: Assessment) -> list[dict[str, str]]:
    return [{"id": p.id, "version": p.version, "sha256": p.sha256}
            for p in assessment.engine.packs]


def pack_changes(before: list[dict[str, str]], after: list[dict[str, str]]) -> tuple[str, ...]:
    """How the packs behind a new assessment differ from those behind the last one."""
    old = {p["id"]: p for p in before}
    new = {p["id"]: p for p in after}
    changes: list[str] = []
    for pack_id in sorted(old.keys() | new.keys()):
        was, now = old.get(pack_id), new.get(pack_id)
        if was is None and now is not None:
            changes.append(f"{pack_id} {now['version']} now applies")
        elif now is None and was is not None:
            changes.append(f"{pack_id} {was['version']} no longer applies")
        elif was is not None and now is not None and was["version"] != now["version"]:
            changes.append(f"{pack_id} {was['version']} -> {now['version']}")
        elif was is not None and now is not None and was["sha256"] != now["sha256"]:
            changes.append(f"{pack_id} {now['version']} changed content (sha256 differs)")
    return tuple(changes)


class Cases:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.store = registry.store
        self.cipher = registry.store.cipher

    def _assess(self, case: Case, when: dt.date) -> Assessment:
        try:
            case.check_dates(when)
        except FieldConflict as conflict:
            raise case_error("bad-date", str(conflict), path=conflict.path) from None
        return assess_case(case, self.registry.library(), when)

    def _new_assessment(self, session: Session, actor_id: str, case: Case, row: CaseRecord,
                        revision: CaseRevision, assessment: Assessment,
                        now: dt.datetime) -> AssessmentRecord:
        review = next_review(case, assessment)
        record_id = new_id()
        record = AssessmentRecord(
            id=record_id, case_id=row.id, number=row.assessments + 1, revision_id=revision.id,
            created_at=now, actor_id=actor_id, as_of=assessment.as_of,
            verdict=assessment.verdict.value, until=assessment.until,
            engine_version=assessment.engine.version, packs=pack_pins(assessment),
            result=self.cipher.seal("assessments", "result", record_id,
                                    assessment.model_dump_json()),
            review_due_on=review.due_on if review else None,
            review_reason=review.reason.value if review else None)
        session.add(record)
        row.assessments += 1
        row.updated_at = now
        row.latest_assessment_id = record.id
        row.latest_verdict = record.verdict
        row.latest_until = record.until
        row.review_due_on = record.review_due_on
        row.review_reason = record.review_reason
        return record

    def _new_revision(self, session: Session, actor_id: str, row: CaseRecord, case: Case,
                      note: str | None, now: dt.datetime) -> CaseRevision:
        revision_id = new_id()
        revision = CaseRevision(
            id=revision_id, case_id=row.id, number=row.revisions + 1, created_at=now,
            author_id=actor_id,
            facts=self.cipher.seal("case_revisions", "facts", revision_id,
                                   json.dumps(case.dump(), ensure_ascii=False)),
            note=self.cipher.seal("case_revisions", "note", revision_id, note)
            if note else None)
        session.add(revision)
        row.revisions += 1
        session.flush()
        return revision

    def create(self, actor: Actor, case: Case, client_ref: str, *, allow_name: bool = False,
               as_of: dt.date | None = None, note: str | None = None) -> AssessmentOutcome:
        """Keep a new case and its first assessment (on ``as_of``, the case's date, or today)."""
        ref = check_client_ref(client_ref, allow_name=allow_name)
        assessment = self._assess(case, as_of or case.as_of or self.registry.today())
        now = self.registry.now()
        with self.store.write() as session:
            user = current_user(session, actor)
            require_owner_role(user)
            case_id = new_id()
            row = CaseRecord(
                id=case_id, owner_id=user.id,
                client_ref=self.cipher.seal("cases", "client_ref", case_id, ref),
                status=CaseStatus.open.value, created_at=now, updated_at=now, closed_at=None,
                revisions=0, assessments=0)
            session.add(row)
            session.flush()
            revision = self._new_revision(session, user.id, row, case, note, now)
            record = self._new_assessment(session, user.id, case, row, revision, assessment, now)
            append_event(session, at=now, actor_id=user.id, action="case.create",
                         case_id=case_id, records=[row, revision, record],
                         details=_assessment_details(record))
            view = assessment_view(record, revision.number, user.username, assessment)
        return AssessmentOutcome(case_id=case_id, client_ref=ref, assessment=view,
                                 previous_verdict=None, pack_changes=(), new_revision=True)

    def reassess(self, actor: Actor, case_id: str, *, case: Case | None = None,
                 as_of: dt.date | None = None, note: str | None = None) -> AssessmentOutcome:
        """Assess the case again with today's packs (and new facts, if given): a new record.

        Without ``as_of`` the date is today, not the date stored in the case: a
        re-assessment asks what holds now.
        """
        for _ in range(MAX_ATTEMPTS):
            with self.store.read() as session:
                row = open_case(session, actor, case_id, Permission.change)
                if row.status == CaseStatus.closed.value:
                    raise registry_error("case-closed", f"case {case_id} is closed",
                                         hint=f"reopen it first: tightrope cases reopen {case_id}")
                seen = (row.revisions, row.assessments)
                latest = _revision(session, case_id, row.revisions)
                stored = case_facts(self.cipher, latest)
                previous = session.get(AssessmentRecord, row.latest_assessment_id or "")
                previous_pins = list(previous.packs) if previous else []
            facts = case if case is not None else stored
            changed = case is not None and case.dump() != stored.dump()
            when = as_of or (case.as_of if case is not None else None) or self.registry.today()
            assessment = self._assess(facts, when)
            now = self.registry.now()
            with self.store.write() as session:
                row = open_case(session, actor, case_id, Permission.change, lock=True)
                if (row.revisions, row.assessments) != seen:
                    continue  # changed meanwhile: assess the newest facts instead
                user = current_user(session, actor)
                revision = (self._new_revision(session, user.id, row, facts, note, now)
                            if changed else _revision(session, case_id, row.revisions))
                record = self._new_assessment(session, user.id, facts, row, revision,
                                              assessment, now)
                changes = pack_changes(previous_pins, record.packs)
                details = _assessment_details(record)
                details["pack_changes"] = len(changes)
                append_event(session, at=now, actor_id=user.id,
                             action="case.revise" if changed else "case.reassess",
                             case_id=case_id, records=[row, revision, record] if changed
                             else [row, record], details=details)
                view = assessment_view(record, revision.number, user.username, assessment)
                ref = sealed(self.cipher, row, "client_ref")
            return AssessmentOutcome(
                case_id=case_id, client_ref=ref, assessment=view,
                previous_verdict=Verdict(previous.verdict) if previous else None,
                pack_changes=changes, new_revision=changed)
        raise registry_error("case-busy", f"case {case_id} kept changing while it was being "
                             "reassessed", hint="try again")

    def show(self, actor: Actor, case_id: str) -> CaseDetail:
        """Everything recorded about a case; the view itself is audited."""
        with self.store.write() as session:
            # Locked so that no re-assessment lands between the reads below (PostgreSQL).
            row = open_case(session, actor, case_id, Permission.view, lock=True)
            detail = load_detail(session, self.cipher, row)
            append_event(session, at=self.registry.now(), actor_id=actor.id,
                         action="case.view", case_id=case_id)
        return detail

    def find(self, actor: Actor, *, scope: str = "own", due_by: dt.date | None = None,
             status: CaseStatus | None = CaseStatus.open, limit: int = 100,
             offset: int = 0) -> list[CaseSummary]:
        """Cases the actor may see, newest first; with ``due_by``, those due by then."""
        if scope not in SCOPES:
            raise registry_error("invalid-input", f"scope {scope!r} is not allowed",
                                 path="scope", hint="allowed: " + ", ".join(SCOPES))
        with self.store.read() as session:
            user = current_user(session, actor)
            statement = (select(CaseRecord, User.username)
                         .join(User, User.id == CaseRecord.owner_id)
                         .where(visible_cases(user, scope)))
            if status is not None:
                statement = statement.where(CaseRecord.status == status.value)
            if due_by is not None:
                statement = statement.where(CaseRecord.review_due_on <= due_by).order_by(
                    CaseRecord.review_due_on, CaseRecord.id)
            else:
                statement = statement.order_by(CaseRecord.updated_at.desc(), CaseRecord.id)
            rows = session.execute(statement.limit(limit).offset(offset)).all()
            return [summary(self.cipher, row, owner) for row, owner in rows]

    def close(self, actor: Actor, case_id: str) -> CaseSummary:
        """Close a case: the relationship is over; no more re-assessment reminders."""
        return self._set_status(actor, case_id, CaseStatus.closed)

    def reopen(self, actor: Actor, case_id: str) -> CaseSummary:
        return self._set_status(actor, case_id, CaseStatus.open)

    def _set_status(self, actor: Actor, case_id: str, status: CaseStatus) -> CaseSummary:
        now = self.registry.now()
        with self.store.write() as session:
            row = open_case(session, actor, case_id, Permission.change, lock=True)
            if row.status == status.value:
                raise registry_error(f"case-already-{status.value}",
                                     f"case {case_id} is already {status.value}")
            row.status = status.value
            row.updated_at = now
            if status is CaseStatus.closed:
                row.closed_at, row.review_due_on, row.review_reason = now, None, None
            else:
                latest = session.get(AssessmentRecord, row.latest_assessment_id or "")
                row.closed_at = None
                row.review_due_on = latest.review_due_on if latest else None
                row.review_reason = latest.review_reason if latest else None
            action = "case.close" if status is CaseStatus.closed else "case.reopen"
            append_event(session, at=now, actor_id=actor.id, action=action, case_id=case_id,
                         records=[row])
            return summary(self.cipher, row, usernames(session, [row.owner_id])[row.owner_id])

    def history(self, actor: Actor, case_id: str) -> list[AuditEntry]:
        """The audit trail of one case: who did what, when (no content)."""
        with self.store.read() as session:
            open_case(session, actor, case_id, Permission.view)
            events = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id)
                                     .order_by(AuditEvent.seq)).all()
            names = usernames(session, [e.actor_id for e in events])
            return [AuditEntry(seq=e.seq, at=e.at, actor=names.get(e.actor_id or ""),
                               action=e.action, details=dict(e.details)) for e in events]


def _revision(session: Session, case_id: str, number: int) -> CaseRevision:
    return session.scalars(select(CaseRevision).where(CaseRevision.case_id == case_id,
                                                      CaseRevision.number == number)).one()


def _assessment_details(record: AssessmentRecord) -> dict[str, object]:
    return {"assessment": record.number, "verdict": record.verdict,
            "as_of": record.as_of.isoformat(), "engine": record.engine_version,
            "packs": [f"{p['id']}@{p['version']}" for p in record.packs]}
