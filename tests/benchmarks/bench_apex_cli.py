"""Benchmark `droid apex check` end to end: events/s from CSV and Parquet, and memory on a 1 GB CSV.

    .venv/bin/python tests/benchmarks/bench_apex_cli.py [--events 2000000] [--runs 3] [--memory-gb 1]

1. Throughput: the same generated journal (bench_apex.generated_journal: 4 roots, ~70 % marks,
   deadlines, DST changes and early closes over the year) written as CSV and as Parquet into a
   temporary folder, then, interleaved `--runs` times: `evaluate` in process on the journal's
   columns (the ratio partner: the engine alone, no file, no process), `droid apex check FILE.csv`
   and `droid apex check FILE.parquet` as a user runs them (a fresh process each, default options:
   the rule set judged plus the two others compared, report written to /dev/null). Medians, events/s,
   and the ratio of each to the in-process figure; the peak RSS of each CLI run (/usr/bin/time).
2. Memory (`--memory-gb N`, 0 to skip): a CSV of about N GB generated in pieces into the temporary
   folder (each piece a generated journal after the previous one), checked once by the CLI with its
   peak RSS and wall time; the file is deleted afterwards. Goal: under 500 MB for 1 GB.
Goals (issue 20): >= 1,000,000 events/s through the CLI from Parquet and from CSV.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_apex import POLICIES, ROOTS, generated_journal  # noqa: E402

from trading_core.apex.evaluate import evaluate  # noqa: E402
from trading_core.apex.journal import Journal  # noqa: E402
from trading_core.apex.policy import load_apex_policy  # noqa: E402
from trading_core.apex.spec import compile_spec  # noqa: E402


def write_journal(journal: Journal, csv_path: Path | None, parquet_path: Path | None, *, append: bool = False) -> None:
    """The journal's columns as the contract's text: ISO-8601 UTC times, prices on the quarter tick."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    fill = journal.is_fill
    cents = journal.price_ticks * 25  # every root here ticks in 0.25
    price = np.char.add(np.char.add((cents // 100).astype(str), "."), np.char.zfill((cents % 100).astype(str), 2))
    fee = journal.fee_units
    fee_text = np.char.add(np.char.add((fee // 10_000).astype(str), "."), np.char.zfill((fee % 10_000).astype(str), 4))
    table = pa.table(
        {
            "ts": np.datetime_as_string(journal.ts_us.astype("datetime64[us]"), unit="us", timezone="UTC"),
            "kind": np.where(fill, "fill", "mark"),
            "symbol": np.array(ROOTS)[journal.sym],
            "qty": pa.array(journal.qty, mask=~fill),
            "price": price,
            "fee": pa.array(fee_text, mask=~fill),
        }
    )
    if csv_path is not None:
        with csv_path.open("ab" if append else "wb") as out:
            pcsv.write_csv(table, out, pcsv.WriteOptions(include_header=not append, quoting_style="none"))
    if parquet_path is not None:
        pq.write_table(table, parquet_path)


def run_cli(path: Path) -> tuple[float, int, int]:
    """(wall s, peak RSS MB, exit code) of one `droid apex check PATH` in a fresh process.

    Measured by /usr/bin/time around it: the rusage of a child forked from this (large) process
    would count the parent's pages it had before exec.
    """
    droid = Path(sys.executable).with_name("droid")
    argv = [str(droid)] if droid.exists() else [sys.executable, "-m", "orchestrator.cli.main"]
    argv += ["--policies", str(POLICIES), "apex", "check", str(path), "--format", "json", "--output", os.devnull]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M %x", "-o", timing.name, *argv], capture_output=True, text=True, check=False
        )
        wall, kb, code = timing.read().split()[-3:]
    if int(code) not in (0, 1):
        raise SystemExit(f"droid apex check {path} exited {code}: {proc.stderr}")
    return float(wall), int(kb) // 1024, int(code)


def throughput(n: int, runs: int, folder: Path) -> None:
    spec = compile_spec(load_apex_policy(POLICIES))
    journal = generated_journal(n)
    csv_path, parquet_path = folder / "journal.csv", folder / "journal.parquet"
    write_journal(journal, csv_path, parquet_path)
    sizes = [f"{p.suffix[1:]} {p.stat().st_size / 1e6:.0f} MB" for p in (csv_path, parquet_path)]
    print(f"journal: {n:,} events; {', '.join(sizes)}")
    times: dict[str, list[float]] = {
        "in-process evaluate": [],
        "droid apex check .csv": [],
        "droid apex check .parquet": [],
    }
    rss: dict[str, list[int]] = {k: [] for k in times}
    loads = [os.getloadavg()[0]]
    for _ in range(runs):  # interleaved, so a change of load hits all three alike
        t0 = time.perf_counter()
        evaluate(journal, spec)
        times["in-process evaluate"].append(time.perf_counter() - t0)
        for key, path in (("droid apex check .csv", csv_path), ("droid apex check .parquet", parquet_path)):
            wall, peak, _ = run_cli(path)
            times[key].append(wall)
            rss[key].append(peak)
        loads.append(os.getloadavg()[0])
    base = statistics.median(times["in-process evaluate"])
    for key, values in times.items():
        med = statistics.median(values)
        peak = f", peak RSS {max(rss[key])} MB" if rss[key] else ""
        print(
            f"{key}: median {med:.3f} s [{min(values):.3f}-{max(values):.3f}] of {runs} ->"
            f" {n / med / 1e6:.2f} M events/s; {med / base:.1f}x the in-process time{peak}"
        )
    print(f"load average during the runs: {min(loads):.2f}-{max(loads):.2f} on {os.cpu_count()} cpus")


def memory(gigabytes: float, folder: Path) -> None:
    path = folder / "big.csv"
    piece, offset, events = 2_000_000, 0, 0
    while not path.exists() or path.stat().st_size < gigabytes * 1e9:
        journal = generated_journal(piece, seed=7 + events // piece)
        ts = journal.ts_us - journal.ts_us[0] + offset  # each piece after the last: one journal in time order
        journal = Journal(journal.source, journal.symbols, ts, *[getattr(journal, c) for c in
                          ("is_fill", "sym", "qty", "price_ticks", "fee_units", "row")])  # fmt: skip
        write_journal(journal, path, None, append=path.exists())
        offset, events = int(ts[-1]) + 1_000_000, events + piece
    size = path.stat().st_size
    try:
        wall, peak, code = run_cli(path)
    finally:
        path.unlink()
    print(
        f"memory: {size / 1e9:.2f} GB CSV, {events:,} events: droid apex check took {wall:.1f} s"
        f" ({events / wall / 1e6:.2f} M events/s), peak RSS {peak} MB, exit {code} (file deleted)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=2_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--memory-gb", type=float, default=1.0)
    args = ap.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, Python"
        f" {platform.python_version()}, numpy {np.__version__}; load average {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-apex-cli-") as tmp:
        throughput(args.events, args.runs, Path(tmp))
        if args.memory_gb > 0:
            memory(args.memory_gb, Path(tmp))


if __name__ == "__main__":
    main()
