"""Tools that read state droid keeps or computes: droids and rules, the audit trail, an Apex journal's
status, the latency budgets, and the droids' services (catalog freshness, monitor state, deploy
status), reached by name through the registry as any droid reaches another's.
"""

from __future__ import annotations

import time
from typing import Any

from orchestrator.llm.report_view import finding_view
from orchestrator.llm.tool_runs import ToolContext, ToolInputError

SERVICE_TOOLS = {
    "catalog_freshness": "catalog-freshness",
    "monitor_state": "monitor-state",
    "deploy_status": "deploy-status",
}


def list_droids(ctx: ToolContext) -> dict[str, Any]:
    return {
        "droids": [
            {
                "name": c.name,
                "title": c.title,
                "description": " ".join(c.description.split()),
                "triggers": list(c.triggers),
                "rules": list(c.rules),
            }
            for c in ctx.registry.cards()
        ]
    }


def list_rules(ctx: ToolContext, droid: str | None = None) -> dict[str, Any]:
    from orchestrator.apex_report import apex_rule_specs

    rules = [*ctx.registry.rules(), *apex_rule_specs()]
    if droid is not None and droid not in {r.droid for r in rules}:
        raise ToolInputError(f"no droid named {droid!r} (droids: {', '.join([*ctx.registry.names(), 'apex'])})")
    return {
        "rules": [
            {"id": r.id, "droid": r.droid, "severity": r.severity.value, "title": r.title}
            for r in rules
            if droid is None or r.droid == droid
        ]
    }


def audit_trail(ctx: ToolContext, limit: int = 20, kind: str | None = None) -> dict[str, Any]:
    """The newest entries of the hash-chained trail and whether the chain is intact."""
    from droids.core.audit.trail import NoAuditTrail, open_store

    try:
        store = open_store(ctx.repo, create=False)
    except NoAuditTrail:
        return {"entries": [], "note": "no audit trail yet: `droid gate` and `droid audit` runs write it"}
    with store:
        records = [r for r in store.records() if kind is None or r.kind == kind]
        check = store.verify()
    shown = records[-max(1, min(limit, 100)) :]
    return {
        "intact": check.ok,
        **({"broken": check.reason} if not check.ok else {}),
        "entries_total": len(records),
        "entries": [{k: v for k, v in r.as_dict().items() if k != "prev_hash"} for r in shown],
    }


def apex_status(
    ctx: ToolContext, journal: str | None = None, account: str | None = None, ruleset: str | None = None
) -> dict[str, Any]:
    """The Apex rules judged on a journal by the trading core's engine (what `droid apex check` runs)."""
    from orchestrator.apex_report import apex_report
    from trading_core.apex import evaluate_chunks, journal_chunks, load_apex_policy

    path = ctx.inside(journal, "journal") if journal else _newest_journal(ctx)
    started = time.time()
    policy = load_apex_policy(ctx.policies, ruleset=ruleset, account=account)
    chunks = journal_chunks(path, instruments=policy.instruments)
    [result] = evaluate_chunks(chunks, [policy], keep=10)
    report = apex_report(result, path, ctx.rel(path), ctx.repo, started)
    return {
        "journal": ctx.rel(path),
        "verdict": report.verdict,
        "apex": report.extra["apex"],
        "findings": [finding_view(f.model_dump(mode="json")) for f in report.findings],
    }


def _newest_journal(ctx: ToolContext) -> Any:
    found = [p for p in ctx.state_dir.rglob("journal.csv") if p.is_file()] if ctx.state_dir.is_dir() else []
    if not found:
        raise ToolInputError("no journal given and none under .droid/ (`droid sim run` writes one)")
    return max(found, key=lambda p: p.stat().st_mtime)


def latency_budgets(ctx: ToolContext) -> dict[str, Any]:
    from trading_core.latency.budgets import BUDGETS_FILE, load_budgets
    from trading_core.policy import policy_path

    budgets = load_budgets(ctx.policies)
    return {"file": ctx.rel(policy_path(ctx.policies, BUDGETS_FILE)), **budgets.model_dump(mode="json")}


def service(ctx: ToolContext, tool: str, **args: Any) -> Any:
    found = ctx.registry.service(SERVICE_TOOLS[tool])
    if found is None:
        raise ToolInputError(f"no droid offers the {SERVICE_TOOLS[tool]!r} service")
    if tool == "catalog_freshness":
        return found(ctx.repo, ctx.policies)
    if tool == "monitor_state":
        journal = ctx.inside(args["journal"], "journal") if args.get("journal") else None
        return found(ctx.repo, ctx.policies, ctx.state_dir, journal)
    return found(ctx.repo, args.get("env") or None)
