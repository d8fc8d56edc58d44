"""The droids: one package per droid, plus `droids.core`, the contract they share.

`builtin_droids()` is the one explicit registry of built-in droids; third-party droids register
through the `droids` entry-point group (see droids.core.registry). It is a function so that
importing `droids.core` does not import every droid.
"""

from __future__ import annotations


def builtin_droids() -> tuple[type, ...]:
    """The built-in droid classes, in precedence order."""
    from droids.performance_optimizer import PerformanceOptimizerDroid
    from droids.security_compliance import SecurityComplianceDroid

    return (SecurityComplianceDroid, PerformanceOptimizerDroid)
