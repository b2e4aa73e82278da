"""`tightrope assess`: assess one case, many cases, a directory, or a built-in example."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..core.assessment import Assessment
from ..core.case_loading import parse_case_for, read_case_bytes
from ..core.errors import CaseError, TightropeError
from .dates import parse_cli_date
from .examples import find_example

CASE_SUFFIXES = (".yaml", ".yml", ".json")


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; directories expanded to their case files, sorted by name."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix in CASE_SUFFIXES)
            if not found:
                raise CaseError(code="empty-directory", source=str(path), problems=[
                    _problem("empty-directory", "this directory holds no .yaml, .yml or .json "
                             "case files")])
            expanded.extend(found)
        else:
            expanded.append(path)
    return expanded


def _problem(code: str, message: str) -> Any:
    from ..core.errors import Problem

    return Problem(code, message)


def _error_data(exc: TightropeError) -> dict[str, Any]:
    return {"code": exc.code, "message": str(exc),
            "problems": [{"code": p.code, "path": p.path, "line": p.line, "message": p.message,
                          "hint": p.hint} for p in exc.problems]}


def assess_command(
    cases: list[Path] = typer.Argument(None, metavar="CASE...",
                                       help="Case files (YAML or JSON) or directories of them."),
    example: str = typer.Option(None, "--example", "-e", metavar="NAME",
                                help="Assess a built-in example (see `tightrope examples`)."),
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f",
                                        help="text, json, jsonl (one line per case) or markdown."),
    as_of: str = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                              help="Assessment date (default: the case's as_of, else today)."),
    trace: bool = typer.Option(False, "--trace",
                               help="Include the full trace of every rule and factor."),
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="Text: show every reason behind every factor."),
) -> None:
    """Assess cases and print the verdict, the decisive reason, the rules, what to do."""
    from ..api import builtin_library, resolve_as_of
    from ..core.engine import assess_case

    when = parse_cli_date(as_of, "--as-of")
    today = dt.date.today()
    sources: list[tuple[str, bytes | str | Path]] = []
    if example:
        found = find_example(example)
        sources.append((f"example:{found.name}", found.text))
    for path in expand_paths(list(cases or [])):
        sources.append((str(path), path))  # read lazily, one at a time
    if not sources:
        raise TightropeError(code="no-case", problems=[_problem(
            "no-case", "give a case file, a directory, or --example NAME (see `tightrope "
            "examples`)")])
    library = builtin_library()
    failures = 0
    results: list[tuple[str, Assessment | TightropeError]] = []
    stream = output is OutputFormat.jsonl
    for source, raw in sources:
        try:
            data = read_case_bytes(raw) if isinstance(raw, Path) else raw
            case = parse_case_for(data, source=source, as_of=when, today=today)
            result: Assessment | TightropeError = assess_case(
                case, library, resolve_as_of(case, when, today), trace=trace)
        except TightropeError as exc:
            failures += 1
            result = exc
        if stream:
            _write_jsonl(source, result)
        else:
            results.append((source, result))
    if not stream:
        _write(results, output, verbose)
    if failures:
        raise typer.Exit(code=2)


def _write_jsonl(source: str, result: Assessment | TightropeError) -> None:
    if isinstance(result, TightropeError):
        line = json.dumps({"source": source, "error": _error_data(result)}, ensure_ascii=False)
    else:
        body = result.model_dump_json(exclude_none=False,
                                      exclude={"trace"} if result.trace is None else None)
        line = '{"source":' + json.dumps(source, ensure_ascii=False) + "," + body[1:]
    sys.stdout.write(line + "\n")


def _write(results: list[tuple[str, Assessment | TightropeError]], output: OutputFormat,
           verbose: bool) -> None:
    from ..core.explanation import explain

    errors = [(s, r) for s, r in results if isinstance(r, TightropeError)]
    for _, error in errors:
        typer.echo(str(error), err=True)
    good = [(s, r) for s, r in results if isinstance(r, Assessment)]
    if output is OutputFormat.json:
        if len(results) == 1 and good:
            typer.echo(json.dumps(good[0][1].to_json_data(), indent=2, ensure_ascii=False))
        elif good:
            typer.echo(json.dumps([{"source": s, **a.to_json_data()} for s, a in good],
                                  indent=2, ensure_ascii=False))
        return
    for index, (source, assessment) in enumerate(good):
        view = explain(assessment)
        if len(results) > 1:
            typer.echo(("\n" if index else "") + f"=== {source} ===")
        if output is OutputFormat.markdown:
            from ..render.markdown import render_markdown

            typer.echo(render_markdown(view))
        else:
            _print_text(view, verbose)


def _print_text(view: Any, verbose: bool) -> None:
    if sys.stdout.isatty():
        from rich.console import Console

        from ..render.text import renderables

        Console(highlight=False).print(renderables(view, verbose=verbose))
    else:
        from ..render.text import render_text

        sys.stdout.write(render_text(view, verbose=verbose))
