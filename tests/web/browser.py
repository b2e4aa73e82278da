"""Helpers for the browser tests: a live server in a thread, chromium, axe-core.

Chromium is Debian's (``/usr/bin/chromium``, or ``TIGHTROPE_CHROMIUM``), driven by
Playwright through its executable path. Without it the browser tests skip, unless
``TIGHTROPE_REQUIRE_BROWSER=1`` (CI), which makes a missing browser a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")


def chromium_path() -> str:
    """The chromium to drive, or skip (fail in CI) when there is none."""
    candidates = [os.environ.get("TIGHTROPE_CHROMIUM", ""), "/usr/bin/chromium",
                  shutil.which("chromium") or ""]
    for candidate in candidates:
        if candidate and os.path.exists(candidate):
            return candidate
    message = ("browser tests need Debian's chromium (apt-get install chromium) or "
               "TIGHTROPE_CHROMIUM")
    if os.environ.get("TIGHTROPE_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port in a background thread."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class AxeReport:
    """Serious and critical violations found, page by page, and the pages checked."""

    checked: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    minor: list[str] = field(default_factory=list)  # moderate and minor: reported, not failed

    def check(self, page: Any, label: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        page.evaluate(Axe().axe_script)
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS},
                   "resultTypes": ["violations"]}
        violations = page.evaluate("options => axe.run(document, options)"
                                   ".then(results => results.violations)", options)
        self.checked.append(label)
        for violation in violations:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            line = (f"{label}: {violation['id']} ({violation['impact']}): "
                    f"{violation['help']} at {targets}")
            (self.failures if violation.get("impact") in FAILING_IMPACTS
             else self.minor).append(line)

    def assert_clean(self) -> None:
        assert self.checked, "no page was checked"
        assert not self.failures, "\n".join(self.failures)
        if self.minor:
            print("axe, moderate or minor:\n" + "\n".join(self.minor))


Check = Callable[[Any, str], None]


def no_check(page: Any, label: str) -> None:
    """For a context with scripts off, where axe cannot run."""
