"""The audit log: append-only and hash-chained.

Each event stores the hash of the event before it (``prev_hash``) and its own
SHA-256 over a canonical JSON of its fields (sorted keys, no spaces, UTF-8).
Editing an event changes its hash; deleting or reordering events breaks the
links; removing events from the end leaves the head (one row kept in the same
transaction) pointing past the last event. Anyone can check the chain with
SHA-256 alone, without Tightrope's keys.

Each event that changes records lists them with a digest of their plain
columns (sealed columns count by presence: their content is authenticated by
AES-GCM instead, so no hash of private text is ever stored). ``audit verify``
recomputes those digests, which is how a row edited behind Tightrope's back is
found. Events carry ids, actions and counts, never client details.

The event is written in the same transaction as the change it describes, as
the last statement before the commit, holding the head row's lock (PostgreSQL)
or the database write lock (SQLite), so concurrent writers never fork the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from .ids import new_id
from .tables import SEALED_COLUMNS, AuditEvent, AuditHead, Record

GENESIS = "0" * 64
HEAD_ID = 1


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")


def timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def column_values(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A record's columns as plain values; sealed columns only say whether they are set."""
    sealed = SEALED_COLUMNS.get(table, ())
    plain: dict[str, Any] = {}
    for name, value in values.items():
        if name in sealed:
            value = None if value is None else "sealed"
        elif isinstance(value, dt.datetime):
            value = timestamp(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        plain[name] = value
    return plain


def digest(table: str, values: Mapping[str, Any]) -> str:
    """The digest of one record as an event lists it (see the module docstring)."""
    return hashlib.sha256(canonical_json({"table": table,
                                          "values": column_values(table, values)})).hexdigest()


def row_digest(row: Record) -> str:
    values = {attribute.key: getattr(row, attribute.key)
              for attribute in inspect(row).mapper.column_attrs}
    return digest(str(row.__tablename__), values)


def record_entry(row: Record) -> dict[str, str]:
    """How an event names a record it wrote: table, id and digest."""
    return {"table": str(row.__tablename__), "id": row.id, "digest": row_digest(row)}


class EventFields(Protocol):
    id: str
    at: dt.datetime
    actor_id: str | None
    action: str
    case_id: str | None
    records: list[Any]
    details: dict[str, Any]
    prev_hash: str


def event_body(event: EventFields) -> dict[str, Any]:
    """The hashed fields of an event. ``seq`` is left out: order is held by the links."""
    return {"id": event.id, "at": timestamp(event.at), "actor": event.actor_id,
            "action": event.action, "case": event.case_id, "records": event.records,
            "details": event.details, "prev": event.prev_hash}


def event_hash(event: EventFields) -> str:
    return hashlib.sha256(canonical_json(event_body(event))).hexdigest()


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str

    def render(self) -> str:
        return f"{self.seq}:{self.hash}"


def append_event(session: Session, *, at: dt.datetime, actor_id: str | None, action: str,
                 case_id: str | None = None, records: Iterable[Record] = (),
                 details: Mapping[str, Any] | None = None) -> AuditEvent:
    """Chain one event onto the log inside the caller's transaction."""
    session.flush()  # the records' final values are what the digests cover
    head = session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).scalar_one()
    event = AuditEvent(seq=head.seq + 1, id=new_id(), at=at, actor_id=actor_id, action=action,
                       case_id=case_id, records=[record_entry(row) for row in records],
                       details=dict(details or {}), prev_hash=head.hash, hash="")
    event.hash = event_hash(event)
    session.add(event)
    head.seq, head.hash = event.seq, event.hash
    session.flush()
    return event


def read_head(session: Session) -> Head:
    head = session.get(AuditHead, HEAD_ID)
    if head is None:
        return Head(0, GENESIS)
    return Head(head.seq, head.hash)
