"""The trading core's other files beside the journal, read as they grow: risk_events.csv and latency.csv.

- risk_events.csv (the contract's: ts, kind, rule, symbol, reason): `degrade` rows are latency
  spikes the engine itself detected (MON008); halts and kill-switch events are shown on the
  dashboard.
- latency.csv (the monitor's input for OnTick latency: `ts`, `on_tick_us`, one row per tick or per
  sample): MON005 and MON008.
Both are optional; a bad row is bad input naming the file and the row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError
from droids.monitoring.rules.base import Degrade, LatencySamples


@dataclass
class CsvTail:
    """Complete rows appended to a CSV file since the last read, as dicts (header from row 1)."""

    path: Path
    offset: int = 0
    row: int = 1  # physical rows consumed
    header: list[str] | None = None

    def read(self) -> list[tuple[int, dict[str, str]]]:
        try:
            size = self.path.stat().st_size
        except OSError:
            return []
        if size <= self.offset:
            return []
        with self.path.open("rb") as f:
            f.seek(self.offset)
            data = f.read(size - self.offset)
        end = data.rfind(b"\n") + 1
        if not end:
            return []
        self.offset += end
        try:
            text = data[:end].decode("utf-8-sig" if self.header is None else "utf-8")
        except UnicodeDecodeError as exc:
            raise DroidError(f"{self.path}: not UTF-8 text ({exc.reason})") from None
        lines = text.splitlines()
        out = []
        if self.header is None:
            self.header = [h.strip() for h in next(csv.reader([lines[0]]), [])]
            lines = lines[1:]
        for cells in csv.reader(lines):
            self.row += 1
            if not cells:
                continue
            out.append((self.row, dict(zip(self.header, cells, strict=False))))
        return out


@dataclass
class Sidecars:
    risk: CsvTail | None
    latency: CsvTail | None
    risk_events: list[dict[str, Any]] = field(default_factory=list)  # recent halts and kills, newest last

    @classmethod
    def beside(cls, journal: Path, latency_name: str) -> Sidecars:
        return cls(CsvTail(journal.with_name("risk_events.csv")), CsvTail(journal.with_name(latency_name)))

    def read(self) -> tuple[LatencySamples | None, tuple[Degrade, ...]]:
        import numpy as np

        from trading_core.apex.journal import RowError, parse_ts

        degrades = []
        for row, cells in self.risk.read() if self.risk else []:
            try:
                ts = parse_ts(cells.get("ts"))
            except RowError as exc:
                raise DroidError(f"{self.risk.path}: row {row}: ts: {exc}") from None  # type: ignore[union-attr]
            kind = (cells.get("kind") or "").strip()
            if kind == "degrade":
                degrades.append(Degrade(ts, (cells.get("reason") or "").strip()[:300]))
            if kind in ("halt", "kill", "degrade", "recover"):
                self.risk_events.append(
                    {
                        "ts_us": ts,
                        "kind": kind,
                        "rule": cells.get("rule", ""),
                        "reason": (cells.get("reason") or "")[:300],
                    }
                )
                del self.risk_events[:-50]
        samples = self.latency.read() if self.latency else []
        if not samples:
            return None, tuple(degrades)
        ts_list, us_list = [], []
        for row, cells in samples:
            try:
                ts_list.append(parse_ts(cells.get("ts")))
            except RowError as exc:
                raise DroidError(f"{self.latency.path}: row {row}: ts: {exc}") from None  # type: ignore[union-attr]
            try:
                us = float(cells.get("on_tick_us") or "")
            except ValueError:
                raise DroidError(
                    f"{self.latency.path}: row {row}: on_tick_us: expected a number of microseconds,"  # type: ignore[union-attr]
                    f" got {cells.get('on_tick_us')!r}"
                ) from None
            if us < 0:
                raise DroidError(f"{self.latency.path}: row {row}: on_tick_us: expected >= 0, got {us:g}")  # type: ignore[union-attr]
            us_list.append(us)
        return LatencySamples(np.array(ts_list, np.int64), np.array(us_list, np.float64)), tuple(degrades)
