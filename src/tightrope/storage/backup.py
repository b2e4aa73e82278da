"""``tightrope backup PATH``: a consistent copy of a live registry.

SQLite: the online backup API copies the database page by page under one read
snapshot while other processes keep writing (WAL readers never block the
writer); the copy is written beside the target, checked with ``PRAGMA
integrity_check``, given mode 0600 and only then moved into place.

PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot of the
database, or of the schema named in ``search_path``); restore with
``pg_restore``. The password, if any, goes to pg_dump through its environment,
never its command line.

A backup holds sealed values only: it is useless without the key, and the key
must be kept somewhere else (keys are never part of a backup).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from .errors import storage_error


@dataclass(frozen=True)
class BackupReport:
    path: Path
    bytes: int
    method: str
    audit_head: str | None


def backup(engine: Engine, target: Path, *, overwrite: bool = False) -> BackupReport:
    if target.exists() and not overwrite:
        raise storage_error("backup-target-exists", f"{target} already exists",
                            hint="choose a new file name; backups are never overwritten "
                            "unless you pass --overwrite")
    if not target.parent.is_dir():
        raise storage_error("backup-failed", f"the folder {target.parent} does not exist")
    if engine.dialect.name == "sqlite":
        return _sqlite_backup(engine, target)
    return _pg_dump(engine.url, target)


def _sqlite_backup(engine: Engine, target: Path) -> BackupReport:
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY, 0o600))
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        if not isinstance(source, sqlite3.Connection):
            raise storage_error("backup-failed", "the SQLite driver is not the standard one")
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            check = copy.execute("PRAGMA integrity_check").fetchone()
            head = copy.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        finally:
            copy.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise storage_error("backup-failed", f"the backup could not be written "
                            f"({type(exc).__name__}: {exc})") from None
    finally:
        raw.close()
    if not check or check[0] != "ok":
        partial.unlink(missing_ok=True)
        raise storage_error("backup-failed", "the copy failed its integrity check; the "
                            "database itself may be damaged",
                            hint="run `tightrope audit verify` and check the disk")
    os.replace(partial, target)
    return BackupReport(target, target.stat().st_size, "sqlite online backup",
                        f"{head[0]}:{head[1]}" if head else None)


def _pg_dump(url: URL, target: Path) -> BackupReport:
    executable = shutil.which("pg_dump")
    if executable is None:
        raise storage_error("pg-dump-missing", "pg_dump is not installed or not on PATH",
                            hint="install the PostgreSQL client tools of the server's "
                            "version, or run pg_dump on the database server")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    command = [executable, "--format=custom", "--no-owner", f"--file={target}"]
    for name, flag in (("host", "--host"), ("port", "--port"), ("username", "--username")):
        value = getattr(url, name)
        if value:
            command.append(f"{flag}={value}")
    query = dict(url.query)
    if "host" in query:
        command.append(f"--host={query['host']}")
    schema = re.search(r"search_path=([A-Za-z0-9_]+)", str(query.get("options", "")))
    if schema:
        command.append(f"--schema={schema.group(1)}")
    command.append(f"--dbname={url.database or ''}")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise storage_error("backup-failed", f"pg_dump failed: {last}")
    os.chmod(target, 0o600)
    return BackupReport(target, target.stat().st_size, "pg_dump (custom format)", None)
