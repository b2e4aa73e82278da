"""`tightrope cases ...`: keep cases, reassess them, record safeguards, export and import.

Also registers the registry's other commands (`db`, `audit`, `keys`, `backup`,
`users`, in :mod:`registry_admin`). Heavy libraries are imported inside the
commands so that `tightrope assess` starts as fast as before.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .dates import parse_cli_date
from .registry_context import opened

if TYPE_CHECKING:
    from ..registry.views import AssessmentOutcome, CaseDetail, CaseSummary

app = typer.Typer(help="Keep cases: reassess them, record consultation, consent and "
                  "sign-off, export and import.", no_args_is_help=True, rich_markup_mode=None)


class ListFormat(StrEnum):
    text = "text"
    json = "json"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def register(root: typer.Typer) -> None:
    from . import registry_admin

    root.add_typer(app, name="cases")
    registry_admin.register(root)


def _load_case_file(path: Path) -> Any:
    from ..core.case_loading import parse_case, read_case_bytes

    return parse_case(read_case_bytes(path), source=str(path))


def _verdict(value: str | None, until: dt.date | None = None) -> str:
    if value is None:
        return "-"
    from ..core.explanation import VERDICT_LABELS
    from ..core.vocabulary import Verdict

    label = VERDICT_LABELS[Verdict(value)]
    return f"{label} until {until}" if until else label


def _due(summary: CaseSummary | Any) -> str:
    if summary.review_due_on is None:
        return "no re-assessment due"
    reason = summary.review_reason.value.replace("_", " ") if summary.review_reason else ""
    return f"re-assess by {summary.review_due_on} ({reason})"


def _print_outcome(outcome: AssessmentOutcome, created: bool) -> None:
    a = outcome.assessment
    typer.echo(f"{'Kept case' if created else 'Reassessed case'} {outcome.case_id} "
               f"(client {outcome.client_ref}), assessment {a.number} on {a.as_of}.")
    typer.echo(f"Verdict: {_verdict(a.verdict.value, a.until)}.")
    if outcome.previous_verdict is not None and outcome.previous_verdict is not a.verdict:
        typer.echo(f"Changed from: {_verdict(outcome.previous_verdict.value)}.")
    for change in outcome.pack_changes:
        typer.echo(f"Rule packs changed since the last assessment: {change}.")
    if outcome.new_revision:
        typer.echo(f"Facts saved as revision {a.revision}.")
    typer.echo(f"Next: {_due(a)}. See it all with `tightrope cases show {outcome.case_id}`.")


@app.command("new")
def new_case(
    file: Path = typer.Argument(..., help="The case file (YAML or JSON, case format 1)."),
    client: str = typer.Option(..., "--client", "-c", metavar="REF",
                               help="De-identified client reference: initials or a code."),
    allow_name: bool = typer.Option(False, "--allow-name",
                                    help="Accept a reference that looks like a full name."),
    as_of: str = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                              help="Assessment date (default: the case's as_of, else today)."),
    note: str = typer.Option(None, "--note", help="A note on this revision (kept encrypted)."),
) -> None:
    """Keep a new case and store its first assessment."""
    case = _load_case_file(file)
    with opened() as context:
        outcome = context.registry.cases.create(
            context.actor(), case, client, allow_name=allow_name,
            as_of=parse_cli_date(as_of, "--as-of"), note=note)
    _print_outcome(outcome, created=True)


@app.command("list")
def list_cases(
    due: bool = typer.Option(False, "--due", help="Only cases due for re-assessment."),
    within: int = typer.Option(0, "--within", metavar="DAYS", min=0,
                               help="With --due: also those due in the next DAYS days."),
    supervisees: bool = typer.Option(False, "--supervisees",
                                     help="Your supervisees' cases instead of your own."),
    everything: bool = typer.Option(False, "--all", help="Your cases and your supervisees'."),
    closed: bool = typer.Option(False, "--closed", help="Closed cases instead of open ones."),
    limit: int = typer.Option(100, "--limit", min=1, max=10_000),
    output: ListFormat = typer.Option(ListFormat.text, "--format", "-f"),
) -> None:
    """Your cases, newest first (or those due for re-assessment, soonest first)."""
    from ..registry.vocabulary import CaseStatus

    scope = "all" if everything else "supervisees" if supervisees else "own"
    with opened() as context:
        today = context.registry.today()
        cases = context.registry.cases.find(
            context.actor(), scope=scope, limit=limit,
            due_by=today + dt.timedelta(days=within) if due else None,
            status=CaseStatus.closed if closed else CaseStatus.open)
    if output is ListFormat.json:
        typer.echo(json.dumps([c.model_dump(mode="json") for c in cases], indent=2,
                              ensure_ascii=False))
        return
    if not cases:
        typer.echo("No cases due." if due else "No cases yet. Keep one with "
                   "`tightrope cases new CASE.yaml --client J.D.`")
        return
    for c in cases:
        owner = f" [{c.owner}]" if scope != "own" else ""
        typer.echo(f"{c.id}  {c.client_ref:<12} {_verdict(c.latest_verdict, c.latest_until):<36}"
                   f" {_due(c)}; updated {c.updated_at:%Y-%m-%d}{owner}")


@app.command("show")
def show(
    case_id: str = typer.Argument(..., metavar="ID"),
    assessment: int = typer.Option(None, "--assessment", "-a", min=1,
                                   help="Show this assessment (default: the latest)."),
    output: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f"),
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="Text: every reason behind every factor."),
) -> None:
    """Everything recorded about a case; assessments exactly as stored, never re-run."""
    with opened() as context:
        detail = context.registry.cases.show(context.actor(), case_id)
    if output is ShowFormat.json:
        from ..registry.exchange import to_export_case

        typer.echo(to_export_case(detail).model_dump_json(indent=2))
        return
    _print_detail(detail, assessment, markdown=output is ShowFormat.markdown, verbose=verbose)


def _print_detail(detail: CaseDetail, number: int | None, *, markdown: bool,
                  verbose: bool) -> None:
    from ..core.errors import Problem, TightropeError
    from ..core.explanation import explain

    s = detail.summary
    typer.echo(f"Case {s.id}: client {s.client_ref}, kept by {s.owner}, {s.status.value}; "
               f"created {s.created_at:%Y-%m-%d %H:%M} UTC, updated "
               f"{s.updated_at:%Y-%m-%d %H:%M} UTC; {_due(s)}.")
    typer.echo("Revisions: " + "; ".join(
        f"{r.number} by {r.author} on {r.created_at:%Y-%m-%d}" + (f" ({r.note})" if r.note
                                                                  else "")
        for r in detail.revisions))
    typer.echo("Assessments: " + "; ".join(
        f"{a.number} on {a.as_of}: {_verdict(a.verdict.value, a.until)} (revision "
        f"{a.revision}, engine {a.engine_version}, packs "
        + ", ".join(f"{p.id} {p.version}" for p in a.packs) + ")"
        for a in detail.assessments))
    for c in detail.consultations:
        decided = f"; decided: {c.decision.value}" if c.decision else ""
        typer.echo(f"Consulted {c.consultant} ({c.consultant_role.value}) on {c.consulted_on}: "
                   f"{c.advice}{decided}" + (f" because {c.rationale}" if c.rationale else "")
                   + f" [recorded by {c.recorded_by}]")
    for n in detail.consents:
        typer.echo(f"Informed consent ({n.method.value}) given on {n.given_on}"
                   + (f": {n.note}" if n.note else "") + f" [recorded by {n.recorded_by}]")
    for o in detail.sign_offs:
        typer.echo(f"Sign-off of assessment {o.assessment} by {o.supervisor} on "
                   f"{o.created_at:%Y-%m-%d}: {o.outcome.value.replace('_', ' ')}"
                   + (f" ({o.comment})" if o.comment else ""))
    chosen = [a for a in detail.assessments if number is None or a.number == number]
    if not chosen:
        raise TightropeError(code="assessment-not-found", problems=[Problem(
            "assessment-not-found", f"case {s.id} has no assessment {number}", "--assessment",
            None, f"its assessments are numbered 1 to {len(detail.assessments)}")])
    shown = chosen[-1]
    typer.echo(f"\n--- Assessment {shown.number}, as stored on {shown.created_at:%Y-%m-%d} "
               "---\n")
    view = explain(shown.result)
    if markdown:
        from ..render.markdown import render_markdown

        typer.echo(render_markdown(view))
    else:
        from ..render.text import render_text

        sys.stdout.write(render_text(view, verbose=verbose))


@app.command("reassess")
def reassess(
    case_id: str = typer.Argument(..., metavar="ID"),
    case_file: Path = typer.Option(None, "--case", metavar="FILE",
                                   help="New facts (a case file); saved as a new revision."),
    as_of: str = typer.Option(None, "--as-of", metavar="YYYY-MM-DD",
                              help="Assessment date (default: today)."),
    note: str = typer.Option(None, "--note", help="What changed (kept encrypted)."),
) -> None:
    """Assess a case again with today's rule packs (and new facts, if given)."""
    case = _load_case_file(case_file) if case_file else None
    with opened() as context:
        outcome = context.registry.cases.reassess(
            context.actor(), case_id, case=case, as_of=parse_cli_date(as_of, "--as-of"),
            note=note)
    _print_outcome(outcome, created=False)


