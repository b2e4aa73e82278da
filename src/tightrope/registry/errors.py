"""Errors the registry raises on purpose, each with a stable code (see docs/errors.md).

An :class:`AccessError` never says whether a record exists: a case that is not
there and a case that is someone else's give the same ``case-not-found``.
"""

from __future__ import annotations

from ..core.errors import Problem, TightropeError


class RegistryError(TightropeError):
    """A registry request that cannot be done as asked."""


class AccessError(RegistryError):
    """The actor may not do this, or the record is not one they can see."""


class ImportFileError(RegistryError):
    """An export file that cannot be imported; nothing was imported."""


def registry_error(code: str, message: str, *, path: str = "", hint: str = "") -> RegistryError:
    return RegistryError(code=code, problems=[Problem(code, message, path, None, hint)])


def case_not_found(case_id: str) -> AccessError:
    return AccessError(code="case-not-found", problems=[Problem(
        "case-not-found", f"there is no case {case_id!r} that you can open", "", None,
        "check the id with `tightrope cases list`")])


def not_allowed(message: str, hint: str = "") -> AccessError:
    return AccessError(code="not-allowed", problems=[Problem("not-allowed", message, "", None,
                                                             hint)])


def account_disabled(username: str) -> AccessError:
    return AccessError(code="account-disabled", problems=[Problem(
        "account-disabled", f"the account {username!r} is disabled or no longer exists", "",
        None, "ask an administrator to enable it")])
