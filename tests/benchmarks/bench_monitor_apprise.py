"""Measure how apprise's Slack sender and the monitor's sender meet a 429 with `Retry-After`.

    .venv/bin/python tests/benchmarks/bench_monitor_apprise.py [--retry-after 2] [--rounds 3]

Both post to the test suite's Slack-compatible webhook server on 127.0.0.1, which answers the first
request of each round with `429` and `Retry-After: N`, then `200 ok`. apprise (its Slack plugin,
pointed at the local server) is called as a caller that wants the message through would: `notify()`
again as soon as the first returns False. The monitor's sender is the outbox's (droids.monitoring.
alerts.deliver): it records the 429 and sends again when Retry-After has passed. Reported: the gap
between the two requests at the server, per round, for each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.droids.monitoring.support import FakeSlack, Reply  # noqa: E402


def apprise_gap(retry_after: str) -> tuple[float, bool, bool]:
    import apprise
    from apprise.plugins.slack import NotifySlack

    server = FakeSlack([Reply(429, "rate_limited", {"Retry-After": retry_after})])
    try:
        NotifySlack.webhook_url = f"http://127.0.0.1:{server.httpd.server_address[1]}/services"
        _, _, a, b, c = server.path.split("/")
        app = apprise.Apprise()
        assert app.add(f"slack://{a}/{b}/{c}")
        first = app.notify(body="hello", title="t")
        second = app.notify(body="hello", title="t")
        return server.attempts[1] - server.attempts[0], first, second
    finally:
        server.close()


def monitor_gap(retry_after: str) -> float:
    from droids.monitoring.alerts.deliver import Channels, Sender
    from droids.monitoring.alerts.outbox import AlertRow, MessageRow, Outbox
    from droids.monitoring.policy import MonitoringPolicy

    server = FakeSlack([Reply(429, "rate_limited", {"Retry-After": retry_after})])
    try:
        with tempfile.TemporaryDirectory() as tmp:
            policy = MonitoringPolicy()
            sender = Sender(Outbox(Path(tmp) / "o.sqlite"), Channels.from_env(policy, {
                "DROID_SLACK_WEBHOOK_URL": server.url}), policy)  # fmt: skip
            alert = AlertRow("a", "s", "MON001", "account", True, 0, "m", True)
            sender.outbox.add([alert], lambda new: [MessageRow("slack", "t", "t", "hello", ("a",))])
            end = time.time() + 60
            while sender.outbox.counts()["sent"] == 0 and time.time() < end:
                sender.drain()
                time.sleep(0.01)
            return server.attempts[1] - server.attempts[0]
    finally:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--retry-after", default="2")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import apprise

    ours, theirs = [], []
    for _ in range(args.rounds):
        gap, first, second = apprise_gap(args.retry_after)
        theirs.append(gap)
        ours.append(monitor_gap(args.retry_after))
    print(f"apprise {apprise.__version__}: 429 with Retry-After {args.retry_after} s -> notify() returned"
          f" {first}, the caller's second notify() reached the server after {statistics.median(theirs):.2f} s"
          f" (rounds: {', '.join(f'{g:.2f}' for g in theirs)}); second returned {second}")  # fmt: skip
    print(f"monitor's sender: resent after {statistics.median(ours):.2f} s"
          f" (rounds: {', '.join(f'{g:.2f}' for g in ours)})")  # fmt: skip


if __name__ == "__main__":
    main()
