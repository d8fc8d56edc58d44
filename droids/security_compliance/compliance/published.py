"""Apex's published limits (policies/apex-published.yaml) and how policies/apex.yaml compares to them.

Why a file of its own: apex.yaml is what the team tunes, and may be stricter than Apex; the
published file records what Apex allows, per rule set and account size, copied from Apex's rules
(shared/reference/apex-rules.md). Keeping them apart lets access.yaml give the published file its
own owners (changing it claims that Apex changed its rules) and keeps apex.yaml's schema, which
the trading core owns, free of reference data. Numbers stay in policies/, none in code.

`breaches(apex, published)` lists every value of apex.yaml that is looser than published, each
with the apex.yaml key path, the value, the limit and a sentence. "Looser" means, per value:
larger drawdown percent or trailing threshold, a later deadline (also on early-close days, and
another time zone), more contracts (full or half size), a larger consistency share (or an exclusive
bound where Apex's is inclusive), a larger or missing daily loss limit, end-of-day trailing where
Apex trails intraday, a threshold that stops trailing earlier (or at all where Apex's never stops),
half size switched off where Apex requires it, a different starting balance or drawdown basis (the
thresholds would be computed from the wrong base). A rule set or account size that the published
file does not list cannot be verified and is reported as well.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from droids.core.errors import DroidError
from droids.security_compliance.access.patterns import KeyPath
from trading_core.apex.policy import ApexPolicyFile, RulesetPolicy, SessionPolicy
from trading_core.errors import TradingCoreError
from trading_core.market.money import parse_decimal
from trading_core.policy.loader import PolicyModel, load_policy_file
from trading_core.policy.locate import policy_path

PUBLISHED_FILE = "apex-published.yaml"
DEFAULTS_DIR = Path(__file__).parents[1] / "defaults"  # the security droid's built-in policy files


def _clock(value: object) -> dt.time:
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise ValueError(f"expected a local time 'HH:MM', got {value!r}")
    return dt.time.fromisoformat(value)


def _dec(value: object) -> object:
    return None if value is None else parse_decimal(value)


class PublishedSession(PolicyModel):
    timezone: str
    latest_deadline: dt.time
    early_close: dict[dt.date, dt.time] = Field(default_factory=dict)

    @field_validator("latest_deadline", mode="before")
    @classmethod
    def _time(cls, value: object) -> dt.time:
        return _clock(value)

    @field_validator("early_close", mode="before")
    @classmethod
    def _times(cls, value: object) -> object:
        return {str(k): _clock(v) for k, v in value.items()} if isinstance(value, dict) else value


class PublishedAccount(PolicyModel):
    starting_balance: Decimal = Field(gt=0)
    trailing_threshold: Decimal = Field(gt=0)
    max_contracts: int = Field(gt=0)
    half_size_contracts: int = Field(gt=0)

    _exact = field_validator("starting_balance", "trailing_threshold", mode="before")(_dec)


class PublishedDrawdown(PolicyModel):
    basis: Literal["percent", "fixed"]
    max_percent: Decimal | None = Field(default=None, gt=0, lt=100)
    trail: Literal["intraday", "eod"]
    stop_trailing_above_start: Decimal | None = Field(default=None, ge=0)

    _exact = field_validator("max_percent", "stop_trailing_above_start", mode="before")(_dec)


class PublishedConsistency(PolicyModel):
    max_share: Decimal = Field(gt=0, le=1)
    inclusive: bool

    _exact = field_validator("max_share", mode="before")(_dec)


class PublishedDailyLoss(PolicyModel):
    # None: Apex has the rule but its amounts were not found; the rule is required, amounts unchecked
    limits: dict[str, Decimal] | None

    @field_validator("limits", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        return {k: parse_decimal(v) for k, v in value.items()} if isinstance(value, dict) else value


class PublishedRuleset(PolicyModel):
    source: str = Field(min_length=1)
    drawdown: PublishedDrawdown
    half_size_until_threshold_locks: bool
    consistency: PublishedConsistency | None
    daily_loss: PublishedDailyLoss | None


class PublishedFile(PolicyModel):
    version: int = Field(ge=1, le=1)
    session: PublishedSession
    accounts: dict[str, PublishedAccount] = Field(min_length=1)
    rulesets: dict[str, PublishedRuleset] = Field(min_length=1)


def load_published_file(policies: Path, display_root: Path | None = None) -> PublishedFile:
    """policies/apex-published.yaml from disk, for `droid policy check`."""
    path = policy_path(policies, PUBLISHED_FILE, DEFAULTS_DIR)
    display = path.as_posix()
    if display_root is not None and path.resolve().is_relative_to(display_root.resolve()):
        display = path.resolve().relative_to(display_root.resolve()).as_posix()
    try:
        return load_policy_file(path, PublishedFile, display=display)
    except TradingCoreError as exc:
        raise DroidError(str(exc)) from None


@dataclass(frozen=True)
class Breach:
    key: KeyPath  # where in apex.yaml
    value: str
    limit: str
    message: str


def _hm(t: dt.time) -> str:
    return t.strftime("%H:%M")


def breaches(apex: ApexPolicyFile, published: PublishedFile) -> list[Breach]:
    out = _session(apex.session, published.session)
    for name, acct in apex.accounts.items():
        ref = published.accounts.get(name)
        key = ("accounts", name)
        if ref is None:
            out.append(Breach(key, name, "-", f"account size {name} is not in {PUBLISHED_FILE}: {_UNVERIFIABLE}"))
            continue
        if acct.starting_balance != ref.starting_balance:
            why = f"{name} starting balance {acct.starting_balance} differs from Apex's {ref.starting_balance}"
            out.append(Breach((*key, "starting_balance"), str(acct.starting_balance), str(ref.starting_balance), why))
        for field in ("trailing_threshold", "max_contracts", "half_size_contracts"):
            mine, limit = getattr(acct, field), getattr(ref, field)
            if mine > limit:
                why = f"{name} {field.replace('_', ' ')} {mine} is above Apex's published {limit}"
                out.append(Breach((*key, field), str(mine), str(limit), why))
    for name, rs in apex.rulesets.items():
        ref_rs = published.rulesets.get(name)
        if ref_rs is None:
            why = f"rule set {name} is not in {PUBLISHED_FILE}: {_UNVERIFIABLE}"
            out.append(Breach(("rulesets", name), name, "-", why))
            continue
        out += _ruleset(name, rs, ref_rs, list(apex.accounts))
    return out


_UNVERIFIABLE = "its limits cannot be verified"


def _session(mine: SessionPolicy, ref: PublishedSession) -> list[Breach]:
    out = []
    if mine.timezone != ref.timezone:
        why = f"session time zone {mine.timezone} is not Apex's {ref.timezone}: the deadline would move"
        out.append(Breach(("session", "timezone"), mine.timezone, ref.timezone, why))
    if mine.deadline > ref.latest_deadline:
        value, limit = _hm(mine.deadline), _hm(ref.latest_deadline)
        why = f"daily deadline {value} is later than Apex's {limit}"
        out.append(Breach(("session", "deadline"), value, limit, why))
    for day, latest in sorted(ref.early_close.items()):
        close = mine.early_close.get(day, mine.deadline)
        if close > latest:
            missing = "" if day in mine.early_close else " (the date is missing from session.early_close)"
            why = f"deadline on the early close of {day} is {_hm(close)}, later than Apex's {_hm(latest)}{missing}"
            out.append(Breach(("session", "early_close", day.isoformat()), _hm(close), _hm(latest), why))
    return out


def _ruleset(name: str, rs: RulesetPolicy, ref: PublishedRuleset, accounts: list[str]) -> list[Breach]:
    out, dd, rdd, key = [], rs.drawdown, ref.drawdown, ("rulesets", name, "drawdown")
    if dd.basis != rdd.basis:
        why = f"{name}: drawdown basis {dd.basis} is not the published {rdd.basis} ({ref.source})"
        out.append(Breach((*key, "basis"), dd.basis, rdd.basis, why))
    elif dd.percent is not None and rdd.max_percent is not None and dd.percent > rdd.max_percent:
        why = f"{name}: trailing drawdown {dd.percent} % is above the published {rdd.max_percent} % ({ref.source})"
        out.append(Breach((*key, "percent"), str(dd.percent), str(rdd.max_percent), why))
    if rdd.trail == "intraday" and dd.trail != "intraday":
        why = f"{name}: the threshold trails at the session close; Apex trails it intraday"
        out.append(Breach((*key, "trail"), dd.trail, rdd.trail, why))
    stop, rstop = dd.stop_trailing_above_start, rdd.stop_trailing_above_start
    if stop is not None and (rstop is None or stop < rstop):
        limit = "never" if rstop is None else str(rstop)
        theirs = "never stops trailing" if rstop is None else f"stops at start + {rstop}"
        why = f"{name}: the threshold stops trailing at start + {stop}; Apex's {theirs}"
        out.append(Breach((*key, "stop_trailing_above_start"), str(stop), limit, why))
    if ref.half_size_until_threshold_locks and not rs.contracts.half_size_until_threshold_locks:
        why = f"{name}: half size until the threshold locks is off; Apex requires it"
        out.append(Breach(("rulesets", name, "contracts", "half_size_until_threshold_locks"), "false", "true", why))
    return out + _consistency(name, rs, ref) + _daily_loss(name, rs, ref, accounts)


def _consistency(name: str, rs: RulesetPolicy, ref: PublishedRuleset) -> list[Breach]:
    mine, theirs, key = rs.consistency, ref.consistency, ("rulesets", name, "consistency")
    if theirs is None:
        return []
    if mine is None:
        why = f"{name}: consistency rule off; Apex caps the best day at {theirs.max_share} of the profit"
        return [Breach(key, "none", str(theirs.max_share), why)]
    if mine.max_share > theirs.max_share:
        why = f"{name}: best-day share {mine.max_share} is above Apex's {theirs.max_share}"
        return [Breach((*key, "max_share"), str(mine.max_share), str(theirs.max_share), why)]
    if mine.max_share == theirs.max_share and theirs.inclusive and not mine.inclusive:
        why = f"{name}: a best day of exactly {theirs.max_share} passes here; Apex's bound is inclusive"
        return [Breach((*key, "inclusive"), "false", "true", why)]
    return []


def _daily_loss(name: str, rs: RulesetPolicy, ref: PublishedRuleset, accounts: list[str]) -> list[Breach]:
    mine, theirs, key = rs.daily_loss, ref.daily_loss, ("rulesets", name, "daily_loss")
    if theirs is None:
        return []
    if mine is None:
        return [Breach(key, "none", "required", f"{name}: no daily loss limit; Apex enforces one on this rule set")]
    out = []
    for acct in accounts:
        value = mine.limits.get(acct)
        limit = None if theirs.limits is None else theirs.limits.get(acct)
        if theirs.limits is not None and limit is None:
            why = f"{name}: no published daily loss limit for {acct}: it cannot be verified"
            out.append(Breach((*key, "limits", acct), str(value), "-", why))
        elif limit is not None and value is not None and value > limit:
            why = f"{name}: daily loss limit {value} for {acct} is above Apex's {limit}"
            out.append(Breach((*key, "limits", acct), str(value), str(limit), why))
    return out
