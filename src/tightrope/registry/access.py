"""Who may do what to which case. The one place authorization is decided.

- A clinician sees and changes only their own cases.
- A supervisor keeps their own cases too, and sees, consults on and signs off
  the cases of their supervisees (users whose ``supervisor_id`` is theirs); they
  never change a supervisee's facts.
- An admin manages accounts and sees no case content, unless supervisees are
  assigned to them, which makes them those supervisees' supervisor as well.
- A disabled account can do nothing.

A case that does not exist and a case the actor may not see give the same
``case-not-found``, so an id reveals nothing. A visible case the actor may not
act on in this way gives ``not-allowed``, which says what the role allows.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from ..storage.tables import CaseRecord, User
from .actors import Actor
from .errors import account_disabled, case_not_found, not_allowed
from .vocabulary import Role


class Permission(StrEnum):
    view = "view"
    change = "change"
    consult = "consult"
    sign_off = "sign_off"


_DENIALS = {
    Permission.change: ("only the clinician who keeps this case can change it, reassess it or "
                        "record consent", "a supervisor can record a consultation "
                        "(`tightrope cases consult`) or sign off (`tightrope cases sign-off`)"),
    Permission.sign_off: ("only the clinician's supervisor can sign off this case",
                          "a case cannot be signed off by the clinician who keeps it"),
}


def current_user(session: Session, actor: Actor) -> User:
    """The actor's account as it is now: refused if disabled or gone since they signed in."""
    user = session.get(User, actor.id)
    if user is None or user.disabled:
        raise account_disabled(actor.username)
    return user


def acting_role(user: User) -> Role:
    return Role(user.role)


def open_case(session: Session, actor: Actor, case_id: str, permission: Permission, *,
              lock: bool = False) -> CaseRecord:
    """The case, if the actor may act on it this way; ``lock`` holds it until commit."""
    user = current_user(session, actor)
    statement = (select(CaseRecord, User.supervisor_id)
                 .join(User, User.id == CaseRecord.owner_id)
                 .where(CaseRecord.id == case_id))
    if lock:
        statement = statement.with_for_update(of=CaseRecord)
    row = session.execute(statement).first()
    if row is None:
        raise case_not_found(case_id)
    case, owner_supervisor = row
    is_owner = case.owner_id == user.id
    supervises = owner_supervisor == user.id and acting_role(user) in (Role.supervisor,
                                                                       Role.admin)
    if not (is_owner or supervises):
        raise case_not_found(case_id)
    allowed = {
        Permission.view: True,
        Permission.consult: True,
        Permission.change: is_owner,
        Permission.sign_off: supervises and not is_owner,
    }[permission]
    if not allowed:
        message, hint = _DENIALS[permission]
        raise not_allowed(message, hint)
    return case


def visible_cases(user: User, scope: str) -> ColumnElement[bool]:
    """Which cases a listing may show: ``own``, ``supervisees`` or ``all`` (both)."""
    own = CaseRecord.owner_id == user.id
    supervisees = CaseRecord.owner_id.in_(select(User.id).where(User.supervisor_id == user.id))
    if scope == "own":
        return own
    if scope == "supervisees":
        return supervisees
    return or_(own, supervisees)


def require_owner_role(user: User) -> None:
    if acting_role(user) is Role.admin:
        raise not_allowed("an admin account keeps no cases",
                          "use a clinician or supervisor account for case work")


def require_admin(user: User) -> None:
    if acting_role(user) is not Role.admin:
        raise not_allowed("only an admin can manage accounts",
                          "ask an administrator, or run as one with TIGHTROPE_USER")
