"""Authorization, decided once in registry/access.py, for every role."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from tests.factories import make_case
from tests.registry.conftest import People
from tightrope.registry.actors import Actor
from tightrope.registry.errors import AccessError
from tightrope.registry.inputs import ConsentInput, ConsultationInput, SignOffInput
from tightrope.registry.service import Registry

ADVICE = ConsultationInput(consultant="Dr Sup", consultant_role="supervisor",
                           consulted_on="2026-11-25", advice="wait the full period")


@pytest.fixture
def alices_case(registry: Registry, people: People) -> str:
    return registry.cases.create(people.alice, make_case(), "A1").case_id


def denied(action: Callable[[], Any]) -> AccessError:
    with pytest.raises(AccessError) as caught:
        action()
    return caught.value


def test_a_clinician_cannot_tell_anothers_case_from_one_that_does_not_exist(
        registry: Registry, people: People, alices_case: str) -> None:
    actions: list[Callable[[str], Any]] = [
        lambda case_id: registry.cases.show(people.bob, case_id),
        lambda case_id: registry.cases.reassess(people.bob, case_id),
        lambda case_id: registry.cases.history(people.bob, case_id),
        lambda case_id: registry.safeguards.consult(people.bob, case_id, ADVICE),
        lambda case_id: registry.exchange.export(people.bob, [case_id])]
    for case_id in (alices_case, "doesnotexist00"):
        for action in actions:
            error = denied(partial(action, case_id))
            assert error.code == "case-not-found"
            assert str(error) == (f"there is no case {case_id!r} that you can open (check "
                                  "the id with `tightrope cases list`)")
    assert registry.cases.find(people.bob) == []


def test_a_supervisor_sees_consults_and_signs_off_but_never_changes_the_facts(
        registry: Registry, people: People, alices_case: str) -> None:
    sup = people.supervisor
    assert registry.cases.show(sup, alices_case).summary.owner == "alice"
    assert [c.id for c in registry.cases.find(sup, scope="supervisees")] == [alices_case]
    assert registry.cases.find(sup) == []  # her own cases: none
    registry.safeguards.consult(sup, alices_case, ADVICE)
    registry.safeguards.sign_off(sup, alices_case, SignOffInput(outcome="approved"))
    for action in (lambda: registry.cases.reassess(sup, alices_case),
                   lambda: registry.cases.close(sup, alices_case),
                   lambda: registry.safeguards.consent(sup, alices_case, ConsentInput(
                       given_on="2026-11-25", method="written"))):
        error = denied(action)
        assert error.code == "not-allowed"
        assert "only the clinician who keeps this case" in str(error)


def test_nobody_signs_off_their_own_case(registry: Registry, people: People,
                                         alices_case: str) -> None:
    error = denied(lambda: registry.safeguards.sign_off(people.alice, alices_case,
                                                        SignOffInput(outcome="approved")))
    assert error.code == "not-allowed" and "supervisor" in str(error)


def test_a_supervisor_of_someone_else_sees_nothing(registry: Registry, people: People) -> None:
    bobs = registry.cases.create(people.bob, make_case(), "B1").case_id
    assert denied(lambda: registry.cases.show(people.supervisor, bobs)).code == \
        "case-not-found"


def test_an_admin_manages_accounts_but_sees_no_case_content(
        registry: Registry, people: People, alices_case: str) -> None:
    admin = people.admin
    assert denied(lambda: registry.cases.show(admin, alices_case)).code == "case-not-found"
    assert registry.cases.find(admin, scope="all") == []
    assert denied(lambda: registry.cases.create(admin, make_case(), "X1")).code == \
        "not-allowed"
    assert {u.username for u in registry.accounts.list_users(admin)} == {
        "alice", "bob", "boss", "sup"}


def test_an_admin_who_is_also_a_supervisor_sees_their_supervisees_cases(
        registry: Registry, people: People, alices_case: str) -> None:
    registry.accounts.set_supervisor(people.admin, "alice", "boss")
    assert registry.cases.show(people.admin, alices_case).summary.id == alices_case
    assert denied(lambda: registry.cases.show(people.supervisor, alices_case)).code == \
        "case-not-found"  # no longer hers


def test_a_disabled_account_can_do_nothing(registry: Registry, people: People,
                                           alices_case: str) -> None:
    registry.accounts.disable_user(people.admin, "alice")
    for action in (lambda: registry.cases.show(people.alice, alices_case),
                   lambda: registry.cases.find(people.alice),
                   lambda: registry.cases.create(people.alice, make_case(), "A2"),
                   lambda: registry.accounts.local_actor("alice")):
        assert denied(action).code == "account-disabled"
    registry.accounts.enable_user(people.admin, "alice")
    assert registry.cases.show(people.alice, alices_case).summary.id == alices_case


def test_only_an_admin_manages_accounts(registry: Registry, people: People) -> None:
    for action in (lambda: registry.accounts.list_users(people.supervisor),
                   lambda: registry.accounts.create_user(people.alice, "eve"),
                   lambda: registry.accounts.disable_user(people.supervisor, "bob"),
                   lambda: registry.accounts.set_supervisor(people.alice, "alice", None),
                   lambda: registry.accounts.set_password(people.bob, "alice",
                                                          "correct horse battery")):
        error = denied(action)
        assert error.code == "not-allowed" and "only an admin" in str(error)


def test_denials_change_nothing_and_leave_the_audit_chain_valid(
        registry: Registry, people: People, alices_case: str, clinician: Actor) -> None:
    from tightrope.storage.verification import verify

    with registry.store.read() as session:
        before = verify(session).head
    denied(lambda: registry.cases.reassess(people.bob, alices_case))
    denied(lambda: registry.cases.reassess(people.supervisor, alices_case))
    with registry.store.read() as session:
        after = verify(session, registry.store.cipher)
    assert after.ok and after.head == before
