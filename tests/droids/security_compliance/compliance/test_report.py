"""`droid security report`: real trails (both stores), real policies, real report files parsed back."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from droids.core.audit.ingest import ingest_trading_events
from droids.core.errors import DroidError
from droids.core.models import Finding, Severity, fingerprint
from droids.security_compliance.access.approval_entries import approval_details, record_approval
from droids.security_compliance.compliance.report import write_compliance_report
from tests import secret_values as sv
from tests.conftest import REPO_ROOT, git
from tests.droids.core.audit.backends import BACKENDS, Backend, make_backend
from trading_core.errors import TradingCoreError

POLICIES = REPO_ROOT / "policies"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Backend]:
    for b in make_backend(request.param, git_repo):
        monkeypatch.setenv("DROID_AUDIT_URL", b.url)  # the report finds the trail as every command does
        yield b


# --- reading the files back -----------------------------------------------------------------------


def md_sections(text: str) -> dict[str, dict]:
    """Markdown -> {title: {"badge", "lines", "tables": [[{header: cell}]]}}."""
    out: dict[str, dict] = {}
    for chunk in text.split("\n## ")[1:]:
        head, *body = chunk.split("\n")
        title, _, badge = head.partition(" (")
        section = out[title] = {"badge": badge.rstrip(")"), "lines": [], "tables": []}
        rows: list[list[str]] = []
        for line in [*body, ""]:
            if line.startswith("|"):
                cells = re.split(r"(?<!\\)\|", line)[1:-1]
                rows.append([unescape(c.strip().replace("\\|", "|").replace("\\\\", "\\")) for c in cells])
            elif rows:
                section["tables"].append([dict(zip(rows[0], r, strict=True)) for r in rows[2:]])
                rows = []
            elif line:
                section["lines"].append(unescape(line))
    return out


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.tags: list[tuple[str, dict]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(text: str) -> tuple[list[list[dict[str, str]]], list[tuple[str, dict]]]:
    parser = _Tables()
    parser.feed(text)
    tables = [[dict(zip(t[0], r, strict=True)) for r in t[1:]] for t in parser.tables]
    return tables, parser.tags


# --- building a repository's record ---------------------------------------------------------------


def _finding(rule: str, path: str, line: int, content: str, *, suppressed: bool = False) -> dict:
    return Finding(
        rule=rule,
        droid="security-compliance" if rule.startswith("SEC") else "apex",
        severity=Severity.HIGH,
        title=rule,
        message=f"{rule} at {path}",
        path=path,
        line=line,
        fingerprint=fingerprint(rule, path, content),
        suppressed=suppressed,
    ).model_dump(mode="json")


def _audit_report(repo: Path, folder: str, started: datetime, findings: list[dict], mode: str = "audit") -> None:
    doc = {
        "schema": "droid-report/1",
        "mode": mode,
        "started_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "droids": [{"name": "security-compliance", "status": "ok"}],
        "findings": findings,
    }
    path = repo / ".droid" / "reports" / folder / "report.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))


def _scenarios(repo: Path, doc: object) -> None:
    path = repo / ".droid" / "compliance" / "scenarios.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))


def _record(backend: Backend, tmp_path: Path, *, approver: str = "risk@example.com", reason: str = "") -> None:
    with backend.open() as store:
        for kind, verdict in (("gate", "pass"), ("gate", "block"), ("audit", "pass"), ("gate", "pass")):
            store.append(kind=kind, profile="ci", verdict=verdict, counts={}, who="os:ci", head=None)
        record_approval(
            store,
            approval_details(
                path="policies/apex.yaml",
                key="rulesets.seed.drawdown.percent",
                old="10",
                new="8",
                approver=approver,
                commit="c" * 40,
                via="trailer",
            ),
            who="git:dev@example.com",
            profile="pre-commit",
            head=None,
        )
        events = tmp_path / "events.jsonl"
        halt = {"kind": "halt", "state": "HALTED", "rule": "APX007", "reason": reason or "daily loss limit reached"}
        lines = [
            {**halt, "ts": "2026-03-09T15:30:00-04:00"},
            {**halt, "ts": "2026-03-11T15:30:00-04:00"},
            {"ts": "2026-03-11T19:45:00Z", "kind": "kill_switch", "state": "HALTED", "reason": "operator stop"},
        ]
        events.write_text("".join(json.dumps(e) + "\n" for e in lines))
        ingest_trading_events(store, events, who="os:ops", head=None)


def _write(
    repo: Path, policies: Path = POLICIES, since: str | None = None, now: datetime | None = NOW
) -> tuple[dict, str, str]:
    paths = write_compliance_report(repo, policies, repo / "out", since, now=now)
    assert [p.name for p in paths] == ["report.md", "report.html"]
    md, page = (p.read_text(encoding="utf-8") for p in paths)
    return md_sections(md), md, page


# --- the tests ------------------------------------------------------------------------------------


def test_everything_recorded_appears_in_both_files(backend: Backend, git_repo: Path, tmp_path: Path) -> None:
    _record(backend, tmp_path)
    _scenarios(  # CMP003's shape (cmp003_scenarios.py), trimmed to the keys the report reads plus one it ignores
        git_repo,
        [
            {"scenario": "baseline-week", "days": 5, "passed": True, "violations": [], "exempt": [], "seed": 7},
            {
                "scenario": "late-crash-every-day",
                "days": 5,
                "passed": False,
                "violations": [{"rule": "APX002", "message": "m"}, {"rule": "APX001", "message": "m"}],
                "exempt": [{"rule": "APX004", "why": "arithmetic"}],
            },
        ],
    )
    _audit_report(git_repo, "20261101T000000Z", NOW - timedelta(days=20), [_finding("SEC001", "cfg.py", 3, "k1")])
    sections, md, page = _write(git_repo)

    trail = sections["Audit trail"]
    assert trail["badge"] == "OK" and trail["lines"][0].startswith("Hash chain intact: 8 entries, newest 8 ")
    assert trail["tables"][0] == [
        {"run": "audit", "verdict": "pass", "entries in the period": "1"},
        {"run": "gate", "verdict": "block", "entries in the period": "1"},
        {"run": "gate", "verdict": "pass", "entries in the period": "2"},
    ]
    apex = {r["rule"]: r["in force"] for r in sections["Apex rules in force"]["tables"][0]}
    assert apex["trailing drawdown"].startswith("10 % of the equity high-water mark; moves intraday")
    assert apex["daily deadline"].startswith("flat by 16:59 America/New_York")
    assert apex["entry cutoff"].startswith("no new or larger positions from 16:45")
    assert apex["consistency"] == "best trading day at most 30 % of total profit"
    assert apex["contracts"].startswith("at most 10 ")
    scenarios = sections["Scenario results"]
    assert scenarios["badge"] == "ATTENTION"
    assert re.fullmatch(
        r"1 of 2 scenarios passed \(results of \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)\.", scenarios["lines"][0]
    )
    assert scenarios["tables"][0] == [
        {"scenario": "late-crash-every-day", "result": "FAIL", "days": "5", "violations": "2",
         "rules broken": "APX001, APX002", "exempt rules": "APX004"},
        {"scenario": "baseline-week", "result": "pass", "days": "5", "violations": "0", "rules broken": "-",
         "exempt rules": "-"},
    ]  # fmt: skip
    (approval,) = sections["Protected-parameter changes and approvals"]["tables"][0]
    assert approval["parameter"] == "policies/apex.yaml:rulesets.seed.drawdown.percent"
    assert (approval["old -> new"], approval["approved by"], approval["via"]) == (
        "10 -> 8",
        "risk@example.com",
        "trailer",
    )
    assert (approval["commit"], approval["gate run by"]) == ("c" * 12, "git:dev@example.com")
    halts = sections["Halts and kill-switch events"]
    assert halts["badge"] == "ATTENTION" and halts["lines"] == ["2 halts, 1 kill-switch events."]
    assert [(h["time (UTC)"][:16], h["event"], h["rule"]) for h in halts["tables"][0]] == [
        ("2026-03-09T19:30", "halt", "APX007"),
        ("2026-03-11T19:30", "halt", "APX007"),
        ("2026-03-11T19:45", "kill_switch", "-"),
    ]
    findings = sections["Open secret and SAST findings by age"]
    assert findings["tables"][0][0] == {
        "family": "secret", "under 1 day": "0", "1-7 days": "0", "8-30 days": "1", "over 30 days": "0", "open": "1",
    }  # fmt: skip

    tables, tags = html_tables(page)  # the HTML page says the same, table for table
    md_tables = [t for s in sections.values() for t in s["tables"]]
    assert tables == md_tables
    assert not [t for t, a in tags if t in ("script", "link", "img", "iframe") or "src" in a or "href" in a]
    assert "<style>" in page and md.count("\n## ") == 6


def test_values_are_escaped_in_both_files(backend: Backend, git_repo: Path, tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> | <b>x</b>"
    _record(backend, tmp_path, approver=hostile, reason="halted <img src=x onerror=alert(1)> | a|b")
    sections, md, page = _write(git_repo)
    (approval,) = sections["Protected-parameter changes and approvals"]["tables"][0]
    assert approval["approved by"] == hostile  # the table kept its columns; the text reads back as written
    assert "<script>" not in md and "<script>" not in page and "<img" not in page
    tables, tags = html_tables(page)
    assert {t for t, _ in tags} <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "div", "p", "span",
                                    "table", "thead", "tbody", "tr", "th", "td"}  # fmt: skip
    assert any(row.get("approved by") == hostile for table in tables for row in table)  # unescaped back to the text
    assert any(row.get("reason") == "halted <img src=x onerror=alert(1)> | a|b" for table in tables for row in table)


def test_period_keeps_approvals_by_record_time_and_events_by_event_time(
    backend: Backend, git_repo: Path, tmp_path: Path
) -> None:
    _record(backend, tmp_path)
    sections, _, _ = _write(git_repo, since="2026-03-10")
    halts = sections["Halts and kill-switch events"]["tables"][0]
    assert [h["time (UTC)"][:10] for h in halts] == ["2026-03-11", "2026-03-11"]
    assert len(sections["Protected-parameter changes and approvals"]["tables"][0]) == 1  # recorded today
    later, _, _ = _write(git_repo, since="2999-01-01")
    assert later["Protected-parameter changes and approvals"]["lines"] == [
        "No protected-parameter change was approved in the period."
    ]
    assert later["Audit trail"]["lines"][1] == "No gate or audit runs in the period."
    assert later["Audit trail"]["lines"][0].startswith("Hash chain intact: 8 entries")  # verify covers everything


def test_a_tampered_trail_is_reported_broken(backend: Backend, git_repo: Path, tmp_path: Path) -> None:
    _record(backend, tmp_path)
    backend.tamper("UPDATE audit_entries SET verdict = 'pass' WHERE seq = 2")
    sections, _, _ = _write(git_repo)
    trail = sections["Audit trail"]
    assert trail["badge"] == "ATTENTION"
    assert trail["lines"][0] == (
        "Hash chain BROKEN: entry 2: content changed (hash mismatch). Run `droid audit-log verify` and investigate."
    )


def test_nothing_recorded_yet_says_so(git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DROID_AUDIT_URL", raising=False)
    empty_policies = tmp_path / "policies"
    empty_policies.mkdir()
    sections, _, _ = _write(git_repo, empty_policies)
    assert sections["Audit trail"]["lines"] == ["No audit trail yet: nothing has been gated or audited."]
    assert sections["Apex rules in force"]["lines"] == [
        "From droid's built-in apex.yaml: this repository has no policies/apex.yaml of its own."
    ]
    assert sections["Scenario results"]["lines"] == [
        "not run: no .droid/compliance/scenarios.json (compliance validation)"
    ]
    assert sections["Open secret and SAST findings by age"]["lines"] == [
        "No audit report under .droid/reports/: run `droid audit` first."
    ]
    assert {s["badge"] for t, s in sections.items() if t != "Protected-parameter changes and approvals"} >= {"NO DATA"}
    assert not (git_repo / ".droid" / "audit.db").exists()  # reporting writes nothing to the trail


def test_the_policy_in_force_is_what_the_trading_core_loads(git_repo: Path, tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(POLICIES, policies)
    apex = policies / "apex.yaml"
    apex.write_text(
        apex.read_text().replace(
            "default: {ruleset: seed, account: 50k}", "default: {ruleset: apex-4.0, account: 100k}"
        )
    )
    sections, _, _ = _write(git_repo, policies)
    rows = {r["rule"]: r["in force"] for r in sections["Apex rules in force"]["tables"][0]}
    assert rows["rule set"].startswith("apex-4.0: Apex 4.0 EOD-trail")
    assert rows["trailing drawdown"] == (
        "$3,000.00 below the equity high-water mark; moves at the session close; "
        "stops trailing at starting balance + $100.00"
    )
    assert rows["contracts"] == "at most 14 (micros count their contract weight); 7 until the threshold stops trailing"
    assert rows["consistency"] == "best trading day below 50 % of total profit"
    assert rows["daily loss limit"] == "$1,500.00"


def test_a_broken_policy_is_the_trading_cores_one_line_error(git_repo: Path, tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    shutil.copytree(POLICIES, policies)
    (policies / "apex.yaml").write_text(
        (POLICIES / "apex.yaml").read_text().replace("max_contracts: 10", "max_contracts: -1")
    )
    with pytest.raises(TradingCoreError, match=r"apex\.yaml:\d+: accounts\.50k\.max_contracts"):
        _write(git_repo, policies)
    assert not (git_repo / "out").exists()


def test_findings_are_dated_by_the_first_audit_that_saw_them(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DROID_AUDIT_URL", raising=False)
    old, new, sast = ("SEC001", "a.py", 1, "k-old"), ("SEC001", "b.py", 9, "k-new"), ("SEC010/B602", "run.py", 4, "sh")
    _audit_report(git_repo, "20261001T000000Z", NOW - timedelta(days=45), [_finding(*old)])
    _audit_report(git_repo, "20261110T000000Z", NOW - timedelta(days=11), [_finding(*old), _finding(*sast)])
    _audit_report(git_repo, "20261119T000000Z", NOW - timedelta(days=2), [], mode="gate")  # not an audit: ignored
    _audit_report(
        git_repo,
        "20261121T000000Z",
        NOW - timedelta(hours=3),
        [
            _finding("SEC001", "a.py", 2, "k-old"),  # moved a line: same fingerprint, same age
            _finding(*new),
            _finding(*sast),
            _finding("SEC001", "c.py", 1, "k-ok", suppressed=True),
            _finding("APX001", "journal.csv", 5, "x"),
        ],
    )
    broken = git_repo / ".droid" / "reports" / "20261120T000000Z" / "report.json"
    broken.parent.mkdir()
    broken.write_text("{truncated")
    sections, _, _ = _write(git_repo)
    section = sections["Open secret and SAST findings by age"]
    assert section["badge"] == "ATTENTION"
    assert (
        section["lines"][0]
        == "From the newest audit report, .droid/reports/20261121T000000Z/report.json (2026-11-21T09:00:00Z)."
    )
    assert section["lines"][1].startswith("skipped .droid/reports/20261120T000000Z/report.json: not a droid-report/1")
    by_age, detail = section["tables"]
    assert [(r["family"], r["under 1 day"], r["8-30 days"], r["over 30 days"], r["open"]) for r in by_age] == [
        ("secret", "1", "0", "1", "2"),
        ("SAST", "0", "1", "0", "1"),
    ]
    assert [(r["rule"], r["where"], r["first seen"], r["age (days)"]) for r in detail] == [
        ("SEC001", "a.py:2", "2026-10-07", "45"),
        ("SEC010/B602", "run.py:4", "2026-11-10", "11"),
        ("SEC001", "b.py:9", "2026-11-21", "0"),
    ]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"scenarios": []}, "expected a list of scenario results, got dict"),
        ([{"passed": True}], r"\[0\]\.scenario: expected a non-empty string"),
        ([{"scenario": "a", "passed": "yes"}], r"\[0\]\.passed: expected true or false, got 'yes'"),
        ([{"scenario": "a", "passed": False, "violations": 2}], r"\[0\]\.violations: expected a list of objects"),
        ([{"scenario": "a", "passed": False, "exempt": [{"why": "x"}]}], r"\[0\]\.exempt: expected a list"),
        ([{"scenario": "a", "passed": True}, 3], r"\[1\]: expected an object"),
    ],
)
def test_a_malformed_scenarios_file_names_the_key(git_repo: Path, doc: object, message: str) -> None:
    _scenarios(git_repo, doc)
    with pytest.raises(DroidError, match=message) as err:
        _write(git_repo)
    assert str(err.value).startswith(str(git_repo / ".droid" / "compliance" / "scenarios.json"))


def test_a_real_scenario_result_is_read_as_cmp003_writes_it(git_repo: Path, tmp_path: Path) -> None:
    """One real simulated scenario (the two-day smoke run) through the suite CMP003 runs."""
    from droids.security_compliance.compliance.scenarios import SCENARIOS, run_scenario

    smoke = next(s for s in SCENARIOS if s.quick)
    _scenarios(git_repo, [run_scenario(smoke, POLICIES, tmp_path / "sim")])
    (row,) = _write(git_repo)[0]["Scenario results"]["tables"][0]
    assert (row["scenario"], row["days"], row["exempt rules"]) == (smoke.name, str(smoke.days), "-")
    assert row["result"] in ("pass", "FAIL") and row["violations"].isdigit()


@pytest.mark.parametrize("since", ["2026-13-01", "last week", "2026-03-10T10:00:00+02:00", "20260310"])
def test_a_bad_period_is_refused(git_repo: Path, since: str) -> None:
    with pytest.raises(DroidError, match=f"--since {re.escape(since)}: expected a date YYYY-MM-DD"):
        _write(git_repo, since=since)


@pytest.mark.slow
def test_end_to_end_a_real_audit_reports_a_committed_key(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`droid audit` writes the report the compliance report reads; the key's value never shows."""
    from tests.orchestrator.cli.helpers import droid

    monkeypatch.delenv("DROID_AUDIT_URL", raising=False)
    key = sv.aws_access_key(11)
    (git_repo / "settings.py").write_text(f'BROKER = "tradovate"\nAWS_ACCESS_KEY_ID = "{key}"\n')
    git(git_repo, "add", "settings.py")
    git(git_repo, "commit", "-q", "-m", "settings")
    result = droid("audit", "--out", str(git_repo / ".droid" / "reports" / "20261121T000000Z"), cwd=git_repo)
    assert result.code == 1, result.err
    sections, md, page = _write(git_repo, now=None)  # the real clock, as the audit's
    detail = sections["Open secret and SAST findings by age"]["tables"][1]
    rows = [(r["family"], r["rule"], r["where"], r["age (days)"]) for r in detail]
    # the key is open in the tree (SEC001) and in history (SEC002); SEC003 adds a .gitignore note
    assert [r for r in rows if r[1] in ("SEC001", "SEC002")] == [
        ("secret", "SEC001", "settings.py:2", "0"),
        ("secret", "SEC002", "settings.py:2", "0"),
    ]
    assert sections["Audit trail"]["lines"][0].startswith("Hash chain intact: 1 entries")  # the audit run itself
    assert key not in md and key not in page
