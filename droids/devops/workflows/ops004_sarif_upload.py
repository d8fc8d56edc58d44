"""OPS004 Gate SARIF not uploaded: a workflow runs `droid gate` but its SARIF report does not reach
code scanning: the gate writes no SARIF, no later step of the job uploads it, the upload names
another file, or the upload runs only when the gate passed.

Why: the SARIF upload is how a finding appears on the pull request's lines and in the repository's
security tab, where reviewers and the compliance officer see it. The common mistake is the last one:
a gate that blocks exits 1, and a following step without `if: always()` is skipped, so findings are
uploaded only when there are none to see.

What it reads: each gate step (OPS003 finds them) and the steps after it in the same job; an upload
is a step that uses one of `workflows.sarif_upload_actions` (github/codeql-action/upload-sarif). The
gate's SARIF is `DIR/report.sarif` for `--out DIR` (the folder itself may be uploaded too), or FILE
for `--format sarif --output FILE`. The upload must carry `if: always()` (or `!cancelled()`, or
`success() || failure()`). An upload in another job (through an artifact) is not followed: keep the
upload in the gate's job.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding, policy
from droids.devops.workflows import model
from droids.devops.workflows.gate_steps import GateStep, gate_steps

OPS004 = RuleSpec(
    id="OPS004",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Gate SARIF not uploaded",
    description=__doc__ or "",
    fix="Run `droid gate ... --out droid-report`, then in the same job: `- if: always()` / "
    "`uses: github/codeql-action/upload-sarif@...` / `with: {sarif_file: droid-report/report.sarif}`.",
)
RULES = (OPS004,)
INTENT = ("sarif", "code scanning", "upload", "gate", "workflow", "ci")
ALWAYS = ("always()", "!cancelled()", "success() || failure()", "failure() || success()")


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    settings = policy(task).workflows
    findings = []
    for gate in gate_steps(model.all_workflows(task, ctx), settings.gate_command):
        problem = _problem(gate, settings.sarif_upload_actions)
        if problem is not None:
            key, what, message = problem
            wf, job = gate.workflow, gate.step.job
            findings.append(finding(OPS004, wf.path, wf.line(*key), message, identity=f"{job}|{what}"))
    return CheckOutcome(findings=findings)


def _problem(gate: GateStep, actions: tuple[str, ...]) -> tuple[tuple[str, ...], str, str] | None:
    """(key path, what, message) of the first problem, or None when the SARIF reaches code scanning."""
    wf, step = gate.workflow, gate.step
    where = f"job '{step.job}' of {wf.path}"
    outputs = gate.sarif_outputs()
    if not outputs:
        return (
            (*step.path, "run"),
            "no sarif",
            f"the gate in {where} writes no SARIF (`{gate.command[:100]}`): add --out DIR",
        )
    uploads = [
        s for s in wf.steps(step.job)[step.index + 1 :] if s.uses.split("@")[0].lower() in {a.lower() for a in actions}
    ]
    if not uploads:
        return (
            (*step.path, "run"),
            "no upload",
            f"no step after the gate in {where} uploads its SARIF ({sorted(outputs)[-1]})",
        )
    matching = [u for u in uploads if str(u.with_.get("sarif_file", "")).removeprefix("./").rstrip("/") in outputs]
    if not matching:
        named = uploads[0].with_.get("sarif_file", "(none)")
        return (
            (*uploads[0].path, "with", "sarif_file"),
            "other file",
            f"the SARIF upload in {where} sends {named!r}, not the gate's report ({sorted(outputs)[-1]})",
        )
    upload = matching[0]
    condition = " ".join(str(upload.data.get("if", "")).split())
    if not any(a in condition.replace("${{", "").replace("}}", "") for a in ALWAYS):
        return (
            upload.path,
            "not always",
            f"the SARIF upload in {where} runs only when the gate passed (if: {condition or 'none'}): "
            "add `if: always()` so blocking findings reach code scanning",
        )
    return None
