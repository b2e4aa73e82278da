"""`backup`: a consistent copy of a live registry."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.backends import Backend, only_postgresql, only_sqlite
from tests.factories import make_case
from tightrope.registry.actors import Actor
from tightrope.registry.service import Registry
from tightrope.storage.backup import backup
from tightrope.storage.crypto import Keyring
from tightrope.storage.database import create_database_engine
from tightrope.storage.errors import StorageError
from tightrope.storage.store import Store
from tightrope.storage.verification import verify

ROOT = Path(__file__).parents[2]


@only_sqlite
def test_a_sqlite_backup_taken_while_others_write_is_complete_and_verifies(
        backend: Backend, registry: Registry, clinician: Actor, tmp_path: Path) -> None:
    for ref in ("A1", "A2"):
        registry.cases.create(clinician, make_case(), ref)
    writers = [subprocess.Popen([sys.executable, "-m", "tests.storage.writer", "count", "40",
                                 f"w{n}"], cwd=ROOT, env=backend.env(), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for n in range(2)]
    copies = []
    for n in range(3):
        report = backup(registry.store.engine, tmp_path / f"copy{n}.sqlite3")
        assert report.bytes > 0 and report.audit_head
        copies.append(report)
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    for report in copies:
        assert oct(report.path.stat().st_mode & 0o777) == "0o600"
        assert sqlite3.connect(report.path).execute("PRAGMA integrity_check").fetchone() == \
            ("ok",)
        copy = Store(create_database_engine(make_url(f"sqlite:///{report.path}")),
                     Keyring.of(backend.key))
        with copy.read() as session:
            result = verify(session, copy.cipher)
        assert result.ok, result.problems  # a consistent snapshot: chain and records agree
        assert result.head.render() == report.audit_head
        copy.close()


def test_a_backup_never_overwrites_unless_asked(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "exists.bin"
    target.write_text("keep me")
    with pytest.raises(StorageError) as caught:
        backup(store.engine, target)
    assert caught.value.code == "backup-target-exists"
    assert target.read_text() == "keep me"


@only_postgresql
def test_a_postgresql_backup_is_a_pg_dump_of_the_registry(
        backend: Backend, registry: Registry, clinician: Actor, tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    registry.cases.create(clinician, make_case(), "P1")
    report = backup(registry.store.engine, tmp_path / "registry.dump")
    listing = subprocess.run(["pg_restore", "--list", str(report.path)], capture_output=True,
                             text=True, check=True).stdout
    for table in ("cases", "case_revisions", "assessments", "audit_events", "audit_head"):
        assert f"TABLE DATA {str(backend.url.query['options']).split('=')[-1]} {table} " \
            in listing
