"""The channels configured for this run, and the sender that drains the outbox through them.

`Channels.from_env` reads the addresses from the environment variables policies/monitoring.yaml
names (a bad one is bad input: exit 2, the message names the variable, never the value). `Sender`
claims the oldest due message, sends it, and records the outcome:
- sent: done;
- retry: again at now + Slack's `Retry-After` when it gave one (capped at
  `delivery.max_retry_after_s`), else after `delivery.backoff_s` doubling per attempt up to
  `delivery.max_backoff_s`; after `delivery.max_attempts` tries the message is `failed`;
- failed (Slack's 400/403/404/410, an SMTP 5xx): kept with the reason, never retried.
Slack posts are spaced by `delivery.slack_min_interval_s` (Slack allows about one per second per
webhook). `run_forever` is the thread `watch`/`serve`/`replay` start; `drain` sends what is due now.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from droids.core.errors import DroidError
from droids.monitoring.alerts import channels as ch
from droids.monitoring.alerts.mask import Masker, mask_url
from droids.monitoring.alerts.outbox import MessageRow, Outbox
from droids.monitoring.policy import MonitoringPolicy


@dataclass
class Channels:
    slack_url: str | None = None
    smtp_url: str | None = None
    email_from: str | None = None
    email_to: list[str] = field(default_factory=list)
    apprise_urls: list[str] = field(default_factory=list)
    masker: Masker = field(default_factory=Masker)
    missing: dict[str, str] = field(default_factory=dict)  # channel -> why it is not configured

    @classmethod
    def from_env(cls, policy: MonitoringPolicy, env: Mapping[str, str] | None = None) -> Channels:
        env = os.environ if env is None else env
        c = policy.channels
        out = cls()
        slack = env.get(c.slack_url_env, "").strip()
        if slack:
            ch.check_webhook_url(slack, c.slack_url_env)
            out.slack_url = slack
            out.masker.add(slack)
        else:
            out.missing["slack"] = f"{c.slack_url_env} is not set"
        smtp = env.get(c.smtp_url_env, "").strip()
        sender, to = env.get(c.email_from_env, "").strip(), env.get(c.email_to_env, "").strip()
        if smtp:
            ch.check_smtp_url(smtp, c.smtp_url_env)
            out.masker.add(smtp)
            for name, value in ((c.email_from_env, sender), (c.email_to_env, to)):
                if not value or "@" not in value:
                    raise DroidError(f"{name}: expected an e-mail address (needed with {c.smtp_url_env})")
            out.smtp_url, out.email_from = smtp, sender
            out.email_to = [a.strip() for a in to.split(",") if a.strip()]
        else:
            out.missing["email"] = f"{c.smtp_url_env} is not set"
        urls = [u.strip() for u in env.get(c.apprise_urls_env, "").split() if u.strip()]
        if urls:
            out.apprise_urls = urls
            for u in urls:
                out.masker.add(u)
        else:
            out.missing["apprise"] = f"{c.apprise_urls_env} is not set"
        return out

    def configured(self, channel: str) -> bool:
        return channel not in self.missing

    def target(self, channel: str) -> str:
        if channel == "slack" and self.slack_url:
            return mask_url(self.slack_url)
        if channel == "email" and self.smtp_url:
            return f"{mask_url(self.smtp_url)} -> {', '.join(self.email_to)}"
        if channel == "apprise":
            return ", ".join(mask_url(u) for u in self.apprise_urls)
        return "(not configured)"


class Sender:
    def __init__(self, outbox: Outbox, channels: Channels, policy: MonitoringPolicy) -> None:
        self.outbox, self.channels, self.policy = outbox, channels, policy
        self.wake = threading.Event()
        self.stop = threading.Event()
        self._last_slack = 0.0
        self.sent = 0
        self.failures = 0

    def run_forever(self) -> None:
        self.outbox.recover()
        while not self.stop.is_set():
            if not self.drain():
                due = self.outbox.next_due()
                wait = 1.0 if due is None else min(1.0, max(0.01, due - time.time()))
                self.wake.wait(wait)
                self.wake.clear()

    def drain(self, *, deadline: float | None = None) -> int:
        """Send every message due now (until `deadline`); the number of attempts made."""
        done = 0
        while deadline is None or time.time() < deadline:
            if self.stop.is_set():
                break
            message = self.outbox.claim(channels=self._ready())
            if message is None:
                break
            self.attempt(message)
            done += 1
        return done

    def _ready(self) -> list[str]:
        ready = ["email", "apprise"]
        if time.time() - self._last_slack >= self.policy.delivery.slack_min_interval_s:
            ready.append("slack")
        return ready

    def attempt(self, m: MessageRow) -> ch.Result:
        result = self._send(m)
        d = self.policy.delivery
        detail = self.channels.masker(result.detail)
        if result.outcome == "sent":
            self.outbox.finish(m.id, "sent", error=detail)
            self.sent += 1
        elif result.outcome == "failed" or m.attempts >= d.max_attempts:
            why = detail if result.outcome == "failed" else f"{detail} (gave up after {m.attempts} attempts)"
            self.outbox.finish(m.id, "failed", error=why)
            self.failures += 1
        else:
            if result.retry_after_s is not None:
                wait = min(result.retry_after_s, d.max_retry_after_s)
            else:
                wait = min(d.backoff_s * 2 ** (m.attempts - 1), d.max_backoff_s)
            self.outbox.finish(m.id, "pending", error=detail, next_at=time.time() + wait)
        return result

    def _send(self, m: MessageRow) -> ch.Result:
        c, timeout = self.channels, self.policy.channels.timeout_s

        def handed() -> None:
            self.outbox.handed(m.id)

        if m.channel == "slack" and c.slack_url:
            self._last_slack = time.time()
            return ch.send_slack(c.slack_url, m.body, timeout_s=timeout, handed=handed)
        if m.channel == "email" and c.smtp_url and c.email_from:
            mid = f"<droid-monitor-{m.id}-{m.alerts[0] if m.alerts else 'none'}@droid.monitor>".replace(":", ".")
            return ch.send_email(
                c.smtp_url, c.email_from, c.email_to, m.title, m.body, mid, timeout_s=timeout, handed=handed
            )
        if m.channel == "apprise" and c.apprise_urls:
            return ch.send_apprise(c.apprise_urls, m.title, m.body, handed=handed)
        return ch.Result("retry", f"channel {m.channel} is not configured in this process")
