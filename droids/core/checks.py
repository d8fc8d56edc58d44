"""Checks: the units a droid is made of, and the one loop that runs them.

A check is a module (or object) with `RULES` (the rule specs it reports), `applies(task)` (does it
run for this mode, profile and set of changed files?) and `run(task, ctx) -> CheckOutcome`. A droid
lists its checks in one tuple; `run_checks` runs the ones that apply and merges their outcomes into
the droid's report. Rules of checks that did not apply are not in `rules_checked`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from droids.core.models import AuditEvent, DroidReport, Finding, RuleSpec, Task
from droids.core.protocol import DroidContext


@dataclass
class CheckOutcome:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    answer: str | None = None
    audit_events: list[AuditEvent] = field(default_factory=list)


class Check(Protocol):
    RULES: tuple[RuleSpec, ...]

    def applies(self, task: Task) -> bool: ...

    def run(self, task: Task, ctx: DroidContext) -> CheckOutcome: ...


def rules_of(checks: Sequence[Check]) -> tuple[RuleSpec, ...]:
    return tuple(rule for check in checks for rule in check.RULES)


def run_checks(name: str, checks: Sequence[Check], task: Task, ctx: DroidContext) -> DroidReport:
    started = time.perf_counter()
    report = DroidReport(name=name)
    answers = []
    for check in checks:
        if not check.applies(task):
            continue
        outcome = check.run(task, ctx)
        report.findings += outcome.findings
        report.notes += outcome.notes
        report.metrics.update(outcome.metrics)
        report.audit_events += outcome.audit_events
        report.rules_checked += [r.id for r in check.RULES]
        if outcome.answer:
            answers.append(outcome.answer)
    report.answer = "\n".join(answers) or None
    report.duration_ms = round((time.perf_counter() - started) * 1000)
    return report
