"""Checks: the units a droid is made of, and the one loop that runs them.

A check is a module (or object) with `RULES` (the rule specs it reports), `applies(task)` (does it
run for this mode, profile and set of changed files?) and `run(task, ctx) -> CheckOutcome`.
Optionally:
- `INTENT`: words and phrases a question names when it is about this check ("leak", "history",
  "on tick"). A question (`droid ask`) runs only the checks whose intent or one of whose rule ids
  ("SEC004") it names; one that names none runs every check that `ASK_BY_DEFAULT` (True unless the
  check says otherwise: history scans, simulations and profiles are run only when asked for).
- `needs(task) -> str | None`: why the check cannot apply to this repository at all ("no trading
  core configured"), or None. Such a check is skipped and listed under the report's
  `metrics["not_applicable"]`; the orchestrator says it once per run for every droid.
- `RUNS_REPOSITORY_CODE`: what of the repository the check runs ("its benchmark suite"), for the few
  checks that exist to run the code they govern. The report says what ran; with `--no-exec` (or
  gates.yaml `execute_repository_code: false`, `Task.no_exec`) such a check is skipped and said once.
A droid lists its checks in one tuple; `run_checks` runs the ones that apply and merges their
outcomes into the droid's report. Rules of checks that did not run are not in `rules_checked`.

A check is isolated: one that crashes (a RecursionError on a pathological file, a bug) is reported
as the droid's error, with its traceback in a log file, while every other check still reports its
findings; the gate then fails closed. Bad input (`DroidError`, `TradingCoreError`) is not a crash:
it stops the run with one line (exit 2). Findings on a line that carries `droid: ignore[RULE]` are
marked suppressed here, for every droid (droids.core.suppress).
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from droids.core import suppress, words
from droids.core.errors import DroidError
from droids.core.models import AuditEvent, DroidReport, Finding, RuleSpec, Task
from droids.core.protocol import DroidContext
from trading_core.errors import TradingCoreError

NO_EXEC = "--no-exec: they run the repository's code"


@dataclass
class CheckOutcome:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    answer: str | None = None
    audit_events: list[AuditEvent] = field(default_factory=list)


class Check(Protocol):
    RULES: tuple[RuleSpec, ...]

    def applies(self, task: Task) -> bool: ...

    def run(self, task: Task, ctx: DroidContext) -> CheckOutcome: ...


def rules_of(checks: Sequence[Check]) -> tuple[RuleSpec, ...]:
    return tuple(rule for check in checks for rule in check.RULES)


def label(check: Check) -> str:
    """How reports name a check: its rule ids ("SEC001", "PERF010-PERF015")."""
    ids = [r.id for r in check.RULES]
    return ids[0] if len(ids) == 1 else f"{ids[0]}-{ids[-1]}"


def selected(checks: Sequence[Check], task: Task) -> list[Check]:
    """The checks that run for `task`: those that apply, narrowed by intent for a question."""
    applicable = [c for c in checks if c.applies(task)]
    if task.mode != "ask":
        return applicable
    said = words.request_words(task.request)
    asked = [c for c in applicable if words.hits(said, (*getattr(c, "INTENT", ()), *(r.id for r in c.RULES)))]
    return asked or [c for c in applicable if getattr(c, "ASK_BY_DEFAULT", True)]


def run_checks(name: str, checks: Sequence[Check], task: Task, ctx: DroidContext) -> DroidReport:
    started = time.perf_counter()
    report = DroidReport(name=name)
    answers, failures = [], []
    not_applicable: dict[str, list[str]] = {}
    for check in selected(checks, task):
        runs = getattr(check, "RUNS_REPOSITORY_CODE", None)
        reason = NO_EXEC if runs and task.no_exec else (check.needs(task) if hasattr(check, "needs") else None)
        if reason:
            not_applicable.setdefault(reason, []).append(label(check))
            continue
        ctx.progress(name, label(check), 0, 0, "")
        try:
            outcome = check.run(task, ctx)
        except (DroidError, TradingCoreError):
            raise  # bad input: the whole run stops with one line
        except Exception as exc:  # a crash in one check must not drop the others' findings
            log = write_traceback(ctx.state_dir, f"{name}-{label(check)}")
            failures.append(f"{label(check)}: internal error: {exc.__class__.__name__}: {exc} (traceback in {log})")
            continue
        report.findings += outcome.findings
        report.notes += outcome.notes
        report.metrics.update(outcome.metrics)
        report.audit_events += outcome.audit_events
        report.rules_checked += [r.id for r in check.RULES]
        if runs:
            report.notes.append(f"{label(check)} ran the repository's code: {runs}")
        if outcome.answer:
            answers.append(outcome.answer)
    report.findings = _inline_ignores(report.findings, task, ctx)
    if not_applicable:
        report.metrics["not_applicable"] = not_applicable
    if failures:
        report.status, report.error = "error", "; ".join(failures)
    report.answer = "\n".join(answers) or None
    report.duration_ms = round((time.perf_counter() - started) * 1000)
    return report


def _inline_ignores(findings: list[Finding], task: Task, ctx: DroidContext) -> list[Finding]:
    """Mark findings whose line says `droid: ignore[RULE]` (or a bare `droid: ignore`) suppressed."""
    lines: dict[str, list[str]] = {}
    out = []
    for f in findings:
        if f.path and f.line and not f.suppressed and f.commit is None:  # history findings: no line today
            if f.path not in lines:
                content = ctx.workspace(task).content_if_present(f.path)
                lines[f.path] = content.decode("utf-8", "replace").splitlines() if content else []
            text = lines[f.path][f.line - 1] if f.line <= len(lines[f.path]) else ""
            if suppress.droid_ignores(text, f.rule_ids()):
                f = f.model_copy(update={"suppressed": True, "suppression": suppress.INLINE})
        out.append(f)
    return out


def write_traceback(state_dir: Path, name: str) -> Path:
    """The current exception's traceback in `<state>/logs/<UTC time>-<name>.log`; its path."""
    logs = state_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-{name}.log"
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return path