@app.command("consult")
def consult(
    case_id: str = typer.Argument(..., metavar="ID"),
    consultant: str = typer.Option(..., "--with", metavar="WHOM",
                                   help="Whom you consulted (kept encrypted)."),
    role: str = typer.Option(..., "--role", help="supervisor, colleague, ethics_committee, "
                             "ethics_consultation_service, professional_association, "
                             "licensing_board, attorney, risk_management or other."),
    on: str = typer.Option(None, "--on", metavar="YYYY-MM-DD", help="When (default: today)."),
    advice: str = typer.Option(..., "--advice", help="What was advised (kept encrypted)."),
    decision: str = typer.Option(None, "--decision", help="What you decided: proceed, "
                                 "proceed_with_safeguards, wait, decline, end_and_refer, "
                                 "refer or undecided."),
    rationale: str = typer.Option(None, "--rationale", help="Why (kept encrypted)."),
) -> None:
    """Record a consultation: with whom, when, the advice, your decision and why."""
    from ..registry.inputs import ConsultationInput, parse_input

    with opened() as context:
        entry = parse_input(ConsultationInput, {
            "consultant": consultant, "consultant_role": role,
            "consulted_on": parse_cli_date(on, "--on") or context.registry.today(),
            "advice": advice, "decision": decision, "rationale": rationale},
            what="consultation")
        record = context.registry.safeguards.consult(context.actor(), case_id, entry)
    typer.echo(f"Recorded consultation {record.id} on case {case_id}.")


