"""What the compliance report reads besides the audit trail and the Apex policy.

Open secret and SAST findings by age come from the audit reports `droid audit` already writes
(`.droid/reports/<UTC time>/report.json`, schema droid-report/1), not from a fresh scan: the report
then costs no scan, shows exactly what the last audit found, and can date each finding. A finding is
open when the newest audit report holds it unsuppressed; its age runs from the first audit report
that holds its fingerprint (fingerprints survive line moves) to now. Secret rules are SEC000-SEC009,
SAST rules SEC010-SEC019 (bandit's test id kept, e.g. `SEC010/B602`). A report folder written
elsewhere with `droid audit --out DIR` is not seen. Unreadable report files are skipped and named in
the report, never silently.

Scenario results come from `.droid/compliance/scenarios.json`, which the compliance-validation
check (CMP003, cmp003_scenarios.py) writes in `ci` and `audit` runs: a JSON list with one object per
scenario, of which the report reads `scenario` (name), `passed` (true/false), `violations` (list of
{rule, ...}), and if present `days` and `exempt` (list of {rule, why}); other keys are ignored. When
it was written is the file's modification time. Without the file the report says "not run".
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError

SCENARIOS_FILE = Path(".droid") / "compliance" / "scenarios.json"
REPORTS_GLOB = ".droid/reports/*/report.json"
DROID = "security-compliance"
FAMILIES = {"secret": re.compile(r"SEC00\d\b"), "SAST": re.compile(r"SEC01\d\b")}
AGE_BUCKETS = ((1, "under 1 day"), (8, "1-7 days"), (31, "8-30 days"), (None, "over 30 days"))


@dataclass(frozen=True)
class AgedFinding:
    family: str
    rule: str
    severity: str
    where: str
    message: str
    first_seen: str
    age_days: int

    @property
    def bucket(self) -> str:
        return next(label for limit, label in AGE_BUCKETS if limit is None or self.age_days < limit)


@dataclass
class OpenFindings:
    source: Path | None = None  # the newest audit report
    started_at: str = ""
    findings: list[AgedFinding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    passed: bool
    days: str
    violations: int
    rules: tuple[str, ...]
    exempt: tuple[str, ...]


def open_findings(repo: Path, now: datetime, reports: Sequence[Path] | None = None) -> OpenFindings:
    """Open secret and SAST findings of the newest audit report, each dated by its first report.
    `reports`: the audit report.json files to read (default: those under .droid/reports/)."""
    out, audits = OpenFindings(), []
    for path in sorted(repo.glob(REPORTS_GLOB)) if reports is None else reports:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("mode") != "audit":
                continue
            audits.append((_instant(doc["started_at"]), path, doc))
        except (OSError, ValueError, AttributeError, KeyError, TypeError) as exc:
            out.notes.append(f"skipped {_shown(path, repo)}: not a droid-report/1 audit report ({exc})")
    if not audits:
        return out
    audits.sort(key=lambda a: a[0])
    first_seen: dict[str, datetime] = {}
    for when, _, doc in audits:
        for f in _security_findings(doc):
            first_seen.setdefault(f["fingerprint"], when)
    newest, out.source, doc = audits[-1]
    out.started_at = newest.strftime("%Y-%m-%dT%H:%M:%SZ")
    status = next((d.get("status") for d in doc.get("droids", []) if d.get("name") == DROID), None)
    if status != "ok":
        out.notes.append(f"the {DROID} droid's status in that run was {status or 'absent'}: findings may be missing")
    for f in _security_findings(doc):
        if f.get("suppressed"):
            continue
        seen = first_seen[f["fingerprint"]]
        family = next(name for name, pattern in FAMILIES.items() if pattern.match(f["rule"]))
        where = f"{f.get('path') or '-'}:{f['line']}" if f.get("line") else (f.get("path") or "-")
        out.findings.append(
            AgedFinding(
                family=family,
                rule=f["rule"],
                severity=str(f.get("severity", "")),
                where=where,
                message=str(f.get("message", "")),
                first_seen=seen.strftime("%Y-%m-%d"),
                age_days=max(0, (now - seen).days),
            )
        )
    out.findings.sort(key=lambda f: (-f.age_days, f.family, f.rule, f.where))
    return out


def _shown(path: Path, repo: Path) -> str:
    return path.relative_to(repo).as_posix() if path.is_relative_to(repo) else str(path)


def _security_findings(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        f
        for f in doc.get("findings", [])
        if isinstance(f, dict)
        and isinstance(f.get("rule"), str)
        and isinstance(f.get("fingerprint"), str)
        and any(p.match(f["rule"]) for p in FAMILIES.values())
    ]


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"started_at {text!r} has no offset")
    return moment.astimezone(UTC)


def read_scenarios(repo: Path) -> tuple[str, list[ScenarioResult]] | None:
    """(written at, results) from the scenarios file, or None when it was not run; a malformed file
    is a DroidError naming the key."""
    path = repo / SCENARIOS_FILE
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        written = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DroidError(f"{path}: not readable JSON ({exc}); expected CMP003's list of scenario results") from None
    if not isinstance(doc, list):
        raise DroidError(f"{path}: expected a list of scenario results, got {type(doc).__name__}")
    return written, [_scenario(path, i, item) for i, item in enumerate(doc)]


def _scenario(path: Path, i: int, item: object) -> ScenarioResult:
    key = f"{path}: [{i}]"
    if not isinstance(item, dict):
        raise DroidError(f"{key}: expected an object with scenario, passed and violations")
    if not isinstance(item.get("scenario"), str) or not item["scenario"]:
        raise DroidError(f"{key}.scenario: expected a non-empty string")
    if not isinstance(item.get("passed"), bool):
        raise DroidError(f"{key}.passed: expected true or false, got {item.get('passed')!r}")
    lists = {}
    for name in ("violations", "exempt"):
        value = item.get(name, [])
        if not isinstance(value, list) or not all(
            isinstance(v, dict) and isinstance(v.get("rule"), str) for v in value
        ):
            raise DroidError(f"{key}.{name}: expected a list of objects with a rule")
        lists[name] = value
    days = item.get("days")
    return ScenarioResult(
        name=item["scenario"],
        passed=item["passed"],
        days=str(days) if isinstance(days, int) else "-",
        violations=len(lists["violations"]),
        rules=tuple(sorted({v["rule"] for v in lists["violations"]})),
        exempt=tuple(sorted({v["rule"] for v in lists["exempt"]})),
    )
