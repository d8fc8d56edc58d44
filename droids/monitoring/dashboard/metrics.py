"""Prometheus metrics of the monitor (prometheus-client), for teams that run Grafana.

A collector reads the monitor's latest state at scrape time, so /metrics and the dashboard never
disagree. Money in dollars, shares as fractions (0.08 = 8 %).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

PREFIX = "droid_monitor"


class StateCollector:
    def __init__(self, snapshot: Callable[[], dict[str, Any]]) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        s = self.snapshot()
        labels = ["account", "ruleset"]
        who = [str(s.get("account", "")), str(s.get("ruleset", ""))]
        gauges = {
            "equity_dollars": ("Account equity (realized and unrealized P&L, fees)", s.get("equity")),
            "high_water_mark_dollars": ("What the trailing threshold trails", s.get("high_water_mark")),
            "threshold_dollars": ("The trailing drawdown threshold", s.get("threshold")),
            "drawdown_share": (
                "Drawdown from the high-water mark as a share of the allowed drawdown",
                s.get("drawdown_share"),
            ),
            "distance_to_threshold_dollars": ("Equity minus the trailing threshold", s.get("distance_to_threshold")),
            "distance_to_danger_dollars": ("Equity minus the danger level (kill switch)", s.get("distance_to_danger")),
            "open_positions": ("Open positions", len(s.get("positions") or [])),
            "open_alerts": ("Alert episodes open now", len(s.get("open_alerts") or [])),
            "latency_p99_ms": ("OnTick p99 over the latency window", s.get("latency_p99_ms")),
        }
        for name, (doc, value) in gauges.items():
            if value is None:
                continue
            g = GaugeMetricFamily(f"{PREFIX}_{name}", doc, labels=labels)
            g.add_metric(who, float(value))
            yield g
        events = CounterMetricFamily(f"{PREFIX}_events", "Journal events read", labels=labels)
        events.add_metric(who, float(s.get("events") or 0))
        yield events
        messages = GaugeMetricFamily(f"{PREFIX}_messages", "Outbox messages by status", labels=["status"])
        for status, n in (s.get("outbox") or {}).items():
            messages.add_metric([status], float(n))
        yield messages
        sent = CounterMetricFamily(f"{PREFIX}_alerts_sent", "Alert messages delivered", labels=labels)
        sent.add_metric(who, float((s.get("outbox") or {}).get("sent", 0)))
        yield sent
        trips = CounterMetricFamily(f"{PREFIX}_kill_switch_trips", "Kill switch calls", labels=labels)
        trips.add_metric(who, float(len(s.get("kill_switch") or [])))
        yield trips


def render(snapshot: Callable[[], dict[str, Any]]) -> tuple[bytes, str]:
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.exposition import CONTENT_TYPE_LATEST

    registry = CollectorRegistry(auto_describe=False)
    registry.register(StateCollector(snapshot))  # type: ignore[arg-type]
    return generate_latest(registry), CONTENT_TYPE_LATEST
