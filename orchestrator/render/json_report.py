"""The `droid-report/1` JSON report, exactly as CONTRACT.md shows it.

Keys come in the contract's order so two runs with the same results give the same bytes. Findings
keep every key a droid added (e.g. `event_index`, `ts`, `value`, `limit`, `trading_day` for Apex
violations) and `RunReport.extra` (e.g. the `apex` object) is merged at the top level.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import to_jsonable_python

from droids.core.models import RunReport
from orchestrator.render._common import findings_per_droid


def to_dict(report: RunReport) -> dict[str, Any]:
    per_droid = findings_per_droid(report)
    document: dict[str, Any] = {
        "schema": report.schema_,
        "tool": {"name": "droid", "version": report.tool_version},
        "mode": report.mode,
        "request": report.request,
        "repo": report.repo,
        "started_at": report.started_at,
        "duration_ms": report.duration_ms,
        "routing": [{"droid": r.droid, "reasons": list(r.reasons)} for r in report.routing],
        "droids": [
            {
                "name": d.name,
                "status": d.status,
                "duration_ms": d.duration_ms,
                "findings": per_droid[d.name],
                "metrics": to_jsonable_python(d.metrics),
                "error": d.error,
                "notes": list(d.notes),
            }
            for d in report.droids
        ],
        "findings": [f.model_dump(mode="json") for f in report.findings],
        "notes": list(report.notes),
        "summary": report.summary(),
        "verdict": report.verdict,
    }
    clashes = sorted(document.keys() & report.extra.keys())
    if clashes:
        # A silent overwrite would change the contract's meaning of a key; this is a bug in the caller.
        raise ValueError(f"RunReport.extra key {clashes[0]!r} clashes with a droid-report/1 key")
    document.update(to_jsonable_python(report.extra))
    return document


def render(report: RunReport) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
