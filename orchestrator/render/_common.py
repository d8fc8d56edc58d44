"""Small facts every renderer derives the same way from a `RunReport`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python

from droids.core.models import DroidReport, Finding, RunReport, Severity

# Most severe first: the order in which humans read findings.
SEVERITIES_DESC: tuple[Severity, ...] = tuple(sorted(Severity, key=lambda s: s.rank, reverse=True))

VERDICT_WORDS = {"pass": "PASS", "warn": "WARN", "block": "BLOCK"}


def location(finding: Finding) -> str:
    """`path:line`, `path`, or "" when the finding is not about one file."""
    if not finding.path:
        return ""
    return f"{finding.path}:{finding.line}" if finding.line is not None else finding.path


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Most severe first; the report's own order (precedence) is kept within a severity."""
    return sorted(findings, key=lambda f: -f.severity.rank)


@dataclass(frozen=True)
class RuleGroup:
    """The findings of one rule, for a heading with the count and the fix text said once."""

    rule: str
    title: str
    severity: Severity  # the most severe of the group: it orders the groups
    fix: str
    findings: tuple[Finding, ...]

    @property
    def mixed(self) -> bool:
        """True when the group's findings do not all share one severity (each line then says its own)."""
        return len({f.severity for f in self.findings}) > 1


def rule_groups(findings: list[Finding]) -> list[RuleGroup]:
    """Findings grouped by rule: most severe group first, then by rule id; findings in report order."""
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    groups = [
        RuleGroup(
            rule=rule,
            title=items[0].title,
            severity=max((f.severity for f in items), key=lambda s: s.rank),
            fix=next((f.fix for f in items if f.fix), ""),
            findings=tuple(by_severity(items)),
        )
        for rule, items in by_rule.items()
    ]
    return sorted(groups, key=lambda g: (-g.severity.rank, g.rule))


def counts_by_rule(findings: list[Finding]) -> str:
    """`SEC010 15, SEC002 9`: how many findings each rule has, most first."""
    counts = Counter(f.rule for f in findings)
    return ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def blocking(report: RunReport) -> list[Finding]:
    """Unsuppressed findings at or above the run's blocking threshold."""
    return [f for f in report.active() if f.severity.at_least(report.block_at)]


def suppressed(report: RunReport) -> list[Finding]:
    return [f for f in report.findings if f.suppressed]


def run_label(report: RunReport) -> str:
    """`gate (pre-commit)`; just `audit` when the profile is the mode itself."""
    return report.mode if report.profile == report.mode else f"{report.mode} ({report.profile})"


def extra_fields(finding: Finding) -> dict[str, Any]:
    """The keys a droid added beyond the contract (e.g. `event_index`, `trading_day`), JSON-ready."""
    return {k: to_jsonable_python(v) for k, v in (finding.model_extra or {}).items()}


def findings_per_droid(report: RunReport) -> Counter[str]:
    """How many of the report's merged findings (suppressed included) each droid raised."""
    return Counter(f.droid for f in report.findings)


def droid_problem(droid: DroidReport) -> str:
    """Why a droid did not finish cleanly, or "" when it did."""
    if droid.status in ("error", "timeout"):
        return f"{droid.status}: {droid.error}" if droid.error else droid.status
    return droid.error or ""


def summary_line(report: RunReport) -> str:
    """`1 critical, 2 high, 0 medium, 0 low, 0 info; 1 suppressed; 3 pre-existing; 812 ms`."""
    counts = report.summary()
    parts = ", ".join(f"{counts[s.value]} {s.value}" for s in SEVERITIES_DESC)
    hidden, before = len(suppressed(report)), len(report.preexisting())
    tail = (f"; {hidden} suppressed" if hidden else "") + (f"; {before} pre-existing" if before else "")
    return f"{parts}{tail}; {report.duration_ms} ms"


def verdict_reason(report: RunReport) -> str:
    """One clause saying why the verdict is what it is."""
    failed = report.failed_droids()
    stopping = len(blocking(report))
    parts = []
    if stopping:
        parts.append(f"{stopping} finding{'s' if stopping != 1 else ''} at or above {report.block_at.value}")
    if failed:
        names = ", ".join(d.name for d in failed)
        parts.append(f"{len(failed)} droid{'s' if len(failed) != 1 else ''} did not finish ({names})")
    if not parts:
        below = len(report.active())
        return f"nothing at or above {report.block_at.value}" + (f"; {below} below it" if below else "")
    return "; ".join(parts)
