"""The commands' functions in process (fast): status and its screen, the report page, replay through a
fake Slack server with the kill switch and its audit entry, bad input, the policy and the service."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.monitoring import api, text
from tests.droids.monitoring.support import HEADER, FakeSlack, es_path, policies_copy
from trading_core.errors import TradingCoreError

DANGER = HEADER + es_path([4990, 4960, 4930, 4915, 4904, 4903])
CALM = HEADER + es_path([5001, 4999, 5002])


def _repo(tmp: Path, journal: str, monitoring: str | None = None) -> tuple[Path, Path, Path]:
    repo = tmp / "repo"
    repo.mkdir()
    policies = policies_copy(repo, monitoring)
    path = repo / "journal.csv"
    path.write_text(journal)
    return repo, policies, path


def test_status_numbers_and_screen(tmp_path: Path) -> None:
    repo, policies, journal = _repo(tmp_path, HEADER + es_path([4990, 4950, 4925]))
    state = api.status(repo, policies, repo / ".droid", journal)
    assert (state["equity"], state["threshold"], state["distance_to_warn"]) == (46_250.0, 45_000.0, 250.0)
    assert state["drawdown_share"] == pytest.approx(0.75)
    screen = text.status_screen(state)
    assert (
        "drawdown 75.0% of the allowed drawdown" in screen.splitlines()[0] and "position +1 ES open 3.0 min" in screen
    )


def test_replay_sends_and_kills_in_process(tmp_path: Path, slack: FakeSlack, monkeypatch) -> None:
    repo, policies, journal = _repo(
        tmp_path, DANGER, "breaker: {profile_on_spike: false}\ndelivery: {slack_min_interval_s: 0}\n"
    )
    monkeypatch.setenv("DROID_SLACK_WEBHOOK_URL", slack.url)
    for name in ("DROID_SMTP_URL", "DROID_APPRISE_URLS", "DROID_AUDIT_URL"):
        monkeypatch.delenv(name, raising=False)
    result = api.replay(repo, policies, repo / ".droid", journal, wait_s=20)
    (trip,) = result["state"]["kill_switch"]
    assert trip["target"] == "SENTINEL.kill" and trip["audit_seq"] == 1
    assert result["outbox"]["sent"] == 3 and len(slack.wait_for(3)) == 3
    assert any("alerts routed to email are recorded, not sent" in n for n in result["notes"])
    summary = text.run_summary(result, "replayed")
    assert "kill switch called (SENTINEL.kill)" in summary and slack.path not in summary


def test_report_page(tmp_path: Path) -> None:
    repo, policies, journal = _repo(tmp_path, DANGER)
    page = api.report(repo, policies, repo / ".droid", journal, tmp_path / "out").read_text()
    assert page.startswith("<!doctype html>") and "const LIVE = false" in page and '"rule":"MON002"' in page


@pytest.mark.parametrize(
    ("journal", "monitoring", "error", "says"),
    [
        (HEADER + "2026-03-09T10:00:00-04:00,fill,ES,1,abc,0\n", None, TradingCoreError, "journal.csv: row 2: price:"),
        (CALM, "stuck: {after_min: 5}\n", DroidError, "monitoring.yaml:1: stuck.after_min: Extra inputs"),
        (CALM, "journal: nowhere.csv\n", None, None),
    ],
    ids=["bad-row", "unknown-key", "journal-argument-wins"],
)
def test_bad_input(tmp_path: Path, journal, monitoring, error, says) -> None:
    repo, policies, path = _repo(tmp_path, journal, monitoring)
    if error is None:
        assert api.status(repo, policies, repo / ".droid", path)["events"] == 4
        with pytest.raises(DroidError, match=r"monitoring\.yaml: journal: nowhere\.csv: file not found"):
            api.status(repo, policies, repo / ".droid", None)
        return
    with pytest.raises(error) as err:
        api.status(repo, policies, repo / ".droid", path)
    assert says in str(err.value)


def test_the_shipped_policy_is_the_built_in_default() -> None:
    from droids.monitoring.policy import MonitoringPolicy, load_monitoring_policy
    from tests.conftest import REPO_ROOT

    shipped, found = load_monitoring_policy(REPO_ROOT / "policies")
    assert found and shipped == MonitoringPolicy()


def test_the_monitor_state_service_answers_through_the_registry(tmp_path: Path) -> None:
    from droids.core.registry import load_registry

    repo, policies, journal = _repo(tmp_path, CALM)
    service = load_registry().service("monitor-state")
    assert service is not None
    state = service(repo, policies, repo / ".droid", journal)
    assert state["equity"] == pytest.approx(50_100.0) and state["open_alerts"] == [] and "series" not in state
    shutil.rmtree(repo / ".droid", ignore_errors=True)
