"""The demo registry: a few accounts with one-time passwords, and the example cases.

Used by ``tightrope serve --demo`` (on a fresh SQLite database in a temporary
directory) and by the tests. Everything goes through the registry's services,
so the demo's audit log reads like a real one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.case_loading import parse_case
from ..registry.vocabulary import Role

if TYPE_CHECKING:
    from ..registry.actors import Actor
    from ..registry.service import Registry


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    password: str
    supervisor: str | None
    about: str


# (username, role, supervisor, about)
ACCOUNTS: tuple[tuple[str, Role, str | None, str], ...] = (
    ("admin", Role.admin, None, "manages accounts; sees no case content"),
    ("lee", Role.supervisor, None, "supervises rivera and okafor; signs off their cases"),
    ("rivera", Role.clinician, "lee", "a clinician with the example cases"),
    ("okafor", Role.clinician, "lee", "another clinician: cannot see rivera's cases"),
)


def one_time_password() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, 96 bits


def seed_accounts(registry: Registry,
                  passwords: dict[str, str] | None = None) -> dict[str, DemoAccount]:
    """Create the demo accounts (the first clinician is created locally, then the admin)."""
    accounts = registry.accounts
    chosen = dict(passwords or {})
    for username, _, _, _ in ACCOUNTS:
        chosen.setdefault(username, one_time_password())
    founder = accounts.local_actor("rivera")  # a local clinician who may bootstrap the admin
    accounts.create_user(founder, "admin", role=Role.admin, display_name="Administrator",
                         password=chosen["admin"])
    admin = accounts.authenticate("admin", chosen["admin"])
    made: dict[str, DemoAccount] = {}
    for username, role, supervisor, about in ACCOUNTS:
        if username == "admin":
            pass
        elif username == "rivera":
            accounts.set_password(admin, "rivera", chosen["rivera"])
        else:
            accounts.create_user(admin, username, role=role, password=chosen[username])
        made[username] = DemoAccount(username, role, chosen[username], supervisor, about)
    for username, _, supervisor, _ in ACCOUNTS:
        if supervisor is not None:
            accounts.set_supervisor(admin, username, supervisor)
    return made


def seed_examples(registry: Registry, owner: Actor) -> list[str]:
    """Keep every built-in example as a case of ``owner``, with its first assessment."""
    from ..cli.examples import builtin_examples

    ids = []
    for number, example in enumerate(builtin_examples(), start=1):
        case = parse_case(example.text, source=f"example:{example.name}")
        outcome = registry.cases.create(owner, case, f"EX-{number:02d}")
        ids.append(outcome.case_id)
    return ids


def seed_demo(registry: Registry, *, examples: bool = True,
              passwords: dict[str, str] | None = None) -> dict[str, DemoAccount]:
    made = seed_accounts(registry, passwords)
    if examples:
        owner = registry.accounts.authenticate("rivera", made["rivera"].password)
        seed_examples(registry, owner)
    return made
