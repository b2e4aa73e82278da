"""`tightrope packs list|check|test`: the rule packs, their strict loader and their scenarios."""

from __future__ import annotations

from pathlib import Path

import typer

from ..core.errors import TightropeError

app = typer.Typer(help="List, check and test the rule packs.", no_args_is_help=True,
                  rich_markup_mode=None)


def _library(directory: Path | None):  # type: ignore[no-untyped-def]
    from ..core.library import PackLibrary

    return PackLibrary.from_directory(directory) if directory else PackLibrary.builtin()


@app.command("list")
def list_packs() -> None:
    """Every pack: code, edition, version, dates, rule count, verified share and hash."""
    library = _library(None)
    for pack in library.packs:
        header = pack.header
        verified = sum(rule.status == "V" for rule in pack.rules)
        hard = sum(rule.is_hard_stop for rule in pack.rules)
        scope = f"{header.jurisdiction} " if header.jurisdiction else ""
        until = f" to {header.effective_to}" if header.effective_to else ""
        typer.echo(f"{pack.id:<16} {scope}{header.code} {header.edition} (v{pack.version}), "
                   f"from {header.effective_from}{until}: {len(pack.rules)} rules, "
                   f"{verified} verified, {hard} hard stops; sha256 {pack.sha256[:12]}")
        typer.echo(f"{'':<16} {header.title} ({header.publisher}) <{header.source_url}>")


@app.command("check")
def check(directory: Path = typer.Argument(
        None, help="A directory of packs to check (default: the built-in packs).")) -> None:
    """Load every pack with the strict loader and report every problem, with file and line."""
    library = _library(directory)
    rules = sum(len(p.rules) for p in library.packs)
    typer.echo(f"{len(library.packs)} packs, {rules} rules: all valid.")


@app.command("test")
def test(directory: Path = typer.Argument(
        None, help="A directory of packs and their .scenarios.yaml (default: built-in)."),
         verbose: bool = typer.Option(False, "--verbose", "-v",
                                      help="List every scenario, not only failures.")) -> None:
    """Run every pack's scenario tests through the engine."""
    from ..core.scenarios import builtin_scenarios, run_scenario, scenarios_in

    library = _library(directory)
    scenarios = scenarios_in(directory) if directory else builtin_scenarios()
    failed = 0
    for scenario in scenarios:
        result = run_scenario(scenario, library)
        if not result.passed:
            failed += 1
            typer.echo(f"FAIL [{scenario.pack}] {scenario.name} ({scenario.source})")
            for failure in result.failures:
                typer.echo(f"     {failure}")
        elif verbose:
            typer.echo(f"ok   [{scenario.pack}] {scenario.name}")
    packs = sorted({s.pack for s in scenarios})
    typer.echo(f"{len(scenarios) - failed} of {len(scenarios)} scenarios passed across "
               f"{len(packs)} packs.")
    if failed:
        raise typer.Exit(code=1)


__all__ = ["TightropeError", "app"]
