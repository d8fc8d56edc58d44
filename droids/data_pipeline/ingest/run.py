"""`droid data ingest`: the missing ranges of one symbol, fetched, cleaned, written, then validated.

1. The asked range [start 00:00Z, end + 1 day 00:00Z), clipped to now (only closed bars), minus what
   the catalog's partitions record as fetched (`coverage`): only missing ranges are fetched, and a
   missing range in which the CME calendar expects no bar (a weekend, a holiday) costs no credit.
2. Everything is fetched before anything is written: a refusal or a lost connection (exit 2) leaves
   the catalog as it was.
3. Cleaning per data.yaml, counted (ingest/clean.py); then each month touched is merged with what it
   held and rewritten atomically (catalog/store.py), coverage extended.
4. The months written are validated (DATA001-DATA012) and the findings returned with the counts.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from droids.core.errors import DroidError
from droids.core.models import Finding
from droids.data_pipeline.bars.schema import interval_ns
from droids.data_pipeline.catalog import layout
from droids.data_pipeline.catalog.store import read_metadata, read_partition, write_partition
from droids.data_pipeline.ingest.client import TwelveDataClient
from droids.data_pipeline.ingest.fetch import Fetched, fetch_range
from droids.data_pipeline.names import iso_utc
from droids.data_pipeline.policy import DataPolicy
from droids.data_pipeline.symbols import Symbols, SymbolSpec

if TYPE_CHECKING:
    import pyarrow as pa

    from droids.data_pipeline.calendar.cme import Slots

HOUR_NS = 3_600_000_000_000


@dataclass
class IngestReport:
    symbol: str
    interval: str
    catalog: str
    asked: tuple[str, str]
    missing: list[tuple[str, str]] = field(default_factory=list)
    skipped_closed: int = 0  # missing ranges with no session (no request made)
    requests: int = 0
    retries: int = 0
    pages: int = 0
    fetched: int = 0
    written: int = 0
    partitions: list[str] = field(default_factory=list)
    cleaning: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "symbol": self.symbol,
            "interval": self.interval,
            "catalog": self.catalog,
            "asked": list(self.asked),
            "missing": [list(r) for r in self.missing],
            "skipped_closed_ranges": self.skipped_closed,
            "requests": self.requests,
            "retries": self.retries,
            "pages": self.pages,
            "bars_fetched": self.fetched,
            "bars_written": self.written,
            "partitions": self.partitions,
            "cleaning": dict(sorted(self.cleaning.items())),
            "findings": [f.model_dump(mode="json", exclude_none=True) for f in self.findings],
            "notes": self.notes,
            "seconds": round(self.seconds, 3),
        }

    def text(self) -> str:
        lines = [
            f"ingest {self.symbol} {self.interval} {self.asked[0]}..{self.asked[1]} into {self.catalog}",
            f"  missing ranges: {len(self.missing)} ({self.skipped_closed} with no session, not requested); "
            f"requests {self.requests} (retries {self.retries}), pages {self.pages}",
            f"  bars fetched {self.fetched}; {len(self.partitions)} partition(s) written, holding {self.written} bars",
        ]
        changes = ", ".join(f"{k} {v}" for k, v in sorted(self.cleaning.items()) if v) or "nothing changed"
        lines.append(f"  cleaning: {changes}")
        for f in self.findings:
            lines.append(f"  {f.severity.value.upper():8} {f.rule} {f.path or ''}: {f.message}")
        lines += [f"  note: {n}" for n in self.notes]
        lines.append(f"  {self.seconds:.2f} s")
        return "\n".join(lines)


def utc_day(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()) * 1_000_000_000


def ingest(
    repo: Path,
    policies: Path,
    policy: DataPolicy,
    *,
    symbol: str,
    interval: str,
    start: date,
    end: date,
    catalog: Path,
    now_ns: int | None = None,
    client: TwelveDataClient | None = None,
) -> IngestReport:
    started = time.perf_counter()
    if end < start:
        raise DroidError(f"--end {end} is before --start {start}")
    symbols = Symbols(policy, policies)
    spec = symbols.get(symbol, where="--symbol")
    now_ns = now_ns or time.time_ns()
    step = interval_ns(interval)
    lo, hi = utc_day(start), utc_day(end + timedelta(days=1))
    closed = (now_ns // step) * step if step else utc_day(datetime.fromtimestamp(now_ns / 1e9, UTC).date())
    hi = min(hi, closed)
    report = IngestReport(spec.name, interval, str(catalog), (start.isoformat(), end.isoformat()))
    if hi <= lo:
        report.notes.append("nothing to fetch: the range has no closed bar yet")
        return report
    have = [r for p in _parts(catalog, spec.name, interval) for r in layout.coverage_of(p.path)]
    missing = layout.subtract((lo, hi), have)
    slots = _slots(spec, step, lo, hi) if step and HOUR_NS % step == 0 else None
    wanted = []
    for a, b in missing:
        report.missing.append((iso_utc(a), iso_utc(b)))
        if slots is not None and _expected(slots, a, b) == 0:
            report.skipped_closed += 1
        else:
            wanted.append((a, b))
    fetched = Fetched()
    if wanted:
        client = client or TwelveDataClient(policy.twelvedata)
        try:
            for a, b in wanted:
                fetch_range(client, spec, interval, a, b, fetched)
        finally:
            report.requests, report.retries = client.requests, client.retried
            client.close()
        source_url = client.public_url()
    else:
        source_url = ""
    report.pages, report.fetched = fetched.pages, fetched.bars
    if wanted and not fetched.bars and slots is not None:
        report.notes.append(
            f"Twelve Data returned no bars for {spec.policy.twelvedata!r} where the CME calendar expects some: "
            f"check symbols.{spec.name}.twelvedata in policies/data.yaml (whether your plan carries CME futures "
            "is not verified)"
        )
    _write(catalog, spec, interval, policy, missing, fetched, source_url, slots, report)
    _validate(repo, policies, policy, catalog, report, now_ns)
    report.seconds = time.perf_counter() - started
    return report


def _parts(catalog: Path, symbol: str, interval: str) -> list[layout.Partition]:
    return layout.partitions(catalog, symbol, interval) if catalog.exists() else []


def _slots(spec: SymbolSpec, step: int, lo: int, hi: int) -> Slots:
    from droids.data_pipeline.calendar.cme import calendar_for

    p = spec.policy
    return calendar_for(p.calendar, p.xcals, p.exchange_timezone, lo, hi).slots(step)


def _expected(slots: Slots, a: int, b: int) -> int:
    import numpy as np

    n = slots.before(np.array([a, b]))
    return int(n[1] - n[0])


def _write(catalog, spec, interval, policy, missing, fetched, source_url, slots, report) -> None:
    """Each month the missing ranges touch: its new bars cleaned (counted), merged, written atomically."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from droids.data_pipeline.bars.schema import catalog_schema
    from droids.data_pipeline.ingest.clean import clean

    raw = pa.concat_tables(fetched.tables) if fetched.tables else None
    months: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for a, b in missing:
        for y, m, s, e in layout.split_by_month(a, b):
            months.setdefault((y, m), []).append((s, e))
    source = {
        "provider": "twelvedata",
        "url": source_url,
        "symbol": spec.name,
        "provider_symbol": spec.policy.twelvedata,
        "interval": interval,
        "exchange_timezone": fetched.meta.get("exchange_timezone"),
        "exchange": fetched.meta.get("exchange"),
    }
    for (y, m), ranges in sorted(months.items()):
        start, end = layout.month_start(y, m), layout.Partition(spec.name, interval, y, m, Path()).end_ns
        new, counts = catalog_schema().empty_table(), Counter()
        if raw is not None:
            ts = raw.column("ts").cast("int64")
            month = raw.filter(pc.and_(pc.greater_equal(ts, start), pc.less(ts, end)))
            if month.num_rows:
                new, counts = clean(month, policy.cleaning, spec.tick, slots)
        report.cleaning.update(counts)
        path = layout.partition_path(catalog, spec.name, interval, y, m)
        if path.exists():
            coverage = layout.merge_ranges(layout.coverage_of(path) + ranges)
            counts.update(read_metadata(path).get("cleaning", {}) or {})
            new = _merge(read_partition(path), new, policy.cleaning.duplicates)
        else:
            coverage = layout.merge_ranges(ranges)
        write_partition(path, new, source=source, coverage=coverage, cleaning=dict(counts))
        report.written += new.num_rows
        report.partitions.append(path.relative_to(catalog).as_posix())


