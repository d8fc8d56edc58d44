"""The monitoring droid (see CARD.md): live drawdown, alerts, anomalies, dashboard, circuit breaker."""

from __future__ import annotations

from droids.core.manifest import Command, Manifest, PolicyFile

MANIFEST = Manifest(
    droid="droids.monitoring.droid:MonitoringDroid",
    command=Command(
        name="monitor",
        help="Live drawdown, alerts that reach a person once, the dashboard and the circuit breaker.",
        app="droids.monitoring.cli:app",
    ),
    policy_files=(
        PolicyFile(
            "monitoring.yaml",
            "droids.monitoring.policy:MonitoringPolicy",
            "droids.monitoring.policy:check_monitoring_policy",
        ),
    ),
    services={
        "monitor-state": "droids.monitoring.api:monitor_state",
        "report-section": "droids.monitoring.report_section:build",
        "report-delivery": "droids.monitoring.report_delivery:deliver_report",
    },
)
