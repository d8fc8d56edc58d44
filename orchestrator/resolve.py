"""Merge the droids' findings into one list and one verdict, by code and policy alone.

Order of work: droids by precedence (policies/gates.yaml), de-duplicate by fingerprint (the first
droid in precedence keeps it), apply suppressions (rule + paths + reason, until `expires`), apply the
baseline (fingerprints accepted as known), sort, then the verdict from the profile's thresholds.
A droid that errored or timed out makes the verdict `block`: gates fail closed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path

from droids.core.models import DroidReport, Finding
from droids.core.policy import GatesPolicy, Suppression, verdict
from orchestrator.errors import OrchestratorError

BASELINE_SCHEMA = "droid-baseline/1"


def order_reports(reports: Sequence[DroidReport], precedence: Sequence[str]) -> list[DroidReport]:
    rank = {name: i for i, name in enumerate(precedence)}
    return sorted(reports, key=lambda r: (rank.get(r.name, len(rank)), r.name))


def _suppression_for(finding: Finding, rules: Sequence[Suppression], today: date) -> Suppression | None:
    from orchestrator.routing import _path_spec

    for s in rules:
        if s.expires is not None and s.expires < today:
            continue
        # "SEC010/B311" names one subrule; a pattern without "/" ("SEC0*") names whole rules only
        ids = finding.rule_ids() if "/" in s.rule else (finding.rule,)
        if not any(fnmatchcase(rule_id, s.rule) for rule_id in ids):
            continue
        if finding.path is not None and _path_spec(s.paths).match_file(finding.path):
            return s
    return None


@dataclass(frozen=True)
class ChangedLines:
    """What a gate's change touched: its files, and per file the lines it added or modified."""

    files: frozenset[str]
    added: dict[str, frozenset[int]]

    def preexisting(self, finding: Finding) -> bool:
        """True for a finding on a line of a changed file that the change did not add or modify.
        Findings about a file as a whole (no line), about a commit, or about files outside the
        change (a simulated journal, a report) are the change's own."""
        if finding.path not in self.files or finding.line is None or finding.commit is not None:
            return False
        return finding.line not in self.added.get(finding.path, frozenset())


def merge_findings(
    reports: Sequence[DroidReport],
    gates: GatesPolicy,
    baseline: frozenset[str],
    today: date,
    changed: ChangedLines | None = None,
) -> list[Finding]:
    """The findings of every droid, merged (see the module docstring); with `changed` (a gate that
    judges changed lines), findings on lines the change did not touch are marked pre-existing."""
    seen: set[str] = set()
    merged: list[Finding] = []
    for report in order_reports(reports, gates.precedence):
        for f in report.findings:
            if f.fingerprint in seen:
                continue
            seen.add(f.fingerprint)
            if not f.suppressed:
                rule = _suppression_for(f, gates.suppressions, today)
                if rule is not None:
                    f = f.model_copy(update={"suppressed": True, "suppression": f"policy: {rule.reason}"})
                elif f.fingerprint in baseline:
                    f = f.model_copy(update={"suppressed": True, "suppression": "baseline"})
            if changed is not None and changed.preexisting(f):
                f = f.model_copy(update={"preexisting": True})
            merged.append(f)
    droid_rank = {r.name: i for i, r in enumerate(order_reports(reports, gates.precedence))}
    merged.sort(key=lambda f: (droid_rank.get(f.droid, 99), -f.severity.rank, f.path or "", f.line or 0, f.rule))
    return merged


__all__ = ["ChangedLines", "load_baseline", "merge_findings", "order_reports", "verdict", "write_baseline"]


def load_baseline(path: Path) -> frozenset[str]:
    """Fingerprints of accepted findings; a missing file is an empty baseline."""
    if not path.is_file():
        return frozenset()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OrchestratorError(f"{path}: unreadable baseline ({exc.__class__.__name__}); expected JSON") from None
    if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA:
        raise OrchestratorError(f"{path}: schema: expected '{BASELINE_SCHEMA}'")
    fps = data.get("fingerprints")
    if not isinstance(fps, list) or not all(isinstance(x, str) and x.startswith("sha256:") for x in fps):
        raise OrchestratorError(f"{path}: fingerprints: expected a list of 'sha256:...' strings")
    return frozenset(fps)


def write_baseline(path: Path, findings: Sequence[Finding]) -> int:
    """Record every current finding's fingerprint (never its evidence) as accepted."""
    fps = sorted({f.fingerprint for f in findings})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schema": BASELINE_SCHEMA, "fingerprints": fps}, indent=2) + "\n", encoding="utf-8")
    return len(fps)
