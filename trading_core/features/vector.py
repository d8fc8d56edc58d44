"""The model's feature vector for one symbol, updated in O(1) per validated tick.

Features (prices in ticks of the instrument, mid = (bid + ask) / 2, k counts this symbol's ticks):
  ret1        mid_k - mid_{k-1} (0 on the first tick)
  momentum    (mid_k - mid_{k-W}) / W, W = momentum_window (mid_0 stands in while k < W)
  ema_gap     EMA_fast(mid) - EMA_slow(mid)
  ema_dev     mid_k - EMA_slow(mid)
  vol         population std of ret1 over the last vol_window ticks (fewer while warming up)
  spread      ask - bid
  book_imb    (bid_size - ask_size) / (bid_size + ask_size), 0 when both are 0
  flow_imb    EMA(trade_qty) / EMA(|trade_qty|) over flow_span, 0 before any trade
EMAs follow features/ema.py (seeded with the first value); the windows are ring buffers with running
sums (features/rolling.py). Mids are taken relative to the symbol's first mid so the EMAs work on
small numbers (no precision lost on prices of 70,000 ticks); every feature is a difference, so the
anchor cancels out. The EMA and std updates are written inline: this runs on every tick, and four
method calls would cost more than the arithmetic.
"""

from __future__ import annotations

from collections.abc import MutableSequence

from trading_core.data.validate import ValidTick
from trading_core.features.ema import alpha_of
from trading_core.features.rolling import RollingWindow

FEATURE_NAMES = ("ret1", "momentum", "ema_gap", "ema_dev", "vol", "spread", "book_imb", "flow_imb")
N_FEATURES = len(FEATURE_NAMES)


class SymbolFeatures:
    __slots__ = (
        "_a_fast",
        "_a_flow",
        "_a_slow",
        "_anchor",
        "_fast",
        "_flow_abs",
        "_flow_signed",
        "_mom",
        "_mom_w",
        "_prev",
        "_rets",
        "_s1",
        "_s2",
        "_slow",
        "mid",
        "ticks",
        "vol",
    )

    def __init__(self, ema_fast_span: int, ema_slow_span: int, vol_window: int, momentum_window: int, flow_span: int):
        self._a_fast, self._a_slow, self._a_flow = alpha_of(ema_fast_span), alpha_of(ema_slow_span), alpha_of(flow_span)
        self._fast = self._slow = self._flow_signed = self._flow_abs = 0.0
        self._rets = RollingWindow(vol_window)
        self._s1 = self._s2 = 0.0
        self._mom = RollingWindow(momentum_window + 1)
        self._mom_w = float(momentum_window)
        self._anchor = 0.0
        self._prev = 0.0
        self.ticks = 0
        self.mid = 0.0  # last mid in ticks (absolute)
        self.vol = 0.0  # last rolling vol, read by sizing

    def update(self, t: ValidTick, out: MutableSequence[float]) -> None:
        """Fold `t` in and write the features into out[0:N_FEATURES]."""
        mid_abs = (t.bid + t.ask) * 0.5
        q = float(t.trade_qty)
        qa = q if q >= 0.0 else -q
        if self.ticks:
            mid = mid_abs - self._anchor
            ret1 = mid - self._prev
            fast = self._fast = self._fast + self._a_fast * (mid - self._fast)
            slow = self._slow = self._slow + self._a_slow * (mid - self._slow)
            signed = self._flow_signed = self._flow_signed + self._a_flow * (q - self._flow_signed)
            total = self._flow_abs = self._flow_abs + self._a_flow * (qa - self._flow_abs)
        else:
            self._anchor = mid_abs
            mid = ret1 = fast = slow = 0.0
            self._fast = self._slow = 0.0
            signed = self._flow_signed = q
            total = self._flow_abs = qa
        self._prev = mid
        self._mom.push(mid)
        old = self._rets.push(ret1)
        s1 = self._s1 + ret1
        s2 = self._s2 + ret1 * ret1
        if old is not None:
            s1 -= old
            s2 -= old * old
        self._s1, self._s2 = s1, s2
        n = self._rets.count
        mean = s1 / n
        var = s2 / n - mean * mean
        vol = var**0.5 if var > 0.0 else 0.0
        size = t.bid_size + t.ask_size
        out[0] = ret1
        out[1] = (mid - self._mom.oldest()) / self._mom_w
        out[2] = fast - slow
        out[3] = mid - slow
        out[4] = vol
        out[5] = float(t.ask - t.bid)
        out[6] = (t.bid_size - t.ask_size) / size if size else 0.0
        out[7] = signed / total if total > 0.0 else 0.0
        self.ticks += 1
        self.mid = mid_abs
        self.vol = vol
