"""Registry benchmarks: query latency at scale and insert throughput, ratios in one run.

1. Seeds N stored assessments across M clinicians (default 1,000,000 / 10,000: 25 cases
   per clinician, 2 revisions and 4 assessments per case, every free-text value sealed
   with AES-GCM exactly as the registry seals it), using bulk Core inserts.
2. Measures p50 and p95 of two service calls for random clinicians, through the same
   code the CLI and the web app use (authorization, query, opening the sealed client
   references): "list one clinician's cases" and "find the cases due for re-assessment".
   Goal: p95 under 50 ms on SQLite and on PostgreSQL.
3. Insert throughput of the service (`Cases.create`: engine, sealing, three rows and the
   audit event, one transaction per case) against raw SQLAlchemy Core inserts of the
   same rows (pre-sealed, one transaction per case, and all in one transaction).

Run (quick):  .venv/bin/python bench/registry_bench.py --scale 0.01
Run (full):   .venv/bin/python bench/registry_bench.py
PostgreSQL:   add --postgres 'postgresql+psycopg:///tightrope_test?host=/var/run/postgresql'
              (the bench works in a schema of its own, tightrope_bench, dropped first).
It never fails: it prints figures for docs/registry.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import URL, make_url

from tightrope.api import builtin_library
from tightrope.cli.examples import builtin_examples
from tightrope.core.assessment import Assessment
from tightrope.core.case import Case
from tightrope.core.case_loading import parse_case
from tightrope.core.engine import assess_case
from tightrope.registry.actors import Actor
from tightrope.registry.cases import pack_pins
from tightrope.registry.service import Registry
from tightrope.registry.vocabulary import Role
from tightrope.storage.audit import GENESIS
from tightrope.storage.crypto import FieldCipher, Keyring, generate_key
from tightrope.storage.database import create_database_engine
from tightrope.storage.ids import new_id
from tightrope.storage.schema import upgrade
from tightrope.storage.store import Store
from tightrope.storage.tables import AssessmentRecord, CaseRecord, CaseRevision, User

CASES_PER_CLINICIAN = 25
REVISIONS_PER_CASE = 2
ASSESSMENTS_PER_CASE = 4
CHUNK = 5_000
NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
SCHEMA = "tightrope_bench"


@dataclass(frozen=True)
class Template:
    case: Case
    facts: str
    assessment: Assessment
    result: str


def templates() -> list[Template]:
    """Every built-in example, assessed once: the payloads the seeded rows carry."""
    library = builtin_library()
    found = []
    for example in builtin_examples():
        case = parse_case(example.text, source=example.name)
        assessment = assess_case(case, library, case.as_of or NOW.date())
        found.append(Template(case, json.dumps(case.dump()), assessment,
                              assessment.model_dump_json()))
    return found


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Seeder:
    """Bulk rows for one clinician at a time, sealed as the registry seals them."""

    def __init__(self, cipher: FieldCipher, shapes: list[Template], rng: random.Random) -> None:
        self.cipher = cipher
        self.shapes = shapes
        self.rng = rng

    def user(self, n: int) -> dict[str, Any]:
        return {"id": new_id(), "username": f"clinician{n:06d}", "display_name": f"C {n}",
                "role": "clinician", "supervisor_id": None, "password_hash": None,
                "disabled": False, "created_at": NOW}

    def case_rows(self, owner: str, number: int) -> tuple[dict[str, Any], list[dict[str, Any]],
                                                          list[dict[str, Any]]]:
        seal = self.cipher.seal
        shape = self.rng.choice(self.shapes)
        case_id = new_id()
        created = NOW - dt.timedelta(days=self.rng.randint(0, 3 * 365),
                                     seconds=self.rng.randint(0, 86_400))
        revisions = []
        for r in range(1, REVISIONS_PER_CASE + 1):
            revision_id = new_id()
            revisions.append({"id": revision_id, "case_id": case_id, "number": r,
                              "created_at": created, "author_id": owner,
                              "facts": seal("case_revisions", "facts", revision_id, shape.facts),
                              "note": None})
        assessments = []
        for a in range(1, ASSESSMENTS_PER_CASE + 1):
            assessment_id = new_id()
            due = created.date() + dt.timedelta(days=self.rng.randint(30, 900)) \
                if self.rng.random() < 0.4 else None
            assessments.append({
                "id": assessment_id, "case_id": case_id, "number": a,
                "revision_id": revisions[(a - 1) * REVISIONS_PER_CASE
                                         // ASSESSMENTS_PER_CASE]["id"],
                "created_at": created, "actor_id": owner, "as_of": created.date(),
                "verdict": shape.assessment.verdict.value, "until": shape.assessment.until,
                "engine_version": shape.assessment.engine.version,
                "packs": pack_pins(shape.assessment),
                "result": seal("assessments", "result", assessment_id, shape.result),
                "review_due_on": due, "review_reason": "ongoing_relationship" if due else None})
        last = assessments[-1]
        case = {"id": case_id, "owner_id": owner,
                "client_ref": seal("cases", "client_ref", case_id, f"C-{number}"),
                "status": "open", "created_at": created, "updated_at": created,
                "closed_at": None, "revisions": REVISIONS_PER_CASE,
                "assessments": ASSESSMENTS_PER_CASE, "latest_assessment_id": last["id"],
                "latest_verdict": last["verdict"], "latest_until": last["until"],
                "review_due_on": last["review_due_on"], "review_reason": last["review_reason"]}
        return case, revisions, assessments


def seed(engine: Engine, cipher: FieldCipher, clinicians: int, shapes: list[Template],
         rng: random.Random) -> list[Actor]:
    seeder = Seeder(cipher, shapes, rng)
    actors: list[Actor] = []
    started = time.perf_counter()
    pending: dict[str, list[dict[str, Any]]] = {"users": [], "cases": [], "revisions": [],
                                                 "assessments": []}

    def flush() -> None:
        with engine.begin() as connection:
            for table, key in ((User, "users"), (CaseRecord, "cases"),
                               (CaseRevision, "revisions"), (AssessmentRecord, "assessments")):
                if pending[key]:
                    connection.execute(insert(table), pending[key])
                    pending[key] = []

    for n in range(clinicians):
        user = seeder.user(n)
        pending["users"].append(user)
        actors.append(Actor(user["id"], user["username"], Role.clinician))
        for c in range(CASES_PER_CLINICIAN):
            case, revisions, assessments = seeder.case_rows(user["id"], c)
            pending["cases"].append(case)
            pending["revisions"] += revisions
            pending["assessments"] += assessments
        if len(pending["assessments"]) >= CHUNK * 4:
            flush()
        if n and n % max(1, clinicians // 10) == 0:
            done = n * CASES_PER_CLINICIAN * ASSESSMENTS_PER_CASE
            print(f"    seeded {done:,} assessments ({time.perf_counter() - started:.0f} s)",
                  flush=True)
    flush()
    elapsed = time.perf_counter() - started
    total = clinicians * CASES_PER_CLINICIAN * ASSESSMENTS_PER_CASE
    print(f"  seeded {total:,} assessments, {clinicians * CASES_PER_CLINICIAN:,} cases, "
          f"{clinicians:,} clinicians in {elapsed:.0f} s ({total / elapsed:,.0f} "
          "assessments/s, sealed)")
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return actors


def measure(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report_latency(name: str, samples: list[float]) -> float:
    p50, p95 = statistics.median(samples), percentile(samples, 0.95)
    verdict = "under" if p95 < 50 else "OVER"
    print(f"  {name:<34} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   ({verdict} the 50 ms goal)")
    return p95


def query_plans(engine: Engine, actor: Actor) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        for label, sql in (
            ("list", "SELECT id FROM cases WHERE owner_id = :o AND status = 'open' "
                     "ORDER BY updated_at DESC LIMIT 100"),
            ("due", "SELECT id FROM cases WHERE owner_id = :o AND status = 'open' AND "
                    "review_due_on <= '2027-01-01' ORDER BY review_due_on LIMIT 100"),
        ):
            plan = connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"), {"o": actor.id})
            print(f"  plan ({label}): " + "; ".join(str(row[-1]) for row in plan))


def latencies(registry: Registry, actors: list[Actor], repeat: int,
              rng: random.Random) -> tuple[float, float]:
    query_plans(registry.store.engine, actors[0])
    due_by = NOW.date() + dt.timedelta(days=30)
    for actor in rng.sample(actors, min(20, len(actors))):  # warm the pool and the cache
        registry.cases.find(actor)
    listed = measure(lambda: registry.cases.find(rng.choice(actors)), repeat)
    due = measure(lambda: registry.cases.find(rng.choice(actors), due_by=due_by), repeat)
    sizes = [len(registry.cases.find(a, due_by=due_by)) for a in actors[:50]]
    print(f"  ({CASES_PER_CLINICIAN} cases per clinician; {statistics.mean(sizes):.1f} due "
          "within 30 days on average)")
    return (report_latency("list one clinician's cases", listed),
            report_latency("cases due for re-assessment", due))


def throughput(registry: Registry, shapes: list[Template], count: int) -> None:
    """Service inserts against raw Core inserts of the same rows, cases per second."""
    store = registry.store
    actor = registry.accounts.local_actor("bench-writer")
    cases = [shapes[i % len(shapes)].case for i in range(count)]
    library = builtin_library()
    start = time.perf_counter()
    for case in cases:
        assess_case(case, library, case.as_of or NOW.date())
    engine_only = count / (time.perf_counter() - start)
    start = time.perf_counter()
    for n, case in enumerate(cases):
        registry.cases.create(actor, case, f"S-{n}")
    service = count / (time.perf_counter() - start)

    seeder = Seeder(store.cipher, shapes, random.Random(1))
    prepared = [seeder.case_rows(actor.id, n) for n in range(count * 2)]
    audit_rows = [{"id": new_id(), "at": NOW, "actor_id": actor.id, "action": "case.create",
                   "case_id": case["id"], "records": [], "details": {}, "prev_hash": GENESIS,
                   "hash": GENESIS} for case, _, _ in prepared]

    def rows(index: int) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
        case, revisions, assessments = prepared[index]
        yield CaseRecord, [case]
        yield CaseRevision, revisions[:1]
        yield AssessmentRecord, assessments[:1]

    from tightrope.storage.tables import AuditEvent

    with store.engine.connect() as connection:
        base = int(connection.execute(text("SELECT COALESCE(MAX(seq), 0) FROM audit_events"))
                   .scalar() or 0)
    start = time.perf_counter()
    for index in range(count):
        with store.write() as session:
            for table, values in rows(index):
                session.execute(insert(table), values)
            session.execute(insert(AuditEvent), [{**audit_rows[index],
                                                  "seq": base + 1_000_000 + index}])
    raw_each = count / (time.perf_counter() - start)
    start = time.perf_counter()
    with store.write() as session:
        for index in range(count, count * 2):
            for table, values in rows(index):
                session.execute(insert(table), values)
    raw_batch = count / (time.perf_counter() - start)
    print(f"  engine alone (assess only)         {engine_only:8,.0f} cases/s")
    print(f"  service Cases.create               {service:8,.0f} cases/s "
          "(engine + sealing + 3 rows + audit event, 1 transaction each)")
    print(f"  raw Core, same rows, 1 txn each    {raw_each:8,.0f} cases/s "
          f"-> service/raw = {service / raw_each:.2f}")
    print(f"  raw Core, same rows, 1 txn in all  {raw_batch:8,.0f} cases/s "
          f"-> service/raw = {service / raw_batch:.3f}")


def backend_url(name: str, postgres: str | None, sqlite_path: Path) -> URL:
    if name == "sqlite":
        sqlite_path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            sqlite_path.with_name(sqlite_path.name + suffix).unlink(missing_ok=True)
        return make_url(f"sqlite:///{sqlite_path}")
    assert postgres is not None
    base = make_url(postgres)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    admin.dispose()
    return base.update_query_dict({"options": f"-csearch_path={SCHEMA}"})


def run(name: str, url: URL, args: argparse.Namespace, shapes: list[Template]) -> None:
    clinicians = max(1, round(args.clinicians * args.scale))
    print(f"\n== {name}: {clinicians * CASES_PER_CLINICIAN * ASSESSMENTS_PER_CASE:,} "
          f"assessments across {clinicians:,} clinicians ==")
    engine = create_database_engine(url)
    upgrade(engine)
    store = Store(engine, Keyring.of(generate_key()))
    rng = random.Random(args.seed)
    actors = seed(engine, store.cipher, clinicians, shapes, rng)
    registry = Registry(store, clock=lambda: NOW)
    latencies(registry, actors, args.queries, rng)
    throughput(registry, shapes, args.inserts)
    if name == "sqlite":
        size = Path(str(url.database)).stat().st_size
        print(f"  database file: {size / 1e9:.2f} GB")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the full size (0.01 = 10,000 assessments)")
    parser.add_argument("--clinicians", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--inserts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--sqlite", type=Path, default=None,
                        help="database file (default: a temporary file)")
    parser.add_argument("--postgres", default=None, help="also run on this PostgreSQL URL")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    shapes = templates()
    print(f"{len(shapes)} case shapes from the built-in examples; "
          f"{CASES_PER_CLINICIAN} cases x {ASSESSMENTS_PER_CASE} assessments per clinician")
    with tempfile.TemporaryDirectory() as scratch:
        if not args.skip_sqlite:
            path = args.sqlite or Path(scratch) / "registry-bench.sqlite3"
            run("sqlite", backend_url("sqlite", None, path), args, shapes)
        if args.postgres:
            run("postgresql", backend_url("postgresql", args.postgres, Path(scratch)), args,
                shapes)


if __name__ == "__main__":
    main()
