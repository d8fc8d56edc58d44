"""The Apex rule engine: post-trade `evaluate` and the live `ApexGuard`, two faces of the same rules.

Public API (what `droid apex check` and the droids call)::

    from trading_core.apex import load_apex_policy, list_rulesets, list_accounts, read_journal, evaluate

    policy = load_apex_policy(policies_dir, ruleset="seed", account="50k")  # None -> the file's default
    journal = read_journal(path, instruments=policy.instruments, sort=False)  # .csv / .parquet / .jsonl
    result = evaluate(journal, policy)  # -> ComplianceResult
    # any size: chunks of ~1M events, several rule sets of one account in one pass
    results = evaluate_chunks(journal_chunks(path, instruments=...), [policy, other], keep=100)
    result.violations  # tuple[Violation]: rule, severity, title, event_index, ts, trading_day,
                       #   value, limit, message, symbol, fix   (Violation.to_dict())
    result.summary     # ApexSummary: the report's `apex` object (ApexSummary.to_dict()), with `payout`
    result.counts      # rule -> number of violations (all of them, also those beyond `keep`)
    result.passed      # False -> exit 1

    guard = ApexGuard(policy)
    guard.check_order(Order("ES", 2, ts_us))  # -> Allow | Deny(rule, reason)
    guard.on_event(make_event(policy.instruments, ts=..., kind="fill", symbol="ES", qty=2, price="5000"))
    guard.state  # GuardState.ACTIVE | REDUCING | HALTED

- Every bad input (policy key, unknown ruleset/account, journal row) raises `TradingCoreError` with one
  line naming the file, the row or key and the column; the CLI maps it to exit 2.
- `RULES` (id -> RuleInfo: severity, title, fix, doc) lists APX001..APX011 for `droid rules`.
- Exact money: integer money units of 1/10,000 currency and integer price ticks (market/money.py);
  percentage thresholds are compared as scaled integers (spec.py). numpy int64 in `evaluate`, Python
  ints in the guard, the same formulas in both.

Importing this package is light: numpy loads on the first `read_journal`/`evaluate`, pyarrow on the
first journal file read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The submodule `evaluate` is loaded here, before the function of that name below is defined: loading
# a submodule sets the package attribute of its name, so loading it later (on the first call, or by
# `from trading_core.apex.evaluate import evaluate`) would replace the function `evaluate` with the
# module for every later `from trading_core.apex import evaluate`. The module itself is light.
from trading_core.apex import evaluate as _evaluate_module  # noqa: F401  (see above)
from trading_core.apex.journal import Event, make_event
from trading_core.apex.policy import ApexPolicy, list_accounts, list_rulesets, load_apex_policy
from trading_core.apex.result import ApexSummary, ComplianceResult, Violation
from trading_core.apex.rules import RULES, RuleInfo

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from trading_core.apex.guard import Action, Allow, ApexGuard, Deny, GuardState, Order
    from trading_core.apex.journal import Journal
    from trading_core.market.instruments import Instruments


def read_journal(path: Path | str, *, instruments: Instruments, sort: bool = False) -> Journal:
    """Read a CSV / Parquet / JSON Lines journal (by extension) whole; see journal_files.py for row numbering."""
    from trading_core.apex.journal_files import read_journal as _read

    return _read(path, instruments=instruments, sort=sort)


def journal_chunks(path: Path | str, *, instruments: Instruments, sort: bool = False) -> Iterator[Journal]:
    """The same journal streamed in chunks of events (memory does not grow with the file, unless `sort`)."""
    from trading_core.apex.journal_files import journal_chunks as _chunks

    return _chunks(path, instruments=instruments, sort=sort)


def evaluate(
    journal: Journal, policy: ApexPolicy, *, payout_at_end: bool = False, keep: int | None = None
) -> ComplianceResult:
    """Check a journal against one policy (vectorised). `payout_at_end`: judge APX004 as for a payout
    requested after the last event; `keep`: list at most that many violations per rule (all counted)."""
    from trading_core.apex.evaluate import evaluate as _evaluate

    return _evaluate(journal, policy, payout_at_end=payout_at_end, keep=keep)


def evaluate_chunks(
    chunks: Iterable[Journal], policies: list[ApexPolicy], *, payout_at_end: bool = False, keep: int | None = None
) -> list[ComplianceResult]:
    """Check a streamed journal under several rule sets of one account in one pass (one result each)."""
    from trading_core.apex.evaluate import evaluate_chunks as _evaluate_chunks
    from trading_core.apex.spec import compile_spec

    specs = [compile_spec(p) for p in policies]
    return _evaluate_chunks(chunks, specs, payout_at_end=payout_at_end, keep=keep)


_GUARD_NAMES = {"Action", "Allow", "ApexGuard", "Deny", "GuardState", "Order"}


def __getattr__(name: str) -> Any:
    if name in _GUARD_NAMES:
        from trading_core.apex import guard

        return getattr(guard, name)
    raise AttributeError(f"module 'trading_core.apex' has no attribute {name!r}")


__all__ = [
    "RULES",
    "Action",
    "Allow",
    "ApexGuard",
    "ApexPolicy",
    "ApexSummary",
    "ComplianceResult",
    "Deny",
    "Event",
    "GuardState",
    "Order",
    "RuleInfo",
    "Violation",
    "evaluate",
    "evaluate_chunks",
    "journal_chunks",
    "list_accounts",
    "list_rulesets",
    "load_apex_policy",
    "make_event",
    "read_journal",
]
