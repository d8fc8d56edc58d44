"""NautilusTrader export: layout, file names, schema, metadata and fixed-point encoding as in
nautilus_trader's source; and, where Python >= 3.12 with nautilus_trader is available, a round trip
through NautilusTrader's own ParquetDataCatalog."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from droids.data_pipeline.ingest.run import ingest
from droids.data_pipeline.nautilus.export import export_nautilus, file_name
from droids.data_pipeline.nautilus.fixed import decode, raw_bytes
from droids.data_pipeline.policy import DataPolicy
from tests.conftest import REPO_ROOT
from tests.droids.data_pipeline.bars_factory import ns

FAST = {"twelvedata": {"credits_per_minute": 1000, "retries": {"base_s": 0, "max_s": 0}}}


@pytest.mark.parametrize(
    ("values", "precision", "mode"),
    [
        ([5000.25, 0.25, 123456.75], 2, "high"),
        ([-37.63, 0.01, 104.5], 2, "high"),  # crude oil went negative in April 2020
        ([5000.25, -0.25], 2, "standard"),
        ([3.0, 0.0, 1e6], 0, "high"),
    ],
)
def test_fixed_point_is_the_exact_raw_integer(values, precision: int, mode: str) -> None:
    fixed = 16 if mode == "high" else 9
    got = decode(raw_bytes(np.array(values), precision, mode), mode)
    want = [int(Decimal(str(v)).scaleb(fixed)) for v in values]
    assert got == want


def test_file_names_are_nautilus_iso_stamps() -> None:
    assert file_name(ns("2025-11-24T00:01:00Z"), ns("2025-11-24T22:00:00Z")) == (
        "2025-11-24T00-01-00-000000000Z_2025-11-24T22-00-00-000000000Z.parquet"
    )


@pytest.fixture
def exported(td_env, policies: Path, tmp_path: Path) -> Path:
    policy = DataPolicy.model_validate(FAST)
    cat = tmp_path / "catalog"
    ingest(
        policies.parent,
        policies,
        policy,
        symbol="ES",
        interval="1min",
        start=date(2025, 11, 24),
        end=date(2025, 12, 1),
        catalog=cat,
    )
    out = tmp_path / "nautilus"
    report = export_nautilus(cat, out, policy, policies)
    assert len(report.files) == 2
    return out


def test_layout_schema_and_metadata(exported: Path, week_bars) -> None:
    folder = exported / "data/bar/ES.XCME-1-MINUTE-LAST-EXTERNAL"
    files = sorted(folder.glob("*.parquet"))
    assert [f.name[:20] for f in files] == ["2025-11-24T00-01-00-", "2025-12-01T00-01-00-"]
    t = pq.read_table(files[0])
    assert t.schema.names == ["open", "high", "low", "close", "volume", "ts_event", "ts_init"]
    assert t.schema.field("open").type == pa.binary(16) and t.schema.field("ts_init").type == pa.uint64()
    assert {k: v for k, v in t.schema.metadata.items()} == {
        b"bar_type": b"ES.XCME-1-MINUTE-LAST-EXTERNAL",
        b"instrument_id": b"ES.XCME",
        b"price_precision": b"2",
        b"size_precision": b"0",
    }
    assert pq.ParquetFile(files[0]).metadata.row_group(0).column(0).compression == "SNAPPY"
    ts_init = t.column("ts_init").to_numpy()
    first = int(np.searchsorted(week_bars["ts"], ns("2025-11-24T00:00:00Z")))
    assert int(ts_init[0]) == int(week_bars["ts"][first]) + 60 * 10**9  # stamped at the bar's close
    assert (t.column("ts_event").to_numpy() == ts_init).all()
    close = decode(t.column("close").chunk(0).buffers()[1].to_pybytes()[: 16 * 3], "high")
    assert close == [int(Decimal(str(week_bars["close"][first + i])).scaleb(16)) for i in range(3)]


def _nautilus_python() -> tuple[str | None, str]:
    candidates = [os.environ.get("DROID_NAUTILUS_PYTHON"), str(REPO_ROOT / ".venv-nautilus/bin/python")]
    for exe in filter(None, candidates):
        if not Path(exe).exists():
            continue
        probe = subprocess.run(
            [
                exe,
                "-c",
                "import sys, nautilus_trader; assert sys.version_info >= (3, 12); print(nautilus_trader.__version__)",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if probe.returncode == 0:
            return exe, probe.stdout.strip()
    return None, "no Python >= 3.12 with nautilus_trader (set DROID_NAUTILUS_PYTHON, or make .venv-nautilus)"


READ_BACK = """
import json, sys
from nautilus_trader.persistence.catalog.parquet import ParquetDataCatalog
bars = ParquetDataCatalog(sys.argv[1]).bars(bar_types=["ES.XCME-1-MINUTE-LAST-EXTERNAL"])
print(json.dumps({"n": len(bars), "first": [str(bars[0].open), str(bars[0].high), str(bars[0].low), str(bars[0].close),
      str(bars[0].volume), bars[0].ts_event, bars[0].ts_init], "last_ts": bars[-1].ts_init}))
"""


@pytest.mark.slow
def test_round_trip_through_nautilus_trader(exported: Path, week_bars) -> None:
    exe, why = _nautilus_python()
    if exe is None:
        pytest.skip(f"round trip not run: {why}; nautilus_trader needs Python >= 3.12")
    proc = subprocess.run([exe, "-c", READ_BACK, str(exported)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout)
    lo, hi = np.searchsorted(week_bars["ts"], [ns("2025-11-24T00:00:00Z"), ns("2025-12-02T00:00:00Z")])
    assert got["n"] == hi - lo
    i = int(lo)
    want = [f"{week_bars[c][i]:.2f}" for c in ("open", "high", "low", "close")] + [str(int(week_bars["volume"][i]))]
    assert got["first"][:5] == want
    assert got["first"][5] == got["first"][6] == int(week_bars["ts"][i]) + 60 * 10**9
