"""The tools the model may call, as the Messages API declares them, and the one place that runs them.

Every tool is read-only (a droid run writes only its caches), returns JSON, and fails as a
`tool_result` with `is_error` rather than as an exception: bad input from the model (an unknown
droid, a path outside the repository), bad input in the repository (a malformed journal) and a bug
in a tool alike. A service no droid offers is not declared at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from droids.core.checks import write_traceback
from droids.core.errors import DroidError
from orchestrator.errors import OrchestratorError
from orchestrator.llm import tool_runs, tool_state
from orchestrator.llm.tool_runs import ToolContext, ToolInputError
from trading_core.errors import TradingCoreError

_PATHS = {"type": "array", "items": {"type": "string"}, "description": "Repository-relative files or folders."}
_JOURNAL = {"type": "string", "description": "Repository-relative journal (.csv, .jsonl, .parquet)."}


def _tool(name: str, description: str, properties: dict[str, Any] | None = None, required: tuple[str, ...] = ()):
    schema: dict[str, Any] = {"type": "object", "properties": properties or {}}
    if required:
        schema["required"] = list(required)
    return {"name": name, "description": description, "input_schema": schema}


def declarations(ctx: ToolContext) -> list[dict[str, Any]]:
    names = ctx.registry.names()
    tools = [
        _tool("list_droids", "The droids: name, title, mission, trigger words, rule ids."),
        _tool("list_rules", "Every rule id with its droid, severity and title.", {"droid": {"type": "string"}}),
        _tool(
            "run_droid",
            "Run one droid now on the repository (or on paths) for this question; returns its findings and "
            "the verdict droid computed.",
            {"droid": {"type": "string", "enum": names}, "paths": _PATHS},
            ("droid",),
        ),
        _tool(
            "run_check",
            "Run the one check that reports a rule id (e.g. SEC001) now; returns its findings and verdict.",
            {"rule": {"type": "string"}, "paths": _PATHS},
            ("rule",),
        ),
        _tool(
            "last_audit_findings",
            "The findings of the newest `droid audit` report (.droid/reports/*/report.json), optionally of one rule.",
            {"rule": {"type": "string"}, "limit": {"type": "integer", "minimum": 1, "maximum": 100}},
        ),
        _tool(
            "audit_trail",
            "The newest entries of the hash-chained audit trail (gate and audit runs, approvals of protected "
            "changes, halts, deploys) and whether the chain is intact.",
            {"limit": {"type": "integer", "minimum": 1, "maximum": 100}, "kind": {"type": "string"}},
        ),
        _tool(
            "apex_status",
            "The Apex Trader Funding rules judged on an account journal by the trading core (default: the "
            "newest journal under .droid/): equity, closest distance to the drawdown threshold, violations.",
            {"journal": _JOURNAL, "account": {"type": "string"}, "ruleset": {"type": "string"}},
        ),
        _tool("latency_budgets", "The latency budgets of the trading core (policies/budgets.yaml)."),
    ]
    services = {
        "catalog_freshness": _tool(
            "catalog_freshness", "The market-data catalog: newest bar per symbol and interval, stale or not."
        ),
        "monitor_state": _tool(
            "monitor_state",
            "The account now: equity, trailing drawdown threshold, distance to the warning and danger levels, "
            "open positions and alerts.",
            {"journal": _JOURNAL},
        ),
        "deploy_status": _tool(
            "deploy_status",
            "What runs where: live version per environment, health, last deploys, configuration drift.",
            {"env": {"type": "string"}},
        ),
    }
    offered = [t for name, t in services.items() if ctx.registry.service(tool_state.SERVICE_TOOLS[name]) is not None]
    return tools + offered


def _runners() -> dict[str, Callable[..., Any]]:
    return {
        "list_droids": tool_state.list_droids,
        "list_rules": tool_state.list_rules,
        "run_droid": tool_runs.run_droid,
        "run_check": tool_runs.run_check,
        "last_audit_findings": tool_runs.last_audit_findings,
        "audit_trail": tool_state.audit_trail,
        "apex_status": tool_state.apex_status,
        "latency_budgets": tool_state.latency_budgets,
        **{name: (lambda ctx, _n=name, **a: tool_state.service(ctx, _n, **a)) for name in tool_state.SERVICE_TOOLS},
    }


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "array": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
}


def bad_arguments(declared: dict[str, Any], args: Any) -> str | None:
    """What is wrong with the model's input for a tool (its declared schema), or None."""
    if not isinstance(args, dict):
        return "the input must be a JSON object"
    schema = declared["input_schema"]
    for key in schema.get("required", []):
        if key not in args:
            return f"missing {key!r}"
    for key, value in args.items():
        prop = schema["properties"].get(key)
        if prop is None:
            return f"unknown argument {key!r} (takes: {', '.join(schema['properties']) or 'nothing'})"
        if value is None:
            continue
        if not _TYPES[prop["type"]](value):
            return f"{key}: expected {prop['type']}"
        if "enum" in prop and value not in prop["enum"]:
            return f"{key}: expected one of {', '.join(prop['enum'])}"
    return None


def run_tool(ctx: ToolContext, name: str, args: Any, declared: dict[str, dict[str, Any]]) -> tuple[Any, bool]:
    """(result, is_error) of one tool call; never raises for anything the tool or the model did."""
    if name not in declared:
        return {"error": f"no tool named {name!r}"}, True
    problem = bad_arguments(declared[name], args)
    if problem:
        return {"error": f"{name}: {problem}"}, True
    try:
        return _runners()[name](ctx, **{k: v for k, v in args.items() if v is not None}), False
    except (ToolInputError, DroidError, OrchestratorError, TradingCoreError) as exc:
        return {"error": str(exc)}, True
    except Exception as exc:  # a bug in a tool must not end the answer; its traceback is kept
        log = write_traceback(ctx.state_dir, f"ask-tool-{name}")
        return {"error": f"internal error in {name}: {exc.__class__.__name__} (traceback in {ctx.rel(log)})"}, True
