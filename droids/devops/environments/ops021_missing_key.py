"""OPS021 Setting missing in an environment: a non-risk key that the reference environment (prod)
sets and another environment lacks, or the other way round.

Why: a key set in staging and missing in prod means prod runs on the code's default for it (often
a value nobody chose), so what staging tested is not what prod runs; a key only in prod was never
tested at all. Keys that are expected to exist in one environment only (its name, endpoints, log
settings) are listed in `environments.environment_specific` of policies/devops.yaml. Risk
parameters are OPS020's (high); this is the low-severity drift of everything else.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, any_key_matches, finding, policy
from droids.devops.environments import files
from droids.devops.environments.compare import differences

OPS021 = RuleSpec(
    id="OPS021",
    droid=DROID,
    severity=Severity.LOW,
    title="Setting missing in an environment",
    description=__doc__ or "",
    fix="Set the key in every environment (with its own value), or list it in environments.environment_specific.",
)
RULES = (OPS021,)
INTENT = ("environment", "staging", "prod", "drift", "missing", "config")


def applies(task: Task) -> bool:
    return files.targeted(task)


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    settings = policy(task).environments
    skip = (*settings.risk_keys, *settings.environment_specific)
    findings = []
    for env_set in files.env_sets(task, ctx):
        for d in differences(env_set, settings):
            if (d.mine is not None and d.theirs is not None) or any_key_matches(skip, d.key):
                continue
            if d.mine is None:
                where, line, message = (
                    d.env.path,
                    None,
                    f"{d.key} is set in {d.reference.env} ({d.reference.path}) but not in {d.env.env}",
                )
            else:
                where, line, message = (
                    d.env.path,
                    d.mine.line,
                    f"{d.key} is set in {d.env.env} but not in {d.reference.env} ({d.reference.path})",
                )
            findings.append(
                finding(OPS021, where, line, message, identity=f"{d.key}|{d.reference.env}", evidence=d.key)
            )
    return CheckOutcome(findings=findings)
