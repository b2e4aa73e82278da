"""A registry writer run as a separate process by the reliability tests.

    python -m tests.storage.writer MODE COUNT USERNAME

Opens the database and key from the environment (TIGHTROPE_DATABASE_URL,
TIGHTROPE_KEY), creates COUNT cases and prints each case id once its
transaction has committed. MODE ``hang`` then starts one more case and stops
forever inside its transaction, after every row and the audit event are
written but before the commit; MODE ``loop`` keeps creating cases until killed.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from tests.factories import make_case
from tightrope.registry import cases as cases_module
from tightrope.registry.service import Registry
from tightrope.storage.settings import StorageSettings
from tightrope.storage.store import Store


def _hang_after(original: Any) -> Any:
    def hanging(*args: Any, **kwargs: Any) -> Any:
        event = original(*args, **kwargs)
        print("IN-TRANSACTION", flush=True)
        while True:
            time.sleep(60)
        return event

    return hanging


def main() -> None:
    mode, count, username = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    store = Store.open(StorageSettings.from_env())
    registry = Registry(store)
    actor = registry.accounts.local_actor(username)
    case = make_case()
    created = 0
    while created < count or mode == "loop":
        outcome = registry.cases.create(actor, case, f"C-{created}")
        print(outcome.case_id, flush=True)
        created += 1
    if mode == "hang":
        cases_module.append_event = _hang_after(cases_module.append_event)  # type: ignore[attr-defined]
        registry.cases.create(actor, case, "C-999999")


if __name__ == "__main__":
    main()
