"""Benchmark `droid data check` against pandera on the same checks (not part of the default test run).

    .venv/bin/python tests/benchmarks/bench_data_check.py [--bars 10000000] [--runs 5] [--pandera-runs 3]

Data: --bars one-minute bars, four symbols (ES, NQ, MES, MNQ) of --bars/4 bars each on the real CME
sessions from 2018 on (both calendars), prices on the 0.25 grid, one Parquet file per symbol (zstd),
made once in --workdir. Measured in one run, alternated:
1. ours, the per-bar rules only (DATA001-DATA006, DATA008: order, duplicates, future, OHLC, tick grid,
   negative volume, NaN/inf), on the bars already in memory, in batches of 65,536 as the scanner
   feeds them: the "checks themselves", bars/s on one core;
2. pandera (pandera.pandas) with the same seven checks on the same bars already in a DataFrame: the
   ratio pandera / ours;
3. ours end to end, every rule (the per-bar rules plus DATA007 and DATA010 on the CME calendar and
   the DATA012 cross-check) streaming the files (read + checks), in a fresh process each run, with
   its peak memory (VmHWM); and pandas.read_parquet of the same files + pandera, likewise.
Figures: median [min-max]; the machine's load average is printed (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.droids.data_pipeline.bars_factory import bars_for, session_minutes, write_parquet  # noqa: E402

SYMBOLS = ("ES", "NQ", "MES", "MNQ")


def make_data(workdir: Path, bars: int) -> list[Path]:
    per = bars // len(SYMBOLS)
    files = [workdir / f"{s}.parquet" for s in SYMBOLS]
    if all(f.exists() for f in files) and (workdir / "n").read_text() == str(bars):
        return files
    workdir.mkdir(parents=True, exist_ok=True)
    ts = session_minutes(date(2018, 1, 2), date(2026, 6, 30))[:per]
    if len(ts) < per:
        raise SystemExit(f"only {len(ts)} session minutes available, asked {per}")
    for k, (sym, f) in enumerate(zip(SYMBOLS, files, strict=True)):
        write_parquet(f, bars_for(ts, seed=k, start=4000.0 + 1000 * k), sym, row_group_size=65_536)
    (workdir / "n").write_text(str(bars))
    return files


def load(files: list[Path]) -> list[dict[str, np.ndarray]]:
    import pyarrow.parquet as pq

    out = []
    for f in files:
        t = pq.read_table(f)
        out.append(
            {
                "ts": t.column("ts").cast("int64").to_numpy(),
                **{c: t.column(c).to_numpy() for c in ("open", "high", "low", "close", "volume")},
            }
        )
    return out


def ours_bar_rules(series: list[dict[str, np.ndarray]], batch: int = 65_536) -> tuple[float, int]:
    from droids.data_pipeline.bars.read import BarBatch, BarFile
    from droids.data_pipeline.validate.context import BatchContext
    from droids.data_pipeline.validate.scan import BAR_RULES

    now = time.time_ns()
    hits = 0
    started = time.perf_counter()
    for s in series:
        prev = None
        for a in range(0, len(s["ts"]), batch):
            sl = slice(a, a + batch)
            b = BarBatch(
                "ES",
                s["ts"][sl],
                s["open"][sl],
                s["high"][sl],
                s["low"][sl],
                s["close"][sl],
                s["volume"][sl],
                rows=np.arange(a, a + len(s["ts"][sl])),
            )
            ctx = BatchContext(BarFile("x.parquet"), b, prev, now, 0, 0.25)
            for rule in BAR_RULES:
                hits += len(rule.find(ctx)[0])
            prev = int(b.ts[-1])
    return time.perf_counter() - started, hits


def pandera_schema():
    import pandera.pandas as pa

    now = time.time_ns()

    def on_grid(s):
        q = s * 4.0
        return (q - q.round()).abs() <= 1e-6

    price = {
        c: pa.Column(float, [pa.Check(lambda s: np.isfinite(s)), pa.Check(on_grid)], nullable=False)
        for c in ("open", "high", "low", "close")
    }
    return pa.DataFrameSchema(
        {
            "ts": pa.Column("int64", [pa.Check.le(now), pa.Check(lambda s: s.diff().fillna(1) > 0)], nullable=False),
            **price,
            "volume": pa.Column(float, [pa.Check.ge(0), pa.Check(lambda s: np.isfinite(s))], nullable=False),
        },
        checks=[
            pa.Check(lambda d: (d.high >= d.open) & (d.high >= d.close) & (d.high >= d.low)),
            pa.Check(lambda d: (d.low <= d.open) & (d.low <= d.close)),
        ],
    )


def pandera_run(frames) -> float:
    schema = pandera_schema()
    started = time.perf_counter()
    for df in frames:
        schema.validate(df, lazy=True)
    return time.perf_counter() - started


# Peak memory of the child: VmHWM (its own high-water mark; ru_maxrss would carry the parent's over exec).
PEAK = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""
CHILD_OURS = (
    PEAK
    + """
