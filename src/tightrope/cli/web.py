"""`tightrope serve` and `tightrope web fetch-assets`: the web app from the command line.

FastAPI, uvicorn and SQLAlchemy are imported inside the commands, so `tightrope
assess` starts as fast as before. (`tightrope users add|list|disable` live with
the registry's other commands, in :mod:`registry_admin`.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

web_app = typer.Typer(help="The web app's assets.", no_args_is_help=True,
                      rich_markup_mode=None)


def register(root: typer.Typer) -> None:
    root.command("serve")(serve)
    root.add_typer(web_app, name="web")


@web_app.command("fetch-assets")
def fetch_assets(
    directory: Path = typer.Option(None, "--dir", help="Where to store them (default: "
                                   "TIGHTROPE_ASSETS_DIR or the package's static/vendor)."),
) -> None:
    """Download HTMX from the npm registry, check its pinned SHA-512, and store it."""
    from ..web.assets import HTMX_VERSION, fetch_htmx, installed_htmx
    from ..web.settings import PACKAGE_DIR

    target = directory or Path(os.environ.get("TIGHTROPE_ASSETS_DIR", "")
                               or PACKAGE_DIR / "static" / "vendor")
    if installed_htmx(target) is not None:
        typer.echo(f"HTMX {HTMX_VERSION} is already at {target}.")
        return
    path = fetch_htmx(target)
    typer.echo(f"HTMX {HTMX_VERSION} verified and stored at {path}.")


def _ensure_htmx(directory: Path) -> None:
    """Fetch HTMX on first serve; without it every page still works (no live updates)."""
    from ..core.errors import TightropeError
    from ..web.assets import fetch_htmx, installed_htmx

    if installed_htmx(directory) is not None:
        return
    try:
        fetch_htmx(directory)
    except (TightropeError, OSError) as exc:
        typer.echo(f"Note: HTMX was not fetched ({getattr(exc, 'code', type(exc).__name__)}); "
                   "pages work without it, the verdict just won't update live.", err=True)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    demo: bool = typer.Option(False, "--demo", help="A fresh SQLite registry in a temporary "
                              "directory, with demo accounts and the example cases."),
    fetch: bool = typer.Option(True, "--fetch/--no-fetch",
                               help="Fetch HTMX on first run (verified against its pin)."),
) -> None:
    """Run the web app: guided interview, results, case registry, JSON API."""
    import uvicorn

    from ..storage.settings import StorageSettings
    from ..web.app import create_app
    from ..web.settings import WebSettings

    environ = dict(os.environ)
    if demo:
        if environ.get("TIGHTROPE_ENV", "local") != "local":
            from ..core.errors import Problem, TightropeError

            raise TightropeError(code="demo-not-local", problems=[Problem(
                "demo-not-local", "--demo is for trying Tightrope on your own machine",
                "", None, "unset TIGHTROPE_ENV, or run without --demo")])
        import tempfile

        data_dir = tempfile.mkdtemp(prefix="tightrope-demo-")
        environ.update({"TIGHTROPE_DATA_DIR": data_dir})
        for name in ("TIGHTROPE_DATABASE_URL", "TIGHTROPE_KEY", "TIGHTROPE_KEY_FILE"):
            environ.pop(name, None)
    storage = StorageSettings.from_env(environ)
    settings = WebSettings.from_env(environ, storage=storage)
    if fetch:
        _ensure_htmx(settings.assets_dir)
    app = create_app(settings)
    if demo:
        from ..web.demo import seed_demo

        registry = app.state.tightrope.registry
        accounts = seed_demo(registry)
        typer.echo(f"Demo registry: {storage.display_url} (a fresh temporary directory; "
                   "delete it when you are done)")
        typer.echo("Demo accounts (one-time passwords, valid for this demo only):")
        for account in accounts.values():
            typer.echo(f"  {account.username:<8} {account.password}  {account.role.value}: "
                       f"{account.about}")
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"Tightrope is running at http://{shown}:{port}/  (Ctrl+C to stop)")
    sys.stdout.flush()
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True,
                server_header=False)
