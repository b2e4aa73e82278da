"""Safeguards on record: consultations sought, informed consent given, supervisor sign-off.

These are what a licensing board asks after "what did the tool say?": whom the
clinician consulted and what they advised, what the clinician decided and why,
what the client agreed to, and whether a supervisor reviewed it (DESIGN.md,
layer 4). Each is a new record, never an edit; free text is sealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from ..storage.audit import append_event
from ..storage.ids import new_id
from ..storage.tables import AssessmentRecord, Consent, Consultation, SignOff
from .access import Permission, open_case
from .errors import registry_error
from .inputs import ConsentInput, ConsultationInput, SignOffInput
from .views import ConsentView, ConsultationView, SignOffView
from .vocabulary import ConsentMethod, ConsultantRole, Decision, SignOffOutcome

if TYPE_CHECKING:
    from .actors import Actor
    from .service import Registry


class Safeguards:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.store = registry.store
        self.cipher = registry.store.cipher

    def _seal(self, table: str, column: str, record_id: str, text: str | None) -> bytes | None:
        return None if text is None else self.cipher.seal(table, column, record_id, text)

    def consult(self, actor: Actor, case_id: str, entry: ConsultationInput) -> ConsultationView:
        """Record a consultation: by the clinician, or by their supervisor giving advice."""
        now = self.registry.now()
        record_id = new_id()
        with self.store.write() as session:
            open_case(session, actor, case_id, Permission.consult, lock=True)
            record = Consultation(
                id=record_id, case_id=case_id, recorded_by=actor.id, created_at=now,
                consulted_on=entry.consulted_on, consultant_role=entry.consultant_role.value,
                consultant=self.cipher.seal("consultations", "consultant", record_id,
                                            entry.consultant),
                advice=self.cipher.seal("consultations", "advice", record_id, entry.advice),
                decision=entry.decision.value if entry.decision else None,
                rationale=self._seal("consultations", "rationale", record_id, entry.rationale))
            session.add(record)
            append_event(session, at=now, actor_id=actor.id, action="consultation.record",
                         case_id=case_id, records=[record],
                         details={"consultant_role": record.consultant_role,
                                  "decision": record.decision})
        return ConsultationView(
            id=record_id, recorded_by=actor.username, created_at=now,
            consulted_on=entry.consulted_on, consultant_role=ConsultantRole(
                entry.consultant_role), consultant=entry.consultant, advice=entry.advice,
            decision=Decision(entry.decision) if entry.decision else None,
            rationale=entry.rationale)

    def consent(self, actor: Actor, case_id: str, entry: ConsentInput) -> ConsentView:
        """Record the client's informed consent (only the clinician who keeps the case)."""
        now = self.registry.now()
        record_id = new_id()
        with self.store.write() as session:
            open_case(session, actor, case_id, Permission.change, lock=True)
            record = Consent(id=record_id, case_id=case_id, recorded_by=actor.id,
                             created_at=now, given_on=entry.given_on, method=entry.method.value,
                             note=self._seal("consents", "note", record_id, entry.note))
            session.add(record)
            append_event(session, at=now, actor_id=actor.id, action="consent.record",
                         case_id=case_id, records=[record], details={"method": record.method})
        return ConsentView(id=record_id, recorded_by=actor.username, created_at=now,
                           given_on=entry.given_on, method=ConsentMethod(entry.method),
                           note=entry.note)

    def sign_off(self, actor: Actor, case_id: str, entry: SignOffInput) -> SignOffView:
        """A supervisor's review of an assessment (the latest unless one is named)."""
        now = self.registry.now()
        record_id = new_id()
        with self.store.write() as session:
            case = open_case(session, actor, case_id, Permission.sign_off, lock=True)
            number = entry.assessment or case.assessments
            assessment = session.scalars(select(AssessmentRecord).where(
                AssessmentRecord.case_id == case_id,
                AssessmentRecord.number == number)).one_or_none()
            if assessment is None:
                raise registry_error("assessment-not-found", f"case {case_id} has no "
                                     f"assessment {number}", path="assessment",
                                     hint=f"its assessments are numbered 1 to "
                                     f"{case.assessments}")
            record = SignOff(id=record_id, case_id=case_id, assessment_id=assessment.id,
                             supervisor_id=actor.id, created_at=now,
                             outcome=entry.outcome.value,
                             comment=self._seal("sign_offs", "comment", record_id,
                                                entry.comment))
            session.add(record)
            append_event(session, at=now, actor_id=actor.id, action="case.sign_off",
                         case_id=case_id, records=[record],
                         details={"assessment": number, "outcome": record.outcome})
        return SignOffView(id=record_id, assessment=number, supervisor=actor.username,
                           created_at=now, outcome=SignOffOutcome(entry.outcome),
                           comment=entry.comment)
