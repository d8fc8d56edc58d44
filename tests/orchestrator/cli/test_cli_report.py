"""`droid report` as a user runs it (a subprocess): the page and Markdown from stored results, the
summary appended to $GITHUB_STEP_SUMMARY, delivery through a fake Slack webhook and a real aiosmtpd
server, bad input as one line with exit 2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.droids.monitoring.support import FakeSlack, Mailbox
from tests.orchestrator.morning.test_build import GAP, KEY, SAST, _store_audit
from tests.orchestrator.render.morning_demo import droid


@pytest.fixture
def repo(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DROID_AUDIT_URL", raising=False)
    _store_audit(git_repo, "2026-03-09T06:30:00Z", [KEY, SAST])
    _store_audit(git_repo, "2026-03-10T06:30:00Z", [SAST, GAP])
    return git_repo


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    server = FakeSlack()
    yield server
    server.close()


def test_the_page_and_the_summary_from_stored_results(repo: Path, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n")
    done = droid(repo, "report", "--out", str(tmp_path / "out"), env={"GITHUB_STEP_SUMMARY": str(summary)})

    assert done.returncode == 0, done.stderr
    page = (tmp_path / "out" / "report.html").read_text()
    md = (tmp_path / "out" / "report.md").read_text()
    assert "<script" not in page and "<link" not in page and "Since the previous audit" in page
    assert "### Since the previous audit (2026-03-09T06:30:00Z, by fingerprint): +1 new, -1 fixed" in md
    assert "| security-compliance | 1 | 0 | -1 | - |" in md and "| data-pipeline | 1 | +1 | 0 | - |" in md
    assert done.stdout == md + "\n" or done.stdout == md  # the summary on stdout too
    assert summary.read_text() == "earlier step\n" + md + "\n"  # appended, never overwritten
    assert f"morning report written to {tmp_path / 'out' / 'report.html'}" in done.stderr


def test_nothing_is_rerun_and_nothing_recorded(repo: Path, tmp_path: Path) -> None:
    from droids.core.audit.trail import open_store

    before = sorted(p.name for p in (repo / ".droid" / "reports").iterdir())
    assert droid(repo, "report", "--out", str(tmp_path / "out"), "-q").returncode == 0
    assert sorted(p.name for p in (repo / ".droid" / "reports").iterdir()) == before
    with open_store(repo, create=False) as store:
        assert len(store.records()) == 2  # the two audits; the report adds no entry


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--since", "yesterday"], "--since yesterday: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ"),
        (
            ["--since", "2026-02-30"],
            "--since 2026-02-30: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ",
        ),
        (["--slack"], "--slack: DROID_SLACK_WEBHOOK_URL is not set; nothing was sent"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(repo: Path, tmp_path: Path, args: list[str], says: str) -> None:
    done = droid(repo, "report", "--out", str(tmp_path / "out"), *args)
    assert done.returncode == 2 and done.stderr.strip().splitlines()[-1] == f"droid: error: {says}"
    assert "Traceback" not in done.stderr


def test_slack_and_email_delivery(repo: Path, tmp_path: Path, slack: FakeSlack) -> None:
    box = Mailbox()
    try:
        env = {"DROID_SLACK_WEBHOOK_URL": slack.url, "DROID_SMTP_URL": box.url,
               "DROID_ALERT_EMAIL_FROM": "droid@desk.test", "DROID_ALERT_EMAIL_TO": "lead@desk.test"}  # fmt: skip
        done = droid(repo, "report", "--out", str(tmp_path / "out"), "--slack", "--email", "-q", env=env)
        assert done.returncode == 0, done.stderr
        (text,) = [r.text for r in slack.received]
        assert text.startswith(f"droid morning report, {repo.name}: BLOCK")
        assert "Since the previous audit (2026-03-09T06:30:00Z): +1 new, -1 fixed" in text
        (msg,) = box.wait_for(1)
        assert msg["Subject"].startswith(f"droid morning report {repo.name}: BLOCK")
        _, page = msg.get_payload()
        assert page.get_filename() == "report.html"
        assert page.get_payload(decode=True) == (tmp_path / "out" / "report.html").read_bytes()
        assert slack.path not in done.stderr + done.stdout
    finally:
        box.close()


def test_a_failed_delivery_is_exit_3_with_the_page_written(repo: Path, tmp_path: Path) -> None:
    from tests.droids.monitoring.support import Reply

    server = FakeSlack([Reply(404, "no_service")])
    try:
        done = droid(repo, "report", "--out", str(tmp_path / "out"), "--slack", "-q",
                     env={"DROID_SLACK_WEBHOOK_URL": server.url})  # fmt: skip
        assert done.returncode == 3 and "report slack: failed: 404 no_service" in done.stderr
        assert (tmp_path / "out" / "report.html").is_file()
    finally:
        server.close()
