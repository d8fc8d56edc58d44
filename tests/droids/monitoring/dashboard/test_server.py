"""The dashboard server: loopback only, the page, server-sent events that follow the journal, and
Prometheus /metrics from prometheus-client."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest

from tests.droids.monitoring.dashboard.serve import Served
from tests.droids.monitoring.support import HEADER, es_path


@pytest.mark.slow
def test_serve_streams_state_and_metrics(tmp_path: Path) -> None:
    served = Served(tmp_path, HEADER + es_path([5001.0, 5002.0]))
    try:
        assert served.url.startswith("http://127.0.0.1:")
        page = _open(served.url).read().decode()
        assert "uPlot" in page and "const LIVE = true" in page
        stream = _open(served.url + "events")
        first = _until(stream, 3)
        assert first["equity"] == pytest.approx(50_100.0)
        served.append("2026-03-09T10:05:00-04:00,mark,ES,,4915.00,\n")
        latest = _until(stream, 4)
        assert {a["rule"] for a in latest["open_alerts"]} == {"MON001", "MON003"}
        metrics = _open(served.url + "metrics").read().decode()
        assert 'droid_monitor_equity_dollars{account="50k",ruleset="seed"} 45750.0' in metrics
        assert "droid_monitor_drawdown_share" in metrics and "droid_monitor_alerts_sent_total" in metrics
        assert "droid_monitor_distance_to_threshold_dollars" in metrics
    finally:
        served.stop()


def _open(url: str):
    assert url.startswith("http://127.0.0.1:")
    return urllib.request.urlopen(url, timeout=20)  # noqa: S310 - the loopback server started above


def _until(stream, events: int) -> dict:
    """The first state the event stream sends with this many events read."""
    deadline = time.time() + 20
    while time.time() < deadline:
        line = stream.readline().decode()
        if line.startswith("data: "):
            state = json.loads(line.removeprefix("data: "))
            if state["events"] >= events:
                return state
    raise AssertionError(f"no state with {events} events")


def test_the_dashboard_refuses_a_non_loopback_host() -> None:
    from droids.monitoring.policy import MonitoringPolicy

    with pytest.raises(ValueError, match="loopback"):
        MonitoringPolicy.model_validate({"dashboard": {"host": "0.0.0.0"}})  # noqa: S104 - the point of the test
