"""One range of bars from Twelve Data's /time_series, page by page.

Twelve Data answers at most `outputsize` (5000) values, newest first, between `start_date` and
`end_date`; so the range is walked backwards: each next page ends where the oldest bar of the last
one began. Bars outside [lo, hi) are dropped (whether `end_date` is inclusive then does not matter).
With `timezone: UTC` (the default) the dates asked and answered are UTC; with `Exchange` they are
the exchange's local time (data.yaml `symbols.<S>.exchange_timezone`, checked against the answer's
`meta.exchange_timezone`), converted here; an ambiguous local time (the autumn hour) is bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from droids.core.errors import DroidError
from droids.data_pipeline.ingest.client import NoData, TwelveDataClient

if TYPE_CHECKING:
    import pyarrow as pa

    from droids.data_pipeline.symbols import SymbolSpec

_VALUES = ("open", "high", "low", "close", "volume")


@dataclass
class Fetched:
    tables: list[pa.Table] = field(default_factory=list)
    pages: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def bars(self) -> int:
        return sum(t.num_rows for t in self.tables)


def fetch_range(client: TwelveDataClient, spec: SymbolSpec, interval: str, lo: int, hi: int, out: Fetched) -> None:
    """Append the bars of [lo, hi) (ns, UTC) to `out`."""
    import pyarrow.compute as pc

    tz = "UTC" if client.cfg.timezone == "UTC" else spec.policy.exchange_timezone
    end = hi
    while end > lo:
        params = {
            "symbol": spec.policy.twelvedata,
            "interval": interval,
            "start_date": _fmt(lo, tz),
            "end_date": _fmt(end, tz),
            "outputsize": str(client.cfg.outputsize),
            "format": "JSON",
        }
        if client.cfg.timezone == "UTC":
            params["timezone"] = "UTC"
        try:
            body = client.get("/time_series", params)
        except NoData:
            return
        out.pages += 1
        meta = body.get("meta") or {}
        out.meta = out.meta or meta
        page = parse_values(body, tz, spec, out.pages)
        if page.num_rows == 0:
            return
        ts = page.column("ts").cast("int64")
        keep = pc.and_(pc.greater_equal(ts, lo), pc.less(ts, end))
        kept = page.filter(keep)
        if kept.num_rows:
            out.tables.append(kept)
        if len(body.get("values") or []) < client.cfg.outputsize or kept.num_rows == 0:
            return
        end = int(pc.min(kept.column("ts").cast("int64")).as_py())


def parse_values(body: dict[str, Any], tz: str, spec: SymbolSpec, page: int) -> pa.Table:
    """The `values` of an answer as a table (ts ns UTC, floats), in answer order."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = body.get("values")
    where = f"Twelve Data /time_series page {page} for {spec.name}"
    if not isinstance(values, list):
        raise DroidError(f"{where}: the answer has no 'values' list")
    meta_tz = (body.get("meta") or {}).get("exchange_timezone")
    if tz != "UTC" and meta_tz and meta_tz != tz:
        raise DroidError(
            f"{where}: the answer is in {meta_tz} but policies/data.yaml symbols.{spec.name}.exchange_timezone "
            f"is {tz}: set it to {meta_tz}"
        )
    try:
        cols = {k: [v[k] for v in values] for k in ("datetime", *_VALUES[:4])}
    except (KeyError, TypeError) as exc:
        raise DroidError(f"{where}: a value lacks {exc}: expected datetime, open, high, low, close") from None
    cols["volume"] = [v.get("volume") for v in values]
    text = pa.array(cols["datetime"], type=pa.string())
    fmt = "%Y-%m-%d %H:%M:%S" if values and len(str(values[0]["datetime"])) > 10 else "%Y-%m-%d"
    try:
        naive = pc.strptime(text, format=fmt, unit="s")
        stamped = pc.assume_timezone(naive, timezone=tz, ambiguous="raise", nonexistent="raise")
    except pa.ArrowInvalid as exc:
        raise DroidError(f"{where}: datetime not {fmt} in {tz}: {str(exc).splitlines()[0]}") from None
    out = {"ts": stamped.cast(pa.timestamp("ns", tz="UTC"))}
    for k in _VALUES:
        try:
            out[k] = pa.array(cols[k], type=pa.string()).cast(pa.float64())
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise DroidError(f"{where}: {k} is not a number: {str(exc).splitlines()[0]}") from None
    return pa.table(out)


def _fmt(ns: int, tz: str) -> str:
    moment = datetime.fromtimestamp(ns / 1e9, UTC)
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")
