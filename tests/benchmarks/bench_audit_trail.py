"""Benchmark the audit trail's two stores (not part of the default test run).

    eval "$(.ci/postgres.sh)"   # a local PostgreSQL on 127.0.0.1; without it only SQLite is measured
    /work/venv/bin/python tests/benchmarks/bench_audit_trail.py [--appends 300] [--entries 2000] [--procs 4]

1. Append latency, one client: `--appends` appends to a trail that already holds `--entries` entries
   (each append is one write transaction: lock, read the newest hash, insert, commit, durable).
   Median and p95 in milliseconds, time.perf_counter around each `append`. A gate or audit run pays
   this once, plus opening the store (measured separately, median of 20 opens).
2. Contended appends: `--procs` processes append 50 entries each at once; total entries/s.
3. `verify()` over the whole trail of `--entries` + appends entries.
SQLite keeps its file in a temporary folder on local disk; PostgreSQL its tables in a fresh schema,
over TCP on 127.0.0.1 with the server's default durability (fsync on, synchronous_commit on).
Every append also checks and moves this machine's anchor (a file written with fsync in a temporary
XDG_STATE_HOME on the same disk); `--keyed` sets a DROID_AUDIT_KEY made at run time (one HMAC per
append, one per entry in verify).
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from droids.core.audit.trail import open_store

CONTENDER = """
import sys
from pathlib import Path
from droids.core.audit.trail import open_store
with open_store(Path(sys.argv[1])) as store:
    for n in range(50):
        store.append(kind="gate", profile="ci", verdict="pass", counts={"SEC001": n}, who="os:bench", head=None)
"""


def _entry(n: int) -> dict:
    return {"kind": "gate", "profile": "ci", "verdict": "pass", "counts": {"SEC001": n % 3}, "who": "os:bench",
            "head": "a" * 40, "details": {"droids": {"security-compliance": "ok"}}}  # fmt: skip


def measure(name: str, repo: Path, url: str, args: argparse.Namespace) -> None:
    with open_store(repo, url) as store:
        started = time.perf_counter()
        for n in range(args.entries):
            store.append(**_entry(n))
        fill = time.perf_counter() - started
        latencies = []
        for n in range(args.appends):
            t = time.perf_counter()
            store.append(**_entry(n))
            latencies.append((time.perf_counter() - t) * 1000)
    opens = []
    for _ in range(20):
        t = time.perf_counter()
        open_store(repo, url).close()
        opens.append((time.perf_counter() - t) * 1000)
    env = {**os.environ, "DROID_AUDIT_URL": url}
    t = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", CONTENDER, str(repo)], env=env) for _ in range(args.procs)]
    codes = [p.wait() for p in procs]
    contended = time.perf_counter() - t
    with open_store(repo, url) as store:
        t = time.perf_counter()
        result = store.verify()
        verify_s = time.perf_counter() - t
    assert result.ok and codes == [0] * args.procs, (result, codes)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)]
    print(
        f"{name:<10} append median {statistics.median(latencies):6.2f} ms  p95 {p95:6.2f} ms"
        f"  | fill {args.entries / fill:7.0f}/s  | open median {statistics.median(opens):5.2f} ms"
        f"  | {args.procs} procs x 50 (incl. interpreter start) {contended:5.2f} s"
        f"  | verify {result.count} entries {verify_s:5.2f} s"
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appends", type=int, default=300)
    parser.add_argument("--entries", type=int, default=2_000)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--keyed", action="store_true", help="with a DROID_AUDIT_KEY made at run time")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    state = tempfile.TemporaryDirectory()  # this machine's anchors: never the user's own state directory
    os.environ["XDG_STATE_HOME"] = state.name
    if args.keyed:
        os.environ["DROID_AUDIT_KEY"] = secrets.token_hex(32)
    with tempfile.TemporaryDirectory() as tmp:
        measure("sqlite", Path(tmp), "", args)
    server = os.environ.get("DROID_TEST_POSTGRES_URL")
    if not server:
        print('postgresql: skipped (set DROID_TEST_POSTGRES_URL, e.g. eval "$(.ci/postgres.sh)")')
        return
    import psycopg

    schema = f"droid_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        joiner = "&" if "?" in server else "?"
        with tempfile.TemporaryDirectory() as tmp:
            measure("postgresql", Path(tmp), f"{server}{joiner}options={quote(f'-csearch_path={schema}')}", args)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
