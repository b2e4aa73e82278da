"""`tightrope serve --demo`: a fresh registry with accounts and the examples, ready in seconds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.web.browser import free_port
from tests.web.conftest import make_registry
from tightrope.storage.store import Store
from tightrope.web.demo import ACCOUNTS, seed_demo


def test_the_demo_seeds_accounts_roles_and_the_examples(web_store: Store) -> None:
    registry = make_registry(web_store)
    made = seed_demo(registry)
    assert set(made) == {name for name, _, _, _ in ACCOUNTS}
    assert all(len(account.password) >= 12 for account in made.values())
    rivera = registry.accounts.authenticate("rivera", made["rivera"].password)
    lee = registry.accounts.authenticate("lee", made["lee"].password)
    okafor = registry.accounts.authenticate("okafor", made["okafor"].password)
    examples = len(list((Path(__file__).parents[2] / "src" / "tightrope" / "examples")
                        .glob("*.yaml")))
    assert len(registry.cases.find(rivera)) == examples
    assert len(registry.cases.find(lee, scope="supervisees")) == examples
    assert registry.cases.find(okafor) == []


@pytest.mark.slow
def test_serve_demo_is_ready_in_seconds(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "TIGHTROPE_ENV": "local", "TMPDIR": str(tmp_path)}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "tightrope", "serve", "--demo", "--no-fetch", "--port",
         str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        output = ""
        assert process.stdout is not None
        while "is running at" not in output:
            line = process.stdout.readline()
            assert line, f"serve exited: {output}"
            output += line
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        ready = time.monotonic() - started
        assert ready < 15, f"the demo took {ready:.1f} s"
        assert re.search(r"rivera\s+\S{16}\s+clinician", output)
        assert re.search(r"admin\s+\S{16}\s+admin", output)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_demo_refuses_production(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "tightrope", "serve", "--demo", "--no-fetch"],
                            capture_output=True, text=True, check=False,
                            env={**os.environ, "TIGHTROPE_ENV": "production"})
    assert result.returncode == 2 and "--demo is for trying Tightrope" in result.stderr


def test_fetch_assets_is_idempotent_when_htmx_is_there(tmp_path: Path) -> None:
    from tightrope.web.assets import HTMX_FILE

    (tmp_path / HTMX_FILE).write_text("/* already here */")
    result = subprocess.run([sys.executable, "-m", "tightrope", "web", "fetch-assets", "--dir",
                             str(tmp_path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "is already at" in result.stdout
