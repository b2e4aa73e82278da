"""Engine benchmarks: ratios measured in one run, on this machine.

1. Per-case assessment time (packs loaded, what-ifs included) against validating the
   same case alone, over every built-in example. Goal: under 10x, well under 1 ms.
2. A batch of 10,000 cases through `tightrope assess DIR --format jsonl` (one process)
   against parsing and validating the same files alone.
3. Cold start of `tightrope assess --example ...` against starting Python itself.
   Goal: under 0.5 s.

Run:  .venv/bin/python bench/engine_bench.py [--batch 10000] [--repeat 200]
It never fails: it prints figures for the README.
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tightrope.api import builtin_library
from tightrope.cli.examples import builtin_examples
from tightrope.core.case import Case
from tightrope.core.case_loading import case_from_data
from tightrope.core.engine import assess_case


def _median_seconds(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def per_case(repeat: int) -> None:
    library = builtin_library()
    rows = []
    for example in builtin_examples():
        data = yaml.safe_load(example.text)
        case = case_from_data(data)
        assert case.as_of is not None
        as_of = case.as_of
        validate = _median_seconds(lambda d=data: Case.model_validate(d), repeat)
        full = _median_seconds(lambda c=case, d=as_of: assess_case(c, library, d), repeat)
        bare = _median_seconds(
            lambda c=case, d=as_of: assess_case(c, library, d, explore=False), repeat)
        rows.append((example.name, validate, bare, full))
    print(f"1. Per-case time (median of {repeat} runs), packs loaded")
    print(f"   {'example':32} {'validate':>9} {'verdict':>9} {'full':>9} {'ratio':>7}")
    for name, validate, bare, full in rows:
        print(f"   {name:32} {validate*1e6:7.0f}us {bare*1e6:7.0f}us {full*1e6:7.0f}us "
              f"{full/validate:6.1f}x")
    validate_m = statistics.median(r[1] for r in rows)
    bare_m = statistics.median(r[2] for r in rows)
    full_m = statistics.median(r[3] for r in rows)
    print(f"   median over examples: validate {validate_m*1e6:.0f} us, verdict only "
          f"{bare_m*1e6:.0f} us ({bare_m/validate_m:.1f}x), full assessment with what-ifs "
          f"{full_m*1e6:.0f} us ({full_m/validate_m:.1f}x)")


def _variants(count: int, seed: int) -> list[dict]:  # type: ignore[type-arg]
    rng = random.Random(seed)
    bases = [yaml.safe_load(e.text) for e in builtin_examples()]
    out = []
    for index in range(count):
        data = copy.deepcopy(bases[index % len(bases)])
        professional = data["professional"]
        if "sessions" in professional:
            professional["sessions"] = rng.randint(1, 200)
        if "ended" in professional:
            professional["ended"] = f"20{rng.randint(10, 25):02d}-{rng.randint(1, 12):02d}-" \
                                    f"{rng.randint(1, 28):02d}"
            professional.pop("started", None)
        data.setdefault("client", {})["vulnerabilities"] = rng.sample(
            ["grief", "isolation", "trauma_history", "dependency"], rng.randint(0, 2))
        out.append(data)
    return out


def batch(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        for index, data in enumerate(_variants(count, seed=7)):
            (directory / f"case-{index:05d}.yaml").write_text(yaml.safe_dump(data))
        script = ("import sys,pathlib\nfrom tightrope.core.case_loading import parse_case\n"
                  "for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):\n"
                  "    parse_case(p.read_bytes(), source=str(p))\n")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", script, folder], check=True)
        validate = time.perf_counter() - start
        start = time.perf_counter()
        with open(directory / "out.jsonl.txt", "w") as sink:
            subprocess.run([sys.executable, "-m", "tightrope", "assess", folder, "-f", "jsonl"],
                           check=True, stdout=sink)
        assess = time.perf_counter() - start
        lines = (directory / "out.jsonl.txt").read_text().count("\n")
    print(f"2. Batch of {count:,} cases (one process each)")
    print(f"   parse + validate only: {validate:.2f} s; assess --format jsonl: {assess:.2f} s "
          f"({lines:,} lines, {assess / count * 1e3:.2f} ms per case, "
          f"{assess / validate:.1f}x validation)")


def cold_start(repeat: int = 7) -> None:
    def timed(args: list[str]) -> float:
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    python = timed([sys.executable, "-c", "pass"])
    tool = timed([sys.executable, "-m", "tightrope", "assess", "--example",
                  "former-client-romance"])
    print(f"3. Cold start (median of {repeat}): python -c pass {python*1e3:.0f} ms; "
          f"tightrope assess --example former-client-romance {tool*1e3:.0f} ms "
          f"({tool / python:.1f}x the bare interpreter)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    per_case(args.repeat)
    batch(args.batch)
    cold_start()


if __name__ == "__main__":
    main()
