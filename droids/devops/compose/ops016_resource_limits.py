"""OPS016 No resource limits: a compose service without a memory limit or a CPU limit
(`deploy.resources.limits.memory` / `.cpus`, or the older `mem_limit` / `cpus`).

Why: the trading core has a 50 ms OnTick budget on a shared host. A neighbour without limits (a
backtest, a log shipper, a leaking notebook kernel) takes every core or all memory, and the
trading process is what misses its budget or gets OOM-killed. Limits make a runaway container the
one that suffers. `compose.require_limits: false` in policies/devops.yaml switches the rule off.

What it reads: each service's `deploy.resources.limits` and the legacy keys.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding, policy
from droids.devops.compose import model

OPS016 = RuleSpec(
    id="OPS016",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="No resource limits",
    description=__doc__ or "",
    fix="Add `deploy: {resources: {limits: {cpus: '1.0', memory: 512M}}}` sized from the service's usage.",
)
RULES = (OPS016,)
INTENT = ("limit", "limits", "memory", "cpu", "resources", "compose", "container")


def applies(task: Task) -> bool:
    return bool(model.targeted(task)) and policy(task).compose.require_limits


def missing_limits(service: dict) -> list[str]:
    deploy = service.get("deploy")
    resources = deploy.get("resources") if isinstance(deploy, dict) else None
    limits = resources.get("limits") if isinstance(resources, dict) else None
    limits = limits if isinstance(limits, dict) else {}
    out = []
    if limits.get("memory") is None and service.get("mem_limit") is None:
        out.append("memory")
    if limits.get("cpus") is None and service.get("cpus") is None:
        out.append("cpus")
    return out


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    findings = []
    for compose in model.load(task, ctx):
        for name, service in compose.services().items():
            missing = missing_limits(service)
            if missing:
                findings.append(
                    finding(
                        OPS016,
                        compose.path,
                        compose.line("services", name, "deploy") or compose.line("services", name),
                        f"service '{name}' has no {' and no '.join(missing)} limit",
                        identity=f"{name}|{'+'.join(missing)}",
                        evidence=name,
                    )
                )
    return CheckOutcome(findings=findings)
