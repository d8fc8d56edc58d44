"""The static look-ahead check: DATA020-DATA024 over the Python files of feature and strategy code.

Which files: data.yaml `lookahead.paths` (default `**/features/**`, `**/strategy/**`,
`**/strategies/**`, `**/signals/**`), minus `lookahead.exclude` (default `tests/**`). Staged content
is read from the index; each file is parsed once per run (the shared workspace). Runs in every mode.
"""

from __future__ import annotations

from droids.core.checks import CheckOutcome
from droids.core.models import Finding, Task
from droids.core.protocol import DroidContext
from droids.core.python_source import python_paths, unparsable_note
from droids.data_pipeline.lookahead import (
    data020_future_values,
    data021_centered_window,
    data022_full_sample_normalisation,
    data023_stamped_at_open,
    data024_index_past_bar,
)
from droids.data_pipeline.lookahead.source import Hit, Source
from droids.data_pipeline.names import finding

RULE_MODULES = (
    data020_future_values,
    data021_centered_window,
    data022_full_sample_normalisation,
    data023_stamped_at_open,
    data024_index_past_bar,
)
RULES = tuple(m.RULE for m in RULE_MODULES)
INTENT = ("look ahead", "lookahead", "leak", "future", "bias", "feature", "shift", "centered", "normalise")
_BY_ID = {r.id: r for r in RULES}


def feature_paths(task: Task, include: tuple[str, ...], exclude: tuple[str, ...]) -> tuple[str, ...]:
    import pathspec

    inc = pathspec.PathSpec.from_lines("gitignore", include)
    exc = pathspec.PathSpec.from_lines("gitignore", exclude)
    return tuple(p for p in python_paths(task) if inc.match_file(p) and not exc.match_file(p))


def applies(task: Task) -> bool:
    return bool(python_paths(task))


def scan_source(src: Source) -> list[Hit]:
    seen: set[tuple[str, int]] = set()
    hits = []
    for module in RULE_MODULES:
        for hit in module.check(src):
            if (hit.rule, hit.line) not in seen:
                seen.add((hit.rule, hit.line))
                hits.append(hit)
    return sorted(hits, key=lambda h: (h.line, h.rule))


def run(task: Task, ctx: DroidContext) -> CheckOutcome:
    from droids.data_pipeline.policy import load_data_policy

    policy, _ = load_data_policy(task.policies)
    paths = feature_paths(task, policy.lookahead.paths, policy.lookahead.exclude)
    findings: list[Finding] = []
    unparsable: list[str] = []
    for module in ctx.workspace(task).python_modules(paths, unparsable):
        src = Source.of(module.path, module.tree, module.lines)
        for hit in scan_source(src):
            rule = _BY_ID[hit.rule]
            findings.append(
                finding(rule, hit.message, path=module.path, line=hit.line, key=hit.code, evidence=hit.code)
            )
    return CheckOutcome(
        findings=findings,
        notes=unparsable_note("DATA020-DATA024", unparsable),
        metrics={"lookahead_files": len(paths)},
    )
