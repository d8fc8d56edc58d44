"""OPS003 Droid gate not enforced: no workflow runs `droid gate`, or the step that runs it cannot fail
the job (`continue-on-error` on the step or its job, or a command that swallows the exit code such
as `droid gate ... || true`).

Why: the gate is the one place where a leaked key, a loosened Apex limit or a latency regression is
stopped before it merges. A workflow change that drops the step, or lets it fail without failing the
check, switches the whole governance off without anyone noticing: the gate still prints its report,
and the pull request still goes green. No peer linter looks for this, because it is this desk's rule.

What it reads: every workflow of the repository (`.github/workflows/*.yml` by default, as the run
sees it: the index for a staged gate), because "is there a gate?" is a question about the set, not
about the changed file. A repository with no workflow at all is not judged (its CI is elsewhere or
not set up yet: a note says so). The command is `workflows.gate_command` in policies/devops.yaml ("droid
gate"); `workflows.require_gate_step: false` drops the "no gate at all" finding (a repository that
gates elsewhere). An expression in `continue-on-error` counts as set: it may be true.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding, policy
from droids.devops.workflows import model
from droids.devops.workflows.gate_steps import SWALLOWED, gate_steps, truthy

OPS003 = RuleSpec(
    id="OPS003",
    droid=DROID,
    severity=Severity.HIGH,
    title="Droid gate not enforced",
    description=__doc__ or "",
    fix="Run `droid gate --base origin/<base> --out droid-report` in a CI workflow step without "
    "continue-on-error and without `|| true`, so a blocking finding fails the check.",
)
RULES = (OPS003,)
INTENT = ("gate", "workflow", "ci", "continue-on-error", "pipeline")


def applies(task: Task) -> bool:
    """A change to a workflow, or an audit (a repository without any workflow has no gate either)."""
    return bool(model.targeted(task)) or (task.mode == "audit" and policy(task).workflows.require_gate_step)


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    settings = policy(task).workflows
    workflows = model.all_workflows(task, ctx)
    steps = gate_steps(workflows, settings.gate_command)
    findings = []
    if not workflows:  # no GitHub Actions at all: the gate runs elsewhere, or CI is not set up yet
        note = "OPS003: no GitHub Actions workflow in this repository; `droid init` writes one with the gate"
        return CheckOutcome(notes=[note], metrics={"ops003_gate_steps": 0})
    if not steps and settings.require_gate_step:
        shown = ", ".join(w.path for w in workflows[:3]) or "none"
        findings.append(
            finding(
                OPS003,
                model.targeted(task)[0] if model.targeted(task) else None,
                None,
                f"no workflow runs `{settings.gate_command}` (workflows: {shown}): changes merge ungated",
                identity="no gate step",
            )
        )
    for gate in steps:
        wf, step = gate.workflow, gate.step
        where = f"job '{step.job}' of {wf.path}"
        job_flag = wf.jobs()[step.job].get("continue-on-error")
        step_flag = step.data.get("continue-on-error")
        problems = [
            (
                truthy(job_flag),
                ("jobs", step.job, "continue-on-error"),
                "job continue-on-error",
                f"{where} has continue-on-error: {job_flag}: a blocking gate does not fail the check",
            ),
            (
                truthy(step_flag),
                (*step.path, "continue-on-error"),
                "step continue-on-error",
                f"the gate step of {where} has continue-on-error: {step_flag}: a blocking gate does not fail the check",
            ),
            (
                bool(SWALLOWED.search(gate.command)),
                (*step.path, "run"),
                "swallowed exit code",
                f"the gate command of {where} swallows its exit code: `{gate.command[:120]}`",
            ),
        ]
        for found, key, what, message in problems:
            if found:
                findings.append(finding(OPS003, wf.path, wf.line(*key), message, identity=f"{step.job}|{what}"))
    return CheckOutcome(findings=findings, metrics={"ops003_gate_steps": len(steps)})
