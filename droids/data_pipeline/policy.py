"""`policies/data.yaml`: what the data-pipeline droid ingests, how it cleans, what it checks.

Every key has a default (the model below), so a repository without data.yaml is judged with these
values and every `droid data` command works in a repository with no configuration at all. A mistake
in the file is one line naming file, line and key (exit 2).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from droids.core.policy import load_droid_policy
from trading_core.policy import PolicyModel

DATA_FILE = "data.yaml"
PRICE_COLUMNS = ("open", "high", "low", "close")
GapMethod = Literal["ffill", "interpolate", "leave", "zero"]


class SymbolPolicy(PolicyModel):
    """One instrument: its Twelve Data symbol, calendars, and (optionally) its tick size.

    `tick_size` overrides policies/instruments.yaml; without either, the tick-grid rule (DATA005)
    and the tick-based outlier test are skipped for the symbol, and the report says so."""

    twelvedata: str = Field(min_length=1, description="the symbol Twelve Data knows it by (not verified for futures)")
    exchange_timezone: str = "America/Chicago"
    calendar: str = Field(default="CME_Equity", description="pandas-market-calendars name")
    xcals: str = Field(default="CMES", description="exchange-calendars name, for the cross-check")
    tick_size: Decimal | None = Field(default=None, gt=0)
    nautilus_instrument_id: str | None = Field(default=None, description="default <SYMBOL>.XCME")

    @field_validator("tick_size", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        return Decimal(str(value)) if isinstance(value, int | float) else value


def _default_symbols() -> dict[str, SymbolPolicy]:
    return {root: SymbolPolicy(twelvedata=root) for root in ("ES", "NQ", "MES", "MNQ")}


class Retries(PolicyModel):
    """Retries on 429 (credits spent) and 5xx: exponential backoff from `base_s`, capped at `max_s`."""

    max_attempts: int = Field(default=6, ge=1, le=20)
    base_s: float = Field(default=2.0, ge=0)
    max_s: float = Field(default=60.0, ge=0)


class TwelveData(PolicyModel):
    """The REST API. The key comes only from TWELVEDATA_API_KEY, the base URL from TWELVEDATA_URL."""

    base_url: str = "https://api.twelvedata.com"
    credits_per_minute: int = Field(default=8, ge=1, description="the plan's credits a minute (free plan: 8)")
    outputsize: int = Field(default=5000, ge=1, le=5000)
    timezone: Literal["UTC", "Exchange"] = "UTC"
    timeout_s: float = Field(default=30.0, gt=0)
    retries: Retries = Retries()


class Outliers(PolicyModel):
    """Bar-to-bar close moves judged by a z-score, an IQR fence and a number of ticks (0 = off)."""

    action: Literal["report", "drop"] = "report"
    zscore: float = Field(default=12.0, ge=0)
    iqr_k: float = Field(default=10.0, ge=0)
    max_move_ticks: int = Field(default=200, ge=0)


def _leave_all() -> dict[str, GapMethod]:
    return dict.fromkeys((*PRICE_COLUMNS, "volume"), "leave")


class Cleaning(PolicyModel):
    """What ingest does to a fetched series; every change is counted in its report.

    `gaps` per column: a missing value (NaN) in that column, and a missing bar inside an open
    session, are forward filled, interpolated (prices rounded to the tick grid), set to zero
    (volume only) or left and reported. A missing bar is inserted only when no column says leave."""

    duplicates: Literal["first", "last"] = "last"
    gaps: dict[str, GapMethod] = Field(default_factory=_leave_all)
    outliers: Outliers = Outliers()

    @field_validator("gaps")
    @classmethod
    def _columns(cls, value: dict[str, GapMethod]) -> dict[str, GapMethod]:
        for column, method in value.items():
            if column not in (*PRICE_COLUMNS, "volume"):
                raise ValueError(f"gaps: unknown column {column!r} (expected open, high, low, close, volume)")
            if method == "zero" and column != "volume":
                raise ValueError(f"gaps.{column}: 'zero' is for volume only")
        return {**_leave_all(), **value}


class Validation(PolicyModel):
    max_listed_per_rule: int = Field(default=20, ge=1, le=10_000)
    batch_rows: int = Field(default=65_536, ge=1024)
    future_tolerance_s: float = Field(default=0.0, ge=0)


class Freshness(PolicyModel):
    """Stale: at least `max_missed_sessions` whole sessions have closed after the newest bar."""

    max_missed_sessions: int = Field(default=1, ge=1)


class Truncation(PolicyModel):
    """The dynamic look-ahead test: the feature pipeline on data up to t equals it on all data, at t."""

    pipeline: str = "trading_core.features.batch:batch_features"
    params: dict[str, int | float] = Field(
        default_factory=lambda: {
            "ema_fast_span": 8,
            "ema_slow_span": 32,
            "vol_window": 20,
            "momentum_window": 10,
            "flow_span": 16,
        }
    )
    ticks: int = Field(default=700, ge=50, le=1_000_000)
    samples: int = Field(default=40, ge=1, le=10_000)
    rtol: float = Field(default=1e-9, ge=0)
    atol: float = Field(default=1e-9, ge=0)
    timeout_s: float = Field(default=120.0, gt=0)
    watch: tuple[str, ...] = ("trading_core/features/**", "trading_core/data/**", "policies/data.yaml")

    @field_validator("pipeline")
    @classmethod
    def _target(cls, value: str) -> str:
        module, _, name = value.partition(":")
        if not module or not name:
            raise ValueError("expected 'package.module:function'")
        return value


class Lookahead(PolicyModel):
    paths: tuple[str, ...] = ("**/features/**", "**/strategy/**", "**/strategies/**", "**/signals/**")
    exclude: tuple[str, ...] = ("tests/**",)
    truncation: Truncation = Truncation()


class Nautilus(PolicyModel):
    """NautilusTrader's fixed-point width: `high` (16 bytes, the Linux and macOS wheels) or `standard` (8)."""

    precision: Literal["high", "standard"] = "high"
    size_precision: int = Field(default=0, ge=0, le=9)


class DataPolicy(PolicyModel):
    version: int = Field(default=1, ge=1, le=1)
    catalog: str | None = Field(default=None, description="the Parquet catalog `droid audit` checks")
    data_paths: tuple[str, ...] = ("data/**",)
    interval: str = "1min"
    symbols: dict[str, SymbolPolicy] = Field(default_factory=_default_symbols)
    twelvedata: TwelveData = TwelveData()
    cleaning: Cleaning = Cleaning()
    validation: Validation = Validation()
    freshness: Freshness = Freshness()
    lookahead: Lookahead = Lookahead()
    nautilus: Nautilus = Nautilus()

    @model_validator(mode="after")
    def _known_interval(self) -> DataPolicy:
        from droids.data_pipeline.bars.schema import INTERVALS

        if self.interval not in INTERVALS:
            raise ValueError(f"interval {self.interval!r}: expected one of {', '.join(INTERVALS)}")
        return self


def load_data_policy(policies: Path) -> tuple[DataPolicy, bool]:
    """data.yaml as a model and whether the file exists (absent: every default applies)."""
    return load_droid_policy(policies / DATA_FILE, DataPolicy)


def check_data_policy(policies: Path, _repo: Path) -> DataPolicy:
    """`droid policy check`: data.yaml validated as a run would read it."""
    return load_data_policy(policies)[0]
