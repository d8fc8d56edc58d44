"""Turn the Apex rule engine's result into a `droid-report/1` RunReport.

Each violation listed becomes a finding carrying the contract's extra fields (`event_index`, `ts`,
`value`, `limit`, `trading_day`); its location is the journal file and, for CSV and JSON Lines, the
line of the offending row, so SARIF viewers and editors can jump to it. The listing may be bounded
(the first N per rule); the `apex` object counts every violation (`violation_counts`) and says
whether the list is cut (`truncated`), which rule set judged, and how the others would (docs/journal.md).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from droids.core.models import Finding, RuleSpec, RunReport, Severity, fingerprint
from droids.core.version import VERSION

APEX_DROID = "apex"


def apex_rule_specs() -> list[RuleSpec]:
    from trading_core.apex import RULES

    return [
        RuleSpec(id=r.id, droid=APEX_DROID, severity=Severity(r.severity), title=r.title, description=r.doc, fix=r.fix)
        for r in RULES.values()
    ]


def _line(journal: Path, event_index: int) -> int | None:
    suffix = journal.suffix.lower()
    if suffix == ".csv":
        return event_index + 2  # the header is line 1
    if suffix in (".jsonl", ".ndjson"):
        return event_index + 1
    return None


def apex_report(
    result, journal: Path, display_path: str, repo: Path, started: float, judged: dict[str, Any] | None = None
) -> RunReport:
    """A RunReport whose findings are the violations of `result` (a ComplianceResult) listed in it.

    `judged` adds to the `apex` object: `judged_by`, `listed_per_rule`, `other_rulesets`.
    """
    findings = [
        Finding(
            rule=v.rule,
            droid=APEX_DROID,
            severity=Severity(v.severity),
            title=v.title,
            message=v.message,
            path=display_path,
            line=_line(journal, v.event_index),
            fingerprint=fingerprint(v.rule, display_path, f"{v.event_index}|{v.trading_day}|{v.symbol}"),
            fix=v.fix,
            event_index=v.event_index,
            ts=v.ts,
            value=v.value,
            limit=v.limit,
            trading_day=v.trading_day,
            symbol=v.symbol,
        )
        for v in result.violations
    ]
    apex = {
        **result.summary.to_dict(),
        "violation_counts": dict(sorted(result.counts.items())),
        "truncated": result.truncated,
        **(judged or {}),
    }
    return RunReport(
        tool_version=VERSION,
        mode="run",
        profile="run",
        request=f"apex check {display_path}",
        repo=str(repo),
        started_at=datetime.fromtimestamp(started, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        duration_ms=int((time.time() - started) * 1000),
        findings=findings,
        rules=apex_rule_specs(),
        block_at=Severity.MEDIUM,  # any violation blocks: medium is the lowest APX severity
        verdict="pass" if result.passed else "block",
        extra={"apex": apex, "events": result.events},
    )
