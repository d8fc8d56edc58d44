"""Hand-built `RunReport`s that the renderer tests share, and the SARIF schema they validate against.

The evidence string is assembled at run time, as the project's rule for secret-looking literals asks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from droids.core.models import DroidReport, Finding, RoutingDecision, RuleSpec, RunReport, Severity, fingerprint

EVIDENCE = "AKIA" + "*" * 4
# The OASIS SARIF 2.1.0 schema, as published (Schemata/sarif-schema-2.1.0.json of oasis-tcs/sarif-spec):
# kept here so the validation runs wherever the tests run, never skipped.
SARIF_SCHEMA = Path(__file__).with_name("sarif-schema-2.1.0.json")
NASTY_MESSAGE = "uses md5 | sha1\nsecond line [bold]not markup[/bold] <b>x</b>"
REPO = "/srv/trading repo"

SECRET = Finding(
    rule="SEC001",
    droid="security-compliance",
    severity=Severity.CRITICAL,
    title="Hard-coded secret",
    message="AWS access key in source",
    path="trading_core/config.py",
    line=12,
    evidence=EVIDENCE,
    fingerprint=fingerprint("SEC001", "trading_core/config.py", "hash-of-key"),
    fix="Load it from the environment",
)
WEAK_HASH = Finding(
    rule="SEC002",
    droid="security-compliance",
    severity=Severity.MEDIUM,
    title="Weak hash",
    message=NASTY_MESSAGE,
    path="dir with space/a#b&c.py",
    fingerprint=fingerprint("SEC002", "dir with space/a#b&c.py", "md5("),
)
DEBUG_PRINT = Finding(
    rule="SEC003",
    droid="security-compliance",
    severity=Severity.LOW,
    title="Debug output",
    message="print of an order payload",
    path="trading_core/orders.py",
    line=40,
    fingerprint=fingerprint("SEC003", "trading_core/orders.py", "print(order)"),
    fix="Use the logger",
)
ACCEPTED = Finding(
    rule="SEC001",
    droid="security-compliance",
    severity=Severity.HIGH,
    title="Hard-coded secret",
    message="token in a legacy script",
    path="legacy/old.py",
    line=3,
    fingerprint=fingerprint("SEC001", "legacy/old.py", "hash-of-token"),
    suppressed=True,
    suppression="baseline: accepted on 2026-11-01",
)
BLOWN = Finding(
    rule="APX001",
    droid="apex-compliance",
    severity=Severity.HIGH,
    title="Trailing drawdown breached",
    message="equity 47900 at or below the threshold 48000",
    fingerprint=fingerprint("APX001", None, "2026-03-09"),
    fix="Stop trading the account",
    event_index=17,
    ts="2026-03-09T18:30:00Z",
    value=47900.0,
    limit=48000.0,
    trading_day="2026-03-09",
)
# In precedence order (security-compliance first), not by severity: renderers that sort must sort.
FINDINGS = (SECRET, WEAK_HASH, DEBUG_PRINT, ACCEPTED, BLOWN)

RULES = (
    RuleSpec(
        id="SEC001",
        droid="security-compliance",
        severity=Severity.HIGH,
        title="Hard-coded secret",
        description="A credential is written into a tracked file.",
        fix="Load it from the environment or a secret store.",
    ),
    RuleSpec(
        id="SEC002", droid="security-compliance", severity=Severity.MEDIUM, title="Weak hash", description="MD5/SHA1."
    ),
    RuleSpec(
        id="SEC004", droid="security-compliance", severity=Severity.INFO, title="Unused", description="Never fires."
    ),
    RuleSpec(id="APX001", droid="apex-compliance", severity=Severity.CRITICAL, title="Blown", description="Drawdown."),
)


def full_report(**changes: Any) -> RunReport:
    """A gate that blocks: five findings of four severities, one suppressed, one without a path,
    one with Apex extra keys, and one droid that crashed."""
    report = RunReport(
        tool_version="0.1.0",
        mode="gate",
        profile="pre-commit",
        request="",
        repo=REPO,
        started_at="2026-11-21T20:00:00Z",
        duration_ms=812,
        routing=[
            RoutingDecision(droid="security-compliance", reasons=("trigger 'secret'", "path trading_core/config.py")),
            RoutingDecision(droid="apex-compliance", reasons=("mode gate",)),
            RoutingDecision(droid="perf-optimizer", reasons=("path trading_core/orders.py",)),
        ],
        droids=[
            DroidReport(
                name="security-compliance",
                duration_ms=300,
                findings=[SECRET, WEAK_HASH, DEBUG_PRINT, ACCEPTED],
                rules_checked=["SEC001", "SEC002", "SEC003", "SEC004"],
                metrics={"files_scanned": 20},
                notes=["skipped 1 binary file: assets/logo.png"],
            ),
            DroidReport(name="apex-compliance", duration_ms=40, findings=[BLOWN], rules_checked=["APX001", "APX002"]),
            DroidReport(name="perf-optimizer", status="error", duration_ms=5, error="RuntimeError: boom"),
        ],
        findings=list(FINDINGS),
        rules=list(RULES),
        block_at=Severity.HIGH,
        verdict="block",
        extra={"apex": {"ruleset": "eod-50k", "final_equity": 47900.0, "trading_days": 3}},
    )
    return report.model_copy(update=changes)


def empty_report(**changes: Any) -> RunReport:
    """A run in which nothing was routed and nothing found."""
    report = RunReport(
        tool_version="0.1.0", mode="audit", profile="audit", repo=REPO, started_at="2026-11-21T20:00:00Z"
    )
    return report.model_copy(update=changes)


def sarif_schema() -> dict[str, Any]:
    return json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))


def repo_uri() -> str:
    return Path(REPO).as_uri() + "/"
