"""The morning report through the monitoring droid's channels ("report-delivery" service): a fake Slack
webhook and a real aiosmtpd server on 127.0.0.1; retries on 429, none on a permanent error; a channel
asked for but not configured is bad input; the policy switch; no address in any result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.core.registry import load_registry
from tests.droids.monitoring.support import FakeSlack, Mailbox, Reply, policies_copy

PAGE = "<!DOCTYPE html><html><body><h1>Morning report</h1></body></html>\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    policies_copy(root)
    (root / "report.html").write_text(PAGE)
    return root


def _deliver(repo: Path, env: dict[str, str], **asked: bool | None) -> list[dict]:
    deliver = load_registry().service("report-delivery")
    assert deliver is not None
    return deliver(
        repo / "policies", slack_text="droid audit: PASS; +1 new, -2 fixed", email_subject="droid morning report: PASS",
        email_text="## droid morning report: PASS\n", page=repo / "report.html", env=env, **asked,
    )  # fmt: skip


def _mail_env(box: Mailbox) -> dict[str, str]:
    return {
        "DROID_SMTP_URL": box.url,
        "DROID_ALERT_EMAIL_FROM": "droid@desk.test",
        "DROID_ALERT_EMAIL_TO": "lead@desk.test",
    }


def test_slack_gets_the_short_summary(repo: Path, slack: FakeSlack) -> None:
    (result,) = _deliver(repo, {"DROID_SLACK_WEBHOOK_URL": slack.url}, slack=True)
    assert result["outcome"] == "sent" and result["channel"] == "slack"
    assert [r.text for r in slack.received] == ["droid audit: PASS; +1 new, -2 fixed"]
    assert slack.path not in json.dumps(result)  # the webhook's secret path is masked


def test_email_carries_the_page_attached(repo: Path, mailbox: Mailbox) -> None:
    (result,) = _deliver(repo, _mail_env(mailbox), email=True)
    assert result["outcome"] == "sent"
    (msg,) = mailbox.wait_for(1)
    assert msg["Subject"] == "droid morning report: PASS" and msg["To"] == "lead@desk.test"
    body, page = msg.get_payload()
    assert body.get_payload(decode=True).decode().replace("\r\n", "\n") == "## droid morning report: PASS\n"
    assert page.get_filename() == "report.html" and page.get_content_type() == "text/html"
    assert page.get_payload(decode=True).decode() == PAGE


def test_a_429_waits_for_retry_after_then_sends(repo: Path) -> None:
    server = FakeSlack([Reply(429, "rate_limited", {"Retry-After": "1"})])
    try:
        (result,) = _deliver(repo, {"DROID_SLACK_WEBHOOK_URL": server.url}, slack=True)
        assert result["outcome"] == "sent" and len(server.received) == 1
        assert server.attempts[1] - server.attempts[0] >= 1.0
    finally:
        server.close()


def test_a_permanent_error_is_not_retried(repo: Path) -> None:
    server = FakeSlack([Reply(403, "action_prohibited")])
    try:
        (result,) = _deliver(repo, {"DROID_SLACK_WEBHOOK_URL": server.url}, slack=True)
        assert (result["outcome"], result["detail"]) == ("failed", "403 action_prohibited")
        assert len(server.attempts) == 1
    finally:
        server.close()


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ({"slack": True}, "--slack: DROID_SLACK_WEBHOOK_URL is not set; nothing was sent"),
        ({"email": True}, "--email: DROID_SMTP_URL is not set; nothing was sent"),
    ],
)
def test_a_channel_asked_for_but_not_configured_is_bad_input(repo: Path, asked: dict, message: str) -> None:
    with pytest.raises(DroidError, match=message):
        _deliver(repo, {}, **asked)


def test_nothing_is_sent_unless_asked(repo: Path, slack: FakeSlack) -> None:
    assert _deliver(repo, {"DROID_SLACK_WEBHOOK_URL": slack.url}) == []
    assert slack.attempts == []


def test_the_policy_switch_sends_and_skips_what_is_not_configured(repo: Path, slack: FakeSlack) -> None:
    (repo / "policies" / "monitoring.yaml").write_text("version: 1\nreport:\n  slack: true\n  email: true\n")
    slack_result, email_result = _deliver(repo, {"DROID_SLACK_WEBHOOK_URL": slack.url})
    assert slack_result["outcome"] == "sent" and len(slack.received) == 1
    assert email_result == {
        "channel": "email",
        "outcome": "skipped",
        "detail": "monitoring.yaml report.email: DROID_SMTP_URL is not set",
    }
    with pytest.raises(DroidError, match="--slack"):  # a flag still insists
        _deliver(repo, {}, slack=True)
