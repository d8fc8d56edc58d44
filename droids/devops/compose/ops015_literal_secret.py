"""OPS015 Literal secret in compose file: a service `environment:` entry whose name says it is a
secret (`*PASSWORD*`, `*TOKEN*`, `*API_KEY*`, ... from `environments.secret_keys`) and whose value
is written into the file instead of referenced.

Why: a compose file is committed, copied to hosts and pasted into tickets; a broker password in it
is in every clone and every backup. Compose has two ways to keep it out: interpolation from the
environment or an untracked `.env` (`TRADOVATE_PASSWORD: ${TRADOVATE_PASSWORD}`), and `secrets:`
(mounted as a file, `file:` or `environment:` sourced). The security droid's SEC001 finds secrets by
their shape (entropy, known key formats); this rule finds them by their place, so a short or
human-chosen password is found too.

What it reads: each service's `environment` (mapping or `KEY=value` list). Values are never shown:
the evidence keeps the first 4 characters of long values, then ****.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding, mask, policy
from droids.devops.compose import model
from droids.devops.secret_values import literal_secret

OPS015 = RuleSpec(
    id="OPS015",
    droid=DROID,
    severity=Severity.HIGH,
    title="Literal secret in compose file",
    description=__doc__ or "",
    fix="Reference it: `KEY: ${KEY}` (from the environment or an untracked .env), or use compose "
    "`secrets:`; then rotate the value that was committed.",
)
RULES = (OPS015,)
INTENT = ("secret", "password", "token", "credential", "compose", "environment", "leak")


def applies(task: Task) -> bool:
    return bool(model.targeted(task))


def environment(service: dict) -> list[tuple[str, object, int | None]]:
    """(name, value, list index or None) of each entry of a service's `environment`."""
    env = service.get("environment")
    if isinstance(env, dict):
        return [(str(k), v, None) for k, v in env.items()]
    if isinstance(env, list):
        return [(str(e).partition("=")[0], str(e).partition("=")[2], i) for i, e in enumerate(env)]
    return []


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    settings = policy(task).environments
    findings = []
    for compose in model.load(task, ctx):
        for name, service in compose.services().items():
            for key, value, index in environment(service):
                if not literal_secret(key, value, settings):
                    continue
                where = ("services", name, "environment", key if index is None else index)
                findings.append(
                    finding(
                        OPS015,
                        compose.path,
                        compose.line(*where),
                        f"service '{name}' sets {key} to a literal value ({mask(value)})",
                        identity=f"{name}|{key}",
                        evidence=f"{key}={mask(value)}",
                    )
                )
    return CheckOutcome(findings=findings)
