"""The orchestrator as a LangGraph graph, built by `build_graph`.

    START -> route -> [Send(run_droid, {droid, task}) ...] -> resolve -> respond -> END

`route` is pure and deterministic (orchestrator.routing); each routed droid runs in its own parallel
branch; `reports` is merged by list concatenation (declared on the state type); `resolve` computes
findings and verdict from policy; `respond` assembles the `RunReport`. No language model decides
anything here. langgraph is imported inside `build_graph` so that importing this module is free.
"""

from __future__ import annotations

import operator
import time
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypedDict

from droids.core.models import DroidReport, Finding, RoutingDecision, RunReport, Task, Verdict
from droids.core.policy import GatesPolicy
from droids.core.protocol import DroidContext
from droids.core.registry import Registry
from droids.core.version import VERSION
from orchestrator import routing
from orchestrator.answer import compose_answer
from orchestrator.droid_runner import run_with_limit
from orchestrator.resolve import ChangedLines, merge_findings, verdict


class GraphState(TypedDict, total=False):
    task: Task
    only: str | None
    started: float
    routing: list[RoutingDecision]
    reports: Annotated[list[DroidReport], operator.add]
    findings: list[Finding]
    verdict: Verdict
    report: RunReport


def route_task(
    task: Task, registry: Registry, only: str | None = None, fallback: routing.RoutingFallback | None = None
) -> list[RoutingDecision]:
    """The routing decision for a task, as the graph's `route` node makes it. `fallback` (the seam
    for an optional language model) is consulted only for a question no trigger or mention matched,
    and may only pick registered droids."""
    cards = registry.cards()
    if only is not None:
        return [RoutingDecision(droid=only, reasons=(f"explicit: droid run {only}",))]
    if task.mode == "audit":
        return routing.route(cards, everyone="audit: every droid")
    if task.mode == "gate":
        return routing.route(cards, paths=task.targets.paths, use_paths=True)
    decisions = routing.route(cards, request=task.request)
    if decisions or fallback is None or task.mode != "ask":
        return decisions
    return routing.fallback_decisions(fallback, task.request, cards)


def changed_lines(task: Task, gates: GatesPolicy, ctx: DroidContext) -> ChangedLines | None:
    """For a gate of a change that judges changed lines: the change's files and added lines."""
    if task.mode != "gate" or task.targets.kind not in ("staged", "base") or gates.judge != "changed-lines":
        return None
    change = ctx.workspace(task).change
    files = frozenset(p for c in change.files for p in c.paths)
    return ChangedLines(files=files, added=change.added_lines)


def not_applicable_notes(reports: list[DroidReport]) -> list[str]:
    """One line per reason for the checks no droid could apply here ("no trading core configured")."""
    merged: dict[str, list[str]] = {}
    for report in reports:
        for reason, labels in report.metrics.get("not_applicable", {}).items():
            merged.setdefault(reason, []).extend(labels)
    return [f"not applicable: {reason}: {', '.join(labels)}" for reason, labels in merged.items()]


def build_graph(
    registry: Registry,
    gates: GatesPolicy,
    ctx: DroidContext,
    baseline: frozenset[str],
    fallback: routing.RoutingFallback | None = None,
) -> Any:
    """Compile the graph for one registry, policy and state directory."""
    from langgraph.graph import END, START, StateGraph
    from langgraph.types import Send

    def route_node(state: GraphState) -> dict[str, Any]:
        return {"routing": route_task(state["task"], registry, state.get("only"), fallback)}

    def fan_out(state: GraphState) -> list[Any] | str:
        picked = state["routing"]
        if not picked:
            return "resolve"
        return [Send("run_droid", {"task": state["task"], "droid": d.droid}) for d in picked]

    def run_droid_node(payload: dict[str, Any]) -> dict[str, Any]:
        task: Task = payload["task"]
        droid = registry.get(payload["droid"])
        assert droid is not None, "route only picks registered droids"
        limit = gates.profiles[task.profile].time_limit_s
        return {"reports": [run_with_limit(droid, task, ctx, limit)]}

    def resolve_node(state: GraphState) -> dict[str, Any]:
        reports = state.get("reports", [])
        findings = merge_findings(reports, gates, baseline, date.today(), changed_lines(state["task"], gates, ctx))
        return {"findings": findings, "verdict": verdict(findings, reports, gates, state["task"].profile)}

    def respond_node(state: GraphState) -> dict[str, Any]:
        task = state["task"]
        order = [d.droid for d in state["routing"]]
        reports = sorted(state.get("reports", []), key=lambda r: order.index(r.name))
        rules = [rule for name in order for rule in registry.get(name).rules()]  # type: ignore[union-attr]
        report = RunReport(
            tool_version=VERSION,
            mode=task.mode,
            profile=task.profile,
            request=task.request,
            repo=str(task.repo),
            started_at=datetime.fromtimestamp(state["started"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            duration_ms=int((time.time() - state["started"]) * 1000),
            routing=state["routing"],
            droids=reports,
            findings=state["findings"],
            rules=rules,
            block_at=gates.profiles[task.profile].block_at,
            verdict=state["verdict"],
        )
        report.notes = not_applicable_notes(reports)
        report.answer = compose_answer(report)
        return {"report": report}

    graph = StateGraph(GraphState)
    graph.add_node("route", route_node)
    graph.add_node("run_droid", run_droid_node)
    graph.add_node("resolve", resolve_node)
    graph.add_node("respond", respond_node)
    graph.add_edge(START, "route")
    graph.add_conditional_edges("route", fan_out, ["run_droid", "resolve"])
    graph.add_edge("run_droid", "resolve")
    graph.add_edge("resolve", "respond")
    graph.add_edge("respond", END)
    return graph.compile()


def run_task(
    task: Task,
    registry: Registry,
    gates: GatesPolicy,
    ctx: DroidContext,
    baseline: frozenset[str],
    only: str | None = None,
    fallback: routing.RoutingFallback | None = None,
) -> RunReport:
    """Build the graph and run one task through it."""
    graph = build_graph(registry, gates, ctx, baseline, fallback)
    state = graph.invoke({"task": task, "only": only, "started": time.time(), "reports": []})
    return state["report"]
