"""The monitoring droid's morning-report sections: Apex and risk from a real journal (read by the
monitor, judged by the trading core), and the alerts a real watch recorded in its outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from droids.core.registry import load_registry
from droids.core.report_section import SectionContext
from droids.monitoring import api
from tests.droids.monitoring.support import HEADER, es_path, policies_copy

WARNING = HEADER + es_path([4990, 4950, 4915])  # equity 45,750: 85 % of the allowed drawdown used
CALM = HEADER + es_path([5001, 4999, 5002])


def _repo(tmp: Path, journal: str | None) -> Path:
    repo = tmp / "repo"
    repo.mkdir()
    policies_copy(repo)
    if journal is not None:
        (repo / ".droid" / "sim").mkdir(parents=True)
        (repo / ".droid" / "sim" / "journal.csv").write_text(journal)  # where `droid sim run` writes
    return repo


def _sections(repo: Path, now: datetime | None = None, since: datetime | None = None) -> dict:
    (build,) = [b for b in load_registry().all_services("report-section") if b.__module__.startswith("droids.moni")]
    ctx = SectionContext(repo, repo / "policies", repo / ".droid", now or datetime.now(UTC), since=since)
    return {s.key: s for s in build(ctx)}


@pytest.fixture(autouse=True)
def _no_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DROID_SLACK_WEBHOOK_URL", "DROID_SMTP_URL", "DROID_APPRISE_URLS", "DROID_AUDIT_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("journal", "status", "equity", "threshold", "distance", "used", "violations"),
    [
        (
            WARNING,
            "attention",
            "$45,750.00",
            45_000.0,
            "$750.00",
            "85.0%",
            "Apex violations in this journal: APX010 1.",
        ),
        (CALM, "ok", "$50,100.00", 45_090.0, "$5,010.00", "0.0%", "No Apex rule broken in this journal."),
    ],
)
def test_risk_numbers_and_curves_of_the_latest_journal(
    tmp_path, journal, status, equity, threshold, distance, used, violations
) -> None:
    repo = _repo(tmp_path, journal)

    risk = _sections(repo)["risk"]

    assert (risk.droid, risk.title, risk.status) == ("monitoring", "Apex and risk", status)
    assert risk.headline.startswith(f"Equity {equity}, {distance} above the trailing threshold ({used} of the")
    (block,) = risk.blocks
    assert block.lines[1].startswith(f"Equity {equity}, trailing threshold ${threshold:,.2f}: {distance} above it")
    assert block.lines[2].startswith("Payout: ") and block.lines[3] == violations
    equity_chart, drawdown_chart = block.charts
    lines = {s.name: s.values for s in equity_chart.series}
    assert lines["equity"][-1] == float(equity.strip("$").replace(",", ""))
    assert lines["threshold (account blown)"][-1] == threshold
    dd = {s.name: s.values for s in drawdown_chart.series}
    assert dd["drawdown used"][-1] == pytest.approx(float(used.rstrip("%")))
    assert set(dd["warning"]) == {80.0} and set(dd["threshold"]) == {100.0}


def test_payout_eligibility_is_the_trading_cores(tmp_path: Path) -> None:
    repo = _repo(tmp_path, CALM)
    (block,) = _sections(repo)["risk"].blocks
    # one winning day holds all the profit: the seed's consistency rule denies a payout
    assert block.lines[2].startswith("Payout: no payout yet: best day 2026-03-09 made $100.00 of $100.00")


def test_no_journal_says_so_in_one_line(tmp_path: Path) -> None:
    risk = _sections(_repo(tmp_path, None))["risk"]
    assert risk.status == "none" and risk.blocks == []
    assert risk.headline.startswith("No journal: set `journal:` in policies/monitoring.yaml")


def test_alerts_of_the_last_day_from_a_real_watch(tmp_path: Path) -> None:
    repo = _repo(tmp_path, WARNING)
    journal = repo / ".droid" / "sim" / "journal.csv"
    api.follow(repo, repo / "policies", repo / ".droid", journal, once=True)  # live: recorded, not sent
    api.replay(repo, repo / "policies", repo / ".droid", journal, send=True, wait_s=1)  # a replay: apart

    alerts = _sections(repo)["monitoring"]

    assert alerts.status == "attention"
    # the drawdown past the warning level (MON001) and equity 8.5 % down within 5 minutes (MON003)
    assert alerts.headline == (
        "2 live alerts (2 firing: MON001 1, MON003 1), 0 messages sent, 0 failed; 2 more from replays of past journals."
    )
    (table,) = alerts.blocks[0].tables
    assert sorted((r[1], r[2], r[4]) for r in table.rows) == [
        ("live", "MON001", "firing"), ("live", "MON003", "firing"),
        ("replay", "MON001", "firing"), ("replay", "MON003", "firing"),
    ]  # fmt: skip


def test_alerts_older_than_the_day_are_left_out(tmp_path: Path) -> None:
    repo = _repo(tmp_path, WARNING)
    api.follow(repo, repo / "policies", repo / ".droid", repo / ".droid" / "sim" / "journal.csv", once=True)
    later = datetime.now(UTC) + timedelta(days=2)

    assert _sections(repo, now=later)["monitoring"].headline == "No alert recorded the last day."
    period = _sections(repo, now=later, since=later - timedelta(days=3))["monitoring"]
    assert period.headline.startswith("2 live alerts")  # the report's period is longer than a day


def test_no_outbox_says_so(tmp_path: Path) -> None:
    alerts = _sections(_repo(tmp_path, None))["monitoring"]
    assert alerts.status == "none" and alerts.headline.startswith("No alert recorded: the monitor has not run here")
