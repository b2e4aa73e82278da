"""No free text reaches the disk: not the database file, not its WAL, not a pg_dump."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.backends import Backend, only_postgresql, only_sqlite
from tests.factories import make_case
from tightrope.registry.actors import Actor
from tightrope.registry.inputs import ConsentInput, ConsultationInput, SignOffInput
from tightrope.registry.service import Registry
from tightrope.registry.vocabulary import Role

MARKER = "Zebulon-Quasar-7741"  # a distinctive string planted in every free-text field


def plant_free_text(registry: Registry, clinician: Actor) -> str:
    admin = registry.accounts.create_user(clinician, "boss", role=Role.admin)
    boss = registry.accounts.local_actor(admin.username)
    registry.accounts.create_user(boss, "sup", role=Role.supervisor)
    registry.accounts.set_supervisor(boss, clinician.username, "sup")
    supervisor = registry.accounts.local_actor("sup")
    case = make_case(other__details=f"details {MARKER} met at the lake")
    case_id = registry.cases.create(clinician, case, "ZQ-774199", note=f"note {MARKER}").case_id
    registry.cases.reassess(clinician, case_id, case=make_case(
        other__details=f"changed {MARKER}"), note=f"revised {MARKER}")
    registry.safeguards.consult(clinician, case_id, ConsultationInput(
        consultant=f"Dr {MARKER}", consultant_role="colleague", consulted_on="2026-11-20",
        advice=f"advice {MARKER}", decision="decline", rationale=f"because {MARKER}"))
    registry.safeguards.consent(clinician, case_id, ConsentInput(
        given_on="2026-11-21", method="written", note=f"consent {MARKER}"))
    registry.safeguards.sign_off(supervisor, case_id, SignOffInput(
        outcome="approved", comment=f"comment {MARKER}"))
    detail = registry.cases.show(clinician, case_id)
    assert MARKER in (detail.revisions[-1].case.other.details or "")  # it is all readable...
    assert MARKER in detail.consultations[0].advice
    assert MARKER not in repr(detail)  # ...yet never in a repr
    return case_id


@only_sqlite
def test_the_sqlite_file_and_its_wal_hold_no_free_text(registry: Registry,
                                                        clinician: Actor) -> None:
    plant_free_text(registry, clinician)
    path = Path(str(registry.store.engine.url.database))
    files = [p for p in (path, path.with_name(path.name + "-wal")) if p.exists()]
    assert len(files) == 2, "the WAL should still hold the latest pages"
    for file in files:
        data = file.read_bytes()
        for needle in (MARKER, "lake", "ZQ-774199"):
            for encoding in ("utf-8", "utf-16-le"):
                assert needle.encode(encoding) not in data, (file.name, needle)


@only_postgresql
def test_a_dump_of_postgresql_holds_no_free_text(backend: Backend, registry: Registry,
                                                 clinician: Actor) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    plant_free_text(registry, clinician)
    url = backend.url
    schema = str(url.query["options"]).split("=")[-1]
    command = ["pg_dump", "--data-only", f"--schema={schema}", f"--dbname={url.database}"]
    if "host" in url.query:
        command.append(f"--host={url.query['host']}")
    dump = subprocess.run(command, capture_output=True, check=True).stdout
    assert b"case_revisions" in dump  # the dump did include our tables
    assert MARKER.encode() not in dump and b"lake" not in dump


def test_free_text_is_not_in_any_column_as_stored(registry: Registry, clinician: Actor) -> None:
    plant_free_text(registry, clinician)
    with registry.store.engine.connect() as connection:
        for table in ("cases", "case_revisions", "assessments", "consultations", "consents",
                      "sign_offs", "audit_events"):
            for row in connection.execute(text(f"SELECT * FROM {table}")):
                for value in row:
                    raw = bytes(value) if isinstance(value, bytes | memoryview) \
                        else str(value).encode()
                    assert MARKER.encode() not in raw, table
