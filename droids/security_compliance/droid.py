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
from droids.security_compliance.access import sec020_access_control
from droids.security_compliance.compliance import (
    cmp001_loosening,
    cmp002_policy_within_ruleset,
    cmp003_scenarios,
)
from droids.security_compliance.history import sec002_history
from droids.security_compliance.sast import sec010_bandit
from droids.security_compliance.secrets import (
    sec001_hardcoded_secret,
    sec003_env_hygiene,
    sec004_secrets_in_logs,
)

# Cheap checks first; bandit (SEC010) and the simulator scenarios (CMP003) are the slowest.
CHECKS: tuple[Check, ...] = (  # type: ignore[assignment] - modules are checks
    sec001_hardcoded_secret,
    sec002_history,  # after SEC001: its warm cache answers "still at HEAD?"
    sec003_env_hygiene,
    sec004_secrets_in_logs,
    sec020_access_control,
    cmp001_loosening,
    cmp002_policy_within_ruleset,
    sec010_bandit,
    cmp003_scenarios,
)


class SecurityComplianceDroid(BaseDroid):
    CARD_PATH: ClassVar[Path] = Path(__file__).with_name("CARD.md")
    RULES: ClassVar[tuple[RuleSpec, ...]] = rules_of(CHECKS)

    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        return run_checks(self.card.name, CHECKS, task, ctx)
