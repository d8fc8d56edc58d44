"""The policy compiled to exact integers: the one place the engine's thresholds are computed.

Both faces of the rules (the vectorised `evaluate` and the event-by-event `ApexGuard`) call these
formulas; they are written with plain operators plus a `minimum` function, so the same code runs on
Python ints and on numpy int64 arrays and the two faces cannot disagree about a threshold.

Scaled money: percentage thresholds are fractions of a money unit (10 % of $50,012.3456). Rather
than round, every drawdown quantity is kept as money units x `scale`, where `scale` is the least
common multiple of the policy fractions' denominators, so `equity * scale <= threshold_scaled` is
an exact integer comparison.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from trading_core.apex.policy import ApexPolicy
from trading_core.market.money import to_units

Minimum = Callable[[Any, Any], Any]


def _lcm_of_denominators(values: list[Fraction]) -> int:
    return math.lcm(1, *(v.denominator for v in values))


@dataclass(frozen=True)
class DrawdownMath:
    """threshold(hwm) = hwm - allowance(hwm), locked at `stop`; levels sit `room` above the threshold.

    allowance(hwm) = hwm x allow_slope + allow_icpt (percent basis: slope, fixed basis: intercept);
    the warn / danger rooms are allowance x (1 - warn_at / danger_at). All values are scaled.
    """

    scale: int
    allow_slope: int
    allow_icpt: int
    warn_slope: int
    warn_icpt: int
    danger_slope: int
    danger_icpt: int
    stop_scaled: int | None

    def allowance(self, hwm: Any) -> Any:
        return hwm * self.allow_slope + self.allow_icpt

    def trailing(self, hwm: Any) -> Any:
        """The threshold before any lock (scaled)."""
        return hwm * self.scale - self.allowance(hwm)

    def threshold(self, hwm: Any, minimum: Minimum) -> Any:
        raw = self.trailing(hwm)
        return raw if self.stop_scaled is None else minimum(raw, self.stop_scaled)

    def locked(self, hwm: Any) -> Any:
        """True once the threshold has stopped trailing (never, without a stop)."""
        if self.stop_scaled is None:
            return hwm * 0 != 0
        return self.trailing(hwm) >= self.stop_scaled

    def warn_level(self, hwm: Any, threshold: Any) -> Any:
        return threshold + hwm * self.warn_slope + self.warn_icpt

    def danger_level(self, hwm: Any, threshold: Any) -> Any:
        return threshold + hwm * self.danger_slope + self.danger_icpt


@dataclass(frozen=True)
class ApexSpec:
    """Integer constants of one resolved policy."""

    policy: ApexPolicy
    start: int  # starting balance, money units
    dd: DrawdownMath
    eod_trail: bool
    weight_scale: int  # contract weights x weight_scale are integers
    weights: dict[str, int]  # root -> weight x weight_scale
    cap_full: int  # max contracts x weight_scale
    cap_half: int | None  # half size until the threshold locks, x weight_scale; None = no half size
    consistency: tuple[int, int, bool] | None  # (numerator, denominator, inclusive) of the max share
    daily_loss: int | None  # money units

    def cap(self, hwm: Any, where: Callable[[Any, Any, Any], Any]) -> Any:
        """The weighted contract cap at this high-water mark (x weight_scale)."""
        if self.cap_half is None:
            return self.cap_full + hwm * 0
        return where(self.dd.locked(hwm), self.cap_full, self.cap_half)

    def consistency_breached(self, best: int, total: int) -> bool:
        """best / total above (or, inclusive, at) the max share; needs positive best and total."""
        if self.consistency is None or best <= 0 or total <= 0:
            return False
        num, den, inclusive = self.consistency
        return best * den >= num * total if inclusive else best * den > num * total


def compile_spec(policy: ApexPolicy) -> ApexSpec:
    rs, acct = policy.ruleset, policy.account
    dd = rs.drawdown
    warn_keep, danger_keep = 1 - Fraction(dd.warn_at), 1 - Fraction(dd.danger_at)
    if dd.basis == "percent":
        assert dd.percent is not None  # guaranteed by DrawdownPolicy
        share = Fraction(dd.percent) / 100
        slopes = [share, share * warn_keep, share * danger_keep]
        icpts = [Fraction(0)] * 3
    else:
        amount = Fraction(to_units(acct.trailing_threshold))
        slopes = [Fraction(0)] * 3
        icpts = [amount, amount * warn_keep, amount * danger_keep]
    scale = _lcm_of_denominators(slopes + icpts)
    start = to_units(acct.starting_balance)
    stop = None
    if dd.stop_trailing_above_start is not None:
        stop = (start + to_units(dd.stop_trailing_above_start)) * scale
    math_ = DrawdownMath(scale, *(int(v * scale) for pair in zip(slopes, icpts, strict=True) for v in pair), stop)
    roots = policy.instruments.roots
    weights = {root: policy.instruments.weight(root) for root in roots}
    wscale = _lcm_of_denominators(list(weights.values()))
    half = None
    if rs.contracts.half_size_until_threshold_locks and stop is not None:
        half = acct.half_size_contracts * wscale
    consistency = None
    if rs.consistency is not None:
        share = Fraction(rs.consistency.max_share)
        consistency = (share.numerator, share.denominator, rs.consistency.inclusive)
    dl = policy.daily_loss_limit
    return ApexSpec(
        policy=policy,
        start=start,
        dd=math_,
        eod_trail=dd.trail == "eod",
        weight_scale=wscale,
        weights={root: int(w * wscale) for root, w in weights.items()},
        cap_full=acct.max_contracts * wscale,
        cap_half=half,
        consistency=consistency,
        daily_loss=None if dl is None else to_units(dl),
    )
