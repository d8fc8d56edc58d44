"""`droid data export --nautilus DIR`: the catalog as NautilusTrader's ParquetDataCatalog reads it.

Layout and encoding, from nautilus_trader's own source (1.231.0; not imported: it needs Python
>= 3.12 and is LGPL-3.0):
- path `DIR/data/bar/<bar_type>/<first ts_init>_<last ts_init>.parquet` (persistence/catalog/
  parquet.py `_make_path`, `_timestamps_to_filename`: ISO 8601 with nanoseconds, `:` and `.` as `-`,
  e.g. 2026-03-09T14-31-00-000000000Z); one file per month of our catalog, intervals disjoint;
- `bar_type` `<instrument_id>-<step>-<MINUTE|HOUR|DAY...>-LAST-EXTERNAL`, e.g.
  ES.XCME-1-MINUTE-LAST-EXTERNAL (instrument id: data.yaml `symbols.<S>.nautilus_instrument_id`,
  default `<S>.XCME`);
- columns open, high, low, close, volume as FixedSizeBinary fixed-point (nautilus/fixed.py), then
  ts_event and ts_init as uint64 ns (crates/serialization/src/arrow/bar.rs `get_schema`);
- schema metadata `bar_type`, `instrument_id`, `price_precision`, `size_precision`
  (crates/model/src/data/bar.rs `get_metadata`); Snappy, 5,000-row groups (the catalog's defaults);
- ts_event = ts_init = the bar's close (open + interval): NautilusTrader's docs recommend stamping
  bars at their close; stamping them at their open is a look-ahead (DATA023).
Bars inserted by gap filling are exported like the others (their count is in each month's
`droid.cleaning` metadata).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from droids.core.errors import DroidError
from droids.data_pipeline.bars.schema import interval_ns
from droids.data_pipeline.catalog.layout import partitions
from droids.data_pipeline.catalog.store import read_series
from droids.data_pipeline.nautilus.fixed import MODES, raw_bytes
from droids.data_pipeline.policy import DataPolicy
from droids.data_pipeline.symbols import Symbols, SymbolSpec

_STEP_NAMES = {60: "MINUTE", 3600: "HOUR"}


@dataclass
class ExportReport:
    out: str
    files: list[str] = field(default_factory=list)
    bars: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"out": self.out, "files": self.files, "bars": self.bars}

    def text(self) -> str:
        return "\n".join([f"exported {self.bars} bars in {len(self.files)} file(s) to {self.out}", *self.files])


def bar_type(spec: SymbolSpec, interval: str) -> str:
    step = interval_ns(interval)
    if interval.endswith("day"):
        return f"{spec.nautilus_instrument_id}-{interval.removesuffix('day')}-DAY-LAST-EXTERNAL"
    if step is None:
        raise DroidError(f"interval {interval}: only minute, hour and day bars map to a NautilusTrader bar type")
    seconds = step // 1_000_000_000
    unit = 3600 if seconds % 3600 == 0 else 60
    return f"{spec.nautilus_instrument_id}-{seconds // unit}-{_STEP_NAMES[unit]}-LAST-EXTERNAL"


def file_name(first_ns: int, last_ns: int) -> str:
    return f"{_stamp(first_ns)}_{_stamp(last_ns)}.parquet"


def _stamp(ns: int) -> str:
    from datetime import UTC, datetime

    seconds, rest = divmod(ns, 1_000_000_000)
    text = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{rest:09d}Z"
    return text.replace(":", "-").replace(".", "-")


def export_nautilus(catalog: Path, out: Path, policy: DataPolicy, policies: Path) -> ExportReport:
    symbols = Symbols(policy, policies)
    report = ExportReport(str(out))
    groups: dict[tuple[str, str], list] = {}
    for part in partitions(catalog):
        groups.setdefault((part.symbol, part.interval), []).append(part)
    if not groups:
        raise DroidError(f"{catalog}: no partitions to export (run droid data ingest first)")
    for (symbol, interval), parts in sorted(groups.items()):
        spec = symbols.get(symbol, where=f"{catalog}: symbol={symbol}")
        btype = bar_type(spec, interval)
        folder = out / "data" / "bar" / btype.replace("/", "")
        folder.mkdir(parents=True, exist_ok=True)
        for part in parts:
            table = _bars_table(read_series([part]), spec, interval, btype, policy)
            if table is None:
                continue
            ts = table.column("ts_init")
            path = folder / file_name(ts[0].as_py(), ts[-1].as_py())
            tmp = path.with_name(path.name + ".tmp")
            import pyarrow.parquet as pq

            pq.write_table(table, tmp, compression="snappy", row_group_size=5000)
            tmp.replace(path)
            report.files.append(path.relative_to(out).as_posix())
            report.bars += table.num_rows
    return report


def _bars_table(series, spec: SymbolSpec, interval: str, btype: str, policy: DataPolicy):
    import numpy as np
    import pyarrow as pa

    if series.num_rows == 0:
        return None
    mode = policy.nautilus.precision
    width = MODES[mode][1]
    step = interval_ns(interval) or 86_400_000_000_000
    opens = series.column("ts").cast(pa.int64()).to_numpy()
    close_ns = (opens + step).astype(np.uint64)
    p, size_p = spec.price_precision, policy.nautilus.size_precision
    cols = {}
    for c in ("open", "high", "low", "close", "volume"):
        values = series.column(c).to_numpy(zero_copy_only=False)
        if not np.isfinite(values).all():
            raise DroidError(
                f"{spec.name} {interval}: {c} has NaN or inf values: fix them (droid data check) before export"
            )
        buf = raw_bytes(values, size_p if c == "volume" else p, mode)
        cols[c] = pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), len(values), [None, pa.py_buffer(buf)])
    cols["ts_event"] = pa.array(close_ns, type=pa.uint64())
    cols["ts_init"] = pa.array(close_ns, type=pa.uint64())
    fields = [pa.field(c, pa.binary(width), nullable=False) for c in ("open", "high", "low", "close", "volume")]
    fields += [pa.field("ts_event", pa.uint64(), nullable=False), pa.field("ts_init", pa.uint64(), nullable=False)]
    meta = {
        "bar_type": btype,
        "instrument_id": spec.nautilus_instrument_id,
        "price_precision": str(p),
        "size_precision": str(size_p),
    }
    return pa.Table.from_arrays(list(cols.values()), schema=pa.schema(fields, metadata=meta))
