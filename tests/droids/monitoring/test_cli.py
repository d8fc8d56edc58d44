"""`droid monitor ...` end to end in a subprocess (slow: CI runs them): replay through a fake Slack
server and a real SMTP server, the kill switch and its audit entry, status, report, bad input (exit 2, one line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.droids.monitoring.support import HEADER, FakeSlack, Mailbox, env_with, es_path, policies_copy, run

pytestmark = pytest.mark.slow  # each test starts `droid` (1.5-3 s); tests/droids/monitoring/test_api.py runs in process

# 1 ES from 5000, one mark a minute: the warning level at 4920, the danger level at 4905
DANGER = HEADER + es_path([4990, 4960, 4930, 4915, 4904, 4903])
CALM = HEADER + es_path([5001, 4999, 5002])


def _repo(tmp: Path, journal: str, monitoring: str | None = None) -> tuple[Path, Path, Path]:
    repo = tmp / "repo"
    repo.mkdir()
    policies = policies_copy(repo, monitoring)
    path = repo / "journal.csv"
    path.write_text(journal)
    return repo, policies, path


def test_replay_pages_slack_and_email_and_calls_the_kill_switch(tmp_path: Path, slack: FakeSlack,
                                                                mailbox: Mailbox) -> None:  # fmt: skip
    repo, policies, journal = _repo(tmp_path, DANGER, "breaker: {profile_on_spike: false}\n")
    env = env_with(DROID_SLACK_WEBHOOK_URL=slack.url, DROID_SMTP_URL=mailbox.url,
                   DROID_ALERT_EMAIL_FROM="droid@example.com", DROID_ALERT_EMAIL_TO="risk@example.com")  # fmt: skip
    done = run(["--repo", str(repo), "--policies", str(policies), "monitor", "replay", str(journal), "-f", "json"],
               repo, env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    (trip,) = out["state"]["kill_switch"]
    assert trip["target"] == "SENTINEL.kill" and trip["audit_seq"] == 1 and trip["latency_ms"] >= 0
    # a minute apart, so not grouped: MON003 (3,500 below the 5-minute high), MON001, MON002 to Slack,
    # MON002 by email too
    assert out["outbox"]["sent"] == 4 and out["outbox"]["pending"] == 0
    texts = [r.text for r in slack.wait_for(3)]
    assert [t.split()[1] for t in texts] == ["MON003", "MON001", "MON002"]
    assert "kill switch called (SENTINEL.kill)" in texts[2] and "audit entry 1" in texts[2]
    (mail,) = mailbox.wait_for(1)
    assert mail["Subject"].startswith("[droid monitor] MON002 Drawdown at the danger level")
    # the audit trail holds the kill, and its chain verifies
    from droids.core.audit.trail import open_store

    with open_store(repo) as store:
        (entry,) = store.records()
        assert store.verify().ok
    assert (entry.kind, entry.profile, entry.counts) == ("kill_switch", "monitoring", {"MON002": 1})
    assert entry.details["journal"] == "journal.csv" and entry.details["row"] == 5
    kills = (repo / ".droid" / "monitor" / "kill_switch.csv").read_text()
    assert ",kill,SEN001,," in kills  # SENTINEL's own kill event, in risk_events.csv's columns
    assert slack.path not in done.stdout + done.stderr


def test_status_is_one_screen_with_the_numbers(tmp_path: Path) -> None:
    repo, policies, journal = _repo(tmp_path, HEADER + es_path([4990, 4950, 4925]))
    done = run(["--repo", str(repo), "--policies", str(policies), "monitor", "status", str(journal)], repo, env_with())
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert "equity $46,250.00 is $1,250.00 above the trailing drawdown threshold $45,000.00" in first
    assert "drawdown 75.0% of the allowed drawdown" in first and "$250.00 to the warning level" in first
    assert "+1 ES open" in done.stdout


def test_status_without_a_journal_anywhere_is_one_line(tmp_path: Path) -> None:
    repo = tmp_path / "empty"
    repo.mkdir()
    done = run(["--repo", str(repo), "monitor", "status"], repo, env_with())
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "droid: error: no journal: pass JOURNAL, set `journal:` in policies/monitoring.yaml, or run `droid sim run`"
        " (the newest .droid/**/journal.csv is used)"
    ]


def test_status_finds_the_newest_journal_under_the_state_dir(tmp_path: Path) -> None:
    repo, policies, _ = _repo(tmp_path, CALM)
    older, newer = repo / ".droid" / "sim" / "a", repo / ".droid" / "sim" / "b"
    for folder, body in ((older, DANGER), (newer, CALM)):
        folder.mkdir(parents=True)
        (folder / "journal.csv").write_text(body)
    import os

    os.utime(older / "journal.csv", (1, 1))
    done = run(["--repo", str(repo), "--policies", str(policies), "monitor", "status", "-f", "json"], repo, env_with())
    assert json.loads(done.stdout)["journal"] == ".droid/sim/b/journal.csv"


@pytest.mark.parametrize(
    ("journal", "monitoring", "env", "says"),
    [
        (HEADER + "2026-03-09T10:00:00-04:00,fill,ES,1,abc,0\n", None, {}, "journal.csv: row 2: price:"),
        (CALM, "episodes: {cooldown: 5}\n", {}, "monitoring.yaml:1: episodes.cooldown: Extra inputs are not permitted"),
        (CALM, "dashboard: {host: 0.0.0.0}\n", {}, "dashboard.host: Value error, expected a loopback address"),
        (CALM, None, {"DROID_SLACK_WEBHOOK_URL": "not a url"}, "DROID_SLACK_WEBHOOK_URL: expected a webhook URL"),
    ],
    ids=["bad-row", "unknown-key", "exposed-dashboard", "bad-webhook"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, journal, monitoring, env, says) -> None:
    repo, policies, path = _repo(tmp_path, journal, monitoring)
    done = run(["--repo", str(repo), "--policies", str(policies), "monitor", "replay", str(path)], repo,
               env_with(**env))  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], lines
    assert "Traceback" not in done.stderr


def test_report_writes_one_self_contained_page(tmp_path: Path) -> None:
    repo, policies, journal = _repo(tmp_path, DANGER)
    out = tmp_path / "report"
    done = run(["--repo", str(repo), "--policies", str(policies), "monitor", "report", str(journal), "--out", str(out)],
               repo, env_with())  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = (out / "monitor.html").read_text()
    assert "uPlot" in page and "const LIVE = false" in page
    for fetch in ('src="http', "src='http", 'href="http', "<link", "@import", "url(http", "fetch("):
        assert fetch not in page  # nothing is loaded from anywhere (the browser test checks it offline)
    assert '"rule":"MON002"' in page


def test_the_policy_file_is_checked_by_droid_policy_check(tmp_path: Path) -> None:
    repo, policies, _ = _repo(tmp_path, CALM, "latency: {p99_ms: -1}\n")
    done = run(["--repo", str(repo), "--policies", str(policies), "policy", "check"], repo, env_with())
    assert done.returncode == 2 and "monitoring.yaml:1: latency.p99_ms" in done.stderr


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("latency.csv", "ts,on_tick_us\n2026-03-09T10:00:00-04:00,fast\n", "latency.csv: row 2: on_tick_us: expected"),
        ("latency.csv", "ts,on_tick_us\n2026-03-09 10:00,12\n", "latency.csv: row 2: ts: naive timestamp"),
        ("risk_events.csv", "ts,kind,rule,symbol,reason\nyesterday,halt,SEN005,,x\n", "risk_events.csv: row 2: ts:"),
    ],
    ids=["latency-value", "latency-naive", "risk-ts"],
)
def test_a_bad_row_beside_the_journal_is_bad_input(tmp_path: Path, name: str, text: str, says: str) -> None:
    repo, policies, journal = _repo(tmp_path, CALM)
    (repo / name).write_text(text)
    done = run(["--repo", str(repo), "--policies", str(policies), "monitor", "status", str(journal)], repo, env_with())
    assert done.returncode == 2 and says in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
