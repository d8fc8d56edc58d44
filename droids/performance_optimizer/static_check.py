"""The static check: PERF001-PERF009 over the Python files a task covers.

Runs in every mode (it is the whole of a pre-commit gate for this droid: under a second for the
repository). Staged content comes from the index, not the working tree. Files matching perf.yaml's
`static.exclude` (default: `tests/**`, where fixtures imitate bad handlers on purpose) are skipped.
"""

from __future__ import annotations

import ast
import time
from functools import partial

from droids.core.checks import CheckOutcome
from droids.core.models import Finding, Task, fingerprint
from droids.core.protocol import DroidContext
from droids.core.workspace import Workspace
from droids.performance_optimizer.hot.scan import RULES, scan_module
from droids.performance_optimizer.hot.scope import Hit
from droids.performance_optimizer.names import DROID

__all__ = ["INTENT", "RULES", "applies", "python_targets", "run"]

INTENT = (
    "hot path", "blocking", "block", "static", "on tick", "tick", "loop", "quadratic", "pandas", "logging",
    "async", "slow", "performance",
)  # fmt: skip

_BY_ID = {r.id: r for r in RULES}


def python_targets(task: Task, exclude: tuple[str, ...]) -> tuple[str, ...]:
    import pathspec

    spec = pathspec.PathSpec.from_lines("gitignore", exclude)
    return tuple(p for p in task.targets.paths if p.endswith(".py") and not spec.match_file(p))


def applies(task: Task) -> bool:
    return any(p.endswith(".py") for p in task.targets.paths)


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.performance_optimizer.policy import load_perf_policy

    policy, _ = load_perf_policy(task.policies)
    hot_names = policy.static.hot_names
    started = time.perf_counter()
    findings: list[Finding] = []
    unparsable: list[str] = []
    parsed = hot = 0
    paths = python_targets(task, policy.static.exclude)
    workspace = ctx.workspace(task)
    for path, content in workspace.contents(paths):
        scan = scan_module(content, hot_names, partial(_tree, workspace, path, content))
        parsed += scan.parsed
        hot += scan.hot_functions
        if scan.error:
            unparsable.append(scan.error)
        findings += [finding_of(path, h) for h in scan.hits]
    notes = [f"not parsed, so not checked for PERF001-PERF009: {', '.join(unparsable)}"] if unparsable else []
    metrics = {
        "static_files": len(paths),
        "static_parsed": parsed,
        "static_hot_functions": hot,
        "static_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return CheckOutcome(findings=findings, notes=notes, metrics=metrics)


def _tree(workspace: Workspace, path: str, content: bytes) -> ast.Module | str:
    module = workspace.python_module(path, content)
    return module if isinstance(module, str) else module.tree


def finding_of(path: str, hit: Hit) -> Finding:
    rule = _BY_ID[hit.rule]
    return Finding(
        rule=rule.id,
        droid=DROID,
        severity=rule.severity,
        title=rule.title,
        message=hit.message,
        path=path,
        line=hit.line,
        evidence=hit.code,
        # function and code, not the line: the finding keeps its identity when lines move
        fingerprint=fingerprint(rule.id, path, f"{hit.function}\0{hit.code}"),
        fix=rule.fix,
        function=hit.function,
    )