def _merge(old: pa.Table, new: pa.Table, keep: str) -> pa.Table:
    """Old and new bars of one month, one per timestamp (`keep` decides which on a clash)."""
    import numpy as np
    import pyarrow as pa

    both = pa.concat_tables([old, new], promote_options="default")
    ts = both.column("ts").cast("int64").to_numpy()
    origin = np.concatenate((np.zeros(old.num_rows), np.ones(new.num_rows)))
    order = np.lexsort((origin if keep == "last" else -origin, ts))
    ts_sorted = ts[order]
    last_of_run = np.concatenate((ts_sorted[1:] != ts_sorted[:-1], [True]))
    return both.take(pa.array(order[last_of_run]))


def _validate(repo: Path, policies: Path, policy: DataPolicy, catalog: Path, report: IngestReport, now_ns: int) -> None:
    from droids.data_pipeline.bars.read import BarFile
    from droids.data_pipeline.catalog.check import display
    from droids.data_pipeline.validate.scan import Scanner

    scanner = Scanner(policy, Symbols(policy, policies), now_ns)
    for rel in report.partitions:
        path = catalog / rel
        scanner.scan(
            BarFile(display(path, repo), path), step=interval_ns(report.interval), ranges=layout.coverage_of(path)
        )
    report.findings = scanner.result.findings
    report.notes += scanner.result.notes
