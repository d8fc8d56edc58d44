"""The security-compliance droid: guards a trading codebase against leaked credentials.

Its one check today is SEC001 (hard-coded secrets, see `sec001_hardcoded_secret`). The heavy
lifting (detect-secrets, the process pool, the cache) is imported inside `run`, so importing this
module, as `droid list` does, stays instant.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from droids.core.models import DroidReport, RuleSpec, Task
from droids.core.protocol import BaseDroid, DroidContext
from droids.security_compliance.sec001_hardcoded_secret import SEC001


class SecurityComplianceDroid(BaseDroid):
    CARD_PATH: ClassVar[Path] = Path(__file__).with_name("CARD.md")
    RULES: ClassVar[tuple[RuleSpec, ...]] = (SEC001,)

    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        from droids.security_compliance.sec001_hardcoded_secret import check

        started = time.perf_counter()
        findings, notes, metrics = check(task, ctx.cache_dir(self.card.name))
        return DroidReport(
            name=self.card.name,
            findings=findings,
            rules_checked=[SEC001.id],
            metrics=metrics,
            notes=notes,
            duration_ms=round((time.perf_counter() - started) * 1000),
        )
