"""Delivery through real servers on 127.0.0.1: a Slack-compatible webhook (200 ok, 400/403/404/410
plain-text errors, 429 with Retry-After, 5xx) and aiosmtpd; the outbox keeps every outcome; the
webhook URL never appears in a row, an error or the status output."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from droids.core.errors import DroidError
from droids.monitoring.alerts.deliver import Channels, Sender
from droids.monitoring.alerts.outbox import AlertRow, MessageRow, Outbox
from droids.monitoring.policy import MonitoringPolicy
from tests.droids.monitoring.support import FakeSlack, Mailbox, Reply

POLICY = MonitoringPolicy.model_validate({"delivery": {"slack_min_interval_s": 0, "backoff_s": 0.2}})


def _queue(box: Outbox, channel: str, n: int = 1, target: str = "t") -> None:
    alerts = [AlertRow(f"a{channel}{i}", "s", "MON001", "account", True, i, "m", True) for i in range(n)]
    box.add(alerts, lambda new: [MessageRow(channel, target, f"title {a.id}", f"body {a.id}", (a.id,)) for a in new])


def _sender(tmp: Path, env: dict[str, str], policy: MonitoringPolicy = POLICY) -> Sender:
    return Sender(Outbox(tmp / "outbox.sqlite"), Channels.from_env(policy, env), policy)


def test_slack_200_ok_is_sent(tmp_path: Path, slack: FakeSlack) -> None:
    s = _sender(tmp_path, {"DROID_SLACK_WEBHOOK_URL": slack.url})
    _queue(s.outbox, "slack", 2)
    assert s.drain() == 2
    assert [r.text for r in slack.received] == ["body aslack0", "body aslack1"]
    assert s.outbox.counts()["sent"] == 2


@pytest.mark.parametrize(
    ("status", "body"),
    [(400, "invalid_payload"), (403, "action_prohibited"), (404, "channel_not_found"), (410, "channel_is_archived")],
)
def test_slack_permanent_errors_fail_once_with_their_reason(tmp_path: Path, status: int, body: str) -> None:
    server = FakeSlack([Reply(status, body)])
    try:
        s = _sender(tmp_path, {"DROID_SLACK_WEBHOOK_URL": server.url})
        _queue(s.outbox, "slack")
        s.drain()
        (row,) = s.outbox.messages()
        assert (row.status, row.attempts, row.last_error) == ("failed", 1, f"{status} {body}")
        assert len(server.attempts) == 1  # never retried
    finally:
        server.close()


def test_slack_429_waits_for_retry_after(tmp_path: Path) -> None:
    server = FakeSlack([Reply(429, '{"ok":false,"error":"rate_limited"}', {"Retry-After": "1"})])
    try:
        s = _sender(tmp_path, {"DROID_SLACK_WEBHOOK_URL": server.url})
        _queue(s.outbox, "slack")
        s.drain()
        (row,) = s.outbox.messages()
        assert row.status == "pending" and "429 rate limited (Retry-After 1)" in row.last_error
        assert row.next_at - time.time() > 0.8
        assert s.drain() == 0  # not due yet: nothing is sent before Retry-After
        time.sleep(max(0.0, row.next_at - time.time()) + 0.05)
        assert s.drain() == 1
        assert len(server.received) == 1
        assert server.attempts[1] - server.attempts[0] >= 1.0
    finally:
        server.close()


def test_server_errors_and_a_closed_port_are_retried_then_given_up(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    delivery = {"max_attempts": 2, "backoff_s": 0.05, "slack_min_interval_s": 0}
    policy = MonitoringPolicy.model_validate({"delivery": delivery})
    s = _sender(tmp_path, {"DROID_SLACK_WEBHOOK_URL": f"http://127.0.0.1:{port}/services/x/y/z"}, policy)
    _queue(s.outbox, "slack")
    s.drain()
    assert s.outbox.messages()[0].status == "pending"
    time.sleep(0.1)
    s.drain()
    (row,) = s.outbox.messages()
    assert row.status == "failed" and row.attempts == 2 and "network" in row.last_error and "gave up" in row.last_error


def test_a_5xx_backs_off(tmp_path: Path) -> None:
    server = FakeSlack([Reply(500, "rollup_error")])
    try:
        s = _sender(tmp_path, {"DROID_SLACK_WEBHOOK_URL": server.url})
        _queue(s.outbox, "slack")
        s.drain()
        assert s.outbox.messages()[0].last_error == "500 rollup_error"
        time.sleep(0.25)
        s.drain()
        assert s.outbox.counts()["sent"] == 1
    finally:
        server.close()


def test_email_reaches_the_smtp_server(tmp_path: Path, mailbox: Mailbox) -> None:
    env = {"DROID_SMTP_URL": mailbox.url, "DROID_ALERT_EMAIL_FROM": "droid@example.com",
           "DROID_ALERT_EMAIL_TO": "ops@example.com, risk@example.com"}  # fmt: skip
    s = _sender(tmp_path, env)
    _queue(s.outbox, "email")
    s.drain()
    (msg,) = mailbox.wait_for(1)
    assert msg["Subject"] == "title aemail0" and msg["To"] == "ops@example.com, risk@example.com"
    assert msg["Message-ID"].startswith("<droid-monitor-1-") and "body aemail0" in msg.get_payload()
    assert s.outbox.counts()["sent"] == 1


def test_an_unreachable_smtp_server_is_retried_and_kept(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"DROID_SMTP_URL": f"smtp://127.0.0.1:{port}", "DROID_ALERT_EMAIL_FROM": "a@example.com",
           "DROID_ALERT_EMAIL_TO": "b@example.com"}  # fmt: skip
    s = _sender(tmp_path, env)
    _queue(s.outbox, "email")
    s.drain()
    (row,) = s.outbox.messages()
    assert row.status == "pending" and f"SMTP 127.0.0.1:{port} unreachable" in row.last_error


def test_apprise_urls_are_a_channel(tmp_path: Path) -> None:
    server = FakeSlack(key="message")
    try:
        url = server.url.replace("http://", "json://")
        s = _sender(tmp_path, {"DROID_APPRISE_URLS": url})
        _queue(s.outbox, "apprise")
        s.drain()
        assert [r.text for r in server.wait_for(1)] == ["body aapprise0"]
        assert s.outbox.counts()["sent"] == 1
    finally:
        server.close()


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"DROID_SLACK_WEBHOOK_URL": "hooks.slack.com/services/T1/B2/xyz"}, "DROID_SLACK_WEBHOOK_URL: expected a"),
        ({"DROID_SLACK_WEBHOOK_URL": "ftp://hooks.slack.com/services/T1/B2/xyz"}, "DROID_SLACK_WEBHOOK_URL: expected"),
        ({"DROID_SMTP_URL": "mail.example.com:25"}, "DROID_SMTP_URL: expected smtp://host:port"),
        ({"DROID_SMTP_URL": "smtp://mail.example.com:25"}, "DROID_ALERT_EMAIL_FROM: expected an e-mail address"),
    ],
    ids=["no-scheme", "ftp", "smtp-no-scheme", "smtp-no-from"],
)
def test_a_wrong_channel_address_is_bad_input_without_the_secret(env: dict[str, str], says: str) -> None:
    with pytest.raises(DroidError) as err:
        Channels.from_env(MonitoringPolicy(), env)
    assert says in str(err.value)
    assert "xyz" not in str(err.value) and "B2" not in str(err.value)


def test_the_webhook_secret_is_in_no_row_and_no_error(tmp_path: Path) -> None:
    server = FakeSlack([Reply(404, f"no_service {FakeSlack().path}")])  # a server that echoes a path
    try:
        secret_path = server.path
        s = _sender(tmp_path, {"DROID_SLACK_WEBHOOK_URL": server.url})
        targets = {"slack": s.channels.target("slack")}
        from droids.monitoring.alerts.episodes import compose

        alerts = [AlertRow("x1", "s", "MON001", "account", True, 0, "m", True)]
        s.outbox.add(alerts, lambda new: compose(new, POLICY, targets))
        s.drain()
        dump = "\n".join(s.outbox.db.iterdump())
        assert secret_path not in dump and server.url not in dump
        assert "/services/****" in dump
    finally:
        server.close()
