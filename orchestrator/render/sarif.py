"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers; tests validate it against the schema.

Library choice: sarif-pydantic (0.6.x, pydantic v2, maintained at pixee, which moved its
codemodder onto it in 2025) rather than sarif-om (Microsoft; attrs classes generated from the schema,
last released in 2019; no serializer of its own, and defaults such as `kind="fail"`, `rank=-1.0`,
`ruleIndex=-1` that must be stripped by hand). sarif-pydantic builds on pydantic, which the project
already loads, costs about 0.12 s to import on top of it (paid only when SARIF is asked for), and
serialises to camelCase. Its gaps are filled by small subclasses below: its `Result.suppression` (singular) and
`Suppression.status` are not in the schema (the schema has `suppressions` and `state`, and a result
allows no other keys), and its `Invocation` lacks `toolExecutionNotifications`. Its models accept
unknown keys (extra="allow"), so a misspelt field would not raise: the schema test is the guard.

Mapping: one run; every rule of the routed droids (plus any rule a finding names that no droid
declared) is a `reportingDescriptor`; critical/high -> error, medium -> warning, low/info -> note.
A finding without a path gets no location (the schema allows it; note that GitHub's upload rejects
a whole file with such a result, so droids that gate in CI should always name a path).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any, Literal
from urllib.parse import quote

from sarif_pydantic import (
    ArtifactLocation,
    Invocation,
    Level,
    Location,
    Message,
    PhysicalLocation,
    Region,
    ReportingConfiguration,
    ReportingDescriptor,
    Result,
    Run,
    Sarif,
    Tool,
    ToolDriver,
)
from sarif_pydantic.sarif import Notification, SarifBaseModel

from droids.core.models import Finding, RuleSpec, RunReport, Severity
from orchestrator.render._common import droid_problem, extra_fields

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "droidFingerprint/v1"

LEVELS = {
    Severity.CRITICAL: Level.ERROR,
    Severity.HIGH: Level.ERROR,
    Severity.MEDIUM: Level.WARNING,
    Severity.LOW: Level.NOTE,
    Severity.INFO: Level.NOTE,
}


class _Suppression(SarifBaseModel):
    kind: Literal["inSource", "external"]
    justification: str | None = None


class _Result(Result):
    suppressions: list[_Suppression] | None = None


class _Invocation(Invocation):
    tool_execution_notifications: list[Notification] | None = None


def _friendly_name(title: str, fallback: str) -> str:
    """`Hard-coded secret` -> `HardCodedSecret` (SARIF's reportingDescriptor.name convention)."""
    words = re.findall(r"[A-Za-z0-9]+", title)
    return "".join(w[0].upper() + w[1:] for w in words) or fallback


def _descriptor(rule: RuleSpec) -> ReportingDescriptor:
    help_text = rule.description or rule.title
    if rule.fix:
        help_text += f"\n\nFix: {rule.fix}"
    return ReportingDescriptor(
        id=rule.id,
        name=_friendly_name(rule.title, rule.id),
        short_description=Message(text=rule.title or rule.id),
        full_description=Message(text=rule.description or rule.title or rule.id),
        help=Message(text=help_text or rule.id),
        default_configuration=ReportingConfiguration(level=LEVELS[rule.severity].value),
        properties={"droid": rule.droid, "severity": rule.severity.value},
    )


def _rules(report: RunReport) -> list[RuleSpec]:
    """Declared rules first, then any rule a finding names that no routed droid declared."""
    seen: dict[str, RuleSpec] = {}
    for rule in report.rules:
        seen.setdefault(rule.id, rule)
    for f in report.findings:
        if f.rule not in seen:
            seen[f.rule] = RuleSpec(id=f.rule, droid=f.droid, severity=f.severity, title=f.title, description=f.title)
    return list(seen.values())


def _location(f: Finding) -> list[Location] | None:
    if not f.path:
        return None
    uri = quote(f.path, safe="/")
    region = Region(start_line=f.line) if f.line is not None and f.line >= 1 else None
    artifact = ArtifactLocation(uri=uri, uri_base_id=SRCROOT)
    return [Location(physical_location=PhysicalLocation(artifact_location=artifact, region=region))]


def _result(f: Finding, rule_index: int) -> _Result:
    properties: dict[str, Any] = {"droid": f.droid, "severity": f.severity.value, "title": f.title}
    for key in ("evidence", "commit"):
        if getattr(f, key) is not None:
            properties[key] = getattr(f, key)
    if f.fix:
        properties["fix"] = f.fix
    properties.update({k: v for k, v in extra_fields(f).items() if v is not None})
    suppressions = [_Suppression(kind="external", justification=f.suppression)] if f.suppressed else None
    return _Result(
        rule_id=f.rule,
        rule_index=rule_index,
        level=LEVELS[f.severity],
        message=Message(text=f.message or f.title),
        locations=_location(f),
        partial_fingerprints={FINGERPRINT_KEY: f.fingerprint},
        suppressions=suppressions,
        properties=properties,
    )


def _invocation(report: RunReport) -> _Invocation:
    failed = report.failed_droids()
    notifications = [
        Notification(
            level=Level.ERROR, message=Message(text=f"{d.name}: {droid_problem(d)}"), properties={"droid": d.name}
        )
        for d in failed
    ]
    try:
        start = datetime.fromisoformat(report.started_at)
    except ValueError:
        start = None
    return _Invocation(
        execution_successful=not failed,
        start_time_utc=start,
        end_time_utc=start + timedelta(milliseconds=report.duration_ms) if start else None,
        tool_execution_notifications=notifications or None,
    )


def to_dict(report: RunReport) -> dict[str, Any]:
    rules = _rules(report)
    index = {rule.id: i for i, rule in enumerate(rules)}
    repo = PurePath(report.repo)
    base_ids = {SRCROOT: ArtifactLocation(uri=repo.as_uri().rstrip("/") + "/")} if repo.is_absolute() else None
    run = Run(
        tool=Tool(driver=ToolDriver(name="droid", version=report.tool_version, rules=[_descriptor(r) for r in rules])),
        invocations=[_invocation(report)],
        original_uri_base_ids=base_ids,
        results=[_result(f, index[f.rule]) for f in report.findings],
        properties={
            "mode": report.mode,
            "profile": report.profile,
            "verdict": report.verdict,
            "blockAt": report.block_at.value,
        },
    )
    # serialize_as_any: the library's fields are typed with its own classes, so without it pydantic
    # would drop the fields our subclasses add (suppressions, toolExecutionNotifications).
    log = Sarif(version="2.1.0", runs=[run]).model_dump(
        mode="json", by_alias=True, exclude_none=True, serialize_as_any=True
    )
    return {"$schema": SCHEMA_URI, **log}


def render(report: RunReport) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
