"""OPS020 Risk parameter differs between environments: an Apex or SENTINEL setting (the account size
or rule set, drawdown shares, daily loss limit, profit cap, contract caps, sizing) that staging or
dev sets differently from prod, or that one of them lacks.

Why: staging exists to show what prod will do. A daily loss limit of 300 in staging and 3000 in
prod (or an `apex.account: 50k` in staging and `150k` in prod) means every staging run, smoke test
and canary judged other limits than the ones the money trades under; the first time prod's values
are exercised is with real positions. A deliberate difference is listed in
`environments.risk_allowed_to_differ` of policies/devops.yaml, where a reviewer sees it.

Which keys are risk parameters: `environments.risk_keys` (default `apex.**`, `sentinel.**`,
`risk.**`, `sizing.**` in YAML, `APEX_*`, `SENTINEL_*`, `RISK_*`, `SIZING_*` in .env files): the
Apex keys of policies/apex.yaml (ruleset, account, drawdown, contracts, consistency, daily loss,
session and guard) and SENTINEL's tiers and sizing of policies/strategy.yaml (`risk.*`, `sizing.*`,
read by trading_core/risk/sentinel.py). Each environment is compared with `environments.reference`
(prod); the finding is on the line of the environment that differs. Risk values are not secret
and are shown.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, any_key_matches, finding, policy
from droids.devops.environments import files
from droids.devops.environments.compare import differences
from droids.devops.environments.files import shown

OPS020 = RuleSpec(
    id="OPS020",
    droid=DROID,
    severity=Severity.HIGH,
    title="Risk parameter differs between environments",
    description=__doc__ or "",
    fix="Set the same value in every environment, or list the key in environments.risk_allowed_to_differ "
    "of policies/devops.yaml with the reason in a comment.",
)
RULES = (OPS020,)
INTENT = ("environment", "staging", "prod", "risk", "drift", "apex", "sentinel", "config")


def applies(task: Task) -> bool:
    return files.targeted(task)


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    settings = policy(task).environments
    findings = []
    for env_set in files.env_sets(task, ctx):
        for d in differences(env_set, settings):
            if not any_key_matches(settings.risk_keys, d.key) or any_key_matches(
                settings.risk_allowed_to_differ, d.key
            ):
                continue
            here = shown(d.mine.value) if d.mine else "not set"
            there = shown(d.theirs.value) if d.theirs else "not set"
            findings.append(
                finding(
                    OPS020,
                    d.env.path,
                    d.mine.line if d.mine else None,
                    f"risk parameter {d.key}: {d.env.env} {here}, {d.reference.env} {there} ({d.reference.path})",
                    identity=f"{d.key}|{d.reference.env}",
                    evidence=d.key,
                )
            )
    return CheckOutcome(findings=findings)
