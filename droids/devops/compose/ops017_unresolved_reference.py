"""OPS017 Unresolved reference: a compose service that names a service, network, volume, secret or
config the file does not define (`depends_on: [brokr]`, `networks: [backend]` without a top-level
`networks: {backend: ...}`, a named volume, `secrets:`, `configs:`, `network_mode: service:x`,
`volumes_from`).

Why: compose refuses such a file at `up` time, on the host, during the deploy: the schema (OPS010)
checks shape only and cannot see it. A misspelt `depends_on` in a long file is also how a service
ends up starting before the broker gateway it needs.

What it reads: each service's `depends_on`, `networks` (`default` is always defined), `volumes`
(named volumes only: a source that is a path, `./data` or `/srv/x`, is a bind mount), `secrets`,
`configs`, `network_mode` and `volumes_from`, against the file's own top-level definitions.
A file that uses `include:` or `extends:` is judged on its own, so a name defined in another file
is reported (add it here or suppress with a reason).
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding
from droids.devops.compose import model
from droids.devops.compose.model import ComposeFile, names

OPS017 = RuleSpec(
    id="OPS017",
    droid=DROID,
    severity=Severity.HIGH,
    title="Unresolved compose reference",
    description=__doc__ or "",
    fix="Define the name at the top level of the file (services, networks, volumes, secrets, configs) "
    "or correct the spelling.",
)
RULES = (OPS017,)
INTENT = ("reference", "depends_on", "network", "volume", "compose", "docker")


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def references(service: dict) -> list[tuple[str, str, str]]:
    """(key, kind, name) of each name the service refers to."""
    out = [("depends_on", "services", n) for n in names(service.get("depends_on"))]
    out += [("networks", "networks", n) for n in names(service.get("networks")) if n != "default"]
    out += [("secrets", "secrets", n) for n in names(service.get("secrets"))]
    out += [("configs", "configs", n) for n in names(service.get("configs"))]
    volumes = service.get("volumes")
    for volume in volumes if isinstance(volumes, list) else []:
        if isinstance(volume, dict):
            source = str(volume.get("source", "")) if volume.get("type", "volume") == "volume" else ""
        else:
            parts = str(volume).split(":")
            source = parts[0] if len(parts) > 1 else ""
        if source and not source.startswith((".", "/", "~", "$")):
            out.append(("volumes", "volumes", source))
    mode = str(service.get("network_mode", ""))
    if mode.startswith("service:"):
        out.append(("network_mode", "services", mode.split(":", 1)[1]))
    for other in service.get("volumes_from", []) if isinstance(service.get("volumes_from"), list) else []:
        name = str(other).split(":")[0]
        if not name.startswith("container"):
            out.append(("volumes_from", "services", name))
    return out


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    findings = []
    for compose in model.load(task, ctx):
        findings += _unresolved(compose)
    return CheckOutcome(findings=findings)


def _unresolved(compose: ComposeFile) -> list:
    defined = {kind: compose.defined(kind) for kind in ("networks", "volumes", "secrets", "configs")}
    defined["services"] = set(compose.services())
    out = []
    for name, service in compose.services().items():
        for key, kind, ref in references(service):
            if ref in defined[kind]:
                continue
            out.append(
                finding(
                    OPS017,
                    compose.path,
                    compose.line("services", name, key),
                    f"service '{name}' refers to {kind[:-1]} '{ref}' ({key}), which this file does not define",
                    identity=f"{name}|{key}|{ref}",
                    evidence=f"{key}: {ref}",
                )
            )
    return out
