"""The terminal view of an assessment: readable in twenty seconds.

Order: the verdict, the decisive reason, the rules with citations, what to do,
what would change, what is still unknown, then the factors and the packs used.
Colour only ever repeats what the words say (WCAG 1.4.1), so the output reads
the same in a pipe, a screen reader or a golden file.
"""

from __future__ import annotations

from io import StringIO

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..core.explanation import Explanation
from ..core.vocabulary import Verdict

VERDICT_STYLE = {
    Verdict.prohibited: "bold white on red",
    Verdict.avoid: "bold black on yellow",
    Verdict.proceed_with_safeguards: "bold black on cyan",
    Verdict.acceptable: "bold black on green",
}


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def _item(marker: str, body: Text | str, indent: int = 2) -> Table:
    """A list item with a hanging indent, so wrapped lines stay under the text."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=indent + len(marker), no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(" " * indent + marker, body if isinstance(body, Text) else Text(body))
    return grid


def renderables(view: Explanation, *, verbose: bool = False) -> Group:
    parts: list[object] = []
    banner = Text()
    banner.append(f" {view.headline.upper()} ", style=VERDICT_STYLE[view.verdict])
    banner.append(f"   assessed as of {view.as_of}")
    parts.append(banner)
    parts.append(Text(view.verdict_meaning, style="italic"))
    parts.append(_section("Why"))
    parts.append(Padding(Text(view.decisive_reason), (0, 0, 0, 2)))
    if view.governing:
        parts.append(Padding(Text(view.governing), (0, 0, 0, 2)))
    parts.append(_section("Rules that bind you"))
    if not view.rules:
        parts.append(Padding(Text("No rule in the codes that bind you speaks to this case "
                                  "directly; the verdict rests on the judgement layers."),
                             (0, 0, 0, 2)))
    for rule in view.rules:
        line = Text()
        line.append(f"{rule.code} {rule.section}", style="bold")
        line.append(f" ({rule.edition}): {rule.title}. ")
        line.append(f"[{rule.effect_label}{rule.timing}; {rule.status_label}]", style="bold")
        parts.append(_item("-", line))
        parts.append(Padding(Text(rule.summary), (0, 0, 0, 4)))
        for requirement in rule.requirements:
            parts.append(_item("requires:", requirement, indent=4))
        parts.append(Padding(Text(rule.url, style="dim"), (0, 0, 0, 4)))
    parts.append(_section("What to do"))
    for number, action in enumerate(view.actions, start=1):
        line = Text()
        line.append(action.label, style="bold")
        line.append(f": {action.detail}")
        parts.append(_item(f"{number}.", line))
    if view.what_would_change:
        parts.append(_section("What would change the answer"))
        for change in view.what_would_change:
            parts.append(_item("-", change))
    parts.append(_section("Factors weighed"))
    for factor in view.factors:
        line = Text()
        line.append(factor.label, style="bold")
        line.append(f": {factor.level} ({factor.role_label})")
        parts.append(_item("-", line))
        shown = factor.because if verbose or factor.role.value != "considered_not_decisive" \
            else factor.because[:1]
        for reason in shown:
            parts.append(Padding(Text(reason, style="dim" if not verbose else ""), (0, 0, 0, 4)))
    if view.coverage:
        parts.append(_section("Not covered"))
        for gap in view.coverage:
            parts.append(_item("-", gap))
    codes = ", ".join(f"{c.code} {c.version} ({c.bound_by})" for c in view.codes) or "none"
    parts.append(Text(f"\nCodes applied: {codes}. Engine {view.engine_version}.", style="dim"))
    parts.append(Text(view.notice, style="dim italic"))
    return Group(*parts)  # type: ignore[arg-type]


def render_text(view: Explanation, *, width: int = 100, verbose: bool = False) -> str:
    """Plain text, no colour: for pipes, files and golden tests."""
    buffer = StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False,
                      highlight=False, soft_wrap=False)
    console.print(renderables(view, verbose=verbose))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
