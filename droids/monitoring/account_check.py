"""The monitoring droid's check: the account's state now, from the newest journal, as findings and an answer.

In `droid ask` ("how close are we to the drawdown limit?"), `droid run monitoring` and `droid audit`
it reads the journal policies/monitoring.yaml names (else the newest journal.csv under .droid/)
through the monitor, sends nothing and calls no kill switch, and reports each alert episode still
open at the journal's end as a finding (MON001-MON009), with the numbers as the answer. Without a
journal it says so in one line. Gates do not run it: a change is not the account.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import Finding, Task, fingerprint
from droids.core.protocol import DroidContext
from droids.monitoring.rules import BY_ID, RULES

__all__ = ["INTENT", "RULES", "applies", "run"]

INTENT = (
    "drawdown",
    "equity",
    "limit",
    "threshold",
    "close",
    "account",
    "alert",
    "monitor",
    "position",
    "win rate",
    "sharpe",
    "sortino",
    "calmar",
    "danger",
    "kill switch",
    "circuit breaker",
    "pnl",
    "p&l",
)


def applies(task: Task) -> bool:
    return task.mode in ("ask", "run", "audit")


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.monitoring import runner, text
    from droids.monitoring.policy import load_monitoring_policy

    policy, _ = load_monitoring_policy(task.policies)
    journal = runner.find_journal(task.repo, ctx.state_dir, policy, None)
    if journal is None:
        line = "monitoring: no account journal (set `journal:` in policies/monitoring.yaml or run `droid sim run`)."
        return CheckOutcome(notes=[line], answer=line)
    if not (task.policies / "apex.yaml").is_file():
        line = f"monitoring: {journal.name} found, but no policies/apex.yaml: the account's limits are unknown."
        return CheckOutcome(notes=[line], answer=line)
    from droids.monitoring.state.sidecars import Sidecars

    run_ = runner.build(task.repo, task.policies, ctx.state_dir, journal, send=False, kill=False)
    runner.replay(run_, sidecars=Sidecars.beside(journal, policy.latency.file))
    state = run_.monitor.state.as_dict()
    shown = state["journal"]
    findings = []
    for a in run_.monitor.episodes.open_alerts():
        spec = BY_ID[a.rule]
        findings.append(
            Finding(
                rule=spec.id,
                droid=spec.droid,
                severity=spec.severity,
                title=spec.title,
                message=a.message,
                path=shown,
                line=None,
                fingerprint=fingerprint(spec.id, shown, f"{a.subject} {a.ts_us}"),
                fix=spec.fix,
                ts_us=a.ts_us,
                subject=a.subject,
            )
        )
    metrics = {
        k: state[k]
        for k in ("equity", "threshold", "drawdown_share", "distance_to_threshold", "distance_to_danger", "events")
    }
    return CheckOutcome(findings=findings, metrics={"monitoring": metrics}, answer=text.answer(state))
