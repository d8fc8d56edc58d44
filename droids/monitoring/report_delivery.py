"""The "report-delivery" service: the morning report through the monitoring droid's channels.

A short summary to the Slack webhook and an email with the page attached, each only when asked: by
the caller (`droid report --slack / --email`: the channel must then be configured, else bad input
naming the variable) or by policies/monitoring.yaml `report.slack / report.email` (a channel that is
not configured is then skipped, with why). Addresses come from the same variables as the alerts
(DROID_SLACK_WEBHOOK_URL, DROID_SMTP_URL, DROID_ALERT_EMAIL_FROM, DROID_ALERT_EMAIL_TO) and never
appear in a result (masked).

Sent now, not through the alert outbox: the report is one message a morning from a scheduled job,
and its email carries the page, which the outbox's rows do not hold. A transient failure (Slack's
429 with its Retry-After, a 5xx, an unreachable server) is retried up to `ATTEMPTS` times, waiting at
most `MAX_WAIT_S` each; a permanent one (Slack's 400/403/404/410, an SMTP 5xx) is not.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from droids.core.errors import DroidError

ATTEMPTS = 4
MAX_WAIT_S = 30.0


@dataclass(frozen=True)
class Delivery:
    channel: str  # slack | email
    outcome: str  # sent | failed | skipped
    detail: str  # masked: never an address


def deliver_report(
    policies: Path,
    *,
    slack_text: str,
    email_subject: str,
    email_text: str,
    page: Path | None,
    slack: bool | None = None,
    email: bool | None = None,
    env: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Send what is asked; one result per channel asked for (none when nothing is)."""
    from droids.monitoring.alerts.deliver import Channels
    from droids.monitoring.policy import load_monitoring_policy

    policy, _ = load_monitoring_policy(policies)
    channels = Channels.from_env(policy, env)
    wanted = {"slack": policy.report.slack if slack is None else slack}
    wanted["email"] = policy.report.email if email is None else email
    for channel, flag in (("slack", slack), ("email", email)):
        if flag and not channels.configured(channel):
            raise DroidError(f"--{channel}: {channels.missing[channel]}; nothing was sent")
    out = []
    for channel in ("slack", "email"):
        if not wanted[channel]:
            continue
        if not channels.configured(channel):
            out.append(Delivery(channel, "skipped", f"monitoring.yaml report.{channel}: {channels.missing[channel]}"))
            continue
        out.append(_send(channel, channels, policy, slack_text, email_subject, email_text, page))
    return [asdict(d) for d in out]


def _send(
    channel: str, channels: Any, policy: Any, slack_text: str, subject: str, text: str, page: Path | None
) -> Delivery:
    from droids.monitoring.alerts import channels as ch

    timeout = policy.channels.timeout_s
    attachments = []
    if channel == "email" and page is not None:
        try:
            attachments.append(ch.Attachment(page.name, page.read_bytes(), "text/html"))
        except OSError as exc:
            raise DroidError(f"{page}: cannot read the page to attach ({exc.strerror})") from None
    message_id = make_msgid(domain="droid.report")  # one id for every attempt: a store keeps one copy

    def attempt() -> ch.Result:
        if channel == "slack":
            return ch.send_slack(channels.slack_url, slack_text, timeout_s=timeout, handed=lambda: None)
        return ch.send_email(
            channels.smtp_url, channels.email_from, channels.email_to, subject, text, message_id,
            timeout_s=timeout, handed=lambda: None, attachments=attachments,
        )  # fmt: skip

    d = policy.delivery
    for n in range(1, ATTEMPTS + 1):
        result = attempt()
        detail = channels.masker(result.detail)
        if result.outcome == "sent":
            return Delivery(channel, "sent", f"to {channels.target(channel)}" + (f" ({detail})" if detail else ""))
        if result.outcome == "failed" or n == ATTEMPTS:
            tries = f" after {n} attempts" if n > 1 else ""
            return Delivery(channel, "failed", f"{detail}{tries}")
        wait = result.retry_after_s if result.retry_after_s is not None else d.backoff_s * 2 ** (n - 1)
        time.sleep(min(wait, MAX_WAIT_S, d.max_retry_after_s))
    raise AssertionError("unreachable")  # pragma: no cover
