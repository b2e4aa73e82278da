"""The audit chain: every change is chained; tampering behind the tool's back is found."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest
from sqlalchemy import text

from tests.factories import make_case
from tightrope.registry.actors import Actor
from tightrope.registry.inputs import ConsultationInput
from tightrope.registry.service import Registry
from tightrope.storage.audit import GENESIS, Head, event_hash
from tightrope.storage.store import Store
from tightrope.storage.tables import AuditEvent
from tightrope.storage.verification import VerificationReport, verify


def check(store: Store, anchor: Head | None = None) -> VerificationReport:
    with store.read() as session:
        return verify(session, store.cipher, anchor=anchor)


def sql(store: Store, statement: str, **params: object) -> None:
    with store.engine.begin() as connection:
        connection.execute(text(statement), params)


@pytest.fixture
def populated(registry: Registry, clinician: Actor) -> list[str]:
    """Three cases, a consultation and a view: events #1 (account) to #6."""
    ids = [registry.cases.create(clinician, make_case(), ref).case_id
           for ref in ("J.D.", "C-2", "C-3")]
    registry.safeguards.consult(clinician, ids[0], ConsultationInput(
        consultant="a colleague", consultant_role="colleague", consulted_on="2026-11-20",
        advice="decline and document"))
    registry.cases.show(clinician, ids[1])
    return ids


def test_each_event_links_to_the_one_before_and_hashes_its_own_fields(
        store: Store, populated: list[str]) -> None:
    with store.read() as session:
        events = session.query(AuditEvent).order_by(AuditEvent.seq).all()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    assert events[0].prev_hash == GENESIS
    for before, after in pairwise(events):
        assert after.prev_hash == before.hash
    assert all(event_hash(e) == e.hash for e in events)
    assert [e.action for e in events] == ["user.create", "case.create", "case.create",
                                          "case.create", "consultation.record", "case.view"]
    report = check(store)
    assert report.ok, report.problems
    assert report.events == 6 and report.records == 1 + 3 * 3 + 1
    assert report.head == Head(6, events[-1].hash)


def test_events_carry_ids_and_counts_never_client_details(store: Store,
                                                          populated: list[str]) -> None:
    with store.read() as session:
        dumped = " ".join(str((e.details, e.records)) for e in session.query(AuditEvent))
    for private in ("J.D.", "C-2", "a colleague", "decline and document"):
        assert private not in dumped


Tamper = Callable[[Store, list[str]], None]


def _edit_case_row(store: Store, ids: list[str]) -> None:
    sql(store, "UPDATE cases SET latest_verdict = 'acceptable' WHERE id = :id", id=ids[0])


def _edit_assessment_pins(store: Store, ids: list[str]) -> None:
    sql(store, "UPDATE assessments SET engine_version = '9.9.9' WHERE case_id = :id", id=ids[1])


def _swap_sealed_values(store: Store, ids: list[str]) -> None:
    # Give case 0 the sealed client reference of case 1: both authenticate only in place.
    sql(store, "UPDATE cases SET client_ref = (SELECT client_ref FROM cases WHERE id = :b) "
        "WHERE id = :a", a=ids[0], b=ids[1])


def _delete_consultation(store: Store, ids: list[str]) -> None:
    sql(store, "DELETE FROM consultations")


@pytest.mark.parametrize(("tamper", "kind", "where", "says"), [
    (_edit_case_row, "record-changed", "cases", "was changed outside Tightrope"),
    (_edit_assessment_pins, "record-changed", "assessments", "was changed outside Tightrope"),
    (_swap_sealed_values, "record-unreadable", "cases", "cannot be authenticated"),
    (_delete_consultation, "record-deleted", "consultations", "was deleted outside Tightrope"),
])
def test_a_record_changed_behind_the_tools_back_is_found(
        store: Store, populated: list[str], tamper: Tamper, kind: str, where: str,
        says: str) -> None:
    tamper(store, populated)
    report = check(store)
    assert [(p.kind, p.table) for p in report.problems] == [(kind, where)], report.problems
    assert report.problems[0].message.startswith(f"{where} ")
    assert says in report.problems[0].message


def test_a_record_added_behind_the_tools_back_is_found(store: Store, populated: list[str],
                                                        clinician: Actor) -> None:
    sql(store, "INSERT INTO consents (id, case_id, recorded_by, created_at, given_on, method) "
        "VALUES ('forged', :case, :user, '2026-11-26 10:00:00', '2026-11-26', 'written')",
        case=populated[0], user=clinician.id)
    report = check(store)
    assert [(p.kind, p.record_id) for p in report.problems] == [("record-added", "forged")]


def test_an_edited_event_is_named(store: Store, populated: list[str]) -> None:
    sql(store, "UPDATE audit_events SET action = 'case.reassess' WHERE seq = 3")
    report = check(store)
    assert report.first is not None
    assert (report.first.kind, report.first.seq) == ("edited", 3)
    assert "event #3" in report.first.message and "edited" in report.first.message


def test_a_deleted_event_is_named(store: Store, populated: list[str]) -> None:
    sql(store, "DELETE FROM audit_events WHERE seq = 5")
    report = check(store)
    assert report.first is not None
    assert (report.first.kind, report.first.seq) == ("deleted", 5)
    assert "event #5 was deleted" in report.first.message
    # The consultation that event recorded now has no event either.
    assert any(p.kind == "record-added" and p.table == "consultations" for p in report.problems)


def test_swapped_events_are_reported_as_reordered_once(store: Store,
                                                       populated: list[str]) -> None:
    sql(store, "UPDATE audit_events SET seq = -3 WHERE seq = 3")
    sql(store, "UPDATE audit_events SET seq = 3 WHERE seq = 4")
    sql(store, "UPDATE audit_events SET seq = 4 WHERE seq = -3")
    report = check(store)
    assert [p.kind for p in report.problems] == ["reordered"], report.problems
    assert "events #3 and #4 are out of order" in report.problems[0].message


def test_events_removed_from_the_end_are_found(store: Store, populated: list[str]) -> None:
    sql(store, "DELETE FROM audit_events WHERE seq = 6")
    report = check(store)
    assert [p.kind for p in report.problems] == ["truncated"]
    assert "ends at #5 but its head records #6" in report.problems[0].message


def test_a_rewritten_tail_is_caught_by_an_anchor_noted_elsewhere(
        store: Store, populated: list[str]) -> None:
    anchor = check(store).head
    # A careful forger deletes the last event and moves the head back to match.
    sql(store, "DELETE FROM audit_events WHERE seq = 6")
    with store.read() as session:
        previous = session.get(AuditEvent, 5)
        assert previous is not None
        last_hash = previous.hash
    sql(store, "UPDATE audit_head SET seq = 5, hash = :hash", hash=last_hash)
    assert check(store).ok  # nothing inside the database can tell...
    report = check(store, anchor=anchor)  # ...but the anchor can
    assert [p.kind for p in report.problems] == ["anchor"]
