"""The data-pipeline droid: market data a backtest can trust (see CARD.md).

Its checks, in `CHECKS`:
- `data_check`: DATA001-DATA013, bar files under data.yaml `data_paths` and the named catalog;
- `static_check`: DATA020-DATA024, look-ahead spellings in feature and strategy code;
- `truncation_check`: DATA025, the trading core's feature pipeline run on truncated data.
Importing this module imports no heavy library: pyarrow, numpy and the calendars load in `run`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from droids.core.checks import Check, rules_of, run_checks
from droids.core.models import DroidReport, RuleSpec, Task
from droids.core.protocol import BaseDroid, DroidContext
from droids.data_pipeline.lookahead import static_check, truncation_check
from droids.data_pipeline.validate import data_check

CHECKS: tuple[Check, ...] = (data_check, static_check, truncation_check)  # type: ignore[assignment] - modules are checks


class DataPipelineDroid(BaseDroid):
    CARD_PATH: ClassVar[Path] = Path(__file__).with_name("CARD.md")
    RULES: ClassVar[tuple[RuleSpec, ...]] = rules_of(CHECKS)

    def run(self, task: Task, ctx: DroidContext) -> DroidReport:
        return run_checks(self.card.name, CHECKS, task, ctx)
