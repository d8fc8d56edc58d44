"""The devops droid: CI/CD workflows, compose files and environment configurations.

Its checks, in `CHECKS`, one module per rule:
- workflows/: OPS001 zizmor, OPS002 workflow schema, OPS003 gate enforced, OPS004 gate SARIF
  uploaded, OPS005 no secret for pull-request code, OPS006 third-party actions pinned by SHA;
- compose/: OPS010 compose schema, OPS011-OPS017 healthchecks, depends_on, image tags, privileges,
  literal secrets, resource limits, references;
- environments/: OPS020-OPS023 dev/staging/prod compared key by key;
- deploy/: OPS030 the running service's configuration against the committed one.
Importing this module imports no heavy library: zizmor runs as a process, check-jsonschema and
pathspec are imported inside the checks' `run`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from droids.core.checks import Check, rules_of, run_checks
from droids.core.models import DroidReport, RuleSpec, Task
from droids.core.protocol import BaseDroid, DroidContext
from droids.devops.compose import (
    ops010_compose_schema,
    ops011_healthcheck,
    ops012_depends_on_healthy,
    ops013_latest_image,
    ops014_privileged,
    ops015_literal_secret,
    ops016_resource_limits,
    ops017_unresolved_reference,
)
from droids.devops.environments import ops020_risk_drift, ops021_missing_key, ops022_live_broker, ops023_literal_secret
from droids.devops.workflows import (
    ops001_zizmor,
    ops002_workflow_schema,
    ops003_gate_step,
    ops004_sarif_upload,
    ops005_secrets_to_pr_code,
    ops006_unpinned_action,
)

# Cheap rules first; zizmor (a process) and the schemas (check-jsonschema) cost the most.
CHECKS: tuple[Check, ...] = (  # type: ignore[assignment] - modules are checks
    ops003_gate_step,
    ops004_sarif_upload,
    ops005_secrets_to_pr_code,
    ops006_unpinned_action,
    ops011_healthcheck,
    ops012_depends_on_healthy,
    ops013_latest_image,
    ops014_privileged,
    ops015_literal_secret,
    ops016_resource_limits,
    ops017_unresolved_reference,
    ops020_risk_drift,
    ops021_missing_key,
    ops022_live_broker,
    ops023_literal_secret,
    ops001_zizmor,
    ops002_workflow_schema,
    ops010_compose_schema,
)


class DevopsDroid(BaseDroid):
    CARD_PATH: ClassVar[Path] = Path(__file__).with_name("CARD.md")
    RULES: ClassVar[tuple[RuleSpec, ...]] = rules_of(CHECKS)

    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        return run_checks(self.card.name, CHECKS, task, ctx)