@app.command("consent")
def consent(
    case_id: str = typer.Argument(..., metavar="ID"),
    on: str = typer.Option(None, "--on", metavar="YYYY-MM-DD",
                           help="When consent was given (default: today)."),
    method: str = typer.Option(..., "--method", help="written, verbal or electronic."),
    note: str = typer.Option(None, "--note", help="What was consented to (kept encrypted)."),
) -> None:
    """Record the client's informed consent."""
    from ..registry.inputs import ConsentInput, parse_input

    with opened() as context:
        entry = parse_input(ConsentInput, {
            "given_on": parse_cli_date(on, "--on") or context.registry.today(),
            "method": method, "note": note}, what="consent")
        record = context.registry.safeguards.consent(context.actor(), case_id, entry)
    typer.echo(f"Recorded informed consent {record.id} on case {case_id}.")


@app.command("sign-off")
def sign_off(
    case_id: str = typer.Argument(..., metavar="ID"),
    approve: bool = typer.Option(False, "--approve", help="Approve the assessment."),
    request_changes: bool = typer.Option(False, "--request-changes",
                                         help="Ask the clinician for changes."),
    assessment: int = typer.Option(None, "--assessment", "-a", min=1,
                                   help="Which assessment (default: the latest)."),
    comment: str = typer.Option(None, "--comment", help="Your comment (kept encrypted)."),
) -> None:
    """As the clinician's supervisor: approve an assessment, or request changes."""
    from ..core.errors import Problem, TightropeError
    from ..registry.inputs import SignOffInput, parse_input

    if approve == request_changes:
        raise TightropeError(code="invalid-input", problems=[Problem(
            "invalid-input", "give exactly one of --approve and --request-changes")])
    entry = parse_input(SignOffInput, {
        "outcome": "approved" if approve else "changes_requested", "assessment": assessment,
        "comment": comment}, what="sign-off")
    with opened() as context:
        record = context.registry.safeguards.sign_off(context.actor(), case_id, entry)
    typer.echo(f"Signed off assessment {record.assessment} of case {case_id}: "
               f"{record.outcome.value.replace('_', ' ')}.")


