"""`tightrope cases|db|audit|keys|backup|users` as a user runs them (real subprocesses)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from subprocess import run
from unittest import mock

import pytest
import yaml
from sqlalchemy import text

from tests.backends import (  # noqa: F401 - fixtures
    Backend,
    backend,
    postgres_schema,
    sqlite_template,
)
from tests.factories import case_data
from tightrope.cli.app import main

ROOT = Path(__file__).parents[2]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


class Cli:
    """Runs `tightrope ...` in this process (its real entry point, `main`) against one
    registry as one local user; ``subprocess=True`` runs it as a separate program."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __call__(self, *args: str, user: str = "alice", ok: bool = True,
                 subprocess: bool = False) -> Result:
        env = {**self.env, "TIGHTROPE_USER": user}
        result = self._spawn(args, env) if subprocess else self._run(args, env)
        if ok:
            assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return result

    @staticmethod
    def _run(args: tuple[str, ...], env: dict[str, str]) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code: int | str | None = 0
        with mock.patch.dict(os.environ, env, clear=True), \
                mock.patch.object(sys, "argv", ["tightrope", *args]), \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exit_:
                code = exit_.code
        return Result(code if isinstance(code, int) else 1, out.getvalue(), err.getvalue())

    @staticmethod
    def _spawn(args: tuple[str, ...], env: dict[str, str]) -> Result:
        done = run([sys.executable, "-m", "tightrope", *args], cwd=ROOT, env=env,
                   capture_output=True, text=True, timeout=120)
        return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli(backend: Backend, tmp_path: Path) -> Cli:  # noqa: F811
    return Cli(backend.env(TIGHTROPE_DATA_DIR=str(tmp_path / "data")))


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "romance.yaml"
    path.write_text(yaml.safe_dump(case_data(practitioner__profession="counselor",
                                             other__details="we met at the market")))
    return path


def new_case(cli: Cli, case_file: Path, ref: str = "J.D.") -> str:
    out = cli("cases", "new", str(case_file), "--client", ref).stdout
    assert out.startswith("Kept case ")
    return out.split()[2]


def test_a_case_from_first_assessment_to_export(cli: Cli, case_file: Path,
                                                tmp_path: Path) -> None:
    case_id = new_case(cli, case_file)
    listed = cli("cases", "list").stdout
    assert case_id in listed and "Prohibited until 2028-05-02" in listed
    assert case_id in cli("cases", "list", "--due", "--within", "3000").stdout
    assert "No cases due." in cli("cases", "list", "--due").stdout
    cli("cases", "consult", case_id, "--with", "Dr Marlowe", "--role", "colleague", "--on",
        "2026-11-20", "--advice", "wait the five years", "--decision", "wait",
        "--rationale", "ACA A.5.c")
    cli("cases", "consent", case_id, "--method", "verbal", "--on", "2026-11-21")
    later = case_file.with_name("later.yaml")
    later.write_text(yaml.safe_dump(case_data(practitioner__profession="counselor",
                                              as_of="2029-01-01")))
    out = cli("cases", "reassess", case_id, "--case", str(later), "--note", "years on").stdout
    assert "Reassessed case" in out and "Changed from: Prohibited." in out
    assert "Facts saved as revision 2." in out
    shown = cli("cases", "show", case_id, "--assessment", "1").stdout
    assert "Consulted Dr Marlowe (colleague) on 2026-11-20: wait the five years" in shown
    assert "--- Assessment 1, as stored on" in shown and "PROHIBITED" in shown
    data = json.loads(cli("cases", "show", case_id, "--format", "json").stdout)
    assert [a["verdict"] for a in data["assessments"]] == ["prohibited", "avoid"]
    history = cli("cases", "history", case_id).stdout
    for action in ("case.create", "consultation.record", "consent.record", "case.revise",
                   "case.view"):
        assert action in history
    assert cli("audit", "verify").stdout.startswith("Audit log verified:")

    exported = tmp_path / "export.json"
    cli("cases", "export", "--output", str(exported))
    assert oct(exported.stat().st_mode & 0o777) == "0o600"
    assert json.loads(exported.read_text())["cases"][0]["client_ref"] == "J.D."
    teaching = json.loads(cli("cases", "export", "--deidentify").stdout)
    assert "J.D." not in json.dumps(teaching) and "market" not in json.dumps(teaching)

    elsewhere = Cli({**cli.env, "TIGHTROPE_DATABASE_URL": "",
                     "TIGHTROPE_DATA_DIR": str(tmp_path / "elsewhere"), "TIGHTROPE_KEY": ""})
    refused = elsewhere("cases", "import", str(exported), user="zoe", ok=False)
    assert refused.returncode == 2 and "cases[0].owner" in refused.stderr
    imported = elsewhere("cases", "import", str(exported), "--claim", user="zoe").stdout
    assert imported == f"Imported 1 case: {case_id}.\n"
    assert "Dr Marlowe" in elsewhere("cases", "show", case_id, user="zoe").stdout
    assert elsewhere("audit", "verify", user="zoe").returncode == 0


