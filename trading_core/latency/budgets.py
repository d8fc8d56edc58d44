"""policies/budgets.yaml as a frozen model."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from trading_core.policy import policy_path
from trading_core.policy.loader import PolicyModel, load_policy_file

BUDGETS_FILE = "budgets.yaml"


class Budgets(PolicyModel):
    on_tick_p99_us: int = Field(gt=0)
    onnx_p99_us: int = Field(gt=0)


class DegradeRule(PolicyModel):
    consecutive_overruns: int = Field(ge=1)
    recover_after_ms: int = Field(ge=1)


class HistogramPolicy(PolicyModel):
    max_us: int = Field(ge=1000)


class BudgetsPolicy(PolicyModel):
    """policies/budgets.yaml."""

    version: int = Field(ge=1, le=1)
    budgets: Budgets
    degrade: DegradeRule
    histogram: HistogramPolicy


def load_budgets(policies_dir: Path) -> BudgetsPolicy:
    return load_policy_file(policy_path(policies_dir, BUDGETS_FILE), BudgetsPolicy)
