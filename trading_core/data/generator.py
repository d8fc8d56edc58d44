"""A seeded generator of realistic intraday ticks, so the trading core runs with no data feed.

One trading day, all symbols interleaved on one clock (vectorised with numpy):
- arrivals: a Poisson process over the policy's local window whose intensity is U-shaped through the
  day (busy open and close, quiet lunch); DST-correct through zoneinfo;
- price: per symbol a latent mid in ticks = a common market factor (so ES and NQ move together) plus
  an idiosyncratic walk, scaled by the symbol's one-tick volatility times a per-day multiplier;
- order flow: an AR(1) imbalance per symbol shows in the touch sizes and the trade signs, and drifts
  the next moves (`flow_edge`): the small, learnable edge the model is trained on;
- gaps: rare jumps of several ticks; crash days: a fall of `crash_move` of the price over
  `crash_minutes`, starting late in the session, with doubled volatility;
- `runaway=True` multiplies the flow edge (a day where the model wins far more than usual) and
  `crash=True/False` forces or forbids the crash: the adversarial days of the tests.
The same (policy, seed, day) always gives the same ticks: the RNG is seeded with (seed, day ordinal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from trading_core.data.ticks import Tick

if TYPE_CHECKING:
    import numpy as np

    from trading_core.sim.config import GeneratorPolicy

US = 1_000_000
RUNAWAY_EDGE_FACTOR = 4.0  # how much stronger the flow edge is on a runaway day


@dataclass(frozen=True)
class DayTicks:
    """One generated day as columns; prices in integer ticks of each symbol's instrument."""

    day: dt.date
    symbols: tuple[str, ...]
    ts_us: np.ndarray  # int64, strictly increasing
    sym: np.ndarray  # int64 index into symbols
    bid: np.ndarray  # int64 ticks
    ask: np.ndarray
    bid_size: np.ndarray
    ask_size: np.ndarray
    trade_qty: np.ndarray
    crash_start_us: int | None

    def __len__(self) -> int:
        return len(self.ts_us)

    def ticks(self, tick_sizes: dict[str, float]) -> Iterator[Tick]:
        """The day as `Tick`s with float prices in price units, in time order."""
        names = self.symbols
        sizes = [tick_sizes[s] for s in names]
        cols = zip(
            self.ts_us.tolist(),
            self.sym.tolist(),
            self.bid.tolist(),
            self.ask.tolist(),
            self.bid_size.tolist(),
            self.ask_size.tolist(),
            self.trade_qty.tolist(),
            strict=True,
        )
        new = tuple.__new__  # a NamedTuple without its Python-level __new__: millions of ticks
        for ts, s, b, a, bs, az, q in cols:
            size = sizes[s]
            yield new(Tick, (ts, names[s], b * size, a * size, bs, az, q))


def _local_us(day: dt.date, clock: dt.time, tz: ZoneInfo) -> int:
    return int(dt.datetime.combine(day, clock, tzinfo=tz).timestamp()) * US


