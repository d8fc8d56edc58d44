"""The morning report assembled from stored results: audit reports written as `droid audit` writes them
(report.json with its audit-trail anchor), a real SQLite trail, the droids' sections via the registry."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from droids.core.audit.trail import open_store
from droids.core.manifest import Manifest
from droids.core.models import DroidReport, Finding, RunReport, Severity, fingerprint
from droids.core.registry import Registry, load_registry
from orchestrator.morning.build import build_morning
from orchestrator.render.json_report import render as to_json
from tests.conftest import REPO_ROOT


def _f(rule: str, droid: str, content: str) -> Finding:
    return Finding(rule=rule, droid=droid, severity=Severity.HIGH, title=rule, message=f"{rule} {content}",
                   path="a.py", line=1, fingerprint=fingerprint(rule, "a.py", content))  # fmt: skip


KEY, SAST, GAP = (_f("SEC001", "security-compliance", "key"), _f("SEC010", "security-compliance", "shell"),
                  _f("DATA010", "data-pipeline", "gap"))  # fmt: skip


def _store_audit(repo: Path, started: str, findings: list[Finding]) -> Path:
    """An audit as `droid audit` leaves it: a trail entry (counts by rule), then report.json quoting it."""
    report = RunReport(
        tool_version="0.1.0", mode="audit", profile="audit", repo=str(repo), started_at=started,
        droids=[DroidReport(name="security-compliance"), DroidReport(name="data-pipeline")], findings=findings,
        verdict="block" if findings else "pass",
    )  # fmt: skip
    with open_store(repo) as store:
        entry = store.append(kind="audit", profile="audit", verdict=report.verdict, who="os:ci", head=None,
                             counts=dict(Counter(f.rule for f in findings)),
                             details={"droids": {d.name: d.status for d in report.droids}})  # fmt: skip
    report.extra["audit_entry"] = {"seq": entry.seq, "hash": entry.hash}
    folder = repo / ".droid" / "reports" / started.replace("-", "").replace(":", "")
    folder.mkdir(parents=True)
    (folder / "report.json").write_text(to_json(report))
    return folder


def _build(repo: Path, registry: Registry | None = None, since: datetime | None = None):
    registry = registry if registry is not None else load_registry()  # an empty Registry is falsy
    now = datetime(2026, 3, 11, 7, 0, tzinfo=UTC)
    return build_morning(repo, REPO_ROOT / "policies", repo / ".droid", registry, Severity.HIGH, since=since, now=now)


@pytest.fixture
def repo(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DROID_AUDIT_URL", raising=False)
    return git_repo


def test_two_audits_one_finding_fixed_another_added(repo: Path) -> None:
    _store_audit(repo, "2026-03-09T06:30:00Z", [KEY, SAST])
    _store_audit(repo, "2026-03-10T06:30:00Z", [SAST, GAP])

    m = _build(repo)

    assert m.current is not None and m.current.started_at == "2026-03-10T06:30:00Z"
    c = m.changes
    assert c is not None and c.exact and c.previous_at == "2026-03-09T06:30:00Z" and c.previous_seq == 1
    by = {d.droid: d for d in c.droids}
    assert [f.rule for f in by["security-compliance"].fixed] == ["SEC001"] and by["security-compliance"].new == []
    assert [f.rule for f in by["data-pipeline"].new] == ["DATA010"] and by["data-pipeline"].fixed == []
    assert (c.new_total, c.fixed_total) == (1, 1)
    assert m.since == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # the period starts at the previous audit
    assert [s.key for s in m.sections] == ["security", "risk", "performance", "data", "monitoring", "devops"]


def test_without_the_previous_report_the_trail_counts_decide(repo: Path) -> None:
    shutil.rmtree(_store_audit(repo, "2026-03-09T06:30:00Z", [KEY, SAST]))  # a CI runner keeps no folder
    _store_audit(repo, "2026-03-10T06:30:00Z", [SAST, GAP])

    c = _build(repo).changes

    assert c is not None and not c.exact and c.previous_seq == 1
    assert {d.droid: (d.new_count, d.fixed_count) for d in c.droids} == {
        "security-compliance": (0, 1),
        "data-pipeline": (1, 0),
    }


def test_since_compares_with_the_audit_before_it(repo: Path) -> None:
    _store_audit(repo, "2026-03-08T06:30:00Z", [KEY])
    _store_audit(repo, "2026-03-09T06:30:00Z", [KEY, SAST])
    _store_audit(repo, "2026-03-10T06:30:00Z", [KEY, SAST, GAP])

    m = _build(repo, since=datetime(2026, 3, 9, tzinfo=UTC))

    assert m.changes is not None and m.changes.previous_at == "2026-03-08T06:30:00Z"
    assert (m.changes.new_total, m.changes.fixed_total) == (2, 0)
    assert m.since == datetime(2026, 3, 9, tzinfo=UTC)


def test_the_first_audit_has_nothing_to_compare_and_no_audit_still_renders(repo: Path) -> None:
    m = _build(repo)
    assert m.current is None and m.changes is None and len(m.sections) == 6
    _store_audit(repo, "2026-03-10T06:30:00Z", [KEY])
    m = _build(repo)
    assert m.current is not None and m.changes is None


def test_a_file_that_is_not_an_audit_report_is_skipped_and_named(repo: Path) -> None:
    _store_audit(repo, "2026-03-10T06:30:00Z", [KEY])
    bad = repo / ".droid" / "reports" / "junk" / "report.json"
    bad.parent.mkdir()
    bad.write_text("{not json")
    m = _build(repo)
    assert m.current is not None and m.notes == [f"skipped {bad}: line 1: malformed JSON: Expecting property name "
                                                 "enclosed in double quotes"]  # fmt: skip


def broken_section(ctx: object) -> list:
    raise ZeroDivisionError("division by zero")


def test_a_crashing_section_is_isolated_and_logged(repo: Path) -> None:
    registry = Registry(
        [], [Manifest(droid="tests.nowhere:Droid", services={"report-section": f"{__name__}:broken_section"})]
    )
    m = _build(repo, registry)
    (section,) = m.sections
    (problem,) = m.problems
    assert section.status == "attention" and section.headline.startswith("internal error: ZeroDivisionError")
    assert not problem.bad_input and (repo / ".droid" / "logs").is_dir()