@app.command("close")
def close(case_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Close a case (the relationship is over): no more re-assessment reminders."""
    with opened() as context:
        context.registry.cases.close(context.actor(), case_id)
    typer.echo(f"Closed case {case_id}.")


@app.command("reopen")
def reopen(case_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Reopen a closed case."""
    with opened() as context:
        summary = context.registry.cases.reopen(context.actor(), case_id)
    typer.echo(f"Reopened case {case_id}; {_due(summary)}.")


@app.command("history")
def history(case_id: str = typer.Argument(..., metavar="ID")) -> None:
    """The audit trail of a case: who did what, and when."""
    with opened() as context:
        entries = context.registry.cases.history(context.actor(), case_id)
    for e in entries:
        extra = ", ".join(f"{k}={v}" for k, v in e.details.items())
        typer.echo(f"#{e.seq} {e.at:%Y-%m-%d %H:%M:%S} UTC {e.actor or '-'} {e.action}"
                   + (f" ({extra})" if extra else ""))


@app.command("export")
def export(
    case_ids: list[str] = typer.Argument(None, metavar="[ID]...",
                                         help="Cases to export (default: all you can see)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here (default: stdout)."),
    supervisees: bool = typer.Option(False, "--supervisees",
                                     help="Your supervisees' cases instead of your own."),
    everything: bool = typer.Option(False, "--all", help="Your cases and your supervisees'."),
    deidentify: bool = typer.Option(False, "--deidentify",
                                    help="De-identified, for ethics committees and teaching."),
    include_free_text: bool = typer.Option(False, "--include-free-text",
                                           help="With --deidentify: keep free text (review "
                                           "it before sharing)."),
) -> None:
    """Export cases as JSON (format 1), or de-identified with --deidentify."""
    from ..core.errors import Problem, TightropeError

    if include_free_text and not deidentify:
        raise TightropeError(code="invalid-input", problems=[Problem(
            "invalid-input", "--include-free-text only applies with --deidentify (a full "
            "export always includes free text)")])
    scope = "all" if everything else "supervisees" if supervisees else "own"
    with opened() as context:
        actor = context.actor()
        if deidentify:
            from ..registry.deidentify import deidentified_export

            text = json.dumps(deidentified_export(
                context.registry, actor, case_ids or None, scope=scope,
                include_free_text=include_free_text), indent=2, ensure_ascii=False)
        else:
            text = context.registry.exchange.export(actor, case_ids or None,
                                                    scope=scope).model_dump_json(indent=2)
    if output is None:
        typer.echo(text)
        return
    _write_private(output, text + "\n")
    typer.echo(f"Wrote {output}.", err=True)


def _write_private(path: Path, text: str) -> None:
    import os

    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


@app.command("import")
def import_cases(
    file: Path = typer.Argument(..., help="A file written by `tightrope cases export`."),
    claim: bool = typer.Option(False, "--claim",
                               help="Keep every imported case as yours, whoever owned it."),
) -> None:
    """Import an export file: every case in it, or nothing."""
    from ..core.errors import Problem, TightropeError

    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise TightropeError(code="unreadable", source=str(file), problems=[Problem(
            "unreadable", f"this file cannot be read ({type(exc).__name__})")]) from None
    with opened() as context:
        ids = context.registry.exchange.import_file(context.actor(), raw, source=str(file),
                                                    claim=claim)
    typer.echo(f"Imported {len(ids)} case{'s' if len(ids) != 1 else ''}: {', '.join(ids)}.")
