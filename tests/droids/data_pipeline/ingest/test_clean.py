"""Cleaning is policy-driven and never silent: every change is counted."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from droids.data_pipeline.calendar.cme import calendar_for
from droids.data_pipeline.ingest.clean import clean
from droids.data_pipeline.policy import Cleaning
from tests.droids.data_pipeline.bars_factory import MINUTE, ns


def _raw(ts, close, volume=None) -> pa.Table:
    close = np.asarray(close, dtype=float)
    return pa.table(
        {
            "ts": pa.array(np.asarray(ts, dtype=np.int64)).cast(pa.timestamp("ns", tz="UTC")),
            "open": close,
            "high": close + 0.25,
            "low": close - 0.25,
            "close": close,
            "volume": np.asarray(volume if volume is not None else np.full(len(close), 10.0), dtype=float),
        }
    )


T0 = ns("2025-11-25T15:00:00Z")
SLOTS = calendar_for("CME_Equity", "CMES", "America/Chicago", T0, T0).slots(MINUTE)


def _minutes(*k: int) -> list[int]:
    return [T0 + i * MINUTE for i in k]


def test_duplicates_identical_and_conflicting_are_counted_and_keep_last() -> None:
    t = _raw(_minutes(0, 1, 1, 2, 2), [1.0, 2.0, 2.0, 3.0, 3.25])
    out, counts = clean(t, Cleaning(), 0.25, None)
    assert out.column("close").to_pylist() == [1.0, 2.0, 3.25]
    assert counts["duplicates_identical"] == 1 and counts["duplicates_conflicting"] == 1


def test_keep_first() -> None:
    out, _ = clean(_raw(_minutes(0, 1, 1), [1.0, 2.0, 2.5]), Cleaning(duplicates="first"), 0.25, None)
    assert out.column("close").to_pylist() == [1.0, 2.0]


@pytest.mark.parametrize(
    ("method", "expected", "filled", "left"),
    [
        ("leave", [1.0, None, 2.0], 0, 1),
        ("ffill", [1.0, 1.0, 2.0], 1, 0),
        ("interpolate", [1.0, 1.5, 2.0], 1, 0),
    ],
)
def test_missing_values_per_column(method: str, expected, filled: int, left: int) -> None:
    t = _raw(_minutes(0, 1, 2), [1.0, np.nan, 2.0])
    out, counts = clean(t, Cleaning(gaps={"close": method}), 0.25, None)
    got = [None if np.isnan(x) else x for x in out.column("close").to_pylist()]
    assert got == expected
    assert counts["missing_filled_close"] == filled and counts["missing_left_close"] == left


def test_interpolated_prices_land_on_the_tick_grid() -> None:
    out, _ = clean(_raw(_minutes(0, 1, 2), [1.0, np.nan, 1.75]), Cleaning(gaps={"close": "interpolate"}), 0.25, None)
    assert out.column("close").to_pylist()[1] in (1.25, 1.5)


def test_missing_bars_left_by_default_and_counted() -> None:
    out, counts = clean(_raw(_minutes(0, 1, 5, 6), [1, 2, 3, 4]), Cleaning(), 0.25, SLOTS)
    assert out.num_rows == 4 and counts["gaps_left_bars"] == 3


def test_missing_bars_forward_filled_as_flat_bars() -> None:
    policy = Cleaning(gaps={"open": "ffill", "high": "ffill", "low": "ffill", "close": "ffill", "volume": "zero"})
    out, counts = clean(_raw(_minutes(0, 1, 4), [1.0, 2.0, 3.0]), policy, 0.25, SLOTS)
    assert counts["gaps_filled_bars"] == 2
    assert out.column("filled").to_pylist() == [False, False, True, True, False]
    assert out.column("close").to_pylist() == [1.0, 2.0, 2.0, 2.0, 3.0]
    assert out.column("high").to_pylist()[2] == 2.0 and out.column("volume").to_pylist()[2] == 0.0


def test_missing_bars_interpolated() -> None:
    cols = dict.fromkeys(("open", "high", "low", "close", "volume"), "interpolate")
    out, _ = clean(_raw(_minutes(0, 4), [1.0, 2.0]), Cleaning(gaps=cols), 0.25, SLOTS)
    assert out.column("close").to_pylist() == [1.0, 1.25, 1.5, 1.75, 2.0]


def test_outliers_counted_by_each_test_and_dropped_on_request() -> None:
    rng = np.random.default_rng(3)
    close = 5000 + np.cumsum(rng.integers(-1, 2, 500)) * 0.25
    close[250] += 100.0  # a bad print: 400 ticks up, then back
    t = _raw(_minutes(*range(500)), close)
    _, counts = clean(t, Cleaning(), 0.25, None)
    assert counts["outliers_ticks"] == 2 and counts["outliers_zscore"] >= 2 and counts["outliers_iqr"] >= 2
    out, counts = clean(t, Cleaning.model_validate({"outliers": {"action": "drop"}}), 0.25, None)
    assert counts["outliers_dropped"] >= 2 and out.num_rows <= 498