def generate_day(
    gen: GeneratorPolicy,
    tick_sizes: dict[str, float],
    timezone: str,
    day: dt.date,
    seed: int,
    *,
    symbols: tuple[str, ...],
    crash: bool | None = None,
    runaway: bool = False,
) -> DayTicks:
    import numpy as np

    rng = np.random.default_rng([seed, day.toordinal()])
    tz = ZoneInfo(timezone)
    start, end = _local_us(day, gen.window.start, tz), _local_us(day, gen.window.end, tz)
    n_sym = len(symbols)
    boost = float(gen.open_close_boost)
    # arrival times: inverse CDF of the U-shaped intensity u(x) = 1 + (boost - 1)(2x - 1)^2
    grid = np.linspace(0.0, 1.0, 2001)
    dens = 1.0 + (boost - 1.0) * (2 * grid - 1) ** 2
    cdf = np.concatenate(([0.0], np.cumsum((dens[1:] + dens[:-1]) / 2)))
    cdf /= cdf[-1]
    mean_u = 1.0 + (boost - 1.0) / 3.0
    n = int(rng.poisson(float(gen.ticks_per_second) * n_sym * mean_u * (end - start) / US))
    x = np.sort(np.interp(rng.random(n), cdf, grid))
    ts = start + (x * (end - start - n)).astype(np.int64)
    ts = ts + np.arange(n, dtype=np.int64)  # strictly increasing, still inside the window
    sym = rng.integers(0, n_sym, n)
    vol_day = rng.uniform(float(gen.vol_day_range[0]), float(gen.vol_day_range[1]))
    common = np.cumsum(rng.standard_normal(n)) / np.sqrt(n_sym)
    share = float(gen.common_factor_share)
    crash_start = None
    if crash if crash is not None else rng.random() < float(gen.crash_day_prob):
        c0 = _local_us(day, gen.crash_window.start, tz)
        c1 = _local_us(day, gen.crash_window.end, tz)
        crash_start = int(rng.integers(c0, c1))
    edge = float(gen.flow_edge) * (RUNAWAY_EDGE_FACTOR if runaway else 1.0)
    cols = {k: np.zeros(n, dtype=np.int64) for k in ("bid", "ask", "bid_size", "ask_size", "trade_qty")}
    for k, root in enumerate(symbols):
        idx = np.flatnonzero(sym == k)
        spec = gen.symbols[root]
        m = len(idx)
        sigma = float(spec.tick_vol) * vol_day
        imb = _ar1(rng.standard_normal(m) * 0.45, float(gen.flow_persistence))
        prev_imb = np.concatenate(([0.0], imb[:-1]))
        steps = sigma * (np.sqrt(1 - share) * rng.standard_normal(m) + edge * prev_imb)
        gaps = (
            (rng.random(m) < float(gen.gap_prob_per_tick))
            * rng.integers(gen.gap_ticks[0], gen.gap_ticks[1] + 1, m)
            * rng.choice([-1, 1], m)
        )
        latent = np.cumsum(steps + gaps) + sigma * np.sqrt(share) * common[idx] * np.sqrt(n_sym)
        price0 = float(spec.start_price) * float(np.exp(rng.normal(0.0, 0.01)))
        latent += price0 / tick_sizes[root]
        if crash_start is not None:
            span = gen.crash_minutes * 60 * US
            done = np.clip((ts[idx] - crash_start) / span, 0.0, 1.0)
            fall = float(gen.crash_move) * price0 / tick_sizes[root]
            shock = np.cumsum(sigma * rng.standard_normal(m) * ((done > 0) & (done < 1)))
            latent += shock - fall * done
        bid = np.floor(latent).astype(np.int64)
        wide = rng.random(m) < float(gen.spread_wide_prob)
        depth = 1 + rng.poisson(gen.depth_mean, m)
        traded = rng.random(m) < 0.5
        buy = rng.random(m) < (1 + imb) / 2
        qty = (1 + rng.poisson(2.0, m)) * np.where(buy, 1, -1) * traded
        cols["bid"][idx] = bid
        cols["ask"][idx] = bid + 1 + wide
        cols["bid_size"][idx] = np.maximum(1, np.rint(depth * (1 + imb) / 2)).astype(np.int64)
        cols["ask_size"][idx] = np.maximum(1, np.rint(depth * (1 - imb) / 2)).astype(np.int64)
        cols["trade_qty"][idx] = qty
    return DayTicks(day, tuple(symbols), ts, sym.astype(np.int64), crash_start_us=crash_start, **cols)


def _ar1(shocks: np.ndarray, phi: float) -> np.ndarray:
    """Imbalance in (-0.95, 0.95): an AR(1) of the shocks, squashed with tanh."""
    import numpy as np

    out = np.empty_like(shocks)
    level = 0.0
    scale = float(np.sqrt(1 - phi * phi))
    for i, z in enumerate(shocks.tolist()):
        level = phi * level + scale * z
        out[i] = level
    return np.clip(np.tanh(out * 1.5), -0.95, 0.95)


def trading_days(first: dt.date, count: int) -> list[dt.date]:
    """`count` weekdays from `first` (itself included when it is a weekday)."""
    days: list[dt.date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days
