#!/usr/bin/env python3
"""Set up and run Tightrope, or its whole test suite, on a machine with only Python 3.11+.

    python3 dev.py run     # create .venv, install, open the web app with example cases
    python3 dev.py test    # create .venv, install with test tools, run every check

`test` runs ruff, mypy (strict on src/) and pytest. When it runs as root on a
Debian-like machine it also installs what the browser, PDF and PostgreSQL tests need
(chromium, poppler-utils) and starts the local PostgreSQL 15 cluster, so those tests
run instead of being skipped. Set TIGHTROPE_REQUIRE_POSTGRES=1, TIGHTROPE_REQUIRE_BROWSER=1
and TIGHTROPE_REQUIRE_TOOLS=1 (as CI does) to make a missing service a failure.
Only the standard library is used here, on purpose.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
TEST_DATABASE = "tightrope_test"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def sh(*args: str | Path, check: bool = True, quiet: bool = False,
       env: dict[str, str] | None = None) -> int:
    result = subprocess.run([str(a) for a in args], check=False, env=env,
                            stdout=subprocess.DEVNULL if quiet else None,
                            stderr=subprocess.DEVNULL if quiet else None)
    if check and result.returncode != 0:
        say(f"failed ({result.returncode}): {' '.join(str(a) for a in args)}")
        sys.exit(result.returncode)
    return result.returncode


def ensure_venv(extras: str) -> None:
    if not PYTHON.exists():
        say("creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    marker = VENV / f".installed-{extras or 'base'}"
    stamp = (ROOT / "pyproject.toml").stat().st_mtime
    if marker.exists() and float(marker.read_text() or 0) >= stamp:
        return
    say(f"installing tightrope{'[' + extras + ']' if extras else ''} (first run takes a minute)")
    sh(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
       "-e", f"{ROOT}[{extras}]" if extras else str(ROOT))
    marker.write_text(str(stamp))


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def install_system_tools() -> None:
    """Chromium for browser tests, poppler-utils (pdftoppm) for PDF page images."""
    wanted = [pkg for pkg, tool in (("chromium", "chromium"), ("poppler-utils", "pdftoppm"))
              if shutil.which(tool) is None]
    if not wanted:
        return
    if not (_is_root() and shutil.which("apt-get")):
        say(f"not installing {', '.join(wanted)} (needs root and apt-get); those tests skip")
        return
    say(f"installing {', '.join(wanted)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if sh("apt-get", "install", "-y", "-q", *wanted, check=False, quiet=True, env=env):
        sh("apt-get", "update", "-q", check=False, quiet=True, env=env)
        sh("apt-get", "install", "-y", "-q", *wanted, check=False, quiet=True, env=env)


def start_postgres() -> str | None:
    """Start the local PostgreSQL cluster and return a URL for a fresh test database."""
    if os.environ.get("TIGHTROPE_TEST_DATABASE_URL"):
        return os.environ["TIGHTROPE_TEST_DATABASE_URL"]
    if not (_is_root() and shutil.which("pg_ctlcluster") and shutil.which("runuser")):
        say("PostgreSQL not started (needs root and pg_ctlcluster); PostgreSQL tests skip")
        return None
    clusters = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True)
    fields = clusters.stdout.split()
    if len(fields) < 2:
        say("no PostgreSQL cluster found; PostgreSQL tests skip")
        return None
    version, name = fields[0], fields[1]
    sh("pg_ctlcluster", version, name, "start", check=False, quiet=True)
    sh("runuser", "-u", "postgres", "--", "psql", "-qc",
       "do $$ begin create role root superuser login; exception when duplicate_object "
       "then null; end $$;", check=False, quiet=True)
    sh("runuser", "-u", "postgres", "--", "dropdb", "--if-exists", TEST_DATABASE,
       check=False, quiet=True)
    if sh("runuser", "-u", "postgres", "--", "createdb", "-O", "root", TEST_DATABASE,
          check=False, quiet=True):
        say("could not create the test database; PostgreSQL tests skip")
        return None
    say(f"PostgreSQL {version}/{name} running; test database {TEST_DATABASE}")
    return f"postgresql+psycopg:///{TEST_DATABASE}?host=/var/run/postgresql"


def run(args: list[str]) -> None:
    ensure_venv("")
    tightrope = BIN / "tightrope"
    has_web = subprocess.run([str(tightrope), "serve", "--help"], capture_output=True).returncode
    if has_web == 0:
        os.execv(str(tightrope), [str(tightrope), "serve", "--demo", *args])
    os.execv(str(tightrope), [str(tightrope), "assess", "--example", "former-client-romance",
                              *args])


def test(args: list[str]) -> None:
    ensure_venv("dev")
    install_system_tools()
    env = dict(os.environ)
    url = start_postgres()
    if url:
        env["TIGHTROPE_TEST_DATABASE_URL"] = url
    if shutil.which("chromium"):
        env.setdefault("TIGHTROPE_CHROMIUM", shutil.which("chromium") or "")
    say("ruff")
    sh(BIN / "ruff", "check", "src", "tests", "bench", "dev.py", env=env)
    say("mypy (strict, src/)")
    sh(BIN / "mypy", env=env)
    say("pytest")
    sh(PYTHON, "-m", "pytest", *args, env=env)
    say("all checks passed")


def main() -> None:
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        sys.exit(2)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
