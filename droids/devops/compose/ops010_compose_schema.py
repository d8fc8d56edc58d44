"""OPS010 Invalid compose file: a docker-compose file that does not validate against the compose
specification's JSON Schema (compose-spec.json, as vendored by check-jsonschema).

Why: `docker compose up` refuses the file, or worse, an older engine ignores the misspelt key
(`healtcheck:`, `mem_limits:`) and starts the service without it. This machine has no Docker
daemon, so compose files are checked statically; this is the check `docker compose config` would do
first.

What runs: check-jsonschema's builtin `vendor.compose-spec` schema, loader and YAML parser, in
process (droids/devops/schema.py). Each finding names the key and keeps the failing schema keyword
as `subrule` (`OPS010/type`); values are never quoted (an `environment:` value may be a secret). The
schema checks shape; references between services, networks and volumes are OPS017's.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID
from droids.devops.compose import model

OPS010 = RuleSpec(
    id="OPS010",
    droid=DROID,
    severity=Severity.HIGH,
    title="Invalid compose file (schema)",
    description=__doc__ or "",
    fix="Correct the key the finding names (see https://docs.docker.com/reference/compose-file/).",
)
RULES = (OPS010,)
INTENT = ("compose", "docker", "schema", "container", "invalid")


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.devops.schema import COMPOSE, schema_findings

    return CheckOutcome(findings=schema_findings(OPS010, COMPOSE, task, ctx, model.targeted(task), "YAML"))
