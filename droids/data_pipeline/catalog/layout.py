"""Where a catalog keeps its bars: `<root>/symbol=ES/interval=1min/year=2026/month=03/bars.parquet`.

One file per month, zstd-compressed, with the schema version, the source (provider, symbol, base URL
without credentials), the ranges it was fetched for (`coverage`, UTC, half-open) and the counts of
what cleaning changed in its key-value metadata. The ranges are what makes an ingest incremental: a
range is fetched once, holidays included, and never asked for again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from droids.core.errors import DroidError
from droids.data_pipeline.bars.schema import KEY_COVERAGE, KEY_SCHEMA

FILE_NAME = "bars.parquet"
_PART = re.compile(r"symbol=([^/]+)/interval=([^/]+)/year=(\d{4})/month=(\d{2})/" + re.escape(FILE_NAME) + "$")


@dataclass(frozen=True, order=True)
class Partition:
    symbol: str
    interval: str
    year: int
    month: int
    path: Path

    @property
    def start_ns(self) -> int:
        return month_start(self.year, self.month)

    @property
    def end_ns(self) -> int:
        y, m = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return month_start(y, m)


def month_start(year: int, month: int) -> int:
    return int(datetime(year, month, 1, tzinfo=UTC).timestamp()) * 1_000_000_000


def partition_path(root: Path, symbol: str, interval: str, year: int, month: int) -> Path:
    return root / f"symbol={symbol}" / f"interval={interval}" / f"year={year:04d}" / f"month={month:02d}" / FILE_NAME


def partitions(root: Path, symbol: str | None = None, interval: str | None = None) -> list[Partition]:
    """Every partition file under `root` (optionally of one symbol and interval), oldest first."""
    if not root.is_dir():
        raise DroidError(f"{root}: catalog folder not found")
    found = []
    for path in root.rglob(FILE_NAME):
        m = _PART.search(path.relative_to(root).as_posix())
        if not m:
            continue
        part = Partition(m.group(1), m.group(2), int(m.group(3)), int(m.group(4)), path)
        if (symbol is None or part.symbol == symbol) and (interval is None or part.interval == interval):
            found.append(part)
    return sorted(found)


def coverage_of(path: Path) -> list[tuple[int, int]]:
    """The fetched ranges a partition file records (ns, half-open)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except (pa.ArrowException, OSError) as exc:
        raise DroidError(f"{path}: not a readable Parquet file ({str(exc).splitlines()[0]})") from None
    if KEY_SCHEMA not in meta:
        return []
    try:
        return [(int(a), int(b)) for a, b in json.loads(meta.get(KEY_COVERAGE, b"[]"))]
    except (ValueError, TypeError):
        raise DroidError(f"{path}: metadata droid.coverage is not a list of [start_ns, end_ns]") from None


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(r for r in ranges if r[1] > r[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def subtract(want: tuple[int, int], have: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of `want` not covered by the (merged) ranges `have`."""
    lo, hi = want
    out = []
    for a, b in merge_ranges(have):
        if b <= lo or a >= hi:
            continue
        if a > lo:
            out.append((lo, a))
        lo = max(lo, b)
    if lo < hi:
        out.append((lo, hi))
    return out


def split_by_month(lo: int, hi: int) -> list[tuple[int, int, int, int]]:
    """[(year, month, start, end)] of the months [lo, hi) touches, clipped to it."""
    out = []
    d = datetime.fromtimestamp(lo // 1_000_000_000, UTC)
    y, m = d.year, d.month
    while True:
        start = month_start(y, m)
        if start >= hi:
            break
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        end = month_start(ny, nm)
        out.append((y, m, max(lo, start), min(hi, end)))
        y, m = ny, nm
    return out
