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
from droids.devops.common import DROID, dotted, finding, line, yaml_doc
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
    from droids.devops.schema import WORKFLOWS, NotParsable, validate

    findings = []
    for path, content in ctx.workspace(task).contents(model.targeted(task)):
        doc = yaml_doc(task, ctx, path)  # bad YAML: one line naming the line, before the schema runs
        try:
            errors = validate(WORKFLOWS, path, content)
        except NotParsable as exc:
            findings.append(finding(OPS002, path, 1, f"not readable as YAML 1.2: {exc}", identity="parse"))
            continue
        for error in errors:
            key = dotted(error.path) or "(top level)"
            findings.append(
                finding(
                    OPS002,
                    path,
                    line(doc, error.path) if doc is not None else None,
                    f"{key}: {error.message} (schema keyword {error.keyword})",
                    identity=f"{key}|{error.keyword}|{error.message}",
                    evidence=key,
                    subrule=error.keyword,
                )
            )
    return CheckOutcome(findings=findings)
