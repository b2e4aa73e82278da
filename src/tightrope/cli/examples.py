"""`tightrope examples`: the built-in example cases."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import typer

from ..core.errors import Problem, TightropeError


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    text: str


def builtin_examples() -> list[Example]:
    root = resources.files("tightrope").joinpath("examples")
    found = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        text = entry.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        title = first.lstrip("# ").strip() if first.startswith("#") else entry.name
        found.append(Example(entry.name.removesuffix(".yaml"), title, text))
    return found


def find_example(name: str) -> Example:
    examples = builtin_examples()
    for example in examples:
        if example.name == name:
            return example
    close = [e.name for e in examples if name in e.name or e.name in name]
    hint = ("did you mean " + ", ".join(close) + "?") if close else \
        "run `tightrope examples` to list them"
    raise TightropeError(code="no-such-example", problems=[Problem(
        "no-such-example", f"there is no example called {name!r}", "--example", None, hint)])


def examples_command(
    show: str = typer.Option(None, "--show", metavar="NAME",
                             help="Print one example case file instead of the list."),
) -> None:
    """List the built-in example cases (run one with `tightrope assess --example NAME`)."""
    if show:
        typer.echo(find_example(show).text, nl=False)
        return
    examples = builtin_examples()
    width = max(len(e.name) for e in examples)
    for example in examples:
        typer.echo(f"{example.name.ljust(width)}  {example.title}")
