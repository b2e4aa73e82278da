"""`tightrope`: the root command. Each group lives in its own module.

Errors raised on purpose (:class:`TightropeError`) are printed as one clear
message and exit with status 2; nothing ever shows a traceback unless
``TIGHTROPE_DEBUG=1`` is set.
"""

from __future__ import annotations

import os
import sys

import typer

from . import assess, examples, packs

app = typer.Typer(
    name="tightrope",
    help="Decide, defend and document a second relationship with a client.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
app.command("assess")(assess.assess_command)
app.command("examples")(examples.examples_command)
app.add_typer(packs.app, name="packs")


def _register_optional() -> None:
    """Adapters that may not be installed in a minimal setup register themselves here."""
    from importlib import import_module

    for module_name, attribute in (
        ("tightrope.cli.cases", "register"),
        ("tightrope.cli.notes", "register"),
        ("tightrope.cli.practice", "register"),
        ("tightrope.cli.web", "register"),
    ):
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        getattr(module, attribute)(app)


_register_optional()


def main() -> None:
    from ..core.errors import TightropeError

    try:
        app()
    except TightropeError as exc:
        typer.echo(str(exc), err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("TIGHTROPE_DEBUG") == "1":
            raise
        typer.echo(f"Tightrope hit an internal error ({type(exc).__name__}). Nothing was "
                   "changed. Run again with TIGHTROPE_DEBUG=1 for details and please report it.",
                   err=True)
        sys.exit(1)
