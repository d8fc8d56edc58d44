"""The catalog: schema evolution (a column added later reads back as nulls; a type change is DATA013),
atomic writes, freshness against the CME calendar (DATA011) and the catalog-freshness service."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from droids.core.registry import load_registry
from droids.data_pipeline.catalog.check import check_catalog
from droids.data_pipeline.catalog.freshness import catalog_freshness_of
from droids.data_pipeline.catalog.layout import partition_path, partitions
from droids.data_pipeline.catalog.store import read_series, write_partition
from droids.data_pipeline.policy import DataPolicy
from droids.data_pipeline.symbols import Symbols
from droids.data_pipeline.validate.scan import Scanner
from tests.droids.data_pipeline.bars_factory import ns

MONTHS = ((2025, 10), (2025, 11))


def _month_table(bars, year: int, month: int, extra: dict[str, pa.Array] | None = None) -> pa.Table:
    from droids.data_pipeline.catalog.layout import month_start

    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    keep = (bars["ts"] >= month_start(year, month)) & (bars["ts"] < month_start(*nxt))
    cols = {"ts": pa.array(bars["ts"][keep]).cast(pa.timestamp("ns", tz="UTC"))}
    cols |= {c: pa.array(bars[c][keep]) for c in ("open", "high", "low", "close", "volume")}
    return pa.table({**cols, **{k: v.take(pa.array(np.flatnonzero(keep))) for k, v in (extra or {}).items()}})


def _catalog(root: Path, bars, *, later_extra: dict | None = None, volume_type: pa.DataType | None = None) -> None:
    for i, (y, m) in enumerate(MONTHS):
        t = _month_table(bars, y, m, later_extra if i == 1 else None)
        if volume_type is not None and i == 1:
            t = t.set_column(t.schema.get_field_index("volume"), "volume", t.column("volume").cast(volume_type))
        from droids.data_pipeline.catalog.layout import month_start

        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        cov = [(max(month_start(y, m), int(bars["ts"][0])), min(month_start(ny, nm), int(bars["ts"][-1]) + 60 * 10**9))]
        write_partition(
            partition_path(root, "ES", "1min", y, m), t, source={"provider": "test"}, coverage=cov, cleaning={}
        )


@pytest.fixture
def span_bars():
    from datetime import date

    from tests.droids.data_pipeline.bars_factory import bars_for, session_minutes

    return bars_for(session_minutes(date(2025, 10, 27), date(2025, 11, 5)))


def test_a_column_added_later_reads_back_as_nulls_for_older_partitions(tmp_path: Path, span_bars) -> None:
    n = len(span_bars["ts"])
    _catalog(tmp_path, span_bars, later_extra={"spread": pa.array(np.full(n, 0.25))})
    series = read_series(partitions(tmp_path))
    assert "spread" in series.column_names
    october = series.filter(pa.compute.less(series.column("ts").cast("int64"), ns("2025-11-01T00:00:00Z")))
    assert october.column("spread").null_count == october.num_rows > 0
    assert series.column("spread").null_count < series.num_rows


def test_a_type_change_between_partitions_is_data013(tmp_path: Path, policies: Path, span_bars) -> None:
    _catalog(tmp_path, span_bars, volume_type=pa.int64())
    policy = DataPolicy()
    scanner = Scanner(policy, Symbols(policy, policies), ns("2025-11-05T23:00:00Z"))
    check_catalog(scanner, tmp_path, tmp_path)
    hits = [f for f in scanner.result.findings if f.rule == "DATA013"]
    assert len(hits) == 1 and "column volume is int64 here but double in" in hits[0].message
    assert hits[0].path and "month=11" in hits[0].path
    with pytest.raises(Exception, match="DATA013"):
        read_series(partitions(tmp_path))


def test_whole_catalog_check_is_clean_when_fresh(tmp_path: Path, policies: Path, span_bars) -> None:
    _catalog(tmp_path, span_bars)
    policy = DataPolicy()
    scanner = Scanner(policy, Symbols(policy, policies), ns("2025-11-05T23:30:00Z"))
    check_catalog(scanner, tmp_path, tmp_path)
    assert [f.rule for f in scanner.result.findings if f.rule != "DATA012"] == []
    assert scanner.result.bars == len(span_bars["ts"])


@pytest.mark.parametrize(
    ("now", "stale", "missed"),
    [
        ("2025-11-05T23:30:00Z", False, 0),  # the next session is under way
        ("2025-11-06T21:59:00Z", False, 0),  # ... still open
        ("2025-11-06T22:01:00Z", True, 1),  # it closed with no bar: one trading day missed
        ("2025-11-10T22:01:00Z", True, 3),  # Thursday, Friday, Monday
    ],
)
def test_freshness_counts_whole_sessions_closed_since_the_newest_bar(tmp_path, policies, span_bars, now, stale, missed):
    _catalog(tmp_path, span_bars)
    policy = DataPolicy()
    (fresh,) = catalog_freshness_of(tmp_path, policy, Symbols(policy, policies), ns(now))
    assert fresh.stale is stale and len(fresh.missed) == missed
    assert fresh.as_dict()["newest"] == "2025-11-05T21:59:00Z"


def test_stale_catalog_is_data011(tmp_path: Path, policies: Path, span_bars) -> None:
    _catalog(tmp_path, span_bars)
    policy = DataPolicy()
    scanner = Scanner(policy, Symbols(policy, policies), ns("2025-11-12T00:00:00Z"))
    check_catalog(scanner, tmp_path, tmp_path)
    (hit,) = [f for f in scanner.result.findings if f.rule == "DATA011"]
    assert "newest bar 2025-11-05T21:59:00Z" in hit.message and "closed since (2025-11-06" in hit.message


def test_service_is_reachable_by_name_and_reads_the_policy(tmp_path: Path, span_bars) -> None:
    repo = tmp_path / "repo"
    (repo / "policies").mkdir(parents=True)
    service = load_registry().service("catalog-freshness")
    assert service is not None
    assert service(repo)["note"].startswith("no catalog named")
    _catalog(repo / "data/catalog", span_bars)
    (repo / "policies/data.yaml").write_text("version: 1\ncatalog: data/catalog\n")
    answer = service(repo, now_ns=time.time_ns())
    assert answer["series"][0]["symbol"] == "ES" and answer["series"][0]["stale"] is True


def test_an_interrupted_write_leaves_the_old_month(tmp_path: Path, span_bars, monkeypatch) -> None:
    _catalog(tmp_path, span_bars)
    path = partition_path(tmp_path, "ES", "1min", 2025, 11)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", boom)
    with pytest.raises(OSError):
        write_partition(path, _month_table(span_bars, 2025, 11), source={}, coverage=[], cleaning={})
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.tmp-*"))
