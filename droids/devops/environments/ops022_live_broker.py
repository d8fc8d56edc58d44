"""OPS022 Live broker endpoint outside prod: a dev or staging configuration whose value names the
live broker (`live.tradovateapi.com` by default, `environments.live_broker_endpoints`).

Why: the only thing between a staging test and a real order is which host the broker client talks
to. A copied prod file, or a "quick test against live", turns a staging smoke run, a canary or a
developer's laptop into a trader with the desk's money; Apex counts those fills like any other.
Only the reference environment (`environments.reference`, prod) may name the live endpoint.

What it reads: every value of every non-prod environment file that mentions a host name.
"""

from __future__ import annotations

import re

from droids.core.checks import CheckOutcome
from droids.core.models import RuleSpec, Severity, Task
from droids.core.protocol import DroidContext
from droids.devops.common import DROID, finding, policy
from droids.devops.environments import files
from droids.devops.environments.compare import reference_of

OPS022 = RuleSpec(
    id="OPS022",
    droid=DROID,
    severity=Severity.CRITICAL,
    title="Live broker endpoint outside prod",
    description=__doc__ or "",
    fix="Point dev and staging at the broker's demo/simulation endpoint (e.g. demo.tradovateapi.com).",
)
RULES = (OPS022,)
INTENT = ("broker", "live", "endpoint", "environment", "staging", "prod", "tradovate")
_HOSTS = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}")


def applies(task: Task) -> bool:
    return files.targeted(task)


def names_live(value: object, live: tuple[str, ...]) -> str | None:
    """The live host `value` names, or None."""
    for host in _HOSTS.findall(str(value)):
        for wanted in live:
            if host.lower() == wanted.lower() or host.lower().endswith("." + wanted.lower()):
                return wanted
    return None


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    settings = policy(task).environments
    findings = []
    for env_set in files.env_sets(task, ctx):
        live_env = reference_of(env_set, settings).env
        for env in env_set:
            if env.env == live_env or env.env == settings.reference:
                continue
            for setting in env.settings.values():
                host = (
                    names_live(setting.value, settings.live_broker_endpoints)
                    if isinstance(setting.value, str)
                    else None
                )
                if host:
                    findings.append(
                        finding(
                            OPS022,
                            env.path,
                            setting.line,
                            f"{setting.key} in {env.env} names the live broker ({host}); only {settings.reference} may",
                            identity=f"{setting.key}|{host}",
                            evidence=host,
                        )
                    )
    return CheckOutcome(findings=findings)
