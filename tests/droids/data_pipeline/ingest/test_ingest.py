"""`droid data ingest` end to end against the fake Twelve Data server: paging, incremental ranges,
no credit spent on closed markets, atomic partitions, metadata without the key, nothing written on
a failure, exchange-local times."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from droids.core.errors import DroidError
from droids.data_pipeline.catalog.layout import coverage_of, partitions
from droids.data_pipeline.catalog.store import read_series
from droids.data_pipeline.ingest.run import ingest
from droids.data_pipeline.policy import DataPolicy
from tests.droids.data_pipeline.bars_factory import ns

FAST = {"twelvedata": {"credits_per_minute": 1000, "outputsize": 1000, "retries": {"base_s": 0, "max_s": 0}}}


def _ingest(policies: Path, catalog: Path, start: date, end: date, **extra: object):
    policy = DataPolicy.model_validate({**FAST, **extra})
    return ingest(
        policies.parent, policies, policy, symbol="ES", interval="1min", start=start, end=end, catalog=catalog
    )


def test_a_week_in_pages_then_nothing_more(td_env, policies: Path, tmp_path: Path, week_bars) -> None:
    cat = tmp_path / "catalog"
    first = _ingest(policies, cat, date(2025, 11, 23), date(2025, 12, 1))
    asked = week_bars["ts"][week_bars["ts"] < ns("2025-12-02T00:00:00Z")]
    assert first.fetched == len(asked) and first.pages >= 7  # 1000 bars a page
    assert [p for p in first.partitions] == [
        "symbol=ES/interval=1min/year=2025/month=11/bars.parquet",
        "symbol=ES/interval=1min/year=2025/month=12/bars.parquet",
    ]
    assert [f.rule for f in first.findings if f.rule != "DATA012"] == []
    series = read_series(partitions(cat, "ES", "1min"))
    assert (series.column("ts").cast("int64").to_numpy() == asked).all()
    again = _ingest(policies, cat, date(2025, 11, 23), date(2025, 12, 1))
    assert again.requests == 0 and again.missing == []


def test_only_missing_ranges_are_fetched(td_env, policies: Path, tmp_path: Path) -> None:
    cat = tmp_path / "catalog"
    _ingest(policies, cat, date(2025, 11, 25), date(2025, 11, 25))
    before = len(td_env.log)
    report = _ingest(policies, cat, date(2025, 11, 24), date(2025, 11, 26))
    assert [r for r in report.missing] == [
        ("2025-11-24T00:00:00Z", "2025-11-25T00:00:00Z"),
        ("2025-11-26T00:00:00Z", "2025-11-27T00:00:00Z"),
    ]
    asked = [e["params"] for e in td_env.log[before:]]
    assert all(p["start_date"] >= "2025-11-24" and p["end_date"] <= "2025-11-27 00:00:00" for p in asked)
    assert not any(p["start_date"].startswith("2025-11-25 00") for p in asked)


def test_a_closed_market_costs_no_credit(td_env, policies: Path, tmp_path: Path) -> None:
    report = _ingest(policies, tmp_path / "catalog", date(2025, 11, 29), date(2025, 11, 29))  # a Saturday
    assert report.requests == 0 and report.skipped_closed == 1
    part = tmp_path / "catalog/symbol=ES/interval=1min/year=2025/month=11/bars.parquet"
    assert coverage_of(part) == [(ns("2025-11-29T00:00:00Z"), ns("2025-11-30T00:00:00Z"))]


def test_partition_file_is_zstd_with_schema_source_and_coverage_and_no_key(td_env, policies, tmp_path, key) -> None:
    _ingest(policies, tmp_path / "catalog", date(2025, 11, 24), date(2025, 11, 24))
    path = tmp_path / "catalog/symbol=ES/interval=1min/year=2025/month=11/bars.parquet"
    meta = pq.ParquetFile(path).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    kv = pq.read_schema(path).metadata
    assert kv[b"droid.schema"] == b"bars/1"
    assert b'"provider": "twelvedata"' in kv[b"droid.source"] and td_env.url.encode() in kv[b"droid.source"]
    assert key.encode() not in path.read_bytes()
    assert not list(path.parent.glob("*.tmp-*"))


def test_a_refusal_mid_fetch_writes_nothing(td_env, policies: Path, tmp_path: Path, key: str) -> None:
    td_env.fail.extend([None] * 0)
    td_env.key = key[::-1]  # the key is refused from the first page on
    with pytest.raises(DroidError, match=r"API key was refused \(401\)") as err:
        _ingest(policies, tmp_path / "catalog", date(2025, 11, 24), date(2025, 11, 28))
    assert key not in str(err.value)
    assert not (tmp_path / "catalog").exists()


def test_server_errors_are_retried_and_the_ingest_completes(td_env, policies: Path, tmp_path: Path) -> None:
    td_env.fail.extend([500, 429])
    report = _ingest(policies, tmp_path / "catalog", date(2025, 11, 24), date(2025, 11, 24))
    assert report.retries == 2 and report.fetched > 1000


def test_exchange_local_times_are_converted(td_env, policies: Path, tmp_path: Path, week_bars) -> None:
    report = _ingest(
        policies,
        tmp_path / "catalog",
        date(2025, 11, 24),
        date(2025, 11, 24),
        twelvedata={**FAST["twelvedata"], "timezone": "Exchange"},
    )
    assert all("timezone" not in e["params"] for e in td_env.log)
    series = read_series(partitions(tmp_path / "catalog"))
    day = week_bars["ts"][
        (week_bars["ts"] >= ns("2025-11-24T00:00:00Z")) & (week_bars["ts"] < ns("2025-11-25T00:00:00Z"))
    ]
    assert report.fetched == len(day)
    assert (series.column("ts").cast("int64").to_numpy() == day).all()


def test_unknown_symbol_is_bad_input(td_env, policies: Path, tmp_path: Path) -> None:
    policy = DataPolicy.model_validate(FAST)
    with pytest.raises(DroidError, match=r"--symbol: unknown symbol 'ZZ'"):
        ingest(
            policies.parent,
            policies,
            policy,
            symbol="ZZ",
            interval="1min",
            start=date(2025, 11, 24),
            end=date(2025, 11, 24),
            catalog=tmp_path / "c",
        )


def test_duplicates_from_the_feed_are_cleaned_and_counted(td_env, policies, tmp_path, week_bars) -> None:
    import numpy as np

    doubled = {k: np.insert(v, 100, v[100]) for k, v in week_bars.items()}
    td_env.series["ES"] = doubled
    report = _ingest(policies, tmp_path / "catalog", date(2025, 11, 24), date(2025, 11, 24))
    assert report.cleaning["duplicates_identical"] == 1
    assert [f.rule for f in report.findings if f.rule in ("DATA002", "DATA010")] == []
