"""Accounts: the local CLI user, the first admin, passwords, supervisors."""

from __future__ import annotations

import pytest

from tests.registry.conftest import People
from tightrope.registry.errors import AccessError, RegistryError
from tightrope.registry.service import Registry
from tightrope.registry.vocabulary import Role

PASSWORD = "correct horse battery staple"


def test_the_local_user_is_created_once_as_a_clinician(registry: Registry) -> None:
    first = registry.accounts.local_actor("carol")
    assert first.role is Role.clinician
    assert registry.accounts.local_actor("carol") == first
    with pytest.raises(RegistryError) as caught:
        registry.accounts.local_actor("dave", create=False)  # production: must exist
    assert caught.value.code == "user-not-found"
    with pytest.raises(RegistryError) as caught:
        registry.accounts.local_actor("no spaces")
    assert caught.value.code == "invalid-username"


def test_anyone_may_create_the_first_admin_and_only_admins_after_that(
        registry: Registry) -> None:
    carol = registry.accounts.local_actor("carol")
    with pytest.raises(AccessError):
        registry.accounts.create_user(carol, "eve")  # not an admin, and not bootstrapping
    registry.accounts.create_user(carol, "root-admin", role=Role.admin)
    with pytest.raises(AccessError) as caught:
        registry.accounts.create_user(carol, "second-admin", role=Role.admin)
    assert caught.value.code == "not-allowed"


def test_passwords_are_argon2_hashes_checked_without_saying_what_was_wrong(
        registry: Registry, people: People) -> None:
    registry.accounts.set_password(people.admin, "bob", PASSWORD)
    assert registry.accounts.authenticate("bob", PASSWORD) == people.bob
    for username, password in (("bob", "wrong password here"), ("nobody", PASSWORD),
                               ("alice", PASSWORD)):  # alice has no password
        with pytest.raises(AccessError) as caught:
            registry.accounts.authenticate(username, password)
        assert caught.value.code == "bad-credentials"
        assert str(caught.value) == "the username or password is wrong"
    with registry.store.read() as session:
        from tightrope.storage.tables import User

        stored = session.query(User).filter_by(username="bob").one().password_hash
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    registry.accounts.disable_user(people.admin, "bob")
    with pytest.raises(AccessError):
        registry.accounts.authenticate("bob", PASSWORD)


def test_users_set_their_own_password_and_short_ones_are_refused(
        registry: Registry, people: People) -> None:
    registry.accounts.set_password(people.alice, "alice", PASSWORD)
    assert registry.accounts.authenticate("alice", PASSWORD) == people.alice
    with pytest.raises(RegistryError) as caught:
        registry.accounts.set_password(people.alice, "alice", "short")
    assert caught.value.code == "weak-password"


def test_supervisors_must_be_supervisors_and_never_circular(registry: Registry,
                                                             people: People) -> None:
    for supervisor, code in (("bob", "invalid-supervisor"), ("nobody", "user-not-found")):
        with pytest.raises(RegistryError) as caught:
            registry.accounts.set_supervisor(people.admin, "alice", supervisor)
        assert caught.value.code == code
    registry.accounts.set_role(people.admin, "bob", Role.supervisor)
    registry.accounts.set_supervisor(people.admin, "sup", "bob")
    with pytest.raises(RegistryError) as caught:
        registry.accounts.set_supervisor(people.admin, "bob", "sup")
    assert "supervises them" in str(caught.value)
    with pytest.raises(RegistryError) as caught:
        registry.accounts.create_user(people.admin, "sup")
    assert caught.value.code == "user-exists"
    views = {u.username: u for u in registry.accounts.list_users(people.admin)}
    assert views["alice"].supervisor == "sup" and views["sup"].supervisor == "bob"
    assert views["sup"].display_name == "Dr Sup"


def test_a_non_admin_cannot_tell_real_usernames_from_missing_ones(
        registry: Registry, people: People) -> None:
    codes = []
    for target in ("sup", "nobody-by-this-name"):
        for change in (registry.accounts.disable_user, registry.accounts.enable_user):
            with pytest.raises(RegistryError) as caught:
                change(people.bob, target)
            codes.append(caught.value.code)
    assert set(codes) == {"not-allowed"}
