"""The bar schema: columns, intervals, and the keys the droid writes into Parquet file metadata.

A bar file (CSV or Parquet) has `ts` (the bar's open, ISO 8601 with an offset or UTC; in Parquet a
timestamp with a time zone), `symbol`, `open`, `high`, `low`, `close`, `volume`. Catalog partitions
keep `symbol` in the path (`symbol=ES/...`) and add `filled` (a bar inserted by gap filling).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

COLUMNS = ("ts", "symbol", "open", "high", "low", "close", "volume")
VALUE_COLUMNS = ("open", "high", "low", "close", "volume")
SCHEMA_VERSION = "bars/1"

# Metadata keys in every catalog file (Parquet key-value metadata via the Arrow schema).
KEY_SCHEMA = b"droid.schema"
KEY_SOURCE = b"droid.source"
KEY_COVERAGE = b"droid.coverage"
KEY_CLEANING = b"droid.cleaning"

_MIN = 60_000_000_000
# Twelve Data's intervals; the value is the bar length in ns for intraday bars (None: calendar bars).
INTERVALS: dict[str, int | None] = {
    "1min": _MIN,
    "5min": 5 * _MIN,
    "15min": 15 * _MIN,
    "30min": 30 * _MIN,
    "45min": 45 * _MIN,
    "1h": 60 * _MIN,
    "2h": 120 * _MIN,
    "4h": 240 * _MIN,
    "8h": 480 * _MIN,
    "1day": None,
    "1week": None,
    "1month": None,
}


def interval_ns(interval: str) -> int | None:
    return INTERVALS[interval]


def interval_of_ns(step: int) -> str | None:
    """The interval name whose length is `step` ns, if any."""
    return next((name for name, ns in INTERVALS.items() if ns == step), None)


def catalog_schema() -> pa.Schema:
    """The columns of a catalog partition file, in order."""
    import pyarrow as pa

    return pa.schema(
        [
            ("ts", pa.timestamp("ns", tz="UTC")),
            ("open", pa.float64()),
            ("high", pa.float64()),
            ("low", pa.float64()),
            ("close", pa.float64()),
            ("volume", pa.float64()),
            ("filled", pa.bool_()),
        ]
    )
