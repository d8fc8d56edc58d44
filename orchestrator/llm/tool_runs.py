"""Tools that run droid's own code paths: a droid, one check, and the last audit's report.

`run_droid` and `run_check` go through `orchestrator.execute.execute`, the path every `droid ask`
takes, so findings, suppressions, the baseline and the verdict are computed by code exactly as on
the command line. A check is run by naming its rule id in the question (droids.core.checks runs
the checks a question names). Each run is bounded by the `ask` profile's time limit and by what is
left of the question's `llm.time_limit_s`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from droids.core.policy import GatesPolicy
from droids.core.registry import Registry
from orchestrator.llm.clock import Clock
from orchestrator.llm.report_view import LISTED, report_view, run_view


class ToolInputError(Exception):
    """The model asked for something that is not there (an unknown droid, a path outside the repo)."""


@dataclass
class ToolContext:
    repo: Path
    policies: Path
    state_dir: Path
    registry: Registry
    gates: GatesPolicy
    question: str
    clock: Clock

    def rel(self, path: Path) -> str:
        """How results name a file: relative to the repository when inside it."""
        try:
            return path.resolve().relative_to(self.repo.resolve()).as_posix()
        except ValueError:
            return str(path)

    def inside(self, raw: str, what: str) -> Path:
        """A file the model named, which must exist inside the repository."""
        path = (self.repo / raw).resolve()
        if not path.is_relative_to(self.repo.resolve()):
            raise ToolInputError(f"{what} {raw}: outside the repository")
        if not path.is_file():
            raise ToolInputError(f"{what} {raw}: no such file")
        return path


def _gates_within(ctx: ToolContext) -> GatesPolicy:
    """The gates policy with the `ask` profile's time limit cut to what the question has left."""
    left = ctx.clock.remaining()
    if left <= 1:
        raise ToolInputError("no time left for another run (gates.yaml llm.time_limit_s)")
    ask = ctx.gates.profiles["ask"]
    profiles = {**ctx.gates.profiles, "ask": ask.model_copy(update={"time_limit_s": min(ask.time_limit_s, left)})}
    return ctx.gates.model_copy(update={"profiles": profiles})


def _execute(ctx: ToolContext, droid: str, request: str, paths: list[str] | None) -> Any:
    from orchestrator.execute import execute
    from orchestrator.targets import simple_task

    task = simple_task("ask", ctx.repo, ctx.policies, request=request, paths=paths or [], cwd=ctx.repo)
    return execute(task, ctx.registry, _gates_within(ctx), ctx.state_dir, only=droid)


def run_droid(ctx: ToolContext, droid: str, paths: list[str] | None = None) -> dict[str, Any]:
    if ctx.registry.get(droid) is None:
        raise ToolInputError(f"no droid named {droid!r} (droids: {', '.join(ctx.registry.names())})")
    return run_view(_execute(ctx, droid, ctx.question, paths))


def run_check(ctx: ToolContext, rule: str, paths: list[str] | None = None) -> dict[str, Any]:
    rule = rule.strip().upper()
    owner = next((r.droid for r in ctx.registry.rules() if r.id == rule), None)
    if owner is None:
        raise ToolInputError(f"no rule {rule!r}: list_rules names every rule id")
    report = _execute(ctx, owner, rule, paths)
    view = run_view(report)
    ran = any(rule in d.rules_checked for d in report.droids)
    view["check"] = {"rule": rule, "droid": owner, "ran": ran}
    if not ran:
        view["check"]["why_not"] = "the check does not apply to this repository or these paths (see notes)"
    return view


def last_audit_findings(ctx: ToolContext, rule: str | None = None, limit: int = LISTED) -> dict[str, Any]:
    """The newest .droid/reports/*/report.json (what `droid audit` writes), as a report view."""
    folder = ctx.state_dir / "reports"
    found = [p for p in folder.glob("*/report.json") if p.is_file()] if folder.is_dir() else []
    if not found:
        return {"report": None, "note": "no audit report yet: `droid audit` writes .droid/reports/<UTC time>/"}
    newest = max(found, key=lambda p: (p.stat().st_mtime, p.parent.name))
    try:
        document = json.loads(newest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ToolInputError(f"{ctx.rel(newest)}: unreadable report ({exc.__class__.__name__})") from None
    if not isinstance(document, dict) or document.get("schema") != "droid-report/1":
        raise ToolInputError(f"{ctx.rel(newest)}: not a droid-report/1 document")
    view = report_view(document, listed=max(1, min(limit, 100)), rule=rule.strip().upper() if rule else None)
    return {"report": ctx.rel(newest), **view}
