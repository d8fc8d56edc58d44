"""OPS011 Service without healthcheck: a compose service that defines no `healthcheck:` (or disables
it) and whose image is not known to declare one.

Why: without a healthcheck, "running" means only "the process exists". A market-data feeder stuck on
a dead socket, or a broker gateway that lost its session, stays "up", and services that depend on it
start against it (OPS012 needs a healthcheck to wait for). `docker compose ps` and any orchestrator
then report a healthy stack that trades on stale data.

What it reads: each service's `healthcheck` (`disable: true` and `test: ["NONE"]` count as none).
A service that is a one-shot job (`restart: "no"` together with a `command`) is left out.
How to fix: add `healthcheck: {test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8080/healthz"],
interval: 10s, timeout: 3s, retries: 3}` (or the equivalent probe for the service).
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding
from droids.devops.compose import model

OPS011 = RuleSpec(
    id="OPS011",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Service without healthcheck",
    description=__doc__ or "",
    fix="Add a healthcheck (test, interval, timeout, retries) that probes the service itself.",
)
RULES = (OPS011,)
INTENT = ("healthcheck", "health", "compose", "docker", "container")


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def has_healthcheck(service: dict) -> bool:
    check = service.get("healthcheck")
    if not isinstance(check, dict) or check.get("disable") is True:
        return False
    test = check.get("test")
    return not (test in (None, "NONE") or (isinstance(test, list) and test[:1] == ["NONE"]))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    findings = []
    for compose in model.load(task, ctx):
        for name, service in compose.services().items():
            one_shot = str(service.get("restart", "")).lower() == "no" and "command" in service
            if one_shot or has_healthcheck(service):
                continue
            findings.append(
                finding(
                    OPS011,
                    compose.path,
                    compose.line("services", name, "healthcheck") or compose.line("services", name),
                    f"service '{name}' has no healthcheck: it counts as healthy while it is stuck",
                    identity=name,
                    evidence=name,
                )
            )
    return CheckOutcome(findings=findings)
