"""`policies/monitoring.yaml`: what the monitoring droid watches, when it alerts, and where alerts go.

The drawdown levels themselves are the Apex policy's (`drawdown.warn_at` / `danger_at` of
policies/apex.yaml, seed 0.80 and 0.95 of the allowed drawdown): the monitor computes them with the
trading core's engine, so `droid apex check` and the monitor cannot disagree. This file sets what
only the monitor decides: hysteresis and cooldown of each alert, the other thresholds (the seed's:
equity down 5 % in 5 minutes, a position open 30 minutes, OnTick p99 over 100 ms, a win-rate drop),
the anomaly detectors, the channels of each alert, the circuit breaker and the dashboard. Every key
has a default (the seed's values), so a repository without the file is monitored the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from droids.core.policy import load_droid_policy
from trading_core.policy import PolicyModel

MONITORING_FILE = "monitoring.yaml"
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class Drawdown(PolicyModel):
    """MON001/MON002 hysteresis: an episode opens at the Apex level and closes only once the drawdown
    is `resolve_margin` (a share of the allowed drawdown) below it; 0.02 = 0.2 % of a 10 % allowance."""

    resolve_margin: float = Field(default=0.02, ge=0, lt=0.5)


class EquityDrop(PolicyModel):
    """MON003: equity more than `share` below its highest value of the last `window_s` seconds."""

    share: float = Field(default=0.05, gt=0, lt=1)
    window_s: float = Field(default=300.0, gt=0)
    resolve_share: float = Field(default=0.025, ge=0, lt=1)


class Stuck(PolicyModel):
    """MON004: a position open longer than `after_s` (seed: 30 minutes) of journal time."""

    after_s: float = Field(default=1800.0, gt=0)


class Latency(PolicyModel):
    """MON005 (p99 of the last `window` OnTick samples above `p99_ms`) and MON008 (one sample above
    `spike_factor` x the window's median and above `spike_floor_ms`: a spike, not noise)."""

    p99_ms: float = Field(default=100.0, gt=0)
    window: int = Field(default=1000, ge=20, le=1_000_000)
    min_samples: int = Field(default=100, ge=1)
    spike_factor: float = Field(default=20.0, gt=1)
    spike_floor_ms: float = Field(default=50.0, gt=0)
    file: str = "latency.csv"


class WinRate(PolicyModel):
    """MON006: the win rate of the last `window` closed trades below `floor`; MON009 (drift): that
    window's win rate below the trades before it with one-sided p < `drift_p` (two-proportion z test)."""

    window: int = Field(default=50, ge=5)
    min_trades: int = Field(default=30, ge=5)
    floor: float = Field(default=0.30, ge=0, le=1)
    drift_p: float = Field(default=0.001, gt=0, lt=0.5)
    drift_baseline_min: int = Field(default=100, ge=10)


class Bands(PolicyModel):
    """MON007: drawdown (share of the allowed drawdown, sampled every `sample_s`) above the Bollinger
    band of the last `window` samples: mean + `k` standard deviations, and at least `min_share`."""

    window: int = Field(default=120, ge=10)
    k: float = Field(default=4.0, gt=0)
    sample_s: float = Field(default=60.0, gt=0)
    min_share: float = Field(default=0.25, ge=0, le=1)


class Episodes(PolicyModel):
    """Alertmanager's lessons: one page per episode; a new episode of the same alert within
    `cooldown_s` of the last page is recorded but not paged; resolution messages on or off;
    alerts decided within `group_s` of each other go out as one message per channel."""

    cooldown_s: float = Field(default=900.0, ge=0)
    resolved: bool = True
    group_s: float = Field(default=30.0, ge=0)


ChannelName = Literal["slack", "email", "apprise"]
RULE_IDS = ("MON001", "MON002", "MON003", "MON004", "MON005", "MON006", "MON007", "MON008", "MON009")


def _default_routes() -> dict[str, tuple[ChannelName, ...]]:
    # the seed: drawdown past the warning level -> Slack; past the danger level -> email (and Slack)
    return {rule: ("slack",) for rule in RULE_IDS} | {"MON002": ("slack", "email")}


class Channels(PolicyModel):
    """Where alerts go. Secrets stay in the environment: the policy names the variables."""

    slack_url_env: str = "DROID_SLACK_WEBHOOK_URL"
    smtp_url_env: str = "DROID_SMTP_URL"
    email_from_env: str = "DROID_ALERT_EMAIL_FROM"
    email_to_env: str = "DROID_ALERT_EMAIL_TO"
    apprise_urls_env: str = "DROID_APPRISE_URLS"
    routes: dict[str, tuple[ChannelName, ...]] = Field(default_factory=_default_routes)
    timeout_s: float = Field(default=10.0, gt=0, le=120)

    @field_validator("routes")
    @classmethod
    def _known_rules(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        unknown = sorted(set(value) - set(RULE_IDS))
        if unknown:
            raise ValueError(f"unknown rule {unknown[0]!r}; expected one of {', '.join(RULE_IDS)}")
        return value


class Delivery(PolicyModel):
    """The outbox's retries: Slack's 429 `Retry-After` is honoured (capped at `max_retry_after_s`);
    other transient failures back off from `backoff_s`, doubling, up to `max_attempts` tries."""

    max_attempts: int = Field(default=8, ge=1, le=100)
    backoff_s: float = Field(default=1.0, gt=0)
    max_backoff_s: float = Field(default=300.0, gt=0)
    max_retry_after_s: float = Field(default=900.0, gt=0)
    slack_min_interval_s: float = Field(default=1.0, ge=0)


class Breaker(PolicyModel):
    """The circuit breaker: at the danger level (MON002) call the trading core's kill switch; on a
    latency spike (MON008) ask the performance droid for a profile of `profile_ticks` ticks."""

    kill_at_danger: bool = True
    profile_on_spike: bool = True
    profile_ticks: int = Field(default=2000, ge=100)


class Dashboard(PolicyModel):
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)
    points: int = Field(default=2000, ge=100, le=200_000)

    @field_validator("host")
    @classmethod
    def _loopback(cls, value: str) -> str:
        if value not in LOOPBACK:
            raise ValueError(f"expected a loopback address ({', '.join(LOOPBACK)}): the dashboard is never exposed")
        return value


class Watch(PolicyModel):
    poll_s: float = Field(default=0.1, gt=0, le=60)


class MorningReport(PolicyModel):
    """The morning report (`droid audit`, `droid report`) sent through these channels without a
    flag: a short Slack summary, an email with the page attached. Off by default; `droid report
    --slack/--email` send whatever this says."""

    slack: bool = False
    email: bool = False


class MonitoringPolicy(PolicyModel):
    version: int = Field(default=1, ge=1, le=1)
    journal: str | None = None  # None: the newest journal.csv under .droid/
    account: str | None = None  # None: policies/apex.yaml's default
    ruleset: str | None = None
    drawdown: Drawdown = Drawdown()
    equity_drop: EquityDrop = EquityDrop()
    stuck: Stuck = Stuck()
    latency: Latency = Latency()
    win_rate: WinRate = WinRate()
    bands: Bands = Bands()
    episodes: Episodes = Episodes()
    channels: Channels = Channels()
    delivery: Delivery = Delivery()
    breaker: Breaker = Breaker()
    dashboard: Dashboard = Dashboard()
    watch: Watch = Watch()
    report: MorningReport = MorningReport()

    @model_validator(mode="after")
    def _consistent(self) -> MonitoringPolicy:
        if self.equity_drop.resolve_share >= self.equity_drop.share:
            raise ValueError("equity_drop.resolve_share must be below equity_drop.share")
        if self.win_rate.min_trades > self.win_rate.window:
            raise ValueError("win_rate.min_trades must not exceed win_rate.window")
        return self


def load_monitoring_policy(policies: Path) -> tuple[MonitoringPolicy, bool]:
    """monitoring.yaml as a model and whether the file exists (absent: every default applies)."""
    return load_droid_policy(policies / MONITORING_FILE, MonitoringPolicy)


def check_monitoring_policy(policies: Path, _repo: Path) -> MonitoringPolicy:
    """`droid policy check`: monitoring.yaml validated as a run would read it."""
    return load_monitoring_policy(policies)[0]
