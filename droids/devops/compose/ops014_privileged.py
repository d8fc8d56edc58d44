"""OPS014 Privileged container: a compose service with `privileged: true`, the host's network or
PID namespace, the Docker socket mounted, or a capability that amounts to root (`SYS_ADMIN`, `ALL`).

Why: each of these hands the container the host. A dependency compromised inside a privileged
market-data container reads the broker credentials of every other container and the host's keys;
with the Docker socket it starts containers of its own.

What it reads: each service's `privileged`, `network_mode: host`, `pid: host`, `cap_add`, and
`volumes` that mount `/var/run/docker.sock`.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding
from droids.devops.compose import model

OPS014 = RuleSpec(
    id="OPS014",
    droid=DROID,
    severity=Severity.HIGH,
    title="Privileged container",
    description=__doc__ or "",
    fix="Drop privileged, host namespaces, root-equivalent capabilities and the Docker socket; add the "
    "one capability the service needs (cap_add: [NET_BIND_SERVICE]) if any.",
)
RULES = (OPS014,)
INTENT = ("privileged", "root", "capability", "docker socket", "compose", "container")
ROOT_CAPS = frozenset({"ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "NET_ADMIN"})


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def problems(service: dict) -> list[tuple[str, str]]:
    """(key, why) of each privilege the service takes."""
    out = []
    if service.get("privileged") is True:
        out.append(("privileged", "privileged: true"))
    if str(service.get("network_mode", "")) == "host":
        out.append(("network_mode", "the host's network namespace"))
    if str(service.get("pid", "")) == "host":
        out.append(("pid", "the host's PID namespace"))
    caps = service.get("cap_add")
    for cap in caps if isinstance(caps, list) else []:
        if str(cap).upper().removeprefix("CAP_") in ROOT_CAPS:
            out.append(("cap_add", f"capability {cap}"))
    volumes = service.get("volumes")
    for volume in volumes if isinstance(volumes, list) else []:
        source = volume.get("source", "") if isinstance(volume, dict) else str(volume).split(":")[0]
        if str(source).rstrip("/").endswith("docker.sock"):
            out.append(("volumes", "the Docker socket"))
    return out


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    findings = []
    for compose in model.load(task, ctx):
        for name, service in compose.services().items():
            for key, why in problems(service):
                findings.append(
                    finding(
                        OPS014,
                        compose.path,
                        compose.line("services", name, key),
                        f"service '{name}' takes {why}: a compromise of it is a compromise of the host",
                        identity=f"{name}|{why}",
                        evidence=f"{name}: {key}",
                    )
                )
    return CheckOutcome(findings=findings)
