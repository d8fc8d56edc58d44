"""pytest-benchmark JSON files as the shipped suite writes them, for the trend and report tests."""

from __future__ import annotations

import json
from pathlib import Path


def bench_json(path: Path, on_tick_p99: float, *, on_tick_max: float, onnx_max: float) -> Path:
    """A run's JSON at `path`: OnTick (p50 20 us), ONNX (p50 7, p99 12 us) and a quiet timer
    calibration (max 300 us), with the given OnTick p99 and the stages' maxima in microseconds."""
    data = {
        "benchmarks": [
            {
                "name": "test_on_tick_end_to_end",
                "extra_info": {"p50_us": 20.0, "p99_us": on_tick_p99, "max_us": on_tick_max},
            },
            {"name": "test_onnx_inference", "extra_info": {"p50_us": 7.0, "p99_us": 12.0, "max_us": onnx_max}},
            {"name": "test_timer_calibration", "extra_info": {"p50_us": 0.07, "p99_us": 0.1, "max_us": 300.0}},
        ]
    }
    path.write_text(json.dumps(data))
    return path
