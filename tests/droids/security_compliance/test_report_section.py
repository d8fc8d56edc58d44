"""The security section of the morning report: the compliance report's content, open findings by age
as a chart, secrets in git history, approvals of the period; from real stored audit reports and a real
SQLite audit trail, reached through the registry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from droids.core.audit.trail import open_store
from droids.core.registry import load_registry
from droids.core.report_section import BarChart, SectionContext
from droids.security_compliance.access.approval_entries import approval_details, record_approval
from tests.conftest import REPO_ROOT
from tests.droids.security_compliance.compliance.test_report import _audit_report, _finding

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _build(repo: Path, since: datetime | None = None):
    (build,) = [b for b in load_registry().all_services("report-section") if b.__module__.startswith("droids.secur")]
    reports = tuple(sorted((repo / ".droid" / "reports").glob("*/report.json")))
    ctx = SectionContext(repo, REPO_ROOT / "policies", repo / ".droid", NOW, since=since, audit_reports=reports)
    (section,) = build(ctx)
    return section, {b.heading: b for b in section.blocks}


def _history_finding(path: str, still: bool) -> dict:
    return {
        **_finding("SEC002", path, 3, f"history {path}"),
        "commit": "a" * 40,
        "date": "2026-01-05T10:00:00+00:00",
        "still_at_head": still,
        "secret_types": ["AWS Access Key"],
    }


def _approve(repo: Path, key: str) -> None:
    with open_store(repo) as store:
        details = approval_details(
            path="policies/apex.yaml", key=key, old="10", new="8", approver="risk@example.com", commit="c" * 40,
            via="trailer",
        )  # fmt: skip
        record_approval(store, details, who="git:dev@example.com", profile="pre-commit", head=None)


def test_a_repository_with_findings_history_and_an_approval(git_repo: Path) -> None:
    sast = _finding("SEC010", "trading_core/x.py", 4, "subprocess shell")
    _audit_report(git_repo, "20261101T063000Z", NOW - timedelta(days=20), [sast])
    secret = _finding("SEC001", "trading_core/y.py", 9, "key y")
    _audit_report(
        git_repo, "20261121T063000Z", NOW - timedelta(hours=5),
        [sast, secret, _history_finding("old/config.py", True), _history_finding("gone.py", False)],
    )  # fmt: skip
    _approve(git_repo, "rulesets.seed.drawdown.percent")

    section, blocks = _build(git_repo)

    assert (section.key, section.droid, section.status) == ("security", "security-compliance", "attention")
    assert section.headline.startswith("4 open secret/SAST findings (oldest 20 days); 2 secrets in git history")
    assert "1 approved protected change in the period" in section.headline
    assert section.headline.endswith("audit trail intact.")
    (chart,) = blocks["Open secret and SAST findings by age"].charts
    assert isinstance(chart, BarChart)
    assert {s.name: s.values for s in chart.series} == {"secret": (3.0, 0.0, 0.0, 0.0), "SAST": (0.0, 0.0, 1.0, 0.0)}
    history = blocks["Secrets in git history (SEC002)"]
    assert history.status == "attention" and history.lines[0].startswith("2 secrets in git history, 1 still at HEAD")
    assert [(r[1], r[2], r[4]) for r in history.tables[0].rows] == [
        ("old/config.py:3", "a" * 10, "yes"),
        ("gone.py:3", "a" * 10, "no"),
    ]
    assert list(blocks)[:3] == [
        "Open secret and SAST findings by age",
        "Secrets in git history (SEC002)",
        "Protected-parameter changes and approvals",
    ]
    assert "Apex rules in force" in " ".join(blocks)  # the whole compliance report is here


def test_the_period_keeps_only_its_approvals(git_repo: Path) -> None:
    _approve(git_repo, "rulesets.seed.drawdown.percent")
    _, blocks = _build(git_repo, since=datetime.now(UTC) + timedelta(days=1))
    assert blocks["Protected-parameter changes and approvals"].tables == []


def test_no_audit_yet_says_so(git_repo: Path) -> None:
    section, blocks = _build(git_repo)
    assert section.headline.startswith("no audit report yet;")
    assert blocks["Secrets in git history (SEC002)"].lines == [
        "No audit report: `droid audit` scans the history (SEC002)."
    ]
    assert blocks["Open secret and SAST findings by age"].charts == []
