"""policies/strategy.yaml as frozen models: every number the strategy, sizing and SENTINEL use.

`load_strategy(policies_dir, instruments)` validates the file and cross-checks it against the
instruments (every traded root and correlation pair must exist). Errors are `TradingCoreError` lines
naming file, line and key.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from trading_core.errors import TradingCoreError
from trading_core.market.instruments import Instruments
from trading_core.market.money import parse_decimal
from trading_core.policy import policy_path
from trading_core.policy.loader import PolicyModel, load_policy_file

STRATEGY_FILE = "strategy.yaml"


def _dec(value: object) -> Decimal:
    return parse_decimal(value)


class FeaturesPolicy(PolicyModel):
    ema_fast_span: int = Field(ge=1)
    ema_slow_span: int = Field(ge=1)
    vol_window: int = Field(ge=2)
    momentum_window: int = Field(ge=1)
    flow_span: int = Field(ge=1)

    @model_validator(mode="after")
    def _fast_below_slow(self) -> FeaturesPolicy:
        if self.ema_fast_span >= self.ema_slow_span:
            raise ValueError("ema_fast_span must be smaller than ema_slow_span")
        return self


class TrainingPolicy(PolicyModel):
    seed: int = Field(ge=0)
    days: int = Field(ge=1, le=250)
    first_day: dt.date
    horizon_ticks: int = Field(ge=1)
    row_stride: int = Field(ge=1)
    hidden_units: int = Field(ge=1, le=256)
    epochs: int = Field(ge=1)
    learning_rate: Decimal = Field(gt=0)
    l2: Decimal = Field(ge=0)


class ModelPolicy(PolicyModel):
    file: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.onnx$")
    warmup_ticks: int = Field(ge=1)
    long_above: Decimal = Field(gt=0, lt=1)
    short_below: Decimal = Field(gt=0, lt=1)
    training: TrainingPolicy

    @model_validator(mode="after")
    def _ordered(self) -> ModelPolicy:
        if self.short_below >= self.long_above:
            raise ValueError("short_below must be below long_above")
        return self


class EntriesPolicy(PolicyModel):
    order: Literal["limit", "market"]
    ttl_ms: int = Field(ge=1)
    cooldown_ms: int = Field(ge=0)
    stop_entries_before_cutoff_s: int = Field(ge=0)


class BracketDistance(PolicyModel):
    target_ticks: int = Field(ge=1)
    stop_ticks: int = Field(ge=1)


class BracketsPolicy(PolicyModel):
    per_symbol: dict[str, BracketDistance] = Field(min_length=1)
    max_stop_to_target: Decimal = Field(gt=0)
    max_hold_s: int = Field(ge=1)
    flatten_before_deadline_s: int = Field(ge=0)

    @model_validator(mode="after")
    def _stop_within_ratio(self) -> BracketsPolicy:
        for root, d in self.per_symbol.items():
            if d.stop_ticks > self.max_stop_to_target * d.target_ticks:
                raise ValueError(
                    f"{root}: stop_ticks {d.stop_ticks} is more than max_stop_to_target x target_ticks"
                    f" ({self.max_stop_to_target} x {d.target_ticks})"
                )
        return self


class SizingPolicy(PolicyModel):
    kelly_fraction: Decimal = Field(gt=0, le=1)
    max_risk_per_trade: Decimal = Field(gt=0)
    vol_target_ticks: Decimal = Field(gt=0)
    max_contracts_per_order: int = Field(ge=1)
    max_position_contracts: int = Field(ge=1)
    correlations: dict[str, Decimal] = Field(default_factory=dict)

    @field_validator("correlations")
    @classmethod
    def _pairs(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        for pair, rho in value.items():
            if pair.count("/") != 1:
                raise ValueError(f"correlation key {pair!r} must be 'ROOT/ROOT'")
            if not -1 <= rho <= 1:
                raise ValueError(f"correlation {pair} = {rho} must be within [-1, 1]")
        return value


class RiskPolicy(PolicyModel):
    soft_drawdown_share: Decimal = Field(gt=0, lt=1)
    soft_size_factor: Decimal = Field(gt=0, le=1)
    hard_drawdown_share: Decimal = Field(gt=0, lt=1)
    daily_loss_limit: Decimal = Field(gt=0)
    min_daily_loss_limit: Decimal = Field(gt=0)
    daily_profit_cap: Decimal = Field(gt=0)
    max_rejected_ticks_in_row: int = Field(ge=1)
    mark_interval_ms: int = Field(ge=0)

    @field_validator("daily_loss_limit", "min_daily_loss_limit", "daily_profit_cap", mode="before")
    @classmethod
    def _exact(cls, value: object) -> Decimal:
        return _dec(value)

    @model_validator(mode="after")
    def _tiers(self) -> RiskPolicy:
        if self.soft_drawdown_share >= self.hard_drawdown_share:
            raise ValueError("soft_drawdown_share must be below hard_drawdown_share")
        if self.min_daily_loss_limit > self.daily_loss_limit:
            raise ValueError("min_daily_loss_limit must not exceed daily_loss_limit")
        return self


class StrategyPolicy(PolicyModel):
    """policies/strategy.yaml."""

    version: int = Field(ge=1, le=1)
    symbols: list[str] = Field(min_length=1)
    features: FeaturesPolicy
    model: ModelPolicy
    entries: EntriesPolicy
    brackets: BracketsPolicy
    sizing: SizingPolicy
    risk: RiskPolicy


def load_strategy(policies_dir: Path, instruments: Instruments) -> StrategyPolicy:
    """Load strategy.yaml and check that it names only known instruments."""
    path = policy_path(policies_dir, STRATEGY_FILE)
    policy = load_policy_file(path, StrategyPolicy)
    for root in policy.symbols:
        if root not in instruments:
            raise TradingCoreError(f"{path}: symbols: unknown instrument {root!r} (not in instruments.yaml)")
    missing = [root for root in policy.symbols if root not in policy.brackets.per_symbol]
    if missing:
        raise TradingCoreError(f"{path}: brackets.per_symbol: no bracket distances for {', '.join(missing)}")
    for pair in policy.sizing.correlations:
        for root in pair.split("/"):
            if root not in instruments:
                raise TradingCoreError(f"{path}: sizing.correlations.{pair}: unknown instrument {root!r}")
    return policy
