"""`keys rotate`: every sealed value re-encrypted with the new key; nothing else changes."""

from __future__ import annotations

from tests.backends import NOW, Backend
from tests.factories import make_case
from tightrope.registry.actors import Actor
from tightrope.registry.inputs import ConsultationInput
from tightrope.registry.service import Registry
from tightrope.storage.crypto import Keyring, generate_key, key_id_for
from tightrope.storage.rotation import keys_in_use, reseal_all
from tightrope.storage.store import Store
from tightrope.storage.verification import verify


def test_rotation_reseals_everything_and_keeps_the_audit_chain_valid(
        backend: Backend, registry: Registry, clinician: Actor) -> None:
    case_id = registry.cases.create(clinician, make_case(other__details="kept text"),
                                    "R1", note="a note").case_id
    registry.safeguards.consult(clinician, case_id, ConsultationInput(
        consultant="a colleague", consultant_role="colleague", consulted_on="2026-11-20",
        advice="wait", rationale="the period has not passed"))
    before = registry.cases.show(clinician, case_id)
    old_id = key_id_for(backend.key)
    assert set(keys_in_use(registry.store)) == {old_id}

    new_key = generate_key()
    rotated = Store(registry.store.engine, Keyring.of(new_key, backend.key))
    report = reseal_all(rotated, at=NOW, batch=2)  # small batches: several transactions
    assert report.total == 1 + 2 + 1 + 3  # client ref; facts and note; result; consultation
    assert report.keys_in_use == {key_id_for(new_key): report.total}
    again = reseal_all(rotated, at=NOW)
    assert again.total == 0  # idempotent: an interrupted rotation can simply run again

    only_new = Store(registry.store.engine, Keyring.of(new_key))
    after = Registry(only_new, clock=lambda: NOW).cases.show(clinician, case_id)
    assert after.revisions == before.revisions
    assert after.consultations == before.consultations
    assert after.assessments == before.assessments
    with only_new.read() as session:
        result = verify(session, only_new.cipher)
    assert result.ok, result.problems
    assert result.events == 1 + 1 + 1 + 1 + 2 + 1  # account, case, consult, view, 2 rotations, view
