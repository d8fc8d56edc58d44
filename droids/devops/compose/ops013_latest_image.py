"""OPS013 Image not pinned: a compose service whose image is `:latest` or has no tag at all (which
means latest).

Why: `latest` is whatever was pushed last. Two hosts (or one host before and after a restart) run
different code under the same file; a rollback to "the previous version" restores nothing, and the
audit trail cannot say which code traded. A version tag names a release; a digest (`@sha256:`) pins
it.

What it reads: each service's `image`. A service built from source (`build:` without `image:`) is
left out; an image whose tag is a variable (`app:${TAG}`) is left out unless the variable defaults
to latest (`${TAG:-latest}`).
"""

from __future__ import annotations

import re

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding
from droids.devops.compose import model

OPS013 = RuleSpec(
    id="OPS013",
    droid=DROID,
    severity=Severity.MEDIUM,
    title="Image not pinned (:latest or no tag)",
    description=__doc__ or "",
    fix="Name a version tag (postgres:16.4) or, better, a digest (postgres:16.4@sha256:...).",
)
RULES = (OPS013,)
INTENT = ("latest", "image", "tag", "pin", "compose", "docker", "container")
_DEFAULT_LATEST = re.compile(r"\$\{[^}]*:?-latest\}$")


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def unpinned(image: str) -> str | None:
    """Why `image` is not pinned, or None."""
    if "@sha256:" in image:
        return None
    if _DEFAULT_LATEST.search(image):
        return "its tag variable defaults to latest"
    if "${" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "it has no tag (latest)"
    return "its tag is latest" if last.rsplit(":", 1)[1] == "latest" else None


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    findings = []
    for compose in model.load(task, ctx):
        for name, service in compose.services().items():
            image = service.get("image")
            why = unpinned(str(image)) if image is not None else None
            if why:
                findings.append(
                    finding(
                        OPS013,
                        compose.path,
                        compose.line("services", name, "image"),
                        f"service '{name}' runs image '{image}': {why}",
                        identity=f"{name}|{image}",
                        evidence=str(image),
                    )
                )
    return CheckOutcome(findings=findings)
