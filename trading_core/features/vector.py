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
Mids are taken relative to the symbol's first mid so the EMAs work on small numbers (no precision
lost on prices of 70,000 ticks); every feature is a difference, so the anchor cancels out.
"""

from __future__ import annotations

from collections.abc import MutableSequence

from trading_core.data.validate import ValidTick
from trading_core.features.ema import Ema
from trading_core.features.rolling import RollingStd, RollingWindow

FEATURE_NAMES = ("ret1", "momentum", "ema_gap", "ema_dev", "vol", "spread", "book_imb", "flow_imb")
N_FEATURES = len(FEATURE_NAMES)


class SymbolFeatures:
    __slots__ = (
        "_anchor",
        "_flow_abs",
        "_flow_signed",
        "_mom",
        "_mom_w",
        "_prev",
        "_slow",
        "_fast",
        "_vol",
        "mid",
        "ticks",
        "vol",
    )

    def __init__(self, ema_fast_span: int, ema_slow_span: int, vol_window: int, momentum_window: int, flow_span: int):
        self._fast = Ema(ema_fast_span)
        self._slow = Ema(ema_slow_span)
        self._vol = RollingStd(vol_window)
        self._mom = RollingWindow(momentum_window + 1)
        self._mom_w = float(momentum_window)
        self._flow_signed = Ema(flow_span)
        self._flow_abs = Ema(flow_span)
        self._anchor: float | None = None
        self._prev = 0.0
        self.ticks = 0
        self.mid = 0.0  # last mid in ticks (absolute)
        self.vol = 0.0  # last rolling vol, read by sizing

    def update(self, t: ValidTick, out: MutableSequence[float]) -> None:
        """Fold `t` in and write the features into out[0:N_FEATURES]."""
        mid_abs = (t.bid + t.ask) * 0.5
        if self._anchor is None:
            self._anchor = mid_abs
        mid = mid_abs - self._anchor
        ret1 = mid - self._prev if self.ticks else 0.0
        self._prev = mid
        self._mom.push(mid)
        slow = self._slow.update(mid)
        vol = self._vol.update(ret1)
        q = float(t.trade_qty)
        signed = self._flow_signed.update(q)
        total = self._flow_abs.update(abs(q))
        size = t.bid_size + t.ask_size
        out[0] = ret1
        out[1] = (mid - self._mom.oldest()) / self._mom_w
        out[2] = self._fast.update(mid) - slow
        out[3] = mid - slow
        out[4] = vol
        out[5] = float(t.ask - t.bid)
        out[6] = (t.bid_size - t.ask_size) / size if size else 0.0
        out[7] = signed / total if total > 0.0 else 0.0
        self.ticks += 1
        self.mid = mid_abs
        self.vol = vol
