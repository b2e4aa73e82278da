"""Key rotation: re-seal every sealed value with the active key, in small batches.

Each batch is its own transaction, so a rotation can be interrupted and run
again (it skips values already under the active key) and never holds the
database for long. Re-sealing changes no digest (sealed columns count by
presence, see :mod:`audit`), so the audit chain is untouched but for one
``keys.rotate`` event that records the key ids and counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select, update

from .audit import append_event
from .store import Store
from .tables import RECORD_TABLES, SEALED_COLUMNS, Record

BATCH = 500


def _models() -> dict[str, type[Record]]:
    return {str(model.__tablename__): model for model in RECORD_TABLES}


@dataclass
class RotationReport:
    active: str
    resealed: dict[str, int] = field(default_factory=dict)
    keys_in_use: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.resealed.values())


def reseal_all(store: Store, *, at: dt.datetime, actor_id: str | None = None,
               batch: int = BATCH) -> RotationReport:
    cipher = store.cipher
    active = cipher.keyring.active_id
    report = RotationReport(active=active)
    for table, columns in SEALED_COLUMNS.items():
        model = _models()[table]
        last = ""
        count = 0
        while True:
            with store.write() as session:
                selected = [model.__table__.c[name] for name in columns]
                rows = session.execute(
                    select(model.id, *selected).where(model.id > last)
                    .order_by(model.id).limit(batch)).all()
                if not rows:
                    break
                changes = []
                for row in rows:
                    change: dict[str, object] = {}
                    for index, name in enumerate(columns, start=1):
                        value = row[index]
                        if value is not None and cipher.key_id_of(bytes(value)) != active:
                            text = cipher.open(table, name, row[0], bytes(value))
                            change[name] = cipher.seal(table, name, row[0], text)
                    if change:
                        changes.append({"id": row[0], **change})
                if changes:
                    session.execute(update(model), changes)
                count += sum(len(change) - 1 for change in changes)  # values, not rows
                last = rows[-1][0]
        report.resealed[table] = count
    report.keys_in_use = keys_in_use(store)
    with store.write() as session:
        append_event(session, at=at, actor_id=actor_id, action="keys.rotate",
                     details={"active": active, "resealed": report.total,
                              "keys_in_use": sorted(report.keys_in_use)})
    return report


def keys_in_use(store: Store) -> dict[str, int]:
    """How many sealed values each key id holds, across the registry."""
    counts: dict[str, int] = {}
    with store.read() as session:
        for table, columns in SEALED_COLUMNS.items():
            model = _models()[table]
            for name in columns:
                column = model.__table__.c[name]
                prefix = func.substr(column, 2, 4)
                for key_bytes, number in session.execute(
                        select(prefix, func.count()).where(column.is_not(None))
                        .group_by(prefix)):
                    key_id = bytes(key_bytes).hex()
                    counts[key_id] = counts.get(key_id, 0) + int(number)
    return counts
