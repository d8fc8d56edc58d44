"""policies/sim.yaml as frozen models: the tick generator, the fill model and the journal cadence."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from trading_core.errors import TradingCoreError
from trading_core.market.instruments import Instruments
from trading_core.policy import policy_path
from trading_core.policy.loader import PolicyModel, load_policy_file

SIM_FILE = "sim.yaml"
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Window(PolicyModel):
    start: dt.time
    end: dt.time

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: object) -> dt.time:
        if not isinstance(value, str) or not _HHMM.match(value):
            raise ValueError(f"expected a local time 'HH:MM', got {value!r}")
        return dt.time.fromisoformat(value)

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class SymbolGen(PolicyModel):
    start_price: Decimal = Field(gt=0)
    tick_vol: Decimal = Field(gt=0)


class GeneratorPolicy(PolicyModel):
    window: Window
    ticks_per_second: Decimal = Field(gt=0, le=100)
    open_close_boost: Decimal = Field(ge=1)
    vol_day_range: tuple[Decimal, Decimal]
    common_factor_share: Decimal = Field(ge=0, le=1)
    flow_persistence: Decimal = Field(ge=0, lt=1)
    flow_edge: Decimal = Field(ge=0, le=2)
    spread_wide_prob: Decimal = Field(ge=0, le=1)
    depth_mean: int = Field(ge=1)
    gap_prob_per_tick: Decimal = Field(ge=0, le=1)
    gap_ticks: tuple[int, int]
    crash_day_prob: Decimal = Field(ge=0, le=1)
    crash_window: Window
    crash_minutes: int = Field(ge=1)
    crash_move: Decimal = Field(ge=0, lt=1)
    symbols: dict[str, SymbolGen] = Field(min_length=1)

    @model_validator(mode="after")
    def _ranges(self) -> GeneratorPolicy:
        lo, hi = self.vol_day_range
        if not 0 < lo <= hi:
            raise ValueError("vol_day_range must be [low, high] with 0 < low <= high")
        if not 1 <= self.gap_ticks[0] <= self.gap_ticks[1]:
            raise ValueError("gap_ticks must be [low, high] with 1 <= low <= high")
        return self


class FillsPolicy(PolicyModel):
    market_slippage_ticks: int = Field(ge=0)
    extra_slippage_per_level: int = Field(ge=0)


class JournalPolicy(PolicyModel):
    equity_interval_s: int = Field(ge=1)


class SimPolicy(PolicyModel):
    """policies/sim.yaml."""

    version: int = Field(ge=1, le=1)
    days: int = Field(ge=1, le=260)
    seed: int = Field(ge=0)
    first_day: dt.date
    account: str
    generator: GeneratorPolicy
    fills: FillsPolicy
    journal: JournalPolicy


def load_sim_policy(policies_dir: Path, instruments: Instruments) -> SimPolicy:
    path = policy_path(policies_dir, SIM_FILE)
    policy = load_policy_file(path, SimPolicy)
    for root in policy.generator.symbols:
        if root not in instruments:
            raise TradingCoreError(f"{path}: generator.symbols: unknown instrument {root!r} (not in instruments.yaml)")
    return policy