import json, sys, time
from pathlib import Path
from droids.data_pipeline.bars.read import BarFile
from droids.data_pipeline.policy import DataPolicy
from droids.data_pipeline.symbols import Symbols
from droids.data_pipeline.validate.scan import Scanner
p = DataPolicy()
s = Scanner(p, Symbols(p, Path(sys.argv[1])), time.time_ns())
t = time.perf_counter()
for f in sys.argv[2:]:
    s.scan(BarFile(Path(f).name, Path(f)))
wall = time.perf_counter() - t
m = s.result.metrics()
out = {"wall": wall, "check_s": m["data_check_s"], "read_s": m["data_read_s"], "calendar_s": m["data_calendar_s"]}
print(json.dumps({**out, "findings": len(s.result.findings), "bars": m["data_bars"], "peak_mb": peak_mb()}))
"""
)
CHILD_PANDERA = (
    PEAK
    + """
import json, sys, time
import pandas as pd
sys.path.insert(0, sys.argv[1])
from tests.benchmarks.bench_data_check import pandera_schema
schema = pandera_schema()
t = time.perf_counter()
for f in sys.argv[2:]:
    df = pd.read_parquet(f)
    df["ts"] = df["ts"].astype("int64")
    schema.validate(df.drop(columns=["symbol"]), lazy=True)
    del df
print(json.dumps({"wall": time.perf_counter() - t, "peak_mb": peak_mb()}))
"""
)


def child(code: str, files: list[Path], first: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", code, first, *map(str, files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):.3f} s [{min(xs):.3f}-{max(xs):.3f}]"


def main() -> None:
    import pandas as pd

    ap = argparse.ArgumentParser()
    ap.add_argument("--bars", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pandera-runs", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench-data-check"))
    a = ap.parse_args()
    files = make_data(a.workdir, a.bars)
    series = load(files)
    n = sum(len(s["ts"]) for s in series)
    frames = [pd.DataFrame(s) for s in series]
    print(f"{n:,} bars in {len(files)} files; load average {os.getloadavg()}")
    ours, pand = [], []
    for k in range(max(a.runs, a.pandera_runs)):
        if k < a.runs:
            secs, hits = ours_bar_rules(series)
            assert hits == 0
            ours.append(secs)
        if k < a.pandera_runs:
            pand.append(pandera_run(frames))
    print(
        f"per-bar rules, in memory: ours {fmt(ours)} = {n / statistics.median(ours) / 1e6:.1f}M bars/s; "
        f"pandera {fmt(pand)}; pandera/ours = {statistics.median(pand) / statistics.median(ours):.1f}x"
    )
    e2e_ours, e2e_pand = [], []
    for k in range(max(a.runs, a.pandera_runs)):
        if k < a.runs:
            e2e_ours.append(child(CHILD_OURS, files, str(ROOT / "policies")))
        if k < a.pandera_runs:
            e2e_pand.append(child(CHILD_PANDERA, files, str(ROOT)))
    walls = [r["wall"] for r in e2e_ours]
    checks = [r["check_s"] for r in e2e_ours]
    print(
        f"end to end, every rule (streamed): ours {fmt(walls)} (checks {fmt(checks)} = "
        f"{n / statistics.median(checks) / 1e6:.1f}M bars/s; "
        f"read {statistics.median(r['read_s'] for r in e2e_ours):.3f} s; "
        f"calendar {statistics.median(r['calendar_s'] for r in e2e_ours):.3f} s), peak RSS "
        f"{statistics.median(r['peak_mb'] for r in e2e_ours):.0f} MB, findings {e2e_ours[0]['findings']}"
    )
    pw = [r["wall"] for r in e2e_pand]
    print(
        f"end to end, pandas.read_parquet + pandera: {fmt(pw)}, peak RSS "
        f"{statistics.median(r['peak_mb'] for r in e2e_pand):.0f} MB; "
        f"ratio {statistics.median(pw) / statistics.median(walls):.1f}x"
    )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
