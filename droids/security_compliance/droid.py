"""The security-compliance droid: guards a trading codebase against leaked credentials.

Its checks are listed in `CHECKS` (one module per rule family); each decides whether it applies to
a task and reports findings. Heavy libraries (detect-secrets, its process pool, the cache) are
imported inside the checks' `run`, so importing this module, as `droid list` does, stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from droids.core.checks import Check, rules_of, run_checks
from droids.core.models import DroidReport, RuleSpec, Task
from droids.core.protocol import BaseDroid, DroidContext
from droids.security_compliance import sec001_hardcoded_secret

CHECKS: tuple[Check, ...] = (sec001_hardcoded_secret,)  # type: ignore[assignment] - modules are checks


class SecurityComplianceDroid(BaseDroid):
    CARD_PATH: ClassVar[Path] = Path(__file__).with_name("CARD.md")
    RULES: ClassVar[tuple[RuleSpec, ...]] = rules_of(CHECKS)

    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        return run_checks(self.card.name, CHECKS, task, ctx)