def test_key_rotation_and_backup_from_the_command_line(tmp_path: Path, case_file: Path) -> None:
    local = Cli({"PATH": os.environ.get("PATH", ""),
                 "TIGHTROPE_DATA_DIR": str(tmp_path / "data")})
    case_id = new_case(local, case_file)
    status = local("keys", "status").stdout
    assert "(active): 3 sealed values" in status  # client reference, facts, stored result
    out = local("keys", "rotate", "--retire-old").stdout
    assert "Re-encrypted 3 values" in out
    assert "Removed 1 unused key(s)" in out
    assert local("audit", "verify").returncode == 0
    assert "J.D." in local("cases", "show", case_id).stdout
    backup = tmp_path / "copy.sqlite3"
    assert "Backed up to" in local("backup", str(backup)).stdout
    again = local("backup", str(backup), ok=False)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_errors_are_one_clear_message_never_a_traceback(cli: Cli, case_file: Path,
                                                        tmp_path: Path) -> None:
    case_id = new_case(cli, case_file)
    for args, user, message in [
        (("cases", "show", case_id), "bob", f"there is no case '{case_id}' that you can open"),
        (("cases", "show", "nosuchcase"), "alice", "there is no case 'nosuchcase'"),
        (("cases", "new", str(case_file), "--client", "Jane Doe"), "alice",
         "looks like a full name"),
        (("cases", "new", str(tmp_path / "missing.yaml"), "--client", "JD"), "alice",
         "missing.yaml: there is no such file"),
        (("cases", "consent", case_id, "--method", "telepathy"), "alice",
         "method: 'telepathy' is not allowed"),
        (("cases", "sign-off", case_id, "--approve"), "alice",
         "only the clinician's supervisor can sign off"),
        (("users", "list"), "alice", "only an admin can manage accounts"),
        (("audit", "verify", "--anchor", "nonsense"), "alice", "'nonsense' is not a head"),
    ]:
        result = cli(*args, user=user, ok=False)
        assert result.returncode == 2, (args, result.stdout)
        assert message in result.stderr, (args, result.stderr)


def test_audit_verify_names_tampering_and_exits_1(backend: Backend, cli: Cli,  # noqa: F811
                                                  case_file: Path) -> None:
    new_case(cli, case_file)
    store = backend.open()
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET action = 'case.view' WHERE seq = 2"))
    store.close()
    result = cli("audit", "verify", ok=False)
    assert result.returncode == 1
    assert "First: edited: event #2 (case.view) was edited" in result.stderr


def test_the_first_admin_then_accounts_and_supervision(cli: Cli, case_file: Path) -> None:
    cli("users", "add", "boss", "--role", "admin", user="carol")  # the first admin: anyone
    cli("users", "add", "sup", "--role", "supervisor", "--name", "Dr Sup", user="boss")
    cli("users", "add", "dan", user="boss")
    cli("users", "set-supervisor", "dan", "sup", user="boss")
    listing = cli("users", "list", user="boss").stdout
    assert "dan" in listing and "supervised by sup" in listing and "Dr Sup" in listing
    assert cli("users", "whoami", user="sup").stdout == "sup (supervisor)\n"
    out = cli("cases", "new", str(case_file), "--client", "D1", user="dan").stdout
    case_id = out.split()[2]
    assert case_id in cli("cases", "list", "--supervisees", user="sup").stdout
    out = cli("cases", "sign-off", case_id, "--approve", "--comment", "fine", user="sup").stdout
    assert out == f"Signed off assessment 1 of case {case_id}: approved.\n"
    refused = cli("users", "add", "eve", "--role", "admin", user="carol", ok=False)
    assert "only an admin can manage accounts" in refused.stderr


def test_assess_never_loads_the_registry() -> None:
    code = ("import sys, tightrope.cli.app; print(sorted(m for m in sys.modules if "
            "m.split('.')[0] in {'sqlalchemy', 'alembic', 'cryptography', 'argon2', "
            "'psycopg'}))")
    result = run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_installed_program_runs_and_reports_errors_without_a_traceback(
        cli: Cli, case_file: Path) -> None:
    out = cli("cases", "new", str(case_file), "--client", "J.D.", subprocess=True).stdout
    assert out.startswith("Kept case ")
    assert cli("audit", "verify", subprocess=True).stdout.startswith("Audit log verified")
    failed = cli("cases", "show", "nosuchcase", subprocess=True, ok=False)
    assert failed.returncode == 2
    assert failed.stderr == ("there is no case 'nosuchcase' that you can open (check the id "
                             "with `tightrope cases list`)\n")
