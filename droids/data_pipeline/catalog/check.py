"""Judge a whole catalog: every partition through the scanner (DATA001-DATA012, with each month's
fetched ranges), the partitions' schemas against each other (DATA013), and freshness (DATA011)."""

from __future__ import annotations

from pathlib import Path

from droids.data_pipeline.bars.read import BarFile
from droids.data_pipeline.bars.schema import interval_ns
from droids.data_pipeline.calendar import data011_stale as data011
from droids.data_pipeline.catalog import data013_schema_change as data013
from droids.data_pipeline.catalog.freshness import catalog_freshness_of
from droids.data_pipeline.catalog.layout import coverage_of, partitions
from droids.data_pipeline.catalog.store import schema_conflicts
from droids.data_pipeline.names import finding, iso_utc
from droids.data_pipeline.validate.scan import Scanner


def display(path: Path, repo: Path) -> str:
    try:
        return path.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return str(path)


def check_catalog(scanner: Scanner, root: Path, repo: Path) -> None:
    """Add the catalog's findings to `scanner.result`."""
    res = scanner.result
    parts = partitions(root)
    if not parts:
        res.notes.append(f"catalog {display(root, repo)}: no partitions yet (run droid data ingest)")
        return
    for part, col, typ, other, other_typ in schema_conflicts(parts):
        res.counts[data013.RULE.id] += 1
        res.findings.append(
            finding(
                data013.RULE,
                f"column {col} is {typ} here but {other_typ} in {display(other.path, repo)} (first seen there)",
                path=display(part.path, repo),
                key=f"{col}\0{typ}",
            )
        )
    for part in parts:
        step = interval_ns(part.interval) if part.interval in _KNOWN else None
        scanner.scan(BarFile(display(part.path, repo), part.path), step=step, ranges=coverage_of(part.path))
    for fresh in catalog_freshness_of(root, scanner.policy, scanner.symbols, scanner.now_ns):
        if not fresh.stale:
            continue
        res.counts[data011.RULE.id] += 1
        newest = iso_utc(fresh.newest_ns) if fresh.newest_ns is not None else "none"
        missed = ", ".join(fresh.missed[:3]) + (" ..." if len(fresh.missed) > 3 else "")
        res.findings.append(
            finding(
                data011.RULE,
                f"{fresh.symbol} {fresh.interval}: newest bar {newest}; {len(fresh.missed)} whole session(s) "
                f"closed since ({missed}); the limit is {fresh.limit}",
                path=display(fresh.path, repo) if fresh.path else display(root, repo),
                key=f"{fresh.symbol}\0{fresh.interval}",
                newest=newest,
            )
        )


_KNOWN = ("1min", "5min", "15min", "30min", "45min", "1h", "2h", "4h", "8h")
