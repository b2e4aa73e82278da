"""Reading stored records back into views: opening sealed values, naming users.

A stored assessment is shown exactly as it was stored (the JSON the engine gave
then, with its pack pins); nothing here runs the engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.assessment import Assessment
from ..core.case import Case
from ..core.case_loading import case_from_data
from ..core.vocabulary import Verdict
from ..storage.crypto import FieldCipher
from ..storage.tables import (
    AssessmentRecord,
    CaseRecord,
    CaseRevision,
    Consent,
    Consultation,
    Record,
    SignOff,
    User,
)
from .views import (
    AssessmentView,
    CaseDetail,
    CaseSummary,
    ConsentView,
    ConsultationView,
    PackPin,
    RevisionView,
    SignOffView,
)
from .vocabulary import (
    CaseStatus,
    ConsentMethod,
    ConsultantRole,
    Decision,
    ReviewReason,
    SignOffOutcome,
)


def usernames(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


def unseal(cipher: FieldCipher, row: Record, column: str) -> str | None:
    value = getattr(row, column)
    if value is None:
        return None
    return cipher.open(str(row.__tablename__), column, row.id, bytes(value))


def sealed(cipher: FieldCipher, row: Record, column: str) -> str:
    text = unseal(cipher, row, column)
    if text is None:
        raise ValueError(f"{row.__tablename__}.{column} of {row.id} is empty")
    return text


def summary(cipher: FieldCipher, row: CaseRecord, owner: str) -> CaseSummary:
    return CaseSummary(
        id=row.id, client_ref=sealed(cipher, row, "client_ref"), owner=owner,
        status=CaseStatus(row.status), created_at=row.created_at, updated_at=row.updated_at,
        closed_at=row.closed_at, revisions=row.revisions, assessments=row.assessments,
        latest_verdict=Verdict(row.latest_verdict) if row.latest_verdict else None,
        latest_until=row.latest_until, review_due_on=row.review_due_on,
        review_reason=ReviewReason(row.review_reason) if row.review_reason else None)


def case_facts(cipher: FieldCipher, revision: CaseRevision) -> Case:
    data = json.loads(sealed(cipher, revision, "facts"))
    return case_from_data(data, source=f"case revision {revision.number}")


def pack_pins(packs: list[object]) -> tuple[PackPin, ...]:
    return tuple(PackPin.model_validate(pin) for pin in packs)


def assessment_view(row: AssessmentRecord, revision: int, actor: str,
                    result: Assessment) -> AssessmentView:
    return AssessmentView(
        id=row.id, number=row.number, revision=revision, created_at=row.created_at,
        actor=actor, as_of=row.as_of, verdict=Verdict(row.verdict), until=row.until,
        engine_version=row.engine_version, packs=pack_pins(row.packs),
        review_due_on=row.review_due_on,
        review_reason=ReviewReason(row.review_reason) if row.review_reason else None,
        result=result)


def stored_result(cipher: FieldCipher, row: AssessmentRecord) -> Assessment:
    """The assessment exactly as stored (never re-run)."""
    return Assessment.model_validate_json(sealed(cipher, row, "result"))


def load_detail(session: Session, cipher: FieldCipher, case: CaseRecord) -> CaseDetail:
    """Everything recorded about one case, oldest first, sealed values opened."""
    revisions = session.scalars(select(CaseRevision).where(CaseRevision.case_id == case.id)
                                .order_by(CaseRevision.number)).all()
    assessments = session.scalars(select(AssessmentRecord)
                                  .where(AssessmentRecord.case_id == case.id)
                                  .order_by(AssessmentRecord.number)).all()
    consultations = session.scalars(select(Consultation).where(Consultation.case_id == case.id)
                                    .order_by(Consultation.created_at)).all()
    consents = session.scalars(select(Consent).where(Consent.case_id == case.id)
                               .order_by(Consent.created_at)).all()
    sign_offs = session.scalars(select(SignOff).where(SignOff.case_id == case.id)
                                .order_by(SignOff.created_at)).all()
    names = usernames(session, [case.owner_id, *(r.author_id for r in revisions),
                                *(a.actor_id for a in assessments),
                                *(c.recorded_by for c in consultations),
                                *(c.recorded_by for c in consents),
                                *(s.supervisor_id for s in sign_offs)])
    revision_numbers = {r.id: r.number for r in revisions}
    assessment_numbers = {a.id: a.number for a in assessments}
    return CaseDetail(
        summary=summary(cipher, case, names[case.owner_id]),
        revisions=tuple(RevisionView(
            id=r.id, number=r.number, created_at=r.created_at, author=names[r.author_id],
            case=case_facts(cipher, r), note=unseal(cipher, r, "note")) for r in revisions),
        assessments=tuple(assessment_view(a, revision_numbers[a.revision_id],
                                          names[a.actor_id], stored_result(cipher, a))
                          for a in assessments),
        consultations=tuple(ConsultationView(
            id=c.id, recorded_by=names[c.recorded_by], created_at=c.created_at,
            consulted_on=c.consulted_on, consultant_role=ConsultantRole(c.consultant_role),
            consultant=sealed(cipher, c, "consultant"), advice=sealed(cipher, c, "advice"),
            decision=Decision(c.decision) if c.decision else None,
            rationale=unseal(cipher, c, "rationale")) for c in consultations),
        consents=tuple(ConsentView(
            id=c.id, recorded_by=names[c.recorded_by], created_at=c.created_at,
            given_on=c.given_on, method=ConsentMethod(c.method),
            note=unseal(cipher, c, "note")) for c in consents),
        sign_offs=tuple(SignOffView(
            id=s.id, assessment=assessment_numbers[s.assessment_id],
            supervisor=names[s.supervisor_id], created_at=s.created_at,
            outcome=SignOffOutcome(s.outcome), comment=unseal(cipher, s, "comment"))
            for s in sign_offs),
    )
