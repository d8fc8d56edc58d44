"""OPS006 Third-party action not pinned by commit SHA: a `uses:` of a step or a reusable workflow
that names a third-party action by tag or branch (`someone/deploy-action@v2`, `@main`), or a
container by tag (`docker://image:1.2`), instead of a full 40-character commit SHA (a digest for
containers).

Why: a tag is a pointer its owner (or whoever steals their token) can move. The tj-actions/
changed-files compromise of March 2025 moved every tag of a popular action to a commit that printed
the runner's secrets into the build log; workflows pinned by SHA kept running the reviewed code.
A workflow of this desk holds the audit trail's credential and gates what reaches the trading core.

What it reads: every `uses:` of the workflow's jobs and steps. Local actions (`./path`) are the
repository's own code; owners listed in `workflows.trusted_owners` of policies/devops.yaml
(default: `actions`, `github`, GitHub's own) may be referenced by tag. zizmor's `unpinned-uses`
finding is not reported by OPS001, so an unpinned action is reported once, under this desk's policy.
How to fix: `uses: owner/action@<40-hex sha> # v1.2.3`; Dependabot keeps SHA pins with their comment
up to date.
"""

from __future__ import annotations

import re

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding, policy
from droids.devops.workflows import model
from droids.devops.workflows.model import SHA

OPS006 = RuleSpec(
    id="OPS006",
    droid=DROID,
    severity=Severity.HIGH,
    title="Third-party action not pinned by commit SHA",
    description=__doc__ or "",
    fix="Pin it: `uses: owner/action@<40-hex commit sha> # vX.Y.Z` (a container: image@sha256:<digest>).",
)
RULES = (OPS006,)
INTENT = ("pin", "pinned", "sha", "action", "supply chain", "workflow", "third party")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def unpinned(uses: str, trusted: tuple[str, ...]) -> str | None:
    """Why `uses` is not pinned under the policy, or None when it is (or needs no pin)."""
    if not uses or uses.startswith("./"):
        return None
    if uses.startswith("docker://"):
        return None if DIGEST.search(uses) else "a container image by tag, not by digest"
    name, _, ref = uses.partition("@")
    if name.split("/")[0].lower() in {t.lower() for t in trusted}:
        return None
    if not ref:
        return "no ref at all"
    return None if SHA.match(ref) else f"ref '{ref}' is a tag or branch, not a commit SHA"


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    trusted = policy(task).workflows.trusted_owners
    findings = []
    for wf in model.load(task, ctx, model.targeted(task)):
        for job, spec in wf.jobs().items():
            places = [(("jobs", job, "uses"), spec.get("uses"))]
            places += [((*s.path, "uses"), s.uses) for s in wf.steps(job)]
            for key, uses in places:
                why = unpinned(uses, trusted) if isinstance(uses, str) else None
                if why:
                    findings.append(
                        finding(
                            OPS006,
                            wf.path,
                            wf.line(*key),
                            f"{uses} in job '{job}': {why}",
                            identity=f"{job}|{uses}",
                            evidence=uses,
                        )
                    )
    return CheckOutcome(findings=findings)
