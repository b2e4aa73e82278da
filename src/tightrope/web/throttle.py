"""Login throttling per username and client address, with exponential backoff.

The first few failures cost nothing; after that each failure doubles the wait
before the next attempt is even checked (1 s, 2 s, 4 s ... up to a cap), and a
success clears the record. Keyed by username *and* address, so one attacker
cannot lock a clinician out from everywhere, and per username so rotating
passwords against one account from one address is slowed.

Kept in memory, bounded in size. With several instances behind a proxy each
keeps its own count (docs/web.md): the backoff still bounds guessing to a few
attempts per minute per instance.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

MAX_ENTRIES = 50_000


@dataclass
class _Record:
    failures: int
    last_failure_at: float


class LoginThrottle:
    def __init__(self, *, free_attempts: int, max_delay_seconds: int) -> None:
        self.free_attempts = free_attempts
        self.max_delay_seconds = max_delay_seconds
        self._records: OrderedDict[tuple[str, str], _Record] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(username: str, address: str) -> tuple[str, str]:
        return username.strip().lower()[:64], address[:64]

    def delay(self, failures: int) -> float:
        if failures < self.free_attempts:
            return 0.0
        return float(min(2 ** (failures - self.free_attempts), self.max_delay_seconds))

    def wait_seconds(self, username: str, address: str, now: float) -> float:
        """How long this username and address must wait before trying again (0: go ahead)."""
        with self._lock:
            record = self._records.get(self._key(username, address))
            if record is None:
                return 0.0
            remaining = record.last_failure_at + self.delay(record.failures) - now
            return max(0.0, remaining)

    def failed(self, username: str, address: str, now: float) -> None:
        key = self._key(username, address)
        with self._lock:
            record = self._records.pop(key, None) or _Record(0, now)
            record.failures += 1
            record.last_failure_at = now
            self._records[key] = record
            while len(self._records) > MAX_ENTRIES:
                self._records.popitem(last=False)

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._records.pop(self._key(username, address), None)
