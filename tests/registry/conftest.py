from dataclasses import dataclass

import pytest

from tests.backends import (  # noqa: F401 - fixtures
    backend,
    clinician,
    postgres_schema,
    registry,
    sqlite_template,
    store,
)
from tightrope.registry.actors import Actor
from tightrope.registry.service import Registry
from tightrope.registry.vocabulary import Role


@dataclass
class People:
    """A small practice: an admin, a supervisor, her supervisee alice, and bob on his own."""

    admin: Actor
    supervisor: Actor
    alice: Actor
    bob: Actor


@pytest.fixture
def people(registry: Registry, clinician: Actor) -> People:  # noqa: F811
    admin_view = registry.accounts.create_user(clinician, "boss", role=Role.admin)
    admin = registry.accounts.local_actor(admin_view.username)
    registry.accounts.create_user(admin, "sup", role=Role.supervisor, display_name="Dr Sup")
    registry.accounts.set_supervisor(admin, "alice", "sup")
    registry.accounts.create_user(admin, "bob")
    return People(admin=admin, supervisor=registry.accounts.local_actor("sup"),
                  alice=clinician, bob=registry.accounts.local_actor("bob"))
