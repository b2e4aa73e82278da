"""The registry's tables (SQLAlchemy 2 typed models). Storage models only.

Free text lives only in ``LargeBinary`` columns holding values sealed by
:mod:`crypto` (listed in :data:`SEALED_COLUMNS`); everything else is the few
plain facts needed to list cases and find those due, and the pins that prove
which engine and packs produced an assessment. Nothing is updated in place
except the case's own summary columns; a changed case is a new revision, a
re-assessment a new assessment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .columns import UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(16)
HASH = String(64)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime(), dt.date: Date(), bytes: LargeBinary(),
        dict[str, Any]: JSON(), list[Any]: JSON(),
    }


class Record(Base):
    """A table whose rows are audited records with an opaque string id."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(ID, primary_key=True)


class User(Record):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('clinician', 'supervisor', 'admin')", "role"),)

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    supervisor_id: Mapped[str | None] = mapped_column(ID, ForeignKey("users.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime]


class CaseRecord(Record):
    """A case: who owns it, its sealed client reference, and a summary for lists."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", "status"),
        Index("ix_cases_owner_updated", "owner_id", "updated_at"),
        Index("ix_cases_owner_review", "owner_id", "review_due_on"),
        Index("ix_cases_review", "review_due_on"),
    )

    owner_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"))
    client_ref: Mapped[bytes]  # sealed
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    closed_at: Mapped[dt.datetime | None]
    revisions: Mapped[int] = mapped_column(Integer)
    assessments: Mapped[int] = mapped_column(Integer)
    latest_assessment_id: Mapped[str | None] = mapped_column(ID)
    latest_verdict: Mapped[str | None] = mapped_column(String(32))
    latest_until: Mapped[dt.date | None]
    review_due_on: Mapped[dt.date | None]
    review_reason: Mapped[str | None] = mapped_column(String(32))


class CaseRevision(Record):
    """One version of the case facts (format 1), sealed; never changed once written."""

    __tablename__ = "case_revisions"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("cases.id"))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    author_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"))
    facts: Mapped[bytes]  # sealed case JSON
    note: Mapped[bytes | None]  # sealed


class AssessmentRecord(Record):
    """What the tool said, exactly: the stored result and the engine and packs it came from."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("cases.id"))
    number: Mapped[int] = mapped_column(Integer)
    revision_id: Mapped[str] = mapped_column(ID, ForeignKey("case_revisions.id"), index=True)
    created_at: Mapped[dt.datetime]
    actor_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"))
    as_of: Mapped[dt.date]
    verdict: Mapped[str] = mapped_column(String(32))
    until: Mapped[dt.date | None]
    engine_version: Mapped[str] = mapped_column(String(32))
    packs: Mapped[list[Any]]  # [{"id", "version", "sha256"}]
    result: Mapped[bytes]  # sealed Assessment JSON
    review_due_on: Mapped[dt.date | None]
    review_reason: Mapped[str | None] = mapped_column(String(32))


class Consultation(Record):
    """A consultation sought: with whom, when, what was advised, what was decided and why."""

    __tablename__ = "consultations"

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("cases.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(ID, ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]
    consulted_on: Mapped[dt.date]
    consultant_role: Mapped[str] = mapped_column(String(32))
    consultant: Mapped[bytes]  # sealed: with whom
    advice: Mapped[bytes]  # sealed
    decision: Mapped[str | None] = mapped_column(String(32))
    rationale: Mapped[bytes | None]  # sealed


class Consent(Record):
    """Informed consent the client gave to the second relationship and its safeguards."""

    __tablename__ = "consents"

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("cases.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(ID, ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]
    given_on: Mapped[dt.date]
    method: Mapped[str] = mapped_column(String(16))
    note: Mapped[bytes | None]  # sealed


class SignOff(Record):
    """A supervisor's review of one assessment: approved, or changes requested."""

    __tablename__ = "sign_offs"

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("cases.id"), index=True)
    assessment_id: Mapped[str] = mapped_column(ID, ForeignKey("assessments.id"))
    supervisor_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]
    outcome: Mapped[str] = mapped_column(String(32))
    comment: Mapped[bytes | None]  # sealed


class AuditEvent(Base):
    """One link of the hash chain (see :mod:`audit`). Never updated, never deleted."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(ID, unique=True)
    at: Mapped[dt.datetime]
    actor_id: Mapped[str | None] = mapped_column(ID)
    action: Mapped[str] = mapped_column(String(48))
    case_id: Mapped[str | None] = mapped_column(ID, index=True)
    records: Mapped[list[Any]]
    details: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(HASH)
    hash: Mapped[str] = mapped_column(HASH)


class AuditHead(Base):
    """The last link of the chain, so that events removed from the end are noticed."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", "single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(HASH)


SEALED_COLUMNS: dict[str, tuple[str, ...]] = {
    "cases": ("client_ref",),
    "case_revisions": ("facts", "note"),
    "assessments": ("result",),
    "consultations": ("consultant", "advice", "rationale"),
    "consents": ("note",),
    "sign_offs": ("comment",),
}

RECORD_TABLES: tuple[type[Record], ...] = (User, CaseRecord, CaseRevision, AssessmentRecord,
                                         Consultation, Consent, SignOff)
