"""Neither lost nor repeated across a SIGKILL: `droid monitor watch` is killed (a real SIGKILL) while it
waits for Slack's answer to a message, with another message waiting out a 429 Retry-After; a restart
sends every message exactly once, as counted by the webhook server."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.droids.monitoring.support import HEADER, FakeSlack, Reply, droid_cmd, env_with, es_path, policies_copy

MONITORING = """
episodes: {cooldown_s: 0, group_s: 0}
delivery: {slack_min_interval_s: 0}
breaker: {kill_at_danger: false, profile_on_spike: false}
"""


def _rows(db: Path) -> list[tuple[int, str, int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, status, handed, body FROM messages ORDER BY id").fetchall()


@pytest.mark.slow
def test_sigkill_mid_delivery_then_restart_delivers_each_message_once(tmp_path: Path) -> None:
    policies = policies_copy(tmp_path, MONITORING)
    journal = tmp_path / "journal.csv"
    # warning level, recovery, warning again, recovery, danger: several separate messages
    journal.write_text(HEADER + es_path([4990, 4920, 4995, 4919, 4996, 4900, 4999], step_s=600))
    server = FakeSlack([Reply(429, "rate_limited", {"Retry-After": "2"}), Reply(200, "ok", delay_s=30)])
    env = env_with(DROID_SLACK_WEBHOOK_URL=server.url)
    args = ["--repo", str(tmp_path), "--policies", str(policies), "monitor", "watch", str(journal)]
    db = tmp_path / ".droid" / "monitor" / "outbox.sqlite"
    try:
        proc = subprocess.Popen(droid_cmd(*args), cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)  # fmt: skip
        end = time.time() + 60
        while len(server.attempts) < 2 and time.time() < end:  # 429 for one, the other hangs unanswered
            time.sleep(0.02)
        assert len(server.attempts) == 2, proc.stderr.read1().decode() if proc.poll() is not None else "no request"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert proc.returncode == -signal.SIGKILL
        before = _rows(db)
        assert [r[1] for r in before].count("sending") == 1 and len(before) >= 5
        assert [r[1] for r in before].count("pending") == len(before) - 1
        # restart: reads the journal again (same alerts: nothing new is queued) and delivers the rest
        done = subprocess.run(droid_cmd(*args, "--once"), cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        after = _rows(db)
        assert len(after) == len(before)  # the re-read journal queued nothing twice
        statuses = sorted(r[1] for r in after)
        assert statuses == ["sent"] * (len(after) - 1) + ["unconfirmed"]
        texts = [r.text for r in server.received]
        assert sorted(texts) == sorted(r[3] for r in after)  # every message once: none lost, none repeated
        assert len(set(texts)) == len(texts)
        assert server.url not in done.stdout + done.stderr and server.path not in done.stdout + done.stderr
    finally:
        server.close()
