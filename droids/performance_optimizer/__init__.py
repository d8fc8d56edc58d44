"""The performance-optimizer droid (see CARD.md): OnTick and ONNX latency budgets, profiling, hot-path rules."""

from __future__ import annotations

from droids.core.manifest import Command, Manifest, PolicyFile

MANIFEST = Manifest(
    droid="droids.performance_optimizer.droid:PerformanceOptimizerDroid",
    command=Command(
        name="perf",
        help="Latency budgets, baselines, profiles and trends of the trading core.",
        app="droids.performance_optimizer.cli:app",
    ),
    policy_files=(
        PolicyFile(
            "perf.yaml",
            "droids.performance_optimizer.policy:PerfPolicy",
            "droids.performance_optimizer.policy:check_perf_policy",
        ),
    ),
    services={
        "profile": "droids.performance_optimizer.api:profile",
        "report-section": "droids.performance_optimizer.report_section:build",
    },
)
