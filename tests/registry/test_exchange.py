"""Export and import: the documented format, all or nothing, errors naming record and field."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from tests.backends import NOW, fast_hasher
from tests.factories import make_case
from tests.registry.conftest import People
from tightrope.registry.errors import ImportFileError
from tightrope.registry.inputs import ConsentInput, ConsultationInput, SignOffInput
from tightrope.registry.service import Registry
from tightrope.registry.vocabulary import Role
from tightrope.storage.crypto import Keyring, generate_key
from tightrope.storage.database import create_database_engine
from tightrope.storage.store import Store
from tightrope.storage.tables import CaseRecord
from tightrope.storage.verification import verify


@pytest.fixture
def target(sqlite_template: Path, tmp_path: Path) -> Iterator[Registry]:
    """A second, empty registry (SQLite) with a key of its own."""
    path = tmp_path / "target.sqlite3"
    shutil.copyfile(sqlite_template, path)
    store = Store(create_database_engine(make_url(f"sqlite:///{path}")),
                  Keyring.of(generate_key()))
    yield Registry(store, clock=lambda: NOW, password_hasher=fast_hasher)
    store.close()


@pytest.fixture
def exported(registry: Registry, people: People) -> dict[str, Any]:
    """Alice's two cases with every kind of record, exported by alice."""
    first = registry.cases.create(people.alice, make_case(other__details="met at a café"),
                                  "J.D.", note="first contact").case_id
    registry.cases.reassess(people.alice, first, case=make_case(other__status="ongoing"),
                            note="it began")
    registry.safeguards.consult(people.supervisor, first, ConsultationInput(
        consultant="Dr Sup", consultant_role="supervisor", consulted_on="2026-11-25",
        advice="end it and refer", decision="end_and_refer", rationale="residual power"))
    registry.safeguards.consent(people.alice, first, ConsentInput(given_on="2026-11-25",
                                                                  method="verbal"))
    registry.safeguards.sign_off(people.supervisor, first, SignOffInput(outcome="approved"))
    registry.cases.create(people.alice, make_case(other__kind="gift"), "C-2")
    data: dict[str, Any] = json.loads(registry.exchange.export(people.alice).model_dump_json())
    return data


def index_of(exported: dict[str, Any], client_ref: str) -> int:
    """Cases are exported oldest first; the fixed test clock makes them equally old."""
    return next(i for i, case in enumerate(exported["cases"]) if case["client_ref"] == client_ref)


def count_cases(registry: Registry) -> int:
    with registry.store.read() as session:
        return session.scalar(select(func.count()).select_from(CaseRecord)) or 0


def test_an_export_imported_elsewhere_is_the_same_record(
        registry: Registry, people: People, exported: dict[str, Any], target: Registry) -> None:
    assert (exported["format"], exported["kind"]) == (1, "tightrope.cases")
    assert {u["username"] for u in exported["users"]} == {"alice", "sup"}
    alice = target.accounts.local_actor("alice")
    imported = target.exchange.import_file(alice, json.dumps(exported))
    assert imported == [c["id"] for c in exported["cases"]]
    for case_id in imported:
        original = registry.cases.show(people.alice, case_id)
        copy = target.cases.show(alice, case_id)
        assert copy == original  # facts, stored results, pins, safeguards, ids and times
    with target.store.read() as session:
        report = verify(session, target.store.cipher)
    assert report.ok, report.problems
    target.accounts.create_user(alice, "first-admin", role=Role.admin)
    admin = target.accounts.local_actor("first-admin")
    users = {u.username: u for u in target.accounts.list_users(admin)}
    assert users["sup"].disabled and users["sup"].display_name == "Dr Sup (imported)"


def test_importing_twice_is_refused_and_imports_nothing(
        exported: dict[str, Any], target: Registry) -> None:
    alice = target.accounts.local_actor("alice")
    target.exchange.import_file(alice, json.dumps(exported))
    with pytest.raises(ImportFileError) as caught:
        target.exchange.import_file(alice, json.dumps(exported))
    paths = [p.path for p in caught.value.problems]
    assert paths[0] == "cases[0].id" and "cases[1].revisions[0].id" in paths
    assert "already in this registry" in str(caught.value)
    assert count_cases(target) == 2


