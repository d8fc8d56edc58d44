"""Which rules judged, and where another rule set of the policy would judge the same journal differently.

An account keeps the rules it was bought under (shared/reference/apex-rules.md), so one journal can
fail under `seed` and pass under `apex-4.0`. `differences` compares two results of the same journal
and account rule by rule and says why each differing rule differs, from the parameters that rule
reads: the drawdown (APX001, APX010, APX011, and APX005's half size, which lasts until the
threshold locks), the consistency share (APX004, the payout eligibility), the daily loss limit
(APX007). The session rules (APX002, APX003) and hedging (APX006) read the same policy in every
rule set, so they never differ.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from trading_core.apex.policy import ApexPolicy
from trading_core.apex.result import ComplianceResult
from trading_core.market.money import fmt_money, to_units

_DRAWDOWN_RULES = ("APX001", "APX010", "APX011")


@dataclass(frozen=True, slots=True)
class Difference:
    rule: str  # an APX id, or "payout" for the payout eligibility
    here: int  # violations under the rule set judged (for "payout": 1 if eligible)
    there: int  # ... under the other one
    why: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def describe(policy: ApexPolicy) -> str:
    """One line naming the rule set and what it checks."""
    return f"rule set {policy.ruleset_name} ({policy.ruleset.description}), account {policy.account_name}"


def drawdown(policy: ApexPolicy) -> str:
    dd, start = policy.ruleset.drawdown, policy.account.starting_balance
    size = f"{dd.percent} %" if dd.basis == "percent" else fmt_money(to_units(policy.account.trailing_threshold))
    trail = "the intraday equity peak" if dd.trail == "intraday" else "the best session close (EOD)"
    lock = (
        ""
        if dd.stop_trailing_above_start is None
        else f", locked at {fmt_money(to_units(start + dd.stop_trailing_above_start))}"
    )
    return f"{size} below {trail}{lock}, warning at {dd.warn_at} and danger at {dd.danger_at} of it"


def contracts(policy: ApexPolicy) -> str:
    acct = policy.account
    if policy.ruleset.contracts.half_size_until_threshold_locks:
        return f"{acct.half_size_contracts} contracts until the threshold locks, then {acct.max_contracts}"
    return f"{acct.max_contracts} contracts"


def consistency(policy: ApexPolicy) -> str:
    rule = policy.ruleset.consistency
    if rule is None:
        return "no consistency rule"
    return f"best day {'below' if rule.inclusive else 'at most'} {float(rule.max_share):.0%} of the profit"


def daily_loss(policy: ApexPolicy) -> str:
    limit = policy.daily_loss_limit
    return "no daily loss limit" if limit is None else f"daily loss limit {fmt_money(to_units(limit))}"


_WHY = {
    **dict.fromkeys(_DRAWDOWN_RULES, ("drawdown", drawdown)),
    "APX004": ("consistency", consistency),
    "APX005": ("contract cap", contracts),
    "APX007": ("daily loss", daily_loss),
}


def differences(
    here: ApexPolicy, mine: ComplianceResult, there: ApexPolicy, theirs: ComplianceResult
) -> list[Difference]:
    """Rules whose violation counts differ between two rule sets on one journal, with the reason."""
    out = []
    for rule in sorted(set(mine.counts) | set(theirs.counts)):
        a, b = mine.counts.get(rule, 0), theirs.counts.get(rule, 0)
        if a == b:
            continue
        what, text = _WHY.get(rule, ("parameters", lambda p: p.ruleset.description))
        why = f"{what}: {here.ruleset_name} {text(here)}; {there.ruleset_name} {text(there)}"
        if rule == "APX005" and here.ruleset.contracts == there.ruleset.contracts:
            why = f"the cap follows the threshold's lock; {_WHY['APX001'][0]}: {drawdown(here)} vs {drawdown(there)}"
        out.append(Difference(rule, a, b, why))
    p, q = mine.summary.payout, theirs.summary.payout
    if p is not None and q is not None and p.eligible != q.eligible:
        why = f"consistency: {here.ruleset_name} {consistency(here)}; {there.ruleset_name} {consistency(there)}"
        out.append(Difference("payout", int(p.eligible), int(q.eligible), why))
    return out
