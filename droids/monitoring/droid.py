"""The monitoring droid: the account's live state, alerts, anomalies, the circuit breaker.

Its one check (`account_check`) reads the newest journal through the monitor for `droid ask`,
`droid run` and `droid audit`; the live work is `droid monitor ...` (cli.py). Importing this module
imports no heavy library.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from droids.core.checks import Check, rules_of, run_checks
from droids.core.models import DroidReport, RuleSpec, Task
from droids.core.protocol import BaseDroid, DroidContext
from droids.monitoring import account_check

CHECKS: tuple[Check, ...] = (account_check,)  # type: ignore[assignment] - modules are checks


class MonitoringDroid(BaseDroid):
    CARD_PATH: ClassVar[Path] = Path(__file__).with_name("CARD.md")
    RULES: ClassVar[tuple[RuleSpec, ...]] = rules_of(CHECKS)

    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        return run_checks(self.card.name, CHECKS, task, ctx)
