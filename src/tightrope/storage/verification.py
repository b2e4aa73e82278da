"""``tightrope audit verify``: check the hash chain and every record against it.

The report names the first bad event and every other problem found, each with
a kind a test (or an auditor) can rely on:

- ``edited``: an event's content no longer matches its own hash;
- ``deleted``: an event that others link to is gone;
- ``reordered``: events stand in a different order from the one they were chained in;
- ``truncated``: events were removed from the end (the head points past the last one);
- ``anchor``: the chain does not contain a head recorded earlier outside the database;
- ``record-changed``, ``record-deleted``, ``record-added``: a row differs from, is
  missing from, or is unknown to the log;
- ``record-unreadable``: a sealed value fails authentication (altered or moved).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .audit import GENESIS, Head, digest, event_hash, read_head
from .crypto import FieldCipher
from .errors import StorageError
from .tables import RECORD_TABLES, SEALED_COLUMNS, AuditEvent

ProblemKind = Literal["edited", "deleted", "reordered", "truncated", "anchor", "record-changed",
                      "record-deleted", "record-added", "record-unreadable"]
BATCH = 5000


@dataclass(frozen=True)
class AuditProblem:
    kind: ProblemKind
    message: str
    seq: int | None = None
    table: str | None = None
    record_id: str | None = None


@dataclass
class VerificationReport:
    events: int = 0
    records: int = 0
    head: Head = field(default_factory=lambda: Head(0, GENESIS))
    problems: list[AuditProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> AuditProblem | None:
        return self.problems[0] if self.problems else None


@dataclass(frozen=True)
class _Link:
    seq: int
    action: str
    prev_hash: str
    hash: str


def verify(session: Session, cipher: FieldCipher | None = None, *,
           anchor: Head | None = None) -> VerificationReport:
    """Verify the chain, then every record (and, given a cipher, every sealed value)."""
    report = VerificationReport(head=read_head(session))
    latest: dict[tuple[str, str], tuple[str, int]] = {}
    links: list[_Link] = []
    chain: list[AuditProblem] = []
    for event in _events(session):
        report.events += 1
        stored = event.hash
        if event_hash(event) != stored:
            chain.append(AuditProblem(
                kind="edited",
                message=f"event #{event.seq} ({event.action}) was edited: its content no "
                "longer matches its hash", seq=event.seq))
        links.append(_Link(event.seq, event.action, event.prev_hash, stored))
        for entry in event.records or ():
            if isinstance(entry, dict):
                key = (str(entry.get("table")), str(entry.get("id")))
                latest[key] = (str(entry.get("digest")), event.seq)
    chain.extend(_check_links(links))
    chain.extend(_check_head(links, report.head))
    if anchor is not None:
        chain.extend(_check_anchor(links, anchor))
    report.problems.extend(sorted(chain, key=lambda problem: problem.seq or 0))
    report.problems.extend(_check_records(session, latest, cipher, report))
    return report


def _events(session: Session) -> Iterator[Any]:
    columns = [AuditEvent.seq, AuditEvent.id, AuditEvent.at, AuditEvent.actor_id,
               AuditEvent.action, AuditEvent.case_id, AuditEvent.records,
               AuditEvent.details, AuditEvent.prev_hash, AuditEvent.hash]
    result = session.execute(select(*columns).order_by(AuditEvent.seq),
                             execution_options={"yield_per": BATCH})
    yield from result


def _check_links(links: list[_Link]) -> list[AuditProblem]:
    problems: list[AuditProblem] = []
    position = {link.hash: index for index, link in enumerate(links)}
    involved: set[int] = set()
    for index, link in enumerate(links):
        expected = links[index - 1].hash if index else GENESIS
        before = links[index - 1].seq if index else 0
        gap = link.seq != before + 1
        if link.prev_hash == expected:
            if gap:
                problems.append(AuditProblem(
                    kind="deleted",
                    message=f"event numbers jump from #{before} to #{link.seq} although the "
                    "links hold: the log was rewritten", seq=link.seq))
            continue
        if link.prev_hash == GENESIS or link.prev_hash in position:
            origin = position.get(link.prev_hash, -1)
            if origin > index:
                partner = links[origin]
                involved.update((link.seq, partner.seq))
                problems.append(AuditProblem(
                    kind="reordered",
                    message=f"events #{link.seq} and #{partner.seq} are out of order: "
                    f"#{link.seq} ({link.action}) was recorded after #{partner.seq} "
                    f"({partner.action})", seq=link.seq))
            elif all(links[i].seq in involved for i in range(origin + 1, index)):
                continue  # explained by a reordering already reported
            else:
                moved = ", ".join(f"#{links[i].seq}" for i in range(max(origin + 1, 0), index))
                involved.add(link.seq)
                problems.append(AuditProblem(
                    kind="reordered",
                    message=f"event #{link.seq} ({link.action}) was chained right after "
                    f"{'the start' if origin < 0 else f'#{links[origin].seq}'}, but {moved} "
                    "now stand between them", seq=link.seq))
        elif gap:
            missing = f"#{before + 1}" if link.seq == before + 2 else \
                f"#{before + 1} to #{link.seq - 1}"
            problems.append(AuditProblem(
                kind="deleted",
                message=f"event {missing} was deleted: event #{link.seq} ({link.action}) "
                "links to an event that is no longer in the log", seq=before + 1))
        else:
            problems.append(AuditProblem(
                kind="deleted",
                message=f"the event before #{link.seq} ({link.action}) is not the one it was "
                "chained to: that event was deleted (and the rest renumbered) or replaced "
                "with a rewritten hash", seq=link.seq))
    return problems


def _check_head(links: list[_Link], head: Head) -> list[AuditProblem]:
    last = links[-1] if links else None
    if last is None and head.seq == 0:
        return []
    if last is not None and head.seq == last.seq and head.hash == last.hash:
        return []
    ends = f"#{last.seq}" if last else "nothing"
    if last is None or head.seq > last.seq:
        return [AuditProblem(
            kind="truncated", seq=(last.seq + 1) if last else 1,
            message=f"the log ends at {ends} but its head records #{head.seq}: events were "
                    "removed from the end")]
    return [AuditProblem(
        kind="truncated", seq=head.seq,
        message=f"the log ends at {ends} but its head records #{head.seq} with another hash: "
                "the end of the log was rewritten")]


def _check_anchor(links: list[_Link], anchor: Head) -> list[AuditProblem]:
    if anchor.seq == 0:
        return []
    for link in links:
        if link.seq == anchor.seq:
            if link.hash == anchor.hash:
                return []
            break
    return [AuditProblem(
        kind="anchor", seq=anchor.seq,
        message=f"the log no longer contains the head {anchor.render()} recorded earlier: "
                "events up to it were rewritten or removed")]


def _check_records(session: Session, latest: dict[tuple[str, str], tuple[str, int]],
                   cipher: FieldCipher | None, report: VerificationReport
                   ) -> list[AuditProblem]:
    problems: list[AuditProblem] = []
    for model in RECORD_TABLES:
        table = model.__table__
        name = str(model.__tablename__)
        sealed = SEALED_COLUMNS.get(name, ())
        result = session.execute(select(table), execution_options={"yield_per": BATCH})
        for row in result:
            values = dict(row._mapping)
            record_id = str(values["id"])
            report.records += 1
            expected = latest.pop((name, record_id), None)
            if expected is None:
                problems.append(AuditProblem(
                    kind="record-added",
                    message=f"{name} {record_id} is not in the audit log: it was "
                    "written outside Tightrope", table=name, record_id=record_id))
            elif digest(name, values) != expected[0]:
                problems.append(AuditProblem(
                    kind="record-changed",
                    message=f"{name} {record_id} was changed outside Tightrope: it no "
                    f"longer matches event #{expected[1]}", seq=expected[1], table=name,
                    record_id=record_id))
            if cipher is not None:
                for column in sealed:
                    value = values[column]
                    if value is None:
                        continue
                    try:
                        cipher.open(name, column, record_id, bytes(value))
                    except StorageError as exc:
                        problems.append(AuditProblem(
                            kind="record-unreadable",
                            message=f"{name} {record_id}: {exc.problems[0].message}",
                            table=name, record_id=record_id))
    for (name, record_id), (_, seq) in sorted(latest.items(), key=lambda item: item[1][1]):
        problems.append(AuditProblem(
            kind="record-deleted",
            message=f"{name} {record_id}, written by event #{seq}, is missing: it "
            "was deleted outside Tightrope", seq=seq, table=name, record_id=record_id))
    return problems
