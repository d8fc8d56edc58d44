"""OPS002 Invalid workflow: a GitHub Actions workflow that does not validate against the workflow
JSON Schema (SchemaStore's `github-workflow.json`, as vendored by check-jsonschema).

Why: GitHub refuses an invalid workflow when it is pushed, so nothing in it runs: not the tests,
not the droid gate. A misspelt key (`whith:`, `run-on:`), a step with both `uses` and `run`, or a
`continue-on-error: maybe` is found here, before the push.

What runs: check-jsonschema's builtin `vendor.github-workflows` schema, loader and YAML 1.2 parser,
in process (droids/devops/schema.py): the same verdict as `check-jsonschema --builtin-schema
vendor.github-workflows FILE`. Each finding names the key (line from the droid's YAML parser) and
keeps the failing schema keyword as `subrule` (`OPS002/additionalProperties`). The schema checks
shape, not meaning: cross-references (a `needs:` naming a job that does not exist) are not seen.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID
from droids.devops.workflows import model

OPS002 = RuleSpec(
    id="OPS002",
    droid=DROID,
    severity=Severity.HIGH,
    title="Invalid workflow (schema)",
    description=__doc__ or "",
    fix="Correct the key the finding names (see https://docs.github.com/actions/reference/workflow-syntax-for-github-actions).",
)
RULES = (OPS002,)
INTENT = ("workflow", "schema", "invalid", "github actions", "ci")


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.devops.schema import WORKFLOWS, schema_findings

    return CheckOutcome(findings=schema_findings(OPS002, WORKFLOWS, task, ctx, model.targeted(task), "YAML 1.2"))
