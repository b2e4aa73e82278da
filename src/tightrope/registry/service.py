"""The registry: one store, one clock and one pack library, and the services on them.

Build one per store at the entry point (CLI command, web app startup); it holds
no other state, so two registries on two databases can live in one process.
The clock and the pack library are parameters so tests can fix the date and
the packs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.library import PackLibrary
from ..storage.columns import utc_now
from ..storage.store import Store

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from .accounts import Accounts
    from .cases import Cases
    from .exchange import Exchange
    from .safeguards import Safeguards


def _builtin_library() -> PackLibrary:
    from ..api import builtin_library

    return builtin_library()


def _password_hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


@dataclass(frozen=True)
class Registry:
    store: Store
    clock: Callable[[], dt.datetime] = utc_now
    library: Callable[[], PackLibrary] = _builtin_library
    password_hasher: Callable[[], PasswordHasher] = _password_hasher

    def now(self) -> dt.datetime:
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the registry clock must return timezone-aware times")
        return moment.astimezone(dt.UTC)

    def today(self) -> dt.date:
        """Today where the clinician is (the local date of the clock's time)."""
        return self.clock().astimezone().date()

    @property
    def cases(self) -> Cases:
        from .cases import Cases

        return Cases(self)

    @property
    def safeguards(self) -> Safeguards:
        from .safeguards import Safeguards

        return Safeguards(self)

    @property
    def accounts(self) -> Accounts:
        from .accounts import Accounts

        return Accounts(self)

    @property
    def exchange(self) -> Exchange:
        from .exchange import Exchange

        return Exchange(self)
