"""`tightrope note` (the chart note) and `tightrope fhir` (FHIR import and the interview).

Registered by :func:`tightrope.cli.app._register_optional`. Heavy libraries
(Typst, Jinja2, the FHIR builders) are imported inside the commands, so that
`tightrope assess` starts as fast without this module as with it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..core.errors import Problem, TightropeError

if TYPE_CHECKING:
    from ..core.assessment import Assessment
    from ..core.case import Case
    from ..core.note import NoteContext
    from ..render.note_output import NoteFormat

CASE_SUFFIXES = (".yaml", ".yml", ".json")
FORMATS = ("md", "html", "pdf", "fhir", "json")
PAPERS = ("a4", "letter")


def cli_error(code: str, message: str, where: str = "", hint: str = "") -> TightropeError:
    return TightropeError(code=code, problems=[Problem(code, message, where, None, hint)])


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise cli_error("bad-option", f"{value!r} is not allowed", option,
                        f"allowed: {', '.join(allowed)}")
    return value


def parse_generated_at(value: str | None, environ: dict[str, str]) -> dt.datetime:
    """--generated-at, else SOURCE_DATE_EPOCH (reproducible builds), else now."""
    if value:
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            raise cli_error("bad-date", f"{value!r} is not a date and time", "--generated-at",
                        "write it as 2026-11-27T09:30:00+00:00") from None
        if when.tzinfo is None:
            raise cli_error("bad-date", f"{value!r} has no time zone", "--generated-at",
                        "add one, for example +00:00 or Z") from None
        return when
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise cli_error("bad-date", f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds",
                        "SOURCE_DATE_EPOCH") from None
    return dt.datetime.now().astimezone()


def looks_like_file(reference: str) -> bool:
    return (Path(reference).exists() or reference.endswith(CASE_SUFFIXES)
            or "/" in reference or os.sep in reference)


def _load_case(reference: str | None, example: str | None, as_of: dt.date | None,
               number: int | None) -> tuple[Case, Assessment, NoteContext | None]:
    from ..api import builtin_library, resolve_as_of
    from ..core.case_loading import parse_case_for, read_case_bytes
    from ..core.engine import assess_case
    from .examples import find_example

    if example and reference:
        raise cli_error("bad-option", "give a case or --example, not both", "--example")
    stored = reference is not None and not example and not looks_like_file(reference)
    if number is not None and not stored:
        raise cli_error("bad-option", "--assessment picks a stored assessment of a registry "
                        "case", "--assessment", "a case file is assessed afresh")
    if stored and as_of is not None:
        raise cli_error("bad-option", "a stored assessment keeps the date it was made on",
                        "--as-of", "reassess the case in the registry for another date")
    if example:
        found = find_example(example)
        source, raw = f"example:{found.name}", found.text.encode("utf-8")
    elif reference and stored:
        from .note_sources import load_from_registry

        return load_from_registry(reference, number)
    elif reference:
        source, raw = reference, read_case_bytes(Path(reference))
    else:
        raise cli_error("no-case", "give a case file or --example NAME (see `tightrope examples`)")
    today = dt.date.today()
    case = parse_case_for(raw, source=source, as_of=as_of, today=today)
    return case, assess_case(case, builtin_library(), resolve_as_of(case, as_of, today)), None


def _context(base: NoteContext | None, record: Path | None, client_ref: str | None,
             practitioner: str | None, credentials: str | None) -> NoteContext:
    from pydantic import ValidationError

    from ..core.case_loading import read_case_bytes
    from ..core.note import NoteContext, NoteError, parse_note_context
    from ..core.validation import problems_from_validation

    data = (base or NoteContext()).model_dump(mode="json", exclude_none=True)
    if record is not None:
        try:
            raw = read_case_bytes(record)
        except TightropeError as exc:
            raise NoteError(code=exc.code, source=str(record), problems=exc.problems) from None
        # The record file adds to what the registry holds: its fields win, and its
        # consultations come after the registry's.
        extra = parse_note_context(raw, source=str(record)).model_dump(
            mode="json", exclude_none=True, exclude_unset=True)
        consultations = data.get("consultations", []) + extra.pop("consultations", [])
        data = {**data, **extra, "consultations": consultations}
    if client_ref is not None:
        data["client_ref"] = client_ref
    if practitioner is not None:
        data.setdefault("practitioner", {})["name"] = practitioner
    if credentials is not None:
        data.setdefault("practitioner", {})["credentials"] = credentials
    try:
        return NoteContext.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, None, NoteContext)
        raise NoteError(code=problems[0].code, source="options", problems=problems) from None


def _format(value: str | None, output: Path | None) -> NoteFormat:
    from ..render.note_output import SUFFIX_FORMATS, NoteFormat

    if value is not None:
        return NoteFormat(_choice(value, FORMATS, "--format"))
    if output is not None and output.name.endswith(".fhir.json"):
        return NoteFormat.fhir
    if output is not None and output.suffix.lower() in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[output.suffix.lower()]
    if output is not None and output.suffix.lower() == ".json":
        raise cli_error("bad-option", "a .json file could be the FHIR export or the note's data",
                    "--format", "add --format fhir or --format json")
    return NoteFormat.md


def _write(content: bytes, output: Path | None, *, label: str, binary: bool = False) -> None:
    if output is None:
        if binary and sys.stdout.isatty():
            raise cli_error("binary-to-terminal", "a PDF cannot be shown in the terminal", "-o",
                        "add -o note.pdf, or pipe the output to a file")
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise cli_error("cannot-write", f"the note cannot be written ({exc.strerror})",
                    str(output), "check that the folder exists and is writable") from None
    typer.echo(f"Wrote {output} ({label}, {len(content):,} bytes).", err=True)


def note_command(
    case: str = typer.Argument(None, metavar="CASE",
                               help="A case file (YAML or JSON), or a registry case ID."),
    example: str = typer.Option(None, "--example", "-e", metavar="NAME",
                                help="Use a built-in example (see `tightrope examples`)."),
    output_format: str = typer.Option(None, "--format", "-f", metavar="FORMAT",
                                      help="md, html, pdf, fhir (an R4 Bundle) or json (the "
                                      "note's data). Default: from -o's suffix, else md."),
    output: Path = typer.Option(None, "--output", "-o", metavar="FILE",
                                help="Write to FILE instead of standard output."),
    as_of: str = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                              help="Assessment date (default: the case's as_of, else today)."),
    paper: str = typer.Option("a4", "--paper", metavar="SIZE",
                              help="Paper for PDF and print: a4 or letter."),
    client_ref: str = typer.Option(None, "--client-ref", metavar="REF",
                                   help="De-identified client reference (initials or an id)."),
    practitioner: str = typer.Option(None, "--practitioner", metavar="NAME",
                                     help="Your name as it should appear on the note."),
    credentials: str = typer.Option(None, "--credentials", metavar="TEXT",
                                    help="Your credentials, e.g. 'PhD, licensed psychologist'."),
    number: int = typer.Option(None, "--assessment", "-a", min=1, metavar="N",
                               help="Registry case: the stored assessment to write up "
                               "(default: the latest)."),
    record: Path = typer.Option(None, "--record", "--consultation", metavar="FILE",
                                help="YAML or JSON with consultations, informed consent, plan "
                                "and re-assessment date (see docs/notes.md)."),
    generated_at: str = typer.Option(None, "--generated-at", metavar="DATETIME",
                                     help="When the note is written (default: now, or "
                                     "SOURCE_DATE_EPOCH); fixes the output for archiving."),
) -> None:
    """Write the chart note for a case: Markdown, HTML, PDF, or a FHIR R4 Bundle."""
    from ..core.note import build_note
    from ..render.note_output import render_note
    from .dates import parse_cli_date

    fmt = _format(output_format, output)
    chosen_paper = _choice(paper, PAPERS, "--paper")
    when = parse_cli_date(as_of, "--as-of")
    written = parse_generated_at(generated_at, dict(os.environ))
    the_case, assessment, stored = _load_case(case, example, when, number)
    context = _context(stored, record, client_ref, practitioner, credentials)
    note = build_note(the_case, assessment, context, generated_at=written)
    _write(render_note(note, fmt, paper="letter" if chosen_paper == "letter" else "a4"),
           output, label=f"{fmt.value} note", binary=fmt.is_binary)


fhir_app = typer.Typer(help="FHIR R4: import a QuestionnaireResponse, print the interview.",
                       no_args_is_help=True, add_completion=False, rich_markup_mode=None)


@fhir_app.command("import")
def fhir_import_command(
    source: Path = typer.Argument(..., metavar="FILE",
                                  help="A QuestionnaireResponse, or a Bundle holding one."),
    output: Path = typer.Option(None, "--output", "-o", metavar="FILE",
                                help="Write the case to FILE instead of standard output."),
) -> None:
    """Turn a QuestionnaireResponse to the Tightrope interview back into a case file (YAML)."""
    import yaml

    from ..fhir.response_import import import_response

    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise cli_error("no-such-file" if isinstance(exc, FileNotFoundError) else "unreadable",
                    f"the file cannot be read ({exc.strerror})", str(source)) from None
    case = import_response(raw, source=str(source))
    text = "# Imported from a FHIR QuestionnaireResponse by Tightrope\n" + yaml.safe_dump(
        case.dump(), sort_keys=False, allow_unicode=True)
    _write(text.encode("utf-8"), output, label="case")


@fhir_app.command("questionnaire")
def fhir_questionnaire_command(
    output: Path = typer.Option(None, "--output", "-o", metavar="FILE",
                                help="Write to FILE instead of standard output."),
) -> None:
    """Print the Tightrope interview as a FHIR R4 Questionnaire (JSON)."""
    import json

    from ..fhir.questionnaire import build_questionnaire

    text = json.dumps(build_questionnaire(), indent=2, ensure_ascii=False) + "\n"
    _write(text.encode("utf-8"), output, label="Questionnaire")


def register(app: typer.Typer) -> None:
    app.command("note")(note_command)
    app.add_typer(fhir_app, name="fhir")
