"""The Apex policy (policies/apex.yaml + policies/instruments.yaml) as frozen models.

`load_apex_policy(policies_dir, ruleset=..., account=...)` resolves one preset for one account size
into an `ApexPolicy`; `list_rulesets` / `list_accounts` name what the file offers. Every bad key is a
`TradingCoreError` naming the file, line and key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from trading_core.errors import TradingCoreError
from trading_core.market.instruments import Instruments, load_instruments
from trading_core.market.money import parse_decimal
from trading_core.policy import policy_path
from trading_core.policy.loader import PolicyModel, load_policy_file

APEX_FILE = "apex.yaml"
INSTRUMENTS_FILE = "instruments.yaml"
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _clock(value: object) -> dt.time:
    if not isinstance(value, str) or not _HHMM.match(value):
        raise ValueError(f"expected a local time 'HH:MM', got {value!r}")
    return dt.time.fromisoformat(value)


def _dec(value: object) -> Decimal:
    return parse_decimal(value)


class SessionPolicy(PolicyModel):
    timezone: str
    session_start: dt.time
    deadline: dt.time
    entry_cutoff_before_deadline_min: int = Field(ge=0)
    early_close: dict[dt.date, dt.time] = Field(default_factory=dict)

    @field_validator("session_start", "deadline", mode="before")
    @classmethod
    def _clocks(cls, value: object) -> dt.time:
        return _clock(value)

    @field_validator("early_close", mode="before")
    @classmethod
    def _early(cls, value: object) -> object:
        if isinstance(value, dict):
            return {str(k): _clock(v) for k, v in value.items()}
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (expected an IANA name like America/New_York)") from None
        return value

    @model_validator(mode="after")
    def _deadline_before_session(self) -> SessionPolicy:
        if self.deadline >= self.session_start:
            raise ValueError("session.deadline must be earlier in the day than session.session_start")
        return self


class GuardPolicy(PolicyModel):
    flatten_before_deadline_s: int = Field(ge=0)


class AccountSize(PolicyModel):
    starting_balance: Decimal = Field(gt=0)
    trailing_threshold: Decimal = Field(gt=0)
    profit_target: Decimal = Field(gt=0)
    max_contracts: int = Field(gt=0)
    half_size_contracts: int = Field(gt=0)

    @field_validator("starting_balance", "trailing_threshold", "profit_target", mode="before")
    @classmethod
    def _exact(cls, value: object) -> Decimal:
        return _dec(value)


class DrawdownPolicy(PolicyModel):
    basis: Literal["percent", "fixed"]
    percent: Decimal | None = Field(default=None, gt=0, lt=100)
    trail: Literal["intraday", "eod"]
    warn_at: Decimal = Field(gt=0, lt=1)
    danger_at: Decimal = Field(gt=0, lt=1)
    stop_trailing_above_start: Decimal | None = Field(default=None, ge=0)

    @field_validator("percent", "warn_at", "danger_at", "stop_trailing_above_start", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        return None if value is None else _dec(value)

    @model_validator(mode="after")
    def _consistent(self) -> DrawdownPolicy:
        if self.basis == "percent" and self.percent is None:
            raise ValueError("basis 'percent' needs `percent`")
        if self.basis == "fixed" and self.percent is not None:
            raise ValueError("basis 'fixed' takes the account's trailing_threshold; remove `percent`")
        if self.warn_at >= self.danger_at:
            raise ValueError("warn_at must be below danger_at")
        return self


class ContractsPolicy(PolicyModel):
    half_size_until_threshold_locks: bool


class ConsistencyPolicy(PolicyModel):
    max_share: Decimal = Field(gt=0, le=1)
    inclusive: bool

    @field_validator("max_share", mode="before")
    @classmethod
    def _exact(cls, value: object) -> Decimal:
        return _dec(value)


class DailyLossPolicy(PolicyModel):
    limits: dict[str, Decimal]

    @field_validator("limits", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        return {k: _dec(v) for k, v in value.items()} if isinstance(value, dict) else value


class RulesetPolicy(PolicyModel):
    description: str
    drawdown: DrawdownPolicy
    contracts: ContractsPolicy
    consistency: ConsistencyPolicy | None
    daily_loss: DailyLossPolicy | None


class DefaultChoice(PolicyModel):
    ruleset: str
    account: str


class ApexPolicyFile(PolicyModel):
    """policies/apex.yaml."""

    version: int = Field(ge=1, le=1)
    default: DefaultChoice
    session: SessionPolicy
    guard: GuardPolicy
    accounts: dict[str, AccountSize] = Field(min_length=1)
    rulesets: dict[str, RulesetPolicy] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> ApexPolicyFile:
        if self.default.ruleset not in self.rulesets:
            raise ValueError(f"default.ruleset {self.default.ruleset!r} is not in rulesets")
        if self.default.account not in self.accounts:
            raise ValueError(f"default.account {self.default.account!r} is not in accounts")
        for name, preset in self.rulesets.items():
            if preset.daily_loss is None:
                continue
            missing = sorted(set(self.accounts) - set(preset.daily_loss.limits))
            extra = sorted(set(preset.daily_loss.limits) - set(self.accounts))
            if missing or extra:
                raise ValueError(
                    f"rulesets.{name}.daily_loss.limits must name every account exactly"
                    f" (missing: {', '.join(missing) or '-'}; unknown: {', '.join(extra) or '-'})"
                )
        return self


@dataclass(frozen=True)
class ApexPolicy:
    """One preset for one account size: what `evaluate` and `ApexGuard` run on."""

    ruleset_name: str
    account_name: str
    ruleset: RulesetPolicy
    account: AccountSize
    session: SessionPolicy
    guard: GuardPolicy
    instruments: Instruments

    @property
    def daily_loss_limit(self) -> Decimal | None:
        dl = self.ruleset.daily_loss
        return None if dl is None else dl.limits[self.account_name]


def load_apex_file(policies_dir: Path) -> ApexPolicyFile:
    return load_policy_file(policy_path(policies_dir, APEX_FILE), ApexPolicyFile)


def list_rulesets(policies_dir: Path) -> list[str]:
    """Preset names in policies/apex.yaml, in file order."""
    return list(load_apex_file(policies_dir).rulesets)


def list_accounts(policies_dir: Path) -> list[str]:
    """Account-size names in policies/apex.yaml, in file order."""
    return list(load_apex_file(policies_dir).accounts)


def load_apex_policy(policies_dir: Path, *, ruleset: str | None = None, account: str | None = None) -> ApexPolicy:
    """Resolve (ruleset, account) from policies_dir; None picks the file's `default`."""
    base = Path(policies_dir)
    spec = load_apex_file(base)
    instruments = load_instruments(policy_path(base, INSTRUMENTS_FILE))
    rs_name = spec.default.ruleset if ruleset is None else ruleset
    acct_name = spec.default.account if account is None else account.lower()
    if rs_name not in spec.rulesets:
        allowed = ", ".join(spec.rulesets)
        raise TradingCoreError(
            f"{policy_path(base, APEX_FILE)}: rulesets: unknown ruleset {rs_name!r} (expected one of: {allowed})"
        )
    if acct_name not in spec.accounts:
        allowed = ", ".join(spec.accounts)
        raise TradingCoreError(
            f"{policy_path(base, APEX_FILE)}: accounts: unknown account {acct_name!r} (expected one of: {allowed})"
        )
    return ApexPolicy(
        ruleset_name=rs_name,
        account_name=acct_name,
        ruleset=spec.rulesets[rs_name],
        account=spec.accounts[acct_name],
        session=spec.session,
        guard=spec.guard,
        instruments=instruments,
    )
