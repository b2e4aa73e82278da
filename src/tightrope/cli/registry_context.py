"""Building the registry for one CLI command: settings, store, registry, local actor.

Done inside each command, never at import, so ``tightrope assess`` never pays
for SQLAlchemy. The CLI acts as a local account named after the OS user
(``getpass.getuser()``), or ``TIGHTROPE_USER`` when set; in a local setup the
account is created as a clinician on first use, in production it must exist.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..registry.actors import Actor
    from ..registry.service import Registry
    from ..storage.settings import StorageSettings


@dataclass
class RegistryContext:
    settings: StorageSettings
    registry: Registry

    def actor(self) -> Actor:
        username = os.environ.get("TIGHTROPE_USER", "").strip() or getpass.getuser()
        return self.registry.accounts.local_actor(
            username, create=self.settings.environment == "local")


@contextmanager
def opened(*, check_schema: bool = True) -> Iterator[RegistryContext]:
    from ..registry.service import Registry
    from ..storage.settings import StorageSettings
    from ..storage.store import Store

    settings = StorageSettings.from_env()
    store = Store.open(settings, check_schema=check_schema)
    try:
        yield RegistryContext(settings, Registry(store))
    finally:
        store.close()
