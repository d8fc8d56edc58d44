"""The devops droid's section of the morning report: deploys and rollbacks of the period, and what
each environment runs now.

Deploys, promotions, refusals and rollbacks come from the audit trail (profile "deploy": the
pipeline writes one entry per outcome, with env, version, reason and rollback time), so a deploy
made from another machine on the team's trail shows too. What runs now is each environment's
`.droid/deploy/<env>/state.json` (read only: no process is started, stopped or asked anything).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from droids.core.report_section import Block, ReportSection, SectionContext, Table, none_section

DROID = "devops"
TITLE = "DevOps: deploys and rollbacks"
KINDS = ("deploy", "promotion", "rollback")


def build(ctx: SectionContext) -> list[ReportSection]:
    from droids.devops.deploy import state
    from droids.devops.deploy.status import environments

    entries, trail_note = _deploy_entries(ctx.repo, ctx.since_iso)
    envs = environments(ctx.state_dir)
    period = f"since {ctx.since_iso}" if ctx.since_iso else "in the whole audit trail"
    if not entries and not envs:
        why = f"No deploy {period}" if ctx.since_iso else "No deploy recorded"
        why += ": `droid deploy --env ENV` deploys the trading core's service."
        return [none_section("devops", DROID, TITLE, why + (f" ({trail_note})" if trail_note else ""))]
    outcomes = Counter(_outcome(r) for r in entries)
    block = Block(f"Deploys {period}")
    block.lines.append(
        ", ".join(f"{n} {what}" for what, n in sorted(outcomes.items())) + "." if entries else f"No deploy {period}."
    )
    if trail_note:
        block.lines.append(trail_note)
    if entries:
        rows = tuple(
            (
                r.time,
                str(r.details.get("env", "?")),
                _outcome(r),
                str(r.details.get("version") or "-"),
                str(r.details.get("tag") or r.details.get("back_to") or "-"),
                f"{r.details['rollback_ms']} ms" if isinstance(r.details.get("rollback_ms"), int) else "-",
                r.who,
                _reason(r.details),
            )
            for r in entries
        )
        headers = ("recorded (UTC)", "env", "outcome", "version", "tag / back to", "rollback time", "by", "why")
        block.tables.append(Table(headers, rows))
    live_rows = []
    for env in envs:
        live = state.read(ctx.state_dir, env).get("live") or {}
        live_rows.append(
            (env, str(live.get("version") or "-"), str(live.get("tag") or "-"), str(live.get("started") or "-"))
        )
    if live_rows:
        block.tables.append(Table(("env", "live version", "tag", "started"), tuple(live_rows)))
    rolled = outcomes.get("rolled back", 0) + outcomes.get("failed", 0)
    block.status = "attention" if rolled else "ok"
    lives = ", ".join(f"{e} runs {v}" for e, v, _, _ in live_rows if v != "-") or "nothing live"
    headline = (f"{block.lines[0].rstrip('.')}; " if entries else f"No deploy {period}; ") + lives + "."
    return [ReportSection("devops", DROID, TITLE, block.status, headline, [block])]


def _deploy_entries(repo: Path, since: str | None) -> tuple[list[Any], str]:
    from droids.core.audit.trail import NoAuditTrail, open_store
    from droids.core.errors import DroidError

    try:
        with open_store(repo, create=False) as store:
            records = store.records(since)
    except NoAuditTrail:
        return [], ""
    except DroidError as exc:
        return [], f"the audit trail cannot be read: {exc}"
    return [r for r in records if r.profile == "deploy" and r.kind in KINDS], ""


def _outcome(r: Any) -> str:
    """What happened: a failed deploy with a version to go back to is an automatic rollback (kind
    "rollback", verdict "fail"); `droid deploy rollback` that went through is kind "rollback", "pass"."""
    if r.verdict == "refused":
        return "refused"
    if r.kind == "rollback":
        return "rolled back" if r.verdict == "fail" else "rolled back on request"
    if r.verdict == "fail":
        return "failed"
    return "promoted" if r.kind == "promotion" else "deployed"


def _reason(details: dict[str, Any]) -> str:
    reasons = details.get("reasons")
    if isinstance(reasons, list) and reasons:
        return "; ".join(str(x) for x in reasons)
    return str(details.get("reason") or "-")
