"""Small droids that exercise the orchestrator: each is a real implementation of the protocol."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import ClassVar

from droids.core.models import AuditEvent, DroidReport, Finding, RuleSpec, Severity, Task, fingerprint
from droids.core.protocol import BaseDroid, DroidContext

CARD = """---
name: {name}
title: {name} title
description: a droid for tests
triggers: [{triggers}]
paths: ["{paths}"]
rules: [{rule}]
---
# {name}
"""


def make_droid(
    tmp: Path, name: str, base: type, *, triggers: str = "", paths: str = "**", rule: str | None = None
) -> type:
    """A subclass of `base` with its own CARD.md written under `tmp`; its rule id is `rule`, else
    made from the name ("finder" -> FINDE001), since two droids may not claim one rule id."""
    rule = rule or "".join(c for c in name.upper() if c.isalpha())[:5].ljust(2, "X") + "001"
    card = tmp / name / "CARD.md"
    card.parent.mkdir(parents=True, exist_ok=True)
    card.write_text(CARD.format(name=name, triggers=triggers or name.split("-")[0], paths=paths, rule=rule))
    spec = RuleSpec(id=rule, droid=name, severity=Severity.HIGH, title=f"{rule} title", description="doc")
    return type(f"{name.title()}Droid", (base,), {"CARD_PATH": card, "RULES": (spec,)})


class FindingDroid(BaseDroid):
    """Reports one finding per target path, with severity from `SEVERITY`."""

    SEVERITY: ClassVar[Severity] = Severity.HIGH

    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        rule = self.RULES[0].id
        findings = [
            Finding(
                rule=rule,
                droid=self.card.name,
                severity=self.SEVERITY,
                title="t",
                message=f"problem in {p}",
                path=p,
                line=1,
                fingerprint=fingerprint(rule, p, "same"),
                fix="fix it",
            )
            for p in task.targets.paths
        ]
        return DroidReport(name=self.card.name, findings=findings, rules_checked=[rule])


class RaisingDroid(BaseDroid):
    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        raise RuntimeError("droid bug")


class SleepyDroid(BaseDroid):
    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        time.sleep(30)
        return DroidReport(name=self.card.name)


class BarrierDroid(BaseDroid):
    """Passes only if another BarrierDroid runs at the same time (proves parallel fan-out)."""

    BARRIER: ClassVar[threading.Barrier] = threading.Barrier(2, timeout=10)

    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        self.BARRIER.wait()
        return DroidReport(name=self.card.name, rules_checked=[self.RULES[0].id])


class ApprovalEventDroid(BaseDroid):
    """Reports no finding but one audit event per target path, as SEC020 does for an approved change."""

    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        events = [AuditEvent(kind="approval", verdict="approved", details={"path": p}) for p in task.targets.paths]
        return DroidReport(name=self.card.name, rules_checked=[self.RULES[0].id], audit_events=events)
