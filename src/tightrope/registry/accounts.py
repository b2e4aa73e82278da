"""Accounts: clinicians, supervisors and admins; passwords hashed with Argon2id.

The CLI acts as a local account named after the OS user (``getpass.getuser()``,
or ``TIGHTROPE_USER``), created as a clinician on first use in a local setup.
The web app signs people in with :meth:`Accounts.authenticate`. Only an admin
manages accounts, except that the first admin of a registry that has none may
be created by whoever runs the registry (bootstrap); both are audited.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..core.errors import Problem
from ..storage.audit import append_event
from ..storage.errors import StorageError
from ..storage.ids import new_id
from ..storage.tables import User
from .access import current_user, require_admin
from .actors import Actor
from .errors import AccessError, account_disabled, registry_error
from .views import UserView
from .vocabulary import Role

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .service import Registry

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024


def check_username(username: str) -> str:
    if not USERNAME.match(username):
        raise registry_error("invalid-username", f"{username!r} is not a valid username",
                             path="username", hint="1 to 64 letters, digits and . _ @ -, "
                             "starting with a letter or digit")
    return username


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise registry_error("weak-password", f"a password must be {MIN_PASSWORD} to "
                             f"{MAX_PASSWORD} characters long", path="password",
                             hint="a passphrase of several words is easy to remember")
    return password


def actor_of(user: User) -> Actor:
    return Actor(id=user.id, username=user.username, role=Role(user.role))


class Accounts:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.store = registry.store

    def _view(self, session: Session, user: User) -> UserView:
        supervisor = session.get(User, user.supervisor_id) if user.supervisor_id else None
        return UserView(id=user.id, username=user.username, display_name=user.display_name,
                        role=Role(user.role), supervisor=supervisor.username if supervisor
                        else None, disabled=user.disabled,
                        has_password=user.password_hash is not None,
                        created_at=user.created_at)

    def _by_name(self, session: Session, username: str) -> User:
        user = session.scalars(select(User).where(User.username == username)).one_or_none()
        if user is None:
            raise registry_error("user-not-found", f"there is no account {username!r}",
                                 path="username", hint="list accounts with `tightrope users "
                                 "list`")
        return user

    def _supervisor(self, session: Session, username: str | None, user_id: str) -> str | None:
        if username is None:
            return None
        supervisor = self._by_name(session, username)
        if supervisor.role not in (Role.supervisor.value, Role.admin.value) \
                or supervisor.disabled:
            raise registry_error("invalid-supervisor", f"{username!r} is not an enabled "
                                 "supervisor or admin account", path="supervisor",
                                 hint="give the account the supervisor role first")
        cursor: User | None = supervisor
        for _ in range(100):
            if cursor is None:
                break
            if cursor.id == user_id:
                raise registry_error("invalid-supervisor", f"{username!r} cannot supervise "
                                     "an account that supervises them", path="supervisor")
            cursor = session.get(User, cursor.supervisor_id) if cursor.supervisor_id else None
        return supervisor.id

    def create_user(self, actor: Actor, username: str, *, role: Role = Role.clinician,
                    display_name: str | None = None, supervisor: str | None = None,
                    password: str | None = None) -> UserView:
        """Create an account (admin only; or the first admin, when there is none)."""
        check_username(username)
        password_hash = self.registry.password_hasher().hash(check_password(password)) \
            if password is not None else None
        now = self.registry.now()
        with self.store.write() as session:
            user = current_user(session, actor)
            bootstrap = role is Role.admin and session.scalars(
                select(User.id).where(User.role == Role.admin.value).limit(1)).first() is None
            if not bootstrap:
                require_admin(user)
            if session.scalars(select(User.id).where(User.username == username)).first():
                raise registry_error("user-exists", f"there is already an account {username!r}",
                                     path="username")
            user_id = new_id()
            created = User(id=user_id, username=username, display_name=display_name or username,
                           role=role.value, supervisor_id=self._supervisor(session, supervisor,
                                                                           user_id),
                           password_hash=password_hash, disabled=False, created_at=now)
            session.add(created)
            append_event(session, at=now, actor_id=user.id, action="user.create",
                         records=[created], details={"role": role.value,
                                                     "bootstrap": bootstrap})
            return self._view(session, created)

    def local_actor(self, username: str, *, create: bool = True) -> Actor:
        """The CLI's account: found by username, or created as a clinician on first use."""
        check_username(username)
        for _ in range(2):
            with self.store.read() as session:
                user = session.scalars(select(User).where(User.username == username)
                                       ).one_or_none()
                if user is not None:
                    if user.disabled:
                        raise account_disabled(username)
                    return actor_of(user)
            if not create:
                raise registry_error("user-not-found", f"there is no account {username!r}",
                                     hint="an administrator must create it; set "
                                     "TIGHTROPE_USER to act as an existing account")
            try:
                return self._create_local(username)
            except StorageError as exc:
                if exc.code != "database-conflict":
                    raise  # another process created the same account: look it up again
        raise registry_error("user-not-found", f"the account {username!r} could not be created")

    def _create_local(self, username: str) -> Actor:
        now = self.registry.now()
        with self.store.write() as session:
            existing = session.scalars(select(User).where(User.username == username)
                                       ).one_or_none()
            if existing is not None:
                return actor_of(existing)
            user = User(id=new_id(), username=username, display_name=username,
                        role=Role.clinician.value, supervisor_id=None, password_hash=None,
                        disabled=False, created_at=now)
            session.add(user)
            append_event(session, at=now, actor_id=user.id, action="user.create",
                         records=[user], details={"role": user.role, "local": True})
            return actor_of(user)

    def list_users(self, actor: Actor) -> list[UserView]:
        with self.store.read() as session:
            require_admin(current_user(session, actor))
            users = session.scalars(select(User).order_by(User.username)).all()
            return [self._view(session, user) for user in users]

    def _change(self, actor: Actor, username: str, action: str, *, self_allowed: bool = False,
                **values: object) -> UserView:
        now = self.registry.now()
        with self.store.write() as session:
            user = current_user(session, actor)
            # Check the role before looking the target up, so a non-admin cannot learn
            # which usernames exist from the difference between "not found" and "not allowed".
            if not (self_allowed and username == user.username):
                require_admin(user)
            target = self._by_name(session, username)
            for name, value in values.items():
                setattr(target, name, value)
            append_event(session, at=now, actor_id=user.id, action=action, records=[target])
            return self._view(session, target)

    def disable_user(self, actor: Actor, username: str) -> UserView:
        if username == actor.username:
            raise registry_error("not-allowed", "you cannot disable your own account")
        return self._change(actor, username, "user.disable", disabled=True)

    def enable_user(self, actor: Actor, username: str) -> UserView:
        return self._change(actor, username, "user.enable", disabled=False)

    def set_password(self, actor: Actor, username: str, password: str) -> UserView:
        """Set a password (an admin for anyone, or a user for themselves)."""
        password_hash = self.registry.password_hasher().hash(check_password(password))
        return self._change(actor, username, "user.set_password", self_allowed=True,
                            password_hash=password_hash)

    def set_supervisor(self, actor: Actor, username: str, supervisor: str | None) -> UserView:
        now = self.registry.now()
        with self.store.write() as session:
            user = current_user(session, actor)
            require_admin(user)
            target = self._by_name(session, username)
            target.supervisor_id = self._supervisor(session, supervisor, target.id)
            append_event(session, at=now, actor_id=user.id, action="user.set_supervisor",
                         records=[target])
            return self._view(session, target)

    def set_role(self, actor: Actor, username: str, role: Role) -> UserView:
        return self._change(actor, username, "user.set_role", role=role.value)

    def authenticate(self, username: str, password: str) -> Actor:
        """The actor for a username and password, or ``bad-credentials`` (never saying which)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        hasher = self.registry.password_hasher()
        with self.store.read() as session:
            user = session.scalars(select(User).where(User.username == username)).one_or_none()
        stored = user.password_hash if user is not None else None
        try:
            if stored is None or user is None or user.disabled:
                hasher.hash(password)  # spend the same time as a real check
                raise VerificationError
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            raise AccessError(code="bad-credentials", problems=[Problem(
                "bad-credentials", "the username or password is wrong")]) from None
        if hasher.check_needs_rehash(stored):
            self._change(actor_of(user), username, "user.rehash_password", self_allowed=True,
                         password_hash=hasher.hash(password))
        return actor_of(user)
