"""CMP002 Apex policy outside the published rules: a shipped limit is looser than Apex allows.

Static compliance of the policy in the tree: every value of policies/apex.yaml (session deadline
and early closes, time zone, per-account trailing threshold, contract caps and starting balance,
per-rule-set drawdown percent, trail mode and lock, half size, consistency share, daily loss
limits) is compared with Apex Trader Funding's published values in policies/apex-published.yaml,
the same comparison as CMP001. A rule set or account size the published file does not list cannot
be verified and is reported too; so is a missing published file.

In a gate, breaches set by the change itself are CMP001's; CMP002 reports the ones that were
already there or that a change of the published file exposes. It runs in `ci` and `audit` (and
`ask`/`run`), and at `pre-commit` only when the change touches trading_core/ or policies/. Reading:
the index for a staged gate, the work tree otherwise. Invalid policy files are bad input (exit 2).
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext

DROID = "security-compliance"
FIX = (
    "Tighten the value in policies/apex.yaml to Apex's published limit, or, if Apex changed its rules, "
    "record the new published value in policies/apex-published.yaml (its owners approve)."
)
CMP002 = RuleSpec(
    id="CMP002",
    droid=DROID,
    severity=Severity.CRITICAL,
    title="Apex policy outside the published rules",
    description=__doc__ or "",
    fix=FIX,
)
RULES = (CMP002,)
WATCHED = ("trading_core/", "policies/")


INTENT = ("apex", "limit", "drawdown", "compliance", "rule", "published", "loosen", "risk", "policy")


def applies(task: Task) -> bool:
    if task.profile == "pre-commit":
        return any(path.startswith(WATCHED) for path in task.targets.paths)
    return task.profile in ("ci", "audit", "ask", "run")


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.security_compliance.compliance.apex_limits import check_limits

    checked = check_limits(task, ctx.workspace(task))
    findings = checked.findings(CMP002, introduced=False)
    return CheckOutcome(findings=findings, notes=checked.notes, metrics={"apex_limits_checked": True})
