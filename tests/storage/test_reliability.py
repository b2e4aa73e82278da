"""Several writers at once, a writer killed mid-transaction: nothing lost, nothing corrupt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from tests.backends import Backend
from tightrope.storage.store import Store
from tightrope.storage.tables import AssessmentRecord, AuditEvent, CaseRecord, CaseRevision
from tightrope.storage.verification import verify

ROOT = Path(__file__).parents[2]


def writer(backend: Backend, mode: str, count: int, username: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.storage.writer", mode, str(count),
                             username], cwd=ROOT, env=backend.env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def counts(store: Store) -> tuple[int, int, int]:
    with store.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) or 0
                     for model in (CaseRecord, CaseRevision, AssessmentRecord))  # type: ignore[return-value]


def case_ids(store: Store) -> set[str]:
    with store.read() as session:
        return set(session.scalars(select(CaseRecord.id)))


def assert_verified(store: Store) -> None:
    with store.read() as session:
        report = verify(session, store.cipher)
    assert report.ok, report.problems


def test_four_processes_writing_at_once_lose_and_corrupt_nothing(backend: Backend,
                                                                 store: Store) -> None:
    # Two pairs share an account, so they also race to create it on first use.
    processes = [writer(backend, "count", 50, f"writer{n % 2}") for n in range(4)]
    printed: list[str] = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
        printed += out.split()
    assert len(printed) == len(set(printed)) == 200
    assert counts(store) == (200, 200, 200)
    assert case_ids(store) == set(printed)
    with store.read() as session:
        seqs = list(session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)))
    assert seqs == list(range(1, 2 + 200 + 1))  # two accounts, 200 cases, no gaps
    assert_verified(store)


def test_a_writer_killed_inside_a_transaction_leaves_every_committed_record(
        backend: Backend, store: Store) -> None:
    process = writer(backend, "hang", 5, "killed")
    assert process.stdout is not None
    lines = [process.stdout.readline().strip() for _ in range(6)]
    assert lines[-1] == "IN-TRANSACTION", lines
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    committed = set(lines[:5])
    reopened = backend.open()  # a fresh engine, as after a crash
    try:
        assert case_ids(reopened) == committed
        assert counts(reopened) == (5, 5, 5)
        assert_verified(reopened)
        from tests.factories import make_case
        from tightrope.registry.service import Registry

        # The database takes new writes at once (the dead writer's lock is gone).
        registry = Registry(reopened)
        actor = registry.accounts.local_actor("after")
        registry.cases.create(actor, make_case(), "C-1000")
        assert_verified(reopened)
    finally:
        reopened.close()


def test_a_writer_killed_at_a_random_moment_under_load(backend: Backend, store: Store) -> None:
    processes = [writer(backend, "loop", 0, f"loader{n}") for n in range(3)]
    time.sleep(4)
    for process in processes:
        os.kill(process.pid, signal.SIGKILL)
    printed: set[str] = set()
    for process in processes:
        out, _ = process.communicate(timeout=30)
        printed |= set(out.split())
    assert printed, "the writers committed nothing in four seconds"
    reopened = backend.open()
    try:
        stored = case_ids(reopened)
        assert printed <= stored  # every commit that returned is there
        assert len(stored) - len(printed) <= len(processes)  # at most one unreported each
        assert_verified(reopened)
    finally:
        reopened.close()
