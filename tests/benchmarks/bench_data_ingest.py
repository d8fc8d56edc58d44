"""Benchmark `droid data ingest` of one year of one-minute bars from the fake Twelve Data server.

    .venv/bin/python tests/benchmarks/bench_data_ingest.py [--runs 3]

One year (2025) of ES one-minute bars on the real CME sessions (~352,000 bars) served by
tests/droids/data_pipeline/fake_twelvedata.py on 127.0.0.1. Measured in one run, alternated:
1. ours: `ingest` into an empty catalog: every page fetched (5000 bars each), cleaned, written as 12
   zstd month partitions, and validated (goal: under 10 s);
2. the peer a user would otherwise run: the `twelvedata` Python client downloading the same pages
   (same windows, `as_json()`), nothing cleaned, written or checked.
Median [min-max] of --runs; the load average is printed (shared machine).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from droids.data_pipeline.ingest.run import ingest  # noqa: E402
from droids.data_pipeline.policy import DataPolicy  # noqa: E402
from tests.droids.data_pipeline.bars_factory import bars_for, session_minutes  # noqa: E402
from tests.droids.data_pipeline.fake_twelvedata import FakeTwelveData  # noqa: E402
from tests.secret_values import twelve_data_key  # noqa: E402


def ours(key: str, url: str) -> tuple[float, int]:
    os.environ["TWELVEDATA_API_KEY"], os.environ["TWELVEDATA_URL"] = key, url
    policy = DataPolicy.model_validate({"twelvedata": {"credits_per_minute": 10_000}})
    catalog = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        started = time.perf_counter()
        report = ingest(
            ROOT,
            ROOT / "policies",
            policy,
            symbol="ES",
            interval="1min",
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            catalog=catalog,
        )
        return time.perf_counter() - started, report.fetched
    finally:
        shutil.rmtree(catalog)


def peer(key: str, url: str) -> tuple[float, int]:
    from twelvedata import TDClient

    td = TDClient(apikey=key, base_url=url)
    end = "2026-01-01 00:00:00"
    bars = 0
    started = time.perf_counter()
    while True:
        page = td.time_series(
            symbol="ES",
            interval="1min",
            outputsize=5000,
            timezone="UTC",
            start_date="2025-01-01 00:00:00",
            end_date=end,
        ).as_json()
        bars += len(page)
        if len(page) < 5000:
            break
        end = page[-1]["datetime"]
    return time.perf_counter() - started, bars


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    bars = bars_for(session_minutes(date(2025, 1, 2), date(2025, 12, 31)))
    key = twelve_data_key(2025)
    print(f"{len(bars['ts']):,} bars served; load average {os.getloadavg()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    mine, theirs = [], []
    with FakeTwelveData(key, {"ES": bars}) as fake:
        for _ in range(a.runs):
            secs, n = ours(key, fake.url)
            mine.append(secs)
            secs2, n2 = peer(key, fake.url)
            theirs.append(secs2)
    med, med2 = statistics.median(mine), statistics.median(theirs)
    print(f"ours (fetch + clean + write + validate): {med:.2f} s [{min(mine):.2f}-{max(mine):.2f}], {n:,} bars")
    print(f"twelvedata client (fetch only): {med2:.2f} s [{min(theirs):.2f}-{max(theirs):.2f}], {n2:,} bars")
    print(f"ratio ours / client: {med / med2:.2f}x; load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
