"""OPS023 Secret written into an environment configuration: a setting whose key names a secret
(`environments.secret_keys`: password, token, api_key, private_key, credential, a Tradovate `cid`
or `sec`, webhook...) with a literal value instead of a reference.

Why: environment files are committed and copied between hosts; prod's file is read by everyone who
can read the repository. Secrets belong in the environment or a secret store, and the file says
where: `{env: TRADOVATE_PASSWORD}`, `{secret: broker/password}`, `${TRADOVATE_PASSWORD}`,
`vault://kv/broker#password` (`environments.reference_keys` and `reference_patterns`). The service
resolves the reference at start; nothing secret is ever in git. SEC001 of the security droid finds
secrets by their shape; this rule finds them by their place, whatever they look like.

Values are never shown: the evidence keeps the first 4 characters of a long value, then ****.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding, mask, policy
from droids.devops.environments import files
from droids.devops.secret_values import literal_secret

OPS023 = RuleSpec(
    id="OPS023",
    droid=DROID,
    severity=Severity.HIGH,
    title="Secret written into an environment configuration",
    description=__doc__ or "",
    fix="Replace the value with a reference ({env: NAME} or ${NAME}) and rotate the secret that was committed.",
)
RULES = (OPS023,)
INTENT = ("secret", "password", "token", "credential", "environment", "config", "leak")


def applies(task: Task) -> bool:
    return files.targeted(task)


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    settings = policy(task).environments
    findings = []
    for env_set in files.env_sets(task, ctx):
        for env in env_set:
            for s in env.settings.values():
                if literal_secret(s.key, s.value, settings):
                    findings.append(
                        finding(
                            OPS023,
                            env.path,
                            s.line,
                            f"{s.key} in {env.env} is a literal value ({mask(s.value)}), not a reference",
                            identity=s.key,
                            evidence=f"{s.key}: {mask(s.value)}",
                        )
                    )
    return CheckOutcome(findings=findings)
