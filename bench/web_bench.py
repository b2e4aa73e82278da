"""Web benchmarks: ratios measured in one run, on this machine, over loopback only.

1. Throughput of ``POST /api/assessments`` (every built-in example in turn, what-ifs
   included) as a ratio to ``GET /healthz`` (a trivial endpoint of the same app),
   both under the same server (one uvicorn process) and the same client.
   Goal: above 0.5.
2. Latency (p50, p99) of ``POST /api/assessments`` at 50 concurrent clients.

The client is ``wrk`` (Debian's package) when installed, else an httpx async client
with 50 concurrent workers; the figures say which. The server runs the full app
(registry on a temporary SQLite file) with the settings of a local run.

Run:  .venv/bin/python bench/web_bench.py [--seconds 10] [--connections 50]
It never fails: it prints figures for the README. Traffic goes to 127.0.0.1 only,
bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from tightrope.cli.examples import builtin_examples

HOST = "127.0.0.1"


@dataclass
class Result:
    endpoint: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    client: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _bodies() -> list[str]:
    return [json.dumps(yaml.safe_load(e.text), default=str) for e in builtin_examples()]


def start_server(port: int, data_dir: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TIGHTROPE_DATA_DIR": data_dir, "TIGHTROPE_ENV": "local"}
    for name in ("TIGHTROPE_DATABASE_URL", "TIGHTROPE_KEY", "TIGHTROPE_KEY_FILE"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "tightrope.web.app:app_from_env",
         "--host", HOST, "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise SystemExit("the server did not start")


def _lua_script(path: Path, bodies: list[str]) -> None:
    entries = ",\n".join(f"[==[{body}]==]" for body in bodies)
    path.write_text(
        f"local bodies = {{\n{entries}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format('POST', '/api/assessments', "
        "{['Content-Type'] = 'application/json'}, bodies[(i % #bodies) + 1])\nend\n")


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, endpoint: str, seconds: int, connections: int,
            script: Path | None) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True,
                            check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Result(endpoint, rps, p50, p99, int(errors.group(1)) if errors else 0, "wrk")


async def _httpx_run(base: str, endpoint: str, seconds: int, connections: int,
                     bodies: list[str] | None) -> Result:
    import httpx

    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
        async def worker(offset: int) -> None:
            nonlocal errors
            index = offset
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                if bodies is None:
                    response = await client.get(endpoint)
                else:
                    index += 1
                    response = await client.post(endpoint, content=bodies[index % len(bodies)],
                                                 headers={"content-type": "application/json"})
                latencies.append((time.perf_counter() - start) * 1000)
                if response.status_code >= 300:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return Result(endpoint, len(latencies) / elapsed, statistics.median(latencies),
                  latencies[int(len(latencies) * 0.99) - 1], errors, "httpx")


def measure(seconds: int, connections: int) -> tuple[Result, Result]:
    bodies = _bodies()
    port = _free_port()
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory(prefix="tightrope-bench-") as data_dir:
        server = start_server(port, data_dir)
        try:
            if shutil.which("wrk"):
                script = Path(data_dir) / "post.lua"
                _lua_script(script, bodies)
                run_wrk(f"{base}/healthz", "GET /healthz", 2, connections, None)  # warm up
                run_wrk(base, "POST /api/assessments", 2, connections, script)
                trivial = run_wrk(f"{base}/healthz", "GET /healthz", seconds, connections, None)
                assess = run_wrk(base, "POST /api/assessments", seconds, connections, script)
            else:
                asyncio.run(_httpx_run(base, "/healthz", 2, connections, None))
                trivial = asyncio.run(_httpx_run(base, "/healthz", seconds, connections, None))
                assess = asyncio.run(_httpx_run(base, "/api/assessments", seconds, connections,
                                                bodies))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return trivial, assess


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    trivial, assess = measure(args.seconds, args.connections)
    print(f"client: {assess.client}, {args.connections} concurrent connections, "
          f"{args.seconds} s per endpoint, one uvicorn process, loopback")
    for result in (trivial, assess):
        print(f"  {result.endpoint:<24} {result.requests_per_second:8.0f} req/s   "
              f"p50 {result.p50_ms:7.1f} ms   p99 {result.p99_ms:7.1f} ms   "
              f"errors {result.errors}")
    ratio = assess.requests_per_second / trivial.requests_per_second
    print(f"throughput ratio POST /api/assessments : GET /healthz = {ratio:.2f} (goal > 0.5)")
    print(f"p99 latency of POST /api/assessments at {args.connections} concurrent: "
          f"{assess.p99_ms:.1f} ms")


if __name__ == "__main__":
    main()
