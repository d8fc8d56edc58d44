"""Benchmark: from a drawdown crossing written to a growing journal to the page at the Slack server.

    .venv/bin/python tests/benchmarks/bench_monitor_alert_latency.py [--crossings 60] [--rate 20]

`droid monitor watch journal.csv` runs as a user runs it (a fresh process, policies copied to a
temporary folder, cooldown 0 so every crossing pages), against the test suite's Slack-compatible
webhook server on 127.0.0.1. This script appends marks of one ES contract at `--rate` lines a second
with the wall clock as journal time; every second it writes a line that crosses the Apex warning
level (8 %: MON001, with MON003 in the same message), then lines that recover. Latency = the time
the server received the page minus the time the crossing line was flushed to the file. Reported:
p50, p99, max. The peer, in the same run: the bare cost of one webhook POST from this process to the
same server (what any sender pays), and the poll interval (policies/monitoring.yaml watch.poll_s).
Goal (issue 15): p99 under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.droids.monitoring.support import FakeSlack, droid_cmd, env_with  # noqa: E402

MONITORING = """
episodes: {cooldown_s: 0, group_s: 0}
delivery: {slack_min_interval_s: 0}
breaker: {kill_at_danger: false, profile_on_spike: false}
"""


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def bare_post(server: FakeSlack, n: int = 50) -> float:
    times = []
    port = server.httpd.server_address[1]
    for _ in range(n):
        t = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("POST", server.path, body=b'{"text": "x"}', headers={"Content-Type": "application/json"})
        conn.getresponse().read()
        conn.close()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--crossings", type=int, default=60)
    parser.add_argument("--rate", type=float, default=20.0)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        shutil.copytree(ROOT / "policies", tmp / "policies")
        (tmp / "policies" / "monitoring.yaml").write_text(MONITORING)
        journal = tmp / "journal.csv"
        journal.write_text("ts,kind,symbol,qty,price,fee\n" + f"{now_iso()},fill,ES,1,5000.00,0\n")
        server = FakeSlack()
        proc = subprocess.Popen(
            droid_cmd("--repo", str(tmp), "--policies", str(tmp / "policies"), "monitor", "watch", str(journal)),
            cwd=tmp, env=env_with(DROID_SLACK_WEBHOOK_URL=server.url), stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert proc.stderr is not None
            while "following" not in proc.stderr.readline():
                pass
            written: list[float] = []
            gap = 1.0 / args.rate
            with journal.open("a") as f:
                for _ in range(args.crossings):
                    for price in ("4995.00", "4990.00"):
                        f.write(f"{now_iso()},mark,ES,,{price},\n")
                        f.flush()
                        time.sleep(gap)
                    received = len(server.received)
                    f.write(f"{now_iso()},mark,ES,,4919.00,\n")
                    f.flush()
                    written.append(time.time())
                    end = time.time() + 5
                    while len(server.received) == received and time.time() < end:
                        time.sleep(0.002)
                    for _ in range(int(args.rate * 0.5)):  # recover: resolution pages
                        f.write(f"{now_iso()},mark,ES,,4995.00,\n")
                        f.flush()
                        time.sleep(gap)
                    time.sleep(0.3)
            fired = [r for r in server.received if "[RESOLVED]" not in r.text.splitlines()[0]]
            lat = sorted(r.at - w for r, w in zip(fired, written, strict=False))
            assert len(lat) == args.crossings, f"{len(lat)} pages for {args.crossings} crossings"
            p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))]
            print(f"{len(lat)} crossings: p50 {statistics.median(lat) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms,"
                  f" max {lat[-1] * 1000:.0f} ms (goal: p99 < 1000 ms); load {os.getloadavg()[0]:.2f}")  # fmt: skip
            print(f"peer: one bare webhook POST to the same server {bare_post(server) * 1000:.1f} ms (median);"
                  " the watch polls every 100 ms")  # fmt: skip
        finally:
            proc.terminate()
            proc.wait(30)
            server.close()


if __name__ == "__main__":
    main()
