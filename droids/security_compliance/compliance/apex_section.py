"""The compliance report's "Apex rules in force" section: the default rule set and account of
policies/apex.yaml, loaded through the trading core (`load_apex_policy`), so the report shows exactly
the values the rule engine and the live guard run on, in words a reviewer can check against Apex's
published rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from droids.security_compliance.compliance.render import Section, Table
from trading_core.policy import policy_path
from trading_core.policy.locate import is_builtin


def apex_section(policies: Path) -> Section:
    section = Section("Apex rules in force")
    if not policy_path(policies, "apex.yaml").is_file():
        section.status = "none"
        section.lines.append(f"No Apex policy: {policies / 'apex.yaml'} does not exist.")
        return section
    from trading_core.apex import load_apex_policy

    policy = load_apex_policy(policies)  # a bad policy raises TradingCoreError: the CLI's exit 2
    rs, acct, session = policy.ruleset, policy.account, policy.session
    dd = rs.drawdown
    allowance = (
        f"{_share(dd.percent / 100)} of the equity high-water mark"
        if dd.percent is not None
        else (f"{_money(acct.trailing_threshold)} below the equity high-water mark")
    )
    trail = "intraday (equity incl. unrealized, event by event)" if dd.trail == "intraday" else "at the session close"
    locks = (
        "never stops trailing"
        if dd.stop_trailing_above_start is None
        else f"stops trailing at starting balance + {_money(dd.stop_trailing_above_start)}"
    )
    contracts = f"at most {acct.max_contracts} (micros count their contract weight)"
    if rs.contracts.half_size_until_threshold_locks:
        contracts += f"; {acct.half_size_contracts} until the threshold stops trailing"
    cutoff = _clock_minus(session.deadline, session.entry_cutoff_before_deadline_min)
    early = ", ".join(f"{day} {clock:%H:%M}" for day, clock in sorted(session.early_close.items())) or "none"
    if rs.consistency is None:
        consistency = "not applied"
    else:
        bound = "below" if rs.consistency.inclusive else "at most"
        consistency = f"best trading day {bound} {_share(rs.consistency.max_share)} of total profit"
    limit = policy.daily_loss_limit
    rows = [
        ("rule set", f"{policy.ruleset_name}: {rs.description}"),
        (
            "account",
            f"{policy.account_name}: starting balance {_money(acct.starting_balance)}, "
            f"profit target {_money(acct.profit_target)}",
        ),
        ("trailing drawdown", f"{allowance}; moves {trail}; {locks}"),
        ("warning levels", f"APX010 at {_share(dd.warn_at)}, APX011 at {_share(dd.danger_at)} of the allowed drawdown"),
        ("contracts", contracts),
        (
            "daily deadline",
            f"flat by {session.deadline:%H:%M} {session.timezone}; the guard flattens and halts "
            f"{policy.guard.flatten_before_deadline_s} s before",
        ),
        (
            "entry cutoff",
            f"no new or larger positions from {cutoff} until the next session ({session.session_start:%H:%M})",
        ),
        ("early closes", early),
        ("consistency", consistency),
        ("daily loss limit", "none" if limit is None else _money(limit)),
    ]
    section.tables.append(Table(("rule", "in force"), rows))
    if is_builtin(policy_path(policies, "apex.yaml")):
        section.lines.append("From droid's built-in apex.yaml: this repository has no policies/apex.yaml of its own.")
    return section


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def _share(value: Decimal) -> str:
    return f"{(value * 100).normalize():f} %"


def _clock_minus(clock: dt.time, minutes: int) -> str:
    return (dt.datetime.combine(dt.date(2000, 1, 3), clock) - dt.timedelta(minutes=minutes)).strftime("%H:%M")
