"""A run report as the model sees it: the verdict, counts and the findings that matter, bounded.

The same view serves the question's own report (the first message), the runs the model asks for
(`run_droid`, `run_check`) and the last audit's report.json, so the model reads one shape. Each
finding keeps what a person needs to act (rule, where, message, masked evidence, fingerprint, fix)
and nothing bulky (metrics, rule documentation); at most `listed` findings, active ones first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from droids.core.models import RunReport

LISTED = 25
FINDING_KEYS = (
    "rule",
    "severity",
    "title",
    "message",
    "path",
    "line",
    "commit",
    "evidence",
    "fingerprint",
    "fix",
    "suppressed",
    "suppression",
    "preexisting",
)
_BULKY = frozenset({"droid", "description"})


def finding_view(finding: Mapping[str, Any]) -> dict[str, Any]:
    """The keys worth reading, then a droid's own scalar extras (`subrule`, Apex's `value`/`limit`...)."""
    out = {k: finding[k] for k in FINDING_KEYS if finding.get(k) not in (None, False, "")}
    for key, value in finding.items():
        if key not in out and key not in FINDING_KEYS and key not in _BULKY and isinstance(value, str | int | float):
            out[key] = value
    return out


def report_view(document: Mapping[str, Any], *, listed: int = LISTED, rule: str | None = None) -> dict[str, Any]:
    """A `droid-report/1` document (report.json, or `json_report.to_dict`) as the model sees it."""
    findings = [f for f in document.get("findings", []) if rule is None or f.get("rule") == rule]
    active = [f for f in findings if not f.get("suppressed") and not f.get("preexisting")]
    accepted = [f for f in findings if f.get("suppressed") or f.get("preexisting")]
    shown = (active + accepted)[: max(0, listed)]
    return {
        "request": document.get("request", ""),
        "mode": document.get("mode"),
        "started_at": document.get("started_at"),
        "verdict": document.get("verdict"),
        "active_by_severity": document.get("summary", {}),
        "droids": [
            {k: d.get(k) for k in ("name", "status", "findings", "error", "notes") if d.get(k) not in (None, [])}
            for d in document.get("droids", [])
        ],
        "notes": list(document.get("notes", [])),
        "findings_total": len(findings),
        "findings_active": len(active),
        "findings": [finding_view(f) for f in shown],
        **({"findings_not_listed": len(findings) - len(shown)} if len(findings) > len(shown) else {}),
    }


def run_view(report: RunReport, *, listed: int = LISTED, rule: str | None = None) -> dict[str, Any]:
    """A report droid just computed, with each droid's own answer line (not in the JSON contract)."""
    from orchestrator.render.json_report import to_dict

    view = report_view(to_dict(report), listed=listed, rule=rule)
    view["block_at"] = report.block_at.value
    answers = {d.name: d.answer for d in report.droids if d.answer}
    for droid in view["droids"]:
        if droid["name"] in answers:
            droid["answer"] = answers[droid["name"]]
    view["routing"] = [{"droid": r.droid, "reasons": list(r.reasons)} for r in report.routing]
    return view
