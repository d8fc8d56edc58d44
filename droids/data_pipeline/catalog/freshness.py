"""How fresh the catalog is: the newest bar of each symbol and interval, and whether it is stale (DATA011).

Also the droid's service "catalog-freshness" (MANIFEST): read-only, cheap (it reads the `ts` column of
each series' newest month only), so `droid ask` can answer "is the data up to date?".
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from droids.data_pipeline.calendar.cme import calendar_for
from droids.data_pipeline.calendar.data011_stale import missed_sessions
from droids.data_pipeline.catalog.layout import Partition, partitions
from droids.data_pipeline.names import iso_utc
from droids.data_pipeline.policy import DataPolicy
from droids.data_pipeline.symbols import Symbols


@dataclass(frozen=True)
class Freshness:
    symbol: str
    interval: str
    newest_ns: int | None
    missed: tuple[str, ...]  # dates of whole sessions closed since the newest bar
    limit: int
    path: Path | None  # the partition holding the newest bar

    @property
    def stale(self) -> bool:
        return self.newest_ns is None or len(self.missed) >= self.limit

    def as_dict(self) -> dict[str, object]:
        return {
            "symbol": self.symbol,
            "interval": self.interval,
            "newest": iso_utc(self.newest_ns) if self.newest_ns is not None else None,
            "stale": self.stale,
            "missed_sessions": len(self.missed),
            "limit_sessions": self.limit,
        }


def newest_bar(parts: list[Partition]) -> tuple[int | None, Path | None]:
    import pyarrow.compute as pc

    from droids.data_pipeline.catalog.store import read_partition

    for part in reversed(parts):
        ts = read_partition(part.path).column("ts")
        if len(ts):
            return int(pc.max(ts).cast("int64").as_py()), part.path
    return None, None


def catalog_freshness_of(root: Path, policy: DataPolicy, symbols: Symbols, now_ns: int) -> list[Freshness]:
    out = []
    limit = policy.freshness.max_missed_sessions
    for (symbol, interval), group in groupby(partitions(root), key=lambda p: (p.symbol, p.interval)):
        parts = list(group)
        newest, path = newest_bar(parts)
        missed: tuple[str, ...] = ()
        if newest is not None:
            spec = symbols.get(symbol, where=f"{root}: symbol={symbol}").policy
            cal = calendar_for(spec.calendar, spec.xcals, spec.exchange_timezone, newest, now_ns)
            missed = tuple(str(cal.dates[j]) for j in missed_sessions(newest, cal.opens, cal.closes, now_ns))
        out.append(Freshness(symbol, interval, newest, missed, limit, path))
    return out


def catalog_freshness(repo: Path, policies: Path | None = None, now_ns: int | None = None) -> dict[str, object]:
    """The service: {"catalog": path or None, "series": [{symbol, interval, newest, stale, ...}], "note"}."""
    from droids.data_pipeline.policy import load_data_policy

    policies = policies or repo / "policies"
    policy, _ = load_data_policy(policies)
    if policy.catalog is None:
        return {"catalog": None, "series": [], "note": "no catalog named in policies/data.yaml (catalog:)"}
    root = (repo / policy.catalog).resolve()
    found = catalog_freshness_of(root, policy, Symbols(policy, policies), now_ns or time.time_ns())
    return {"catalog": str(root), "series": [f.as_dict() for f in found], "note": None}
