"""OPS012 Dependency not waited for until healthy: a compose `depends_on` that waits only for the
other service's container to start (the short list form, or `condition: service_started`).

Why: "started" is not "ready". The strategy container that starts while the broker gateway is still
logging in sends its first orders into a connection that is not there; on a restart after a crash
it does so with positions open. `condition: service_healthy` waits for the dependency's healthcheck
(OPS011); `service_completed_successfully` for a one-shot job such as a migration.

What it reads: every service's `depends_on`, both forms.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding
from droids.devops.compose import model

OPS012 = RuleSpec(
    id="OPS012",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Dependency not waited for until healthy",
    description=__doc__ or "",
    fix="Use the long form: `depends_on: {broker: {condition: service_healthy}}` (and give broker a healthcheck).",
)
RULES = (OPS012,)
INTENT = ("depends_on", "dependency", "healthy", "compose", "docker", "startup")
WAITING = frozenset({"service_healthy", "service_completed_successfully"})


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    findings = []
    for compose in model.load(task, ctx):
        for name, service in compose.services().items():
            depends = service.get("depends_on")
            if isinstance(depends, list):
                waits = {str(d): "service_started (short form)" for d in depends}
            elif isinstance(depends, dict):
                waits = {
                    str(d): str(spec.get("condition", "service_started"))
                    if isinstance(spec, dict)
                    else "service_started"
                    for d, spec in depends.items()
                }
            else:
                continue
            for other, condition in waits.items():
                if condition in WAITING:
                    continue
                findings.append(
                    finding(
                        OPS012,
                        compose.path,
                        compose.line("services", name, "depends_on", other)
                        or compose.line("services", name, "depends_on"),
                        f"service '{name}' waits for '{other}' only to start ({condition}), not to be healthy",
                        identity=f"{name}->{other}",
                        evidence=f"{name} -> {other}",
                    )
                )
    return CheckOutcome(findings=findings)