def test_one_bad_field_anywhere_names_record_and_field_and_imports_nothing(
        exported: dict[str, Any], target: Registry) -> None:
    full, gift = index_of(exported, "J.D."), index_of(exported, "C-2")
    exported["cases"][gift]["revisions"][0]["case"]["other"]["kind"] = "dating"
    exported["cases"][full]["assessments"][1]["result"]["verdict"] = "fine"
    alice = target.accounts.local_actor("alice")
    with pytest.raises(ImportFileError) as caught:
        target.exchange.import_file(alice, json.dumps(exported), source="cases.json")
    error = caught.value
    assert error.code == "bad-import"
    assert [p.path for p in error.problems] == sorted(
        [f"cases[{gift}].revisions[0].case.other.kind",
         f"cases[{full}].assessments[1].result.verdict"])
    assert (f"cases.json: cases[{gift}].revisions[0].case.other.kind: 'dating' is not "
            "allowed") in str(error)
    assert count_cases(target) == 0


def test_a_record_of_the_wrong_shape_is_named_before_anything_else_is_checked(
        exported: dict[str, Any], target: Registry) -> None:
    full = index_of(exported, "J.D.")
    exported["cases"][full]["consultations"][0]["consulted_on"] = "yesterday"
    del exported["cases"][full]["consents"][0]["method"]
    with pytest.raises(ImportFileError) as caught:
        target.exchange.import_file(target.accounts.local_actor("alice"), json.dumps(exported))
    problems = {p.path: p.message for p in caught.value.problems}
    assert set(problems) == {f"cases[{full}].consultations[0].consulted_on",
                             f"cases[{full}].consents[0].method"}
    assert problems[f"cases[{full}].consents[0].method"] == "this required field is missing"
    assert count_cases(target) == 0


def test_broken_references_inside_the_file_are_named(exported: dict[str, Any],
                                                     target: Registry) -> None:
    full = index_of(exported, "J.D.")
    exported["cases"][full]["sign_offs"][0]["assessment"] = 9
    exported["cases"][full]["assessments"][0]["revision"] = 5
    exported["cases"][1 - full]["id"] = exported["cases"][full]["id"]
    with pytest.raises(ImportFileError) as caught:
        target.exchange.import_file(target.accounts.local_actor("alice"), json.dumps(exported))
    messages = {p.path: p.message for p in caught.value.problems}
    assert messages[f"cases[{full}].sign_offs[0].assessment"] == \
        "there is no assessment 9 in this case"
    assert messages[f"cases[{full}].assessments[0].revision"] == \
        "there is no revision 5 in this case"
    assert "used twice" in messages[f"cases[{max(full, 1 - full)}].id"]


def test_someone_elses_cases_are_imported_only_when_claimed(
        exported: dict[str, Any], target: Registry) -> None:
    zoe = target.accounts.local_actor("zoe")
    with pytest.raises(ImportFileError) as caught:
        target.exchange.import_file(zoe, json.dumps(exported))
    assert caught.value.problems[0].path == "cases[0].owner"
    assert "--claim" in str(caught.value)
    ids = target.exchange.import_file(zoe, json.dumps(exported), claim=True)
    detail = target.cases.show(zoe, ids[index_of(exported, "J.D.")])
    assert detail.summary.owner == "zoe" and detail.revisions[0].author == "zoe"
    assert detail.sign_offs[0].supervisor == "sup"  # other people keep their names


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "this is not JSON (line 1, column 2"),
    ('{"format": 2, "kind": "tightrope.cases"}', "format 2 is not supported"),
    ('{"format": 1, "kind": "tightrope.cases.deidentified", "cases": []}',
     "a de-identified export cannot be imported"),
    ('{"format": 1, "kind": "tightrope.cases"}', "this required field is missing"),
])
def test_files_that_are_not_exports_are_refused_clearly(target: Registry, text: str,
                                                        message: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        target.exchange.import_file(target.accounts.local_actor("alice"), text)
    assert message in str(caught.value)


def test_exports_are_audited_per_case(registry: Registry, people: People,
                                      exported: dict[str, Any]) -> None:
    for case in exported["cases"]:
        actions = [e.action for e in registry.cases.history(people.alice, case["id"])]
        assert actions[-1] == "case.export"
