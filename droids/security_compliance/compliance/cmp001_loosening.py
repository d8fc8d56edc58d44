"""CMP001 Apex limit loosened past the published rules: blocked even with an owner's approval.

A change to policies/apex.yaml that sets a limit looser than Apex Trader Funding publishes for that
rule set and account size (policies/apex-published.yaml) is blocked whoever approved it: an owner
may tighten a limit or move it within Apex's rules, never past them, because the live guard would
then allow trades that fail the account. Examples: a trailing drawdown above the preset's percent,
a daily deadline later than 16:59 ET, a best-day consistency share above the rule set's, more
contracts than the account's table, a trailing threshold that stops trailing earlier, a daily loss
limit removed (the full list: access/published.py).

Only limits this change made looser are reported here, with the value and the published limit;
a breach that was already there (or that comes from a change of the published file) is CMP002's.
It runs on every change (pre-commit and CI) that touches apex.yaml. An apex.yaml or published file
that does not validate is bad input (exit 2). If Apex really changed its rules, update
policies/apex-published.yaml first, with its owners' approval (SEC020).
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext

DROID = "security-compliance"
FIX = (
    "Keep the value within Apex's published limit (policies/apex-published.yaml): an approval cannot "
    "override Apex's rules. If Apex changed its rules, update apex-published.yaml first, approved by its owners."
)
CMP001 = RuleSpec(
    id="CMP001",
    droid=DROID,
    severity=Severity.CRITICAL,
    title="Apex limit loosened past the published rules",
    description=__doc__ or "",
    fix=FIX,
)
RULES = (CMP001,)


INTENT = ("apex", "limit", "drawdown", "compliance", "rule", "published", "loosen", "risk", "policy")


def applies(task: Task) -> bool:
    return task.mode == "gate" and task.targets.kind in ("staged", "base")


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.security_compliance.compliance.apex_limits import check_limits

    checked = check_limits(task, ctx.workspace(task))
    findings = checked.findings(CMP001, introduced=True, note=" (set by this change; approval cannot override it)")
    return CheckOutcome(findings=findings, notes=checked.notes)
