"""Performance statistics of the account: Sharpe, Sortino, Calmar on daily returns; SQN and win rate on trades.

Annualisation: the ratios are computed on **trading-day returns** (equity at each session's last
event over the previous session's, the first over the starting balance) and annualised with 252
trading days a year: Sharpe = mean / std (ddof 1) x sqrt(252); Sortino = mean x 252 / (root mean
square of the negative returns x sqrt(252)); Calmar = annual return ((product of 1 + r) ^ (252 / n)
- 1) / |maximum drawdown| of the compounded returns (the start counts as the first peak). Intraday
events are first folded into their trading day (the CME session of policies/apex.yaml, 18:00 to
17:00 ET), so a 23-hour Globex session counts once and intraday noise is not annualised with a
daily factor (the mistake quantstats issues 78 and 116 describe). The formulas are
empyrical-reloaded's (`sharpe_ratio`, `sortino_ratio`, `calmar_ratio` with period 'daily'); the
tests check equality to 1e-9 on the same returns. Written here in numpy because empyrical imports
pandas (a second of start-up) for four lines of arithmetic.

SQN (Van Tharp's system quality number) = sqrt(min(n, 100)) x mean / std (ddof 1) of trade P&L.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

TRADING_DAYS_PER_YEAR = 252


def daily_returns(closes: Sequence[float], start: float) -> Any:
    import numpy as np

    equity = np.asarray(closes, dtype=np.float64)
    if not equity.size:
        return equity
    prev = np.concatenate(([float(start)], equity[:-1]))
    return equity / prev - 1.0


def sharpe(returns: Any, ann: int = TRADING_DAYS_PER_YEAR) -> float | None:
    import numpy as np

    r = np.asarray(returns, dtype=np.float64)
    if r.size < 2:
        return None
    std = float(np.std(r, ddof=1))
    return None if std == 0 else float(np.mean(r) / std * math.sqrt(ann))


def sortino(returns: Any, ann: int = TRADING_DAYS_PER_YEAR) -> float | None:
    import numpy as np

    r = np.asarray(returns, dtype=np.float64)
    if r.size < 2:
        return None
    downside = math.sqrt(float(np.mean(np.minimum(r, 0.0) ** 2))) * math.sqrt(ann)
    if downside == 0:
        return None
    return float(np.mean(r) * ann / downside)


def max_drawdown(returns: Any) -> float | None:
    import numpy as np

    r = np.asarray(returns, dtype=np.float64)
    if not r.size:
        return None
    wealth = np.concatenate(([1.0], np.cumprod(1.0 + r)))
    peak = np.maximum.accumulate(wealth)
    return float(((wealth - peak) / peak)[1:].min())


def annual_return(returns: Any, ann: int = TRADING_DAYS_PER_YEAR) -> float | None:
    import numpy as np

    r = np.asarray(returns, dtype=np.float64)
    if not r.size:
        return None
    return float(np.prod(1.0 + r) ** (ann / r.size) - 1.0)


def calmar(returns: Any, ann: int = TRADING_DAYS_PER_YEAR) -> float | None:
    dd = max_drawdown(returns)
    if dd is None or dd >= 0:
        return None
    ret = annual_return(returns, ann)
    value = None if ret is None else ret / abs(dd)
    return None if value is None or math.isinf(value) else value


def sqn(pnl: Any) -> float | None:
    import numpy as np

    p = np.asarray(pnl, dtype=np.float64)
    if p.size < 2:
        return None
    std = float(np.std(p, ddof=1))
    return None if std == 0 else float(math.sqrt(min(p.size, 100)) * np.mean(p) / std)


def summary(closes: Sequence[float], start: float, trade_pnl: Any) -> dict[str, float | None]:
    """The dashboard's and `status`'s performance block (None: not enough data for that figure)."""
    r = daily_returns(closes, start)
    return {
        "sharpe": sharpe(r),
        "sortino": sortino(r),
        "calmar": calmar(r),
        "sqn": sqn(trade_pnl),
        "trading_days": len(r),
    }
