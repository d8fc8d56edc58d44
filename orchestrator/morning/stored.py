"""Audit reports as `droid audit` stores them: `.droid/reports/<UTC time>/report.json` (droid-report/1).

Only reports of `mode: audit` count. A file that is not a droid-report/1 audit report is skipped with
a note naming it, never silently; a report that is chosen but whose findings do not validate is bad
input naming the file and the finding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from droids.core.models import DroidReport, Finding, RoutingDecision, RunReport, Severity
from orchestrator.errors import OrchestratorError

REPORTS = "reports"
# droid-report/1 keys that map to RunReport fields; every other top-level key is `extra`
_CONTRACT = {"schema", "tool", "mode", "request", "repo", "started_at", "duration_ms", "routing", "droids",
             "findings", "notes", "summary", "verdict"}  # fmt: skip


@dataclass(frozen=True)
class StoredAudit:
    path: Path
    doc: dict[str, Any]
    started_at: datetime

    @property
    def anchor(self) -> tuple[int, str] | None:
        """The audit trail entry this run wrote (`audit_entry`: seq, hash), if any."""
        entry = self.doc.get("audit_entry")
        if isinstance(entry, dict) and isinstance(entry.get("seq"), int) and isinstance(entry.get("hash"), str):
            return entry["seq"], entry["hash"]
        return None


def read_audit(path: Path) -> StoredAudit | None:
    """The audit report at `path`; None when it is a report of another mode. Raises ValueError (with
    why) when it is not a droid-report/1 document."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"unreadable ({exc.__class__.__name__})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {exc.lineno}: malformed JSON: {exc.msg}") from None
    if not isinstance(doc, dict) or doc.get("schema") != "droid-report/1":
        raise ValueError("not a droid-report/1 document")
    if doc.get("mode") != "audit":
        return None
    try:
        started = datetime.fromisoformat(str(doc["started_at"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        raise ValueError("started_at: expected an ISO-8601 UTC time") from None
    if started.tzinfo is None:
        raise ValueError("started_at: expected a time with an offset")
    return StoredAudit(path, doc, started.astimezone(UTC))


def stored_audits(state_dir: Path, also: Path | None = None) -> tuple[list[StoredAudit], list[str]]:
    """Every audit report under `<state_dir>/reports/` (and `also`, a report written elsewhere with
    --out), oldest first; and a note for each file skipped."""
    paths = sorted((state_dir / REPORTS).glob("*/report.json"))
    if also is not None and also.resolve() not in {p.resolve() for p in paths}:
        paths.append(also)
    found, notes = [], []
    for path in paths:
        try:
            audit = read_audit(path)
        except ValueError as exc:
            notes.append(f"skipped {path}: {exc}")
            continue
        if audit is not None:
            found.append(audit)
    found.sort(key=lambda a: (a.started_at, str(a.path)))
    return found, notes


def run_report(audit: StoredAudit, block_at: Severity) -> RunReport:
    """The stored report as the `RunReport` the renderers read (the verdict is the stored one)."""
    doc = audit.doc
    try:
        findings = []
        for i, f in enumerate(doc.get("findings", [])):
            try:
                findings.append(Finding.model_validate(f))
            except ValidationError as exc:
                raise OrchestratorError(f"{audit.path}: findings[{i}]: {_first(exc)}") from None
        return RunReport(
            tool_version=str((doc.get("tool") or {}).get("version", "?")),
            mode="audit",
            profile="audit",
            request=str(doc.get("request", "")),
            repo=str(doc.get("repo", "")),
            started_at=str(doc["started_at"]),
            duration_ms=int(doc.get("duration_ms", 0)),
            routing=[RoutingDecision(droid=r["droid"], reasons=tuple(r["reasons"])) for r in doc.get("routing", [])],
            droids=[_droid(d) for d in doc.get("droids", [])],
            findings=findings,
            block_at=block_at,
            verdict=doc.get("verdict", "pass"),
            notes=list(doc.get("notes", [])),
            extra={k: v for k, v in doc.items() if k not in _CONTRACT},
        )
    except (KeyError, TypeError, ValueError) as exc:
        detail = _first(exc) if isinstance(exc, ValidationError) else f"{exc.__class__.__name__}: {exc}"
        raise OrchestratorError(f"{audit.path}: not a droid-report/1 audit report ({detail})") from None


def _droid(d: dict[str, Any]) -> DroidReport:
    return DroidReport(
        name=d["name"],
        status=d.get("status", "ok"),
        duration_ms=int(d.get("duration_ms", 0)),
        metrics=d.get("metrics") or {},
        notes=list(d.get("notes") or []),
        error=d.get("error"),
    )


def _first(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else err["msg"]
