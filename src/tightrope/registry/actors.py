"""Who is acting: the account a request runs as."""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import Role


@dataclass(frozen=True)
class Actor:
    id: str
    username: str
    role: Role

    @property
    def may_own_cases(self) -> bool:
        """Clinicians and supervisors keep cases; an admin account manages users only."""
        return self.role is not Role.admin
