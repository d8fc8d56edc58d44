"""OPS005 Secret reaches pull-request code: a job of a `pull_request_target` (or `workflow_run`)
workflow checks out the pull request's head and has a secret in reach (`secrets.*` in the job's or
the workflow's `env`, a step's `env`/`with`/`run`, or `secrets: inherit`).

Why: `pull_request_target` and `workflow_run` run with the base repository's secrets and a write
token, for pull requests from anyone's fork. Once the job checks out the pull request's code
(`ref: ${{ github.event.pull_request.head.sha }}`, `github.head_ref`, `refs/pull/N/merge`,
`gh pr checkout`), any script in that code (a test, a build hook, a `conftest.py`) runs with those
secrets: the broker password or the audit trail's credential leaves with the next pull request
("pwn request"). zizmor flags the trigger (dangerous-triggers) and the checkout; this rule names the
secret that would leak and where it enters, and it is critical.

What it reads: the workflow's triggers, each job's `actions/checkout` steps (their `ref` and
`repository`) and `run` lines that fetch a pull request, then every `secrets.NAME` in the job and
in the workflow-level `env`. `secrets.GITHUB_TOKEN` counts: under these triggers it can write.
How to fix: split the workflow: run the pull request's code under `pull_request` (no secrets), and
let a `workflow_run` job that never checks out or executes that code use the secrets on its artifacts.
"""

from __future__ import annotations

import re

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding
from droids.devops.workflows import model
from droids.devops.workflows.model import EXPRESSION, Workflow, line_in_scalar, scalars

OPS005 = RuleSpec(
    id="OPS005",
    droid=DROID,
    severity=Severity.CRITICAL,
    title="Secret reaches pull-request code",
    description=__doc__ or "",
    fix="Do not check out or run the pull request's code in a pull_request_target/workflow_run job "
    "that holds secrets: test it under pull_request, and use secrets in a separate job that never runs it.",
)
RULES = (OPS005,)
INTENT = ("secret", "pull_request_target", "fork", "pwn request", "workflow", "leak")
PRIVILEGED_TRIGGERS = frozenset({"pull_request_target", "workflow_run"})
PR_HEAD = re.compile(
    r"github\.event\.pull_request\.head\.|github\.head_ref|refs/pull/|github\.event\.workflow_run\.head_"
    r"|github\.event\.number|pull_request\.number"
)
PR_FETCH = re.compile(r"\bgh\s+pr\s+checkout\b|\bgit\s+fetch\b[^\n]*\bpull/|\bgit\s+checkout\b[^\n]*\$\{\{[^}]*head")
SECRET = re.compile(r"\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)|\bsecrets\[\s*['\"]([^'\"]+)['\"]\s*\]")


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    findings = []
    for wf in model.load(task, ctx, model.targeted(task)):
        triggers = wf.triggers() & PRIVILEGED_TRIGGERS
        if not triggers:
            continue
        for job in wf.jobs():
            checkout = _pr_checkout(wf, job)
            if checkout is None:
                continue
            how = f"job '{job}' runs pull-request code ({checkout[1]}, line {checkout[0]}) under {sorted(triggers)[0]}"
            for line, name in _secrets(wf, job):
                findings.append(
                    finding(
                        OPS005,
                        wf.path,
                        line,
                        f"{name} reaches it: {how}",
                        identity=f"{job}|{name}",
                        evidence=name,
                    )
                )
    return CheckOutcome(findings=findings)


def _pr_checkout(wf: Workflow, job: str) -> tuple[int | None, str] | None:
    """(line, what) of the first step that checks out or fetches the pull request's head."""
    for step in wf.steps(job):
        if step.uses.lower().startswith("actions/checkout"):
            ref = " ".join(str(step.with_.get(k, "")) for k in ("ref", "repository"))
            if PR_HEAD.search(ref):
                return wf.line(*step.path, "with", "ref"), f"checkout of {' '.join(ref.split())[:80]}"
        if PR_FETCH.search(step.run):
            return wf.line(*step.path, "run"), "a run step fetches the pull request"
    return None


def _secrets(wf: Workflow, job: str) -> list[tuple[int, str]]:
    """(line, "secrets.NAME") of each secret in reach of `job`: its own keys and the workflow's env."""
    found = []
    for root in (("env",), ("jobs", job)):
        for _, node in scalars(wf.node(root)):
            text = str(node.value)
            for expr in EXPRESSION.finditer(text):
                for m in SECRET.finditer(expr.group(1)):
                    found.append(
                        (line_in_scalar(node, expr.start() + m.start()), f"secrets.{m.group(1) or m.group(2)}")
                    )
    if wf.jobs()[job].get("secrets") == "inherit":
        found.append((wf.line("jobs", job, "secrets") or 0, "secrets: inherit (every secret)"))
    return sorted(set(found))
