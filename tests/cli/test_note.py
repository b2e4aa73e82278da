"""`tightrope note` and `tightrope fhir`: one command from any example to a filed note."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from tests.fhir.validation import validate_bundle
from tests.note_factories import RECORD
from tightrope.cli.app import app
from tightrope.cli.examples import builtin_examples
from tightrope.cli.notes import parse_generated_at
from tightrope.core.errors import TightropeError
from tightrope.core.note import is_unchanged

WHEN = ["--generated-at", "2026-11-27T09:30:00+00:00"]
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    """In-process, with the error translation `tightrope.cli.app.main` does at the boundary."""
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, TightropeError):
        return 2, result.stdout, str(result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("example", [e.name for e in builtin_examples()])
def test_every_example_gives_a_pdf_note_in_one_command(example: str, tmp_path: Path) -> None:
    out = tmp_path / "note.pdf"
    code, _, err = run("note", "--example", example, "-o", str(out), *WHEN)
    assert code == 0, err
    assert f"Wrote {out}" in err
    reader = PdfReader(out)
    assert reader.metadata is not None
    assert (reader.metadata.title or "").startswith("Multiple-relationship decision note")
    assert "Verdict:" in reader.pages[0].extract_text()


def test_markdown_is_the_default_and_goes_to_stdout() -> None:
    code, out, _ = run("note", "--example", "former-client-romance", *WHEN)
    assert code == 0
    assert out.startswith("# Multiple-relationship decision note")
    assert "**Verdict: Prohibited until 2027-05-02.**" in out


def test_the_format_follows_the_file_suffix(tmp_path: Path) -> None:
    for name, marker in (("n.md", b"# Multiple"), ("n.html", b"<!DOCTYPE html>"),
                         ("n.pdf", b"%PDF-"), ("n.fhir.json", b'"resourceType": "Bundle"')):
        code, _, err = run("note", "-e", "gym-encounter", "-o", str(tmp_path / name), *WHEN)
        assert code == 0, err
        assert marker in (tmp_path / name).read_bytes()[:200]
    code, _, err = run("note", "-e", "gym-encounter", "-o", str(tmp_path / "n.json"))
    assert code == 2 and "add --format fhir or --format json" in err


def test_a_case_file_a_record_and_options_make_the_full_note(tmp_path: Path) -> None:
    from tightrope.cli.examples import find_example

    case = tmp_path / "case.yaml"
    case.write_text(find_example("former-client-romance").text)
    record = tmp_path / "record.yaml"
    record.write_text(yaml.safe_dump(RECORD))
    code, out, err = run("note", str(case), "--record", str(record), "--client-ref", "AR-7",
                         "--practitioner", "Dr. Q", "-f", "json", *WHEN)
    assert code == 0, err
    data = json.loads(out)
    assert is_unchanged(data)
    assert data["client_ref"] == "AR-7" and data["practitioner_name"] == "Dr. Q"
    assert data["credentials"] == "PhD, licensed psychologist"
    assert data["consultations"][0]["who"] == "Dr. B. Chen"


def test_the_fhir_export_validates_and_imports_back(tmp_path: Path) -> None:
    bundle = tmp_path / "note.fhir.json"
    code, _, err = run("note", "-e", "painting-for-sessions", "-f", "fhir", "-o", str(bundle),
                       "--paper", "letter", *WHEN)
    assert code == 0, err
    data = json.loads(bundle.read_text())
    validate_bundle(data)
    code, out, err = run("fhir", "import", str(bundle))
    assert code == 0, err
    case = yaml.safe_load(out)
    from tightrope.cli.examples import find_example

    assert case == {**yaml.safe_load(find_example("painting-for-sessions").text),
                    "as_of": "2026-11-26"} | {"practitioner": case["practitioner"]}
    assert out.startswith("# Imported from a FHIR QuestionnaireResponse")


def test_the_questionnaire_prints() -> None:
    code, out, _ = run("fhir", "questionnaire")
    assert code == 0
    assert json.loads(out)["resourceType"] == "Questionnaire"


def test_letter_paper_is_letter(tmp_path: Path) -> None:
    out = tmp_path / "n.pdf"
    assert run("note", "-e", "gym-encounter", "--paper", "letter", "-o", str(out), *WHEN)[0] == 0
    page = PdfReader(out).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


@pytest.mark.parametrize(("args", "code", "message"), [
    (["note"], "no-case", "give a case file or --example NAME"),
    (["note", "-e", "gym-encounter", "--assessment", "2"], "bad-option",
     "picks a stored assessment"),
    (["note", "missing.yaml"], "no-such-file", "there is no such file"),
    (["note", "-e", "no-such-thing"], "no-such-example", "no example called"),
    (["note", "-e", "gym-encounter", "-f", "docx"], "bad-option", "allowed: md, html, pdf"),
    (["note", "-e", "gym-encounter", "--paper", "a5"], "bad-option", "allowed: a4, letter"),
    (["note", "-e", "gym-encounter", "--generated-at", "2026-11-27T09:30"], "bad-date",
     "has no time zone"),
    (["note", "-e", "gym-encounter", "--client-ref", "jane@example.com"], "bad-client-ref",
     "de-identified"),
    (["note", "-e", "former-client-romance", "--as-of", "2020-01-01"], "bad-date",
     "after the assessment date"),
    (["fhir", "import", "missing.json"], "no-such-file", "cannot be read"),
])
def test_errors_are_one_clear_message_never_a_traceback(args: list[str], code: str,
                                                        message: str) -> None:
    raised = runner.invoke(app, args).exception
    assert isinstance(raised, TightropeError) and raised.code == code, raised
    result = subprocess.run([sys.executable, "-m", "tightrope", *args], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_pdf_is_not_written_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from tightrope.cli import notes

    class Terminal:
        buffer = io.BytesIO()

        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    with pytest.raises(TightropeError) as caught:
        notes._write(b"%PDF-", None, label="pdf note", binary=True)
    assert caught.value.code == "binary-to-terminal"
    assert Terminal.buffer.getvalue() == b""


def test_the_generation_time_can_be_fixed_for_archiving() -> None:
    fixed = parse_generated_at(None, {"SOURCE_DATE_EPOCH": "1795771800"})
    assert fixed.isoformat() == "2026-11-27T09:30:00+00:00"
    assert parse_generated_at("2026-11-27T09:30:00Z", {}) == fixed
    assert parse_generated_at(None, {}).tzinfo is not None


def test_the_note_command_keeps_assess_fast() -> None:
    """Typst, the note renderers and the FHIR builders load only when a note is written."""
    code = ("import sys, tightrope.cli.app; "
            "print(sorted(m for m in ('typst', 'tightrope.core.note', 'tightrope.fhir.bundle', "
            "'tightrope.render.note_html', 'tightrope.render.note_pdf') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stdout.strip() == "[]"
