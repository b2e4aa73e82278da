"""`tightrope assess`, `examples` and `packs` as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.factories import case_data


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tightrope", *args], capture_output=True,
                          text=True, input=stdin, timeout=120)


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(case_data()))
    (tmp_path / "b.json").write_text(json.dumps(case_data(other__kind="friendship")))
    (tmp_path / "notes.txt").write_text("not a case")
    return tmp_path


def test_text_output_reads_verdict_first_then_reasons_rules_actions(case_dir: Path) -> None:
    result = run("assess", str(case_dir / "a.yaml"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    positions = [out.index(h) for h in ("Why", "Rules that bind you", "What to do",
                                        "What would change the answer", "Factors weighed")]
    assert positions == sorted(positions)
    assert "APA 10.08" in out and "https://www.apa.org/ethics/code" in out


def test_json_output_follows_assessment_format_1(case_dir: Path) -> None:
    result = run("assess", str(case_dir / "a.yaml"), "--format", "json")
    data = json.loads(result.stdout)
    for key in ("verdict", "until", "primary_factor", "factors", "findings", "actions",
                "what_would_change", "engine"):
        assert key in data
    assert data["engine"]["packs"][0]["sha256"]
    assert "trace" not in data
    traced = json.loads(run("assess", str(case_dir / "a.yaml"), "-f", "json", "--trace").stdout)
    assert traced["trace"]["rules"] and traced["trace"]["layers"]


def test_a_directory_is_assessed_in_one_process_as_jsonl(case_dir: Path) -> None:
    result = run("assess", str(case_dir), "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(line["source"]).name for line in lines] == ["a.yaml", "b.json"]
    assert all("verdict" in line for line in lines)


def test_as_of_moves_the_assessment_date(case_dir: Path) -> None:
    early = json.loads(run("assess", str(case_dir / "a.yaml"), "-f", "json",
                           "--as-of", "2024-01-01").stdout)
    late = json.loads(run("assess", str(case_dir / "a.yaml"), "-f", "json",
                          "--as-of", "2026-01-01").stdout)
    assert early["verdict"] == "prohibited" and early["until"] == "2025-05-02"
    assert late["verdict"] != "prohibited"


def test_markdown_output(case_dir: Path) -> None:
    out = run("assess", str(case_dir / "a.yaml"), "--format", "markdown").stdout
    assert out.startswith("## ") and "### Rules that bind you" in out


@pytest.mark.parametrize("args, fragment", [
    (["assess", "missing.yaml"], "there is no such file"),
    (["assess", "--example", "nope"], "there is no example called 'nope'"),
    (["assess", "--example", "former-client-romance", "--as-of", "26/11/2026"], "is not a date"),
    (["assess"], "give a case file"),
])
def test_bad_input_exits_2_with_one_clear_message(args: list[str], fragment: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_bad_case_in_a_batch_is_reported_and_the_rest_assessed(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(yaml.safe_dump(case_data()))
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(case_data(other__kind="hug")))
    result = run("assess", str(tmp_path), "-f", "jsonl")
    assert result.returncode == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    bad = next(line for line in lines if line["source"].endswith("bad.yaml"))
    assert bad["error"]["problems"][0]["path"] == "other.kind"
    assert any("verdict" in line for line in lines)


def test_examples_list_and_run() -> None:
    listing = run("examples").stdout
    assert "former-client-romance" in listing and "small-town-mechanic" in listing
    result = run("assess", "--example", "small-town-mechanic")
    assert result.returncode == 0 and "PROCEED WITH SAFEGUARDS" in result.stdout
    shown = run("examples", "--show", "gym-encounter").stdout
    assert yaml.safe_load(shown)["other"]["kind"] == "incidental_contact"


def test_packs_commands() -> None:
    assert "apa" in run("packs", "list").stdout
    assert "all valid" in run("packs", "check").stdout
    tested = run("packs", "test")
    assert tested.returncode == 0 and "scenarios passed" in tested.stdout


def test_packs_check_reports_a_broken_directory(tmp_path: Path) -> None:
    broken = Path(__file__).parents[1] / "core" / "broken_packs" / "unknown-fact.yaml"
    (tmp_path / "x.yaml").write_text(broken.read_text())
    result = run("packs", "check", str(tmp_path))
    assert result.returncode == 2
    assert "unknown fact 'client.caseload'" in result.stderr and "x.yaml:" in result.stderr


def test_output_is_byte_identical_between_runs(case_dir: Path) -> None:
    first = run("assess", str(case_dir), "-f", "jsonl", "--trace").stdout
    second = run("assess", str(case_dir), "-f", "jsonl", "--trace").stdout
    assert first == second
