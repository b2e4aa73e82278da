"""The command-line adapter (Typer with Rich). Heavy adapters are imported inside commands."""
